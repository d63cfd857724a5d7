"""The report editor, section by section: explicit save, htmx autosave, conflicts."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.forms.attachments import AttachmentForm
from reports.forms.checklist import ChecklistAnswerForm, checklist_forms, checklist_input
from reports.forms.limits import TooLong, values_too_long
from reports.forms.register_pages import FULL_MESSAGE, RegisterPage, legacy_pending_rows, page_number, register_page
from reports.forms.registers import NOT_VALUES, PAGE_MAX_FORMS, REGISTER_FORMSETS, BaseRegisterFormSet
from reports.forms.report import ConfidentialityForm
from reports.models import TRANSIT_PREFETCH, Answer, MeasureArea, OilInterdiction, ReportVersion, Section
from reports.selectors.delegation import get_delegation_report, get_draft_for_user, register_state_choices
from reports.selectors.matrix import cycle_measures
from reports.selectors.sanctions import RefLookup
from reports.services.drafts import (
    REGISTER_MAX_ROWS,
    REGISTER_MODELS,
    DraftConflict,
    DraftValueTooLong,
    SectionInput,
    VersionFrozen,
    draft_pending,
    draft_save,
    register_pending_rows,
)
from reports.services.reports import report_draft
from reports.services.validation import date_window, sections_for

from ..decorators import delegation_required
from .base import DelegationRequest
from .workbook import carry_over_offer

SETTINGS = "settings"
# `_unload`: the save the page sends as it is closed or hidden (fetch keepalive / sendBeacon,
# which cannot set htmx's headers): an autosave like any other, answered with the same partial.
# `editor`: a random token per page load, so that a page's saves never conflict with its own.
NOT_RAW = {"csrfmiddlewaretoken", "revision", "editor", "_action", "_unload", "page"}


def editor_sections(version: ReportVersion) -> list[tuple[str, Any]]:
    sections = [(key, Section(key).label) for key in sections_for(version.report.cycle)]
    return [*sections, (SETTINGS, _("Confidentiality and note"))]


@delegation_required
def editor_start(request: DelegationRequest, pk: int) -> HttpResponse:
    report = get_delegation_report(request.user, pk)
    draft = report_draft(report)
    if draft is None:
        messages.info(request, _("This report has no open draft: a signatory may open an addendum."))
        return redirect("delegation:report", pk=report.pk)
    return redirect("delegation:editor", pk=draft.pk, section=sections_for(report.cycle)[0])


@delegation_required
def editor(request: DelegationRequest, pk: int, section: str) -> HttpResponse:
    version = get_draft_for_user(request.user, pk)
    if not version.is_draft:
        if request.method == "POST":
            return render(request, "delegation/frozen.html", {"version": version}, status=409)
        return redirect("delegation:version", pk=version.report_id, number=version.number)
    if section not in dict(editor_sections(version)):
        raise Http404
    page = page_number(request.GET.get("page"))
    if request.method == "POST" and section != Section.ATTACHMENTS:
        return _save(request, version, section, page)
    pending = draft_pending(version=version, section=section)
    if section in REGISTER_FORMSETS:
        context = _section_context(version, section, None, page=page, pending=_pending_rows(version, section, pending))
    else:
        context = _section_context(version, section, _querydict(pending.data) if pending else None)
    return render(request, "delegation/editor.html", {**context, "pending": pending})


def _pending_rows(version: ReportVersion, section: str, pending: Any) -> list[dict[str, Any]]:
    """A register's rows kept as typed, as entries (converting what the whole-register editor kept)."""
    rows = register_pending_rows(pending)
    if rows is None:
        rows = legacy_pending_rows(section, pending.data, _register_form_kwargs(version))
    return rows


