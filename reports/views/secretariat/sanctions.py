"""The ISIL (Da'esh) & Al-Qaida Sanctions List in the back office: search, entry, history, upload.

The Secretariat and the Monitoring Team read it; only the Secretariat uploads a new file.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.forms.sanctions import SanctionsSearchForm, SanctionsUploadForm
from reports.models import MatchStatus, SanctionsSnapshot
from reports.selectors import sanctions as sel
from reports.selectors.access import is_secretariat
from reports.selectors.screening import screening_counts
from reports.services.sanctions_import import SanctionsListRefused, import_sanctions_list, read_capped
from reports.views.decorators import back_office_required, secretariat_required

from .common import query_without

ENTRIES_PER_PAGE = 25
SNAPSHOTS_PER_PAGE = 5


@back_office_required
def sanctions_list(request: HttpRequest) -> HttpResponse:
    form = SanctionsSearchForm(request.GET or None)
    snapshot = sel.current_snapshot()
    page = None
    if not form.is_bound or form.is_valid():
        values = form.cleaned_data if form.is_bound else {}
        entries = sel.entries_search(query=values.get("q") or "", status=values.get("status") or "")
        page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
        for entry in page.object_list:
            entry.status = sel.entry_status(entry, snapshot)  # type: ignore[attr-defined]
    return render(
        request,
        "secretariat/sanctions/list.html",
        {
            "sec_tab": "sanctions",
            "form": form,
            "page": page,
            "snapshot": snapshot,
            "query": query_without(request, "page"),
            "can_upload": is_secretariat(request.user),
        },
    )


@back_office_required
def sanctions_entry(request: HttpRequest, reference: str) -> HttpResponse:
    entry = sel.entry_detail(reference[:20])
    if entry is None:
        raise Http404
    snapshot = sel.current_snapshot()
    counts = screening_counts(entry=entry.reference)
    return render(
        request,
        "secretariat/sanctions/entry.html",
        {
            "sec_tab": "sanctions",
            "entry": entry,
            "status": sel.entry_status(entry, snapshot),
            "snapshot": snapshot,
            "screening": [(value, label, counts[value]) for value, label in MatchStatus.choices],
        },
    )


@back_office_required
def sanctions_snapshots(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        SanctionsSnapshot.objects.select_related("imported_by").order_by("-imported_at", "-id"), SNAPSHOTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "secretariat/sanctions/snapshots.html",
        {
            "sec_tab": "sanctions",
            "page": page,
            "history": sel.snapshots_with_changes(list(page.object_list)),
            "can_upload": is_secretariat(request.user),
        },
    )


@secretariat_required
def sanctions_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = SanctionsUploadForm(request.POST, request.FILES) if posted else SanctionsUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_capped(upload, declared_size=upload.size)
            result = import_sanctions_list(data, source=f"upload: {upload.name}"[:500], user=request.user)  # type: ignore[arg-type]
        except SanctionsListRefused as refused:
            form.add_error("file", _("The file was refused: %(reason)s") % {"reason": refused.reason})
        else:
            s = result.snapshot
            if result.unchanged:
                messages.info(
                    request,
                    _("This file was already imported (list generated %(date)s); nothing changed.")
                    % {"date": date_format(s.generated_at, "DATE_FORMAT")},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Imported the list generated %(date)s: %(entries)d entries; %(added)d added, "
                        "%(amended)d amended, %(delisted)d delisted, %(relisted)d relisted."
                    )
                    % {
                        "date": date_format(s.generated_at, "DATE_FORMAT"),
                        "entries": s.entries_count,
                        "added": s.added,
                        "amended": s.amended,
                        "delisted": s.delisted,
                        "relisted": s.relisted,
                    },
                )
            return redirect("secretariat:sanctions_snapshots")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "secretariat/sanctions/upload.html",
        {"sec_tab": "sanctions", "form": form, "snapshot": sel.current_snapshot()},
        status=status,
    )
