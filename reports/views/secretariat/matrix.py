"""The implementation matrix and what one of its cells opens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.exports import matrix_dataset
from reports.filters import MatrixFilterForm
from reports.models import Answer, MeasureArea
from reports.selectors.access import is_secretariat
from reports.selectors.matrix import Matrix, implementation_matrix
from reports.selectors.matrix import matrix_cell as cell_detail
from reports.tables import matrix_body
from reports.views.decorators import back_office_required

from .common import cycle_or_404, maybe_export, query_without
from .forms import AssessForm


@back_office_required
def matrix(request: HttpRequest, cycle_id: str) -> HttpResponse:
    cycle = cycle_or_404(cycle_id)
    form = MatrixFilterForm(request.GET or None)
    values = form.values() if form.is_bound else {"group": "", "area": "", "flag": "", "answer": ""}
    if values:
        data = implementation_matrix(
            user=request.user,
            cycle=cycle,
            group=values["group"],
            area=values["area"],
            flag=values["flag"],
            answer=values["answer"],
        )
    else:
        data = Matrix(cycle=cycle, measures=[], rows=[])
    exported = maybe_export(request, lambda: matrix_dataset(data), f"matrix-{cycle.code}")
    if exported is not None:
        return exported
    return render(
        request,
        "secretariat/matrix.html",
        {
            "cycle": cycle,
            "form": form,
            "matrix": data,
            "matrix_body": matrix_body(data),
            "legend": data.legend(),
            "areas": dict(MeasureArea.choices),
            "answers": dict(Answer.choices),
            "export_query": query_without(request, "export"),
            "sec_tab": "matrix",
        },
    )


@back_office_required
def matrix_cell(request: HttpRequest, pk: str, measure_id: str) -> HttpResponse:
    detail = cell_detail(user=request.user, report_id=pk, measure_id=measure_id)
    assess_form = None
    if is_secretariat(request.user):
        initial: dict[str, object] = {"measure": detail.measure.pk}
        if detail.assessment:
            initial.update(rating=detail.assessment.rating, note=detail.assessment.note)
        assess_form = AssessForm(initial=initial, measures=None)
    return render(
        request,
        "secretariat/cell.html",
        {"detail": detail, "assess_form": assess_form, "cycle": detail.report.cycle, "sec_tab": "matrix"},
    )