def _save(request: DelegationRequest, version: ReportVersion, section: str, page: int = 1) -> HttpResponse:
    raw = {key: values for key, values in request.POST.lists() if key not in NOT_RAW}
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    quiet = bool(request.htmx) or request.POST.get("_unload") == "1"
    context = _section_context(version, section, request.POST, page=page)
    data = _section_input(section, context, raw)
    if data is None:
        formset = context.get("formset")
        if formset is not None and formset.too_many_rows():
            message = _(
                "A page of the register can send at most %(max)d rows at once, and nothing was saved. "
                "Save the page before adding more rows, or reload it."
            ) % {"max": PAGE_MAX_FORMS}
        else:
            message = _("The form arrived incomplete and nothing was saved. Reload the page and try again.")
        if quiet:
            return render(request, "delegation/_save_refused.html", {"message": message}, status=400)
        messages.error(request, message)
        pending = draft_pending(version=version, section=section)
        fresh = _section_context(version, section, None, page=page, pending=_pending_rows(version, section, pending))
        return render(request, "delegation/editor.html", {**fresh, "pending": pending}, status=400)
    too_long = values_too_long(_section_forms(section, context))
    if too_long:
        return _refuse_too_long(request, context, too_long, quiet=quiet)
    if section in REGISTER_FORMSETS:
        pending = draft_pending(version=version, section=section)
        if pending is not None and register_pending_rows(pending) is None:
            data.legacy_pending = _pending_rows(version, section, pending)
    try:
        new_revision = draft_save(
            version=version,
            actor=request.user,
            revision=revision,
            data=data,
            autosave=quiet,
            editor=request.POST.get("editor", ""),
        )
    except VersionFrozen:
        return render(request, "delegation/frozen.html", {"version": version}, status=409)
    except DraftValueTooLong:
        return _refuse_too_long(request, context, [], quiet=quiet)
    except DraftConflict as conflict:
        version.refresh_from_db()
        theirs, yours = _rows(section, _theirs_context(version, section, page)), _rows(section, context)
        if theirs == yours and not data.error_count:
            # What was saved meanwhile is exactly what this save carries (typically the page's own
            # autosave): nothing can be overwritten, so there is no conflict to show.
            if quiet:
                return _autosave_status(request, revision=conflict.current_revision, errors=0, row_ids={})
            return redirect(_editor_url(version, section, page))
        conflict_context = {
            **context,
            "current_revision": conflict.current_revision,
            "theirs": theirs,
            "yours": yours,
            "yours_marked": _mark_differences(theirs["rows"], yours["rows"]),
            "raw_items": [(key, value) for key, values in raw.items() for value in values],
            "page": page,
        }
        if section == Section.CHECKLIST:
            _only_differences(conflict_context)
        template = "delegation/_conflict_notice.html" if quiet else "delegation/conflict.html"
        return render(request, template, conflict_context, status=409)
    if quiet:
        return _autosave_status(
            request, revision=new_revision, errors=data.error_count, row_ids=data.row_ids, draft_keys=data.draft_keys
        )
    if data.refused_full:
        messages.error(request, FULL_MESSAGE % {"max": f"{REGISTER_MAX_ROWS:,}"})
    if data.error_count:
        messages.warning(
            request,
            ngettext(
                "Saved what was valid. %(count)d entry has an error: it is kept as you typed it, shown below.",
                "Saved what was valid. %(count)d entries have errors: they are kept as you typed them, shown below.",
                data.error_count,
            )
            % {"count": data.error_count},
        )
    else:
        messages.success(request, _("Saved."))
    return redirect(_editor_url(version, section, page))


def _section_forms(section: str, context: dict[str, Any]) -> list[Any]:
    if section == Section.CHECKLIST:
        return list(context["forms"])
    if section in REGISTER_FORMSETS:
        return list(context["formset"].forms)
    return [context["settings_form"]]


