"""A draft as a workbook: download, upload, dry run, apply; and starting from the last report."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.forms.workbook import WorkbookDownloadForm, WorkbookUploadForm
from reports.models import ReportVersion, Section
from reports.selectors.carry_over import carry_over_source
from reports.selectors.delegation import get_draft_for_user
from reports.services.audit import audit_log
from reports.services.carry_over import answer_confirm, draft_carry_over
from reports.services.drafts import DraftConflict
from reports.services.reports import ReportError
from reports.services.validation import sections_for
from reports.services.workbook import (
    DryRunGone,
    ImportPlan,
    WorkbookRefused,
    WorkbookStale,
    import_apply,
    import_kept,
    import_start,
)
from reports.workbook.build import XLSX_TYPE, workbook_build, workbook_filename
from reports.workbook.read import Upload, UploadRefused, upload_read

from ..decorators import delegation_required
from .base import DelegationRequest


def _draft(request: DelegationRequest, pk: int) -> ReportVersion:
    version = get_draft_for_user(request.user, pk)
    if not version.is_draft:
        raise Http404  # a submitted version has no workbook to fill
    return version


def _language(value: str | None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if value in codes:
        return str(value)
    current = get_language() or "en"
    return current if current in codes else "en"


@delegation_required
def workbook_page(request: DelegationRequest, pk: int) -> HttpResponse:
    """The workbook page: download in a language; upload (POST) for a dry run."""
    version = _draft(request, pk)
    sections = sections_for(version.report.cycle)
    download = WorkbookDownloadForm(initial={"lang": _language(None)})
    form = WorkbookUploadForm(request.POST or None, request.FILES or None, sections=sections)
    context = {"version": version, "report": version.report, "download_form": download, "form": form}
    if request.method != "POST":
        return render(request, "delegation/workbook.html", context)
    if not form.is_valid():
        return render(request, "delegation/workbook.html", context, status=400)
    upload_file = form.cleaned_data["file"]
    try:
        upload = upload_read(
            upload_file, name=upload_file.name or "", size=upload_file.size or 0, csv_section=form.cleaned_data["register"]
        )
        plan = import_start(upload=upload, version=version, user=request.user)
    except (UploadRefused, WorkbookRefused) as refused:
        form.add_error("file", str(refused))
        return render(request, "delegation/workbook.html", context, status=400)
    if plan.stale_from is not None:
        # Refused as it stands; its dry run against the draft as it is now is kept and offered.
        context.update(stale=plan.stale_reason, stale_token=plan.token)
        return render(request, "delegation/workbook.html", context, status=409)
    return redirect("delegation:workbook_dry_run", pk=version.pk, token=plan.token)


KeptView = Callable[[DelegationRequest, ReportVersion, ImportPlan, Upload], HttpResponse]


def _with_dry_run(view: KeptView) -> Callable[[DelegationRequest, int, str], HttpResponse]:
    """The draft (the gate's: the user's own State's, still a draft) and the dry run kept under the
    URL's token for this user and this draft (import_kept); else back to the upload form."""

    @wraps(view)
    def wrapper(request: DelegationRequest, pk: int, token: str) -> HttpResponse:
        version = _draft(request, pk)
        try:
            plan, upload = import_kept(token=token, user=request.user, version=version)
        except DryRunGone as gone:
            messages.error(request, str(gone))
            return redirect("delegation:workbook", pk=version.pk)
        return view(request, version, plan, upload)

    return wrapper


@require_GET
@delegation_required
def workbook_download(request: DelegationRequest, pk: int) -> HttpResponse:
    version = _draft(request, pk)
    language = _language(request.GET.get("lang"))
    content = workbook_build(version=version, language=language)
    audit_log(action="workbook_download", actor=request.user, obj=version, language=language, revision=version.revision)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(version, language)}"'
    return response


