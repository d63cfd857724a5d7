"""The review queue, one report's review page, and the review and assessment actions."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from reports.exports import reports_dataset
from reports.filters import ReportFilter, bootstrapify
from reports.models import Rating, ReportStatus, ReviewEvent, Section
from reports.selectors.access import get_report_for_user, is_secretariat, reports_visible_to
from reports.selectors.matrix import cycle_measures, report_measure_rows
from reports.selectors.threads import open_thread_count_q
from reports.selectors.versions import query_without_pages, row_pages, version_choice, version_display
from reports.services import review
from reports.services.assessments import measure_assess
from reports.services.reports import ReportError
from reports.tables import ReportTable
from reports.views.decorators import back_office_required, secretariat_required

from .common import maybe_export, query_without
from .forms import AssessForm, AssignForm, ClarificationForm, CommentForm, NoteForm


@back_office_required
def reports(request: HttpRequest) -> HttpResponse:
    queryset = (
        reports_visible_to(request.user)
        .select_related("state", "cycle", "current_version", "assigned_to")
        .annotate(open_threads=open_thread_count_q())
        .order_by("-first_submitted_at", "state__sort_key")
    )
    filterset = ReportFilter(request.GET or None, queryset=queryset)
    bootstrapify(filterset.form)
    rows = (
        filterset.qs if filterset.is_bound and filterset.is_valid() else (queryset if not filterset.is_bound else queryset.none())
    )
    exported = maybe_export(request, lambda: reports_dataset(list(rows)), "reports")
    if exported is not None:
        return exported
    table = ReportTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "secretariat/reports.html",
        {"filter": filterset, "table": table, "export_query": query_without(request, "export", "page"), "sec_tab": "reports"},
    )


def with_status_labels(events: Iterable[ReviewEvent]) -> list[ReviewEvent]:
    """Each event with from_label / to_label / section_label: statuses and section in words, not codes."""
    labels = dict(ReportStatus.choices)
    sections = dict(Section.choices)
    events = list(events)
    for event in events:
        event.from_label = labels.get(event.from_status, event.from_status)  # type: ignore[attr-defined]
        event.to_label = labels.get(event.to_status, event.to_status)  # type: ignore[attr-defined]
        event.section_label = sections.get(event.section, event.section)  # type: ignore[attr-defined]
    return events


@back_office_required
def report_detail(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    rows = report_measure_rows(report=report)
    can_act = is_secretariat(request.user)
    choice = version_choice(user=request.user, report=report, number=request.GET.get("version"))  # type: ignore[arg-type]
    context = {
        "report": report,
        "rows": rows,
        "versions": choice.versions[::-1],
        "shown": choice,
        "display": version_display(
            user=request.user,  # type: ignore[arg-type]
            version=choice.version,
            previous=choice.previous,
            pages=row_pages(request.GET),
        ),
        "page_query": query_without_pages(request.GET),
        "events": with_status_labels(
            ReviewEvent.objects.filter(report=report).select_related("actor", "version").order_by("-created_at", "-id")
        ),
        "actions": review.allowed_actions(report) if can_act else [],
        "can_act": can_act,
        "ratings": Rating.choices,
        "cycle": report.cycle,
        "sec_tab": "reports",
    }
    if can_act:
        context.update(
            assign_form=AssignForm(initial={"officer": report.assigned_to_id}),
            start_form=CommentForm(prefix="start"),
            clarify_form=ClarificationForm(prefix="clarify"),
            accept_form=CommentForm(prefix="accept"),
            note_form=NoteForm(prefix="note"),
        )
    return render(request, "secretariat/report.html", context)


@require_POST
@secretariat_required
def report_action(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    actor = request.user
    target = reverse("secretariat:report", args=[report.pk])
    forms = {
        "assign": lambda: AssignForm(request.POST),
        "start": lambda: CommentForm(request.POST, prefix="start"),
        "clarify": lambda: ClarificationForm(request.POST, prefix="clarify"),
        "accept": lambda: CommentForm(request.POST, prefix="accept"),
        "note": lambda: NoteForm(request.POST, prefix="note"),
    }
    if action not in forms:
        raise Http404
    form = forms[action]()
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(target)
    data = form.cleaned_data
    try:
        if action == "assign":
            review.report_assign(report=report, officer=data["officer"], actor=actor)  # type: ignore[arg-type]
        elif action == "start":
            review.report_start_review(report=report, actor=actor, comment=data["comment"])  # type: ignore[arg-type]
        elif action == "clarify":
            review.report_request_clarification(report=report, actor=actor, comment=data["comment"], section=data["section"])  # type: ignore[arg-type]
        elif action == "accept":
            review.report_accept(report=report, actor=actor, comment=data["comment"])  # type: ignore[arg-type]
        else:
            review.report_comment(report=report, actor=actor, comment=data["comment"], visible_to_state=data["visible_to_state"])  # type: ignore[arg-type]
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(target)


@require_POST
@secretariat_required
def report_assess(request: HttpRequest, pk: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = AssessForm(request.POST, measures=cycle_measures(report.cycle))
    target = reverse("secretariat:report", args=[report.pk])
    if not form.is_valid():
        messages.error(request, _("The assessment was not saved: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(target)
    measure = form.cleaned_data["measure"]
    try:
        measure_assess(
            report=report,
            measure=measure,
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Assessment of %(code)s saved.") % {"code": measure.code})
    if request.POST.get("next") == "cell":
        return redirect("secretariat:cell", report.pk, measure.pk)
    return redirect(f"{target}#measure-{measure.code}")