def _refuse_too_long(
    request: DelegationRequest, context: dict[str, Any], too_long: list[TooLong], *, quiet: bool
) -> HttpResponse:
    """Nothing is saved; the page comes back with the text as typed and the limit beside each field.

    Text is never cut to fit: the delegate shortens it (README: nothing typed is lost).
    """
    if quiet:  # an autosave: say so in the status line, keep the page as it is
        return render(request, "delegation/_autosave_refused.html", {"too_long": too_long})
    messages.error(
        request,
        ngettext(
            "Nothing was saved: %(count)d entry is longer than its field allows. Shorten it and save again.",
            "Nothing was saved: %(count)d entries are longer than their fields allow. Shorten them and save again.",
            max(len(too_long), 1),
        )
        % {"count": max(len(too_long), 1)},
    )
    return render(request, "delegation/editor.html", context, status=400)


def _editor_url(version: ReportVersion, section: str, page: int) -> str:
    url = reverse("delegation:editor", args=[version.pk, section])
    return f"{url}?page={page}" if section in REGISTER_FORMSETS and page > 1 else url


def _autosave_status(
    request: DelegationRequest,
    *,
    revision: int,
    errors: int,
    row_ids: dict[str, int],
    draft_keys: dict[str, str] | None = None,
) -> HttpResponse:
    """The quiet answer to an autosave: when it was saved, and the new revision, row ids and keys of
    rows kept as typed for the page."""
    context = {
        "revision": revision,
        "errors": errors,
        "saved_at": timezone.now(),
        "row_ids": sorted(row_ids.items()),
        "draft_keys": sorted((draft_keys or {}).items()),
    }
    return render(request, "delegation/_autosave_status.html", context)


def _querydict(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, [str(value) for value in values])
    return query


def _register_form_kwargs(version: ReportVersion) -> dict[str, Any]:
    _states, state_ids, state_names = register_state_choices()
    return {
        "window": date_window(version.report.cycle),
        "state_ids": state_ids,
        "state_names": state_names,
        "ref_lookup": RefLookup(),
    }


def _theirs_context(version: ReportVersion, section: str, page: int) -> dict[str, Any]:
    """What is stored now where a conflicting save was made: the section, or the register's page."""
    return _section_context(version, section, None, page=page, pending=[])