@require_GET
@delegation_required
@_with_dry_run
def workbook_dry_run(request: DelegationRequest, version: ReportVersion, plan: ImportPlan, upload: Upload) -> HttpResponse:
    return _render_plan(request, version, plan)


def _render_plan(
    request: DelegationRequest, version: ReportVersion, plan: ImportPlan, *, stale: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "version": version,
        "report": version.report,
        "plan": plan,
        "stale": stale,
        "outdated": plan.revision != version.revision,
        "totals": {
            "added": sum(item.added for item in plan.sections),
            "changed": sum(item.changed for item in plan.sections),
            "removed": sum(item.removed for item in plan.sections),
            "bad": sum(item.bad_rows for item in plan.sections),
        },
    }
    return render(request, "delegation/workbook_dry_run.html", context, status=status)


@require_POST
@delegation_required
@_with_dry_run
def workbook_apply(request: DelegationRequest, version: ReportVersion, plan: ImportPlan, upload: Upload) -> HttpResponse:
    try:
        import_apply(plan=plan, version=version, actor=request.user)
    except WorkbookStale as stale:
        version.refresh_from_db()
        return _render_plan(request, version, plan, stale=str(stale), status=409)
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("delegation:workbook", pk=version.pk)
    added = sum(item.added for item in plan.sections)
    changed = sum(item.changed for item in plan.sections)
    removed = sum(item.removed for item in plan.sections)
    bad = sum(item.bad_rows for item in plan.sections)
    messages.success(
        request,
        _("Workbook applied: %(added)d rows added, %(changed)d changed, %(removed)d removed.")
        % {"added": added, "changed": changed, "removed": removed},
    )
    if bad:
        messages.warning(
            request,
            ngettext(
                "%(count)d row with errors was not saved: it is kept as typed in the editor, to correct.",
                "%(count)d rows with errors were not saved: they are kept as typed in the editor, to correct.",
                bad,
            )
            % {"count": bad},
        )
    first = next((item.section for item in plan.sections if item.touches), sections_for(version.report.cycle)[0])
    return redirect("delegation:editor", pk=version.pk, section=first)


@require_POST
@delegation_required
@_with_dry_run
def workbook_fresh(request: DelegationRequest, version: ReportVersion, plan: ImportPlan, upload: Upload) -> HttpResponse:
    """A fresh dry run of the same upload against the draft as it is now."""
    fresh = import_start(upload=upload, version=version, user=request.user)
    return redirect("delegation:workbook_dry_run", pk=version.pk, token=fresh.token)


@require_POST
@delegation_required
def draft_carry_over_view(request: DelegationRequest, pk: int) -> HttpResponse:
    version = _draft(request, pk)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        count = draft_carry_over(version=version, actor=request.user, revision=revision)
    except DraftConflict:
        messages.error(request, _("The draft was saved by someone else since you opened it. Look at it and try again."))
    except ReportError as error:
        messages.error(request, str(error))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d answer carried over from your last report: confirm or edit it.",
                    "%(count)d answers carried over from your last report: confirm or edit each.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Every measure is already answered: nothing was carried over."))
    return redirect("delegation:editor", pk=version.pk, section=Section.CHECKLIST)


@require_POST
@delegation_required
def answer_confirm_view(request: DelegationRequest, pk: int, measure_pk: int) -> HttpResponse:
    version = _draft(request, pk)
    try:
        answer_confirm(version=version, actor=request.user, measure_id=measure_pk)
    except ReportError as error:
        messages.error(request, str(error))
    if request.htmx:
        return render(request, "delegation/_carried_confirmed.html")
    return redirect(reverse("delegation:editor", args=[version.pk, Section.CHECKLIST]) + f"#measure-{measure_pk}")


def carry_over_offer(version: ReportVersion) -> ReportVersion | None:
    """The editor's offer to start from the last report: only for a draft with no answer yet."""
    if version.answers.exclude(answer="", legal_reference="", narrative="").exists():
        return None
    return carry_over_source(version)