def _section_context(
    version: ReportVersion,
    section: str,
    data: Any,
    *,
    page: int = 1,
    pending: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A section's forms; for a register, its page `page` with the rows kept as typed (`pending`)."""
    report = version.report
    cycle = report.cycle
    context: dict[str, Any] = {
        "version": version,
        "report": report,
        "cycle": cycle,
        "section": section,
        "section_label": dict(editor_sections(version))[section],
        "sections": editor_sections(version),
        "window": date_window(cycle),
        "editor_token": secrets.token_urlsafe(16),
    }
    if section == Section.CHECKLIST:
        measures = list(cycle_measures(cycle))
        answers = {a.measure_id: a for a in version.answers.all()}
        forms = checklist_forms(measures=measures, answers=answers, data=data)
        groups: dict[str, list[ChecklistAnswerForm]] = {}
        for form in forms:
            groups.setdefault(form.measure.area, []).append(form)
        required = [m for m in measures if m.required]
        context.update(
            forms=forms,
            groups=[
                (MeasureArea(area).label, items)
                for area, items in sorted(groups.items(), key=lambda item: MeasureArea.values.index(item[0]))
            ],
            answered=sum(1 for m in required if answers.get(m.pk) and answers[m.pk].answer),
            required=len(required),
            answer_labels=dict(Answer.choices),
            carried={measure_id for measure_id, answer in answers.items() if answer.carried_over},
            carry_over_from=carry_over_offer(version) if not any(a.answer for a in answers.values()) else None,
        )
    elif section in REGISTER_FORMSETS:
        states, state_ids, state_names = register_state_choices()
        model = REGISTER_MODELS[section]
        rows = model.objects.filter(version=version).order_by("position", "id")
        if model is OilInterdiction:
            rows = rows.select_related("origin", "destination").prefetch_related(TRANSIT_PREFETCH)
        register: RegisterPage = register_page(
            section=section,
            version=version,
            rows=rows,
            number=page,
            data=data,
            pending=pending or [],
            initial_of=_row_initial,
            form_kwargs={
                "window": context["window"],
                "state_ids": state_ids,
                "state_names": state_names,
                "ref_lookup": RefLookup(),
            },
        )
        context.update(
            formset=register.formset, register=register, page=register.number, states=states if model is OilInterdiction else []
        )
    elif section == Section.ATTACHMENTS:
        context.update(
            attachments=list(version.attachments.select_related("uploaded_by")),
            attachment_form=AttachmentForm(),
        )
    else:
        sections = sections_for(cycle)
        initial = {"confidentiality": version.confidentiality, "note": version.note}
        initial.update({f"section_{key}": value for key, value in version.section_confidentiality.items()})
        context.update(settings_form=ConfidentialityForm(data, initial=initial, sections=sections))
    return context


def _row_initial(row: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"row_id": row.pk}
    for field in row._meta.concrete_fields:
        if field.name in ("id", "version", "position"):
            continue
        if field.is_relation:
            related = getattr(row, field.name)
            values[field.name] = related.iso3 if related else ""
        else:
            values[field.name] = getattr(row, field.attname)
    if isinstance(row, OilInterdiction):
        values["transit"] = ", ".join(state.iso3 for state in row.transit_route)
    return values


def _section_input(section: str, context: dict[str, Any], raw: dict[str, list[str]]) -> SectionInput | None:
    if section == Section.CHECKLIST:
        return checklist_input(context["forms"], raw)
    if section in REGISTER_FORMSETS:
        formset: BaseRegisterFormSet = context["formset"]
        return formset.section_input(section, raw)
    return context["settings_form"].section_input(raw)  # type: ignore[no-any-return]


def _rows(section: str, context: dict[str, Any]) -> dict[str, Any]:
    """A section as a table (labels, rows of values), for the conflict page: theirs and yours alike."""
    if section == Section.CHECKLIST:
        forms = context["forms"]
        labels = [_("Measure"), *[f.label for f in ChecklistAnswerForm.base_fields.values()]]
        rows = [[form.measure.code, *[_display(form[name]) for name in ChecklistAnswerForm.base_fields]] for form in forms]
        return {"labels": labels, "rows": rows}
    if section in REGISTER_FORMSETS:
        formset = context["formset"]
        forms = [
            f for f in formset.forms if not (formset._should_delete_form(f) or (f.empty_permitted and not f.has_changed()))
        ] if formset.is_bound else formset.forms  # fmt: skip
        names = [name for name in formset.form.base_fields if name not in NOT_VALUES]
        labels = [formset.form.base_fields[name].label for name in names]
        return {"labels": labels, "rows": [[_display(form[name]) for name in names] for form in forms]}
    form = context["settings_form"]
    names = list(form.fields)
    return {"labels": [form.fields[n].label for n in names], "rows": [[_display(form[n]) for n in names]]}


def _display(bound_field: Any) -> str:
    value = bound_field.value()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    choices = dict(getattr(bound_field.field, "choices", []) or [])
    if value in choices and value != "":
        return str(choices[value])
    return "" if value is None else str(value)


def _mark_differences(theirs: list[list[str]], yours: list[list[str]]) -> list[list[tuple[str, bool]]]:
    """Your rows, each cell marked when it differs from the saved row at the same place."""
    marked = []
    for index, row in enumerate(yours):
        other = theirs[index] if index < len(theirs) else None
        marked.append([(cell, other is None or col >= len(other) or other[col] != cell) for col, cell in enumerate(row)])
    return marked


def _only_differences(context: dict[str, Any]) -> None:
    theirs, yours = context["theirs"]["rows"], context["yours"]["rows"]
    keep = [i for i, (a, b) in enumerate(zip(theirs, yours, strict=False)) if a != b]
    context["theirs"]["rows"] = [theirs[i] for i in keep]
    context["yours"]["rows"] = [yours[i] for i in keep]
    context["yours_marked"] = _mark_differences(context["theirs"]["rows"], context["yours"]["rows"])
