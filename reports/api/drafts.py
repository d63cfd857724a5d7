"""JSON in, the editor's forms out: the API writes a draft through exactly the editor's path.

A checklist answer becomes the editor's ChecklistAnswerForm post (prefix "m<measure id>"); a
list of register rows becomes a register page's formset post ("oil-0-date" ...). The forms
validate, `checklist_input` / `section_input` decide what is stored and what is kept as typed
(DraftInput), and `draft_save` stores it under the revision check. Nothing here validates a value.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework import exceptions

from reports.forms.checklist import ChecklistAnswerForm, checklist_forms, checklist_input
from reports.forms.limits import values_too_long
from reports.forms.register_pages import legacy_pending_rows
from reports.forms.registers import NOT_VALUES, PAGE_MAX_FORMS, REGISTER_FORMSETS, BaseRegisterFormSet
from reports.models import ReportVersion, User
from reports.selectors.delegation import register_state_choices
from reports.selectors.matrix import cycle_measures
from reports.services.drafts import (
    DraftConflict,
    DraftValueTooLong,
    SectionInput,
    VersionFrozen,
    draft_pending,
    draft_save,
    register_pending_rows,
)
from reports.services.validation import date_window

from .problems import Conflict


def as_text(value: Any) -> str:
    """A JSON value as the browser would have posted it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal, str)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(as_text(item) for item in value)
    return json.dumps(value, ensure_ascii=False)


def _errors_of(form: Any, prefix: str) -> list[dict[str, str]]:
    found = []
    for name, errors in form.errors.get_json_data().items():
        for error in errors:
            field = f"{prefix}.{name}" if name != "__all__" else prefix
            found.append({"field": field, "message": error["message"], "code": error["code"] or "invalid"})
    return found


def _refuse_too_long(too_long: list[Any], names: dict[str, str]) -> None:
    raise exceptions.ValidationError(
        {
            names.get(item.key, item.key): [
                _("%(label)s: %(length)d characters, at most %(limit)d. Nothing was saved.")
                % {"label": item.label, "length": item.length, "limit": item.limit}
            ]
            for item in too_long
        }
    )


def _save(*, version: ReportVersion, actor: User, revision: int, data: SectionInput) -> int:
    try:
        return draft_save(version=version, actor=actor, revision=revision, data=data, editor="")
    except VersionFrozen as error:
        raise exceptions.NotFound(str(error)) from None
    except DraftValueTooLong as error:
        raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from None
    except DraftConflict as conflict:
        raise Conflict(str(conflict), current_revision=conflict.current_revision) from None


def checklist_write(*, version: ReportVersion, actor: User, revision: int, answers: list[dict[str, Any]]) -> dict[str, Any]:
    measures = list(cycle_measures(version.report.cycle))
    by_code = {measure.code.casefold(): measure for measure in measures}
    post: MultiValueDict[str, str] = MultiValueDict()
    names: dict[str, str] = {}
    posted: dict[int, int] = {}  # measure id -> index in the request
    unknown: dict[str, list[str]] = {}
    for index, answer in enumerate(answers):
        measure = by_code.get(str(answer.get("measure", "")).casefold())
        if measure is None:
            unknown[f"answers[{index}].measure"] = [_("This cycle's checklist has no such measure.")]
            continue
        if measure.pk in posted:
            unknown[f"answers[{index}].measure"] = [_("This measure is answered twice.")]
            continue
        posted[measure.pk] = index
        for name in ChecklistAnswerForm.base_fields:
            key = f"m{measure.pk}-{name}"
            names[key] = f"answers[{index}].{name}"
            post.setlist(key, [as_text(answer.get(name, ""))])
    if unknown:
        raise exceptions.ValidationError(unknown)
    answers_stored = {a.measure_id: a for a in version.answers.all()}
    forms_ = checklist_forms(measures=measures, answers=answers_stored, data=post)
    too_long = values_too_long(forms_)
    if too_long:
        _refuse_too_long(too_long, names)
    raw = {key: list(values) for key, values in post.lists()}
    data = checklist_input(forms_, raw)
    new_revision = _save(version=version, actor=actor, revision=revision, data=data)
    errors = []
    for form in forms_:
        if form.measure.pk in posted and form.errors:
            errors += _errors_of(form, f"answers[{posted[form.measure.pk]}]")
    return {"revision": new_revision, "saved": len(data.rows), "error_count": data.error_count, "errors": errors}


def register_form_kwargs(version: ReportVersion) -> dict[str, Any]:
    _states, state_ids, state_names = register_state_choices()
    return {"window": date_window(version.report.cycle), "state_ids": state_ids, "state_names": state_names}


def register_write(
    *, version: ReportVersion, section: str, actor: User, revision: int, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    if len(rows) > PAGE_MAX_FORMS:
        raise exceptions.ValidationError({"rows": [_("At most %(max)d rows at once.") % {"max": PAGE_MAX_FORMS}]})
    formset_class = REGISTER_FORMSETS[section]
    fields = [name for name in formset_class.form.base_fields if name not in NOT_VALUES]
    post: MultiValueDict[str, str] = MultiValueDict()
    post.setlist(f"{section}-TOTAL_FORMS", [str(len(rows))])
    post.setlist(f"{section}-INITIAL_FORMS", ["0"])
    names: dict[str, str] = {}
    for index, row in enumerate(rows):
        prefix = f"{section}-{index}"
        for name in fields:
            if name in row:
                post.setlist(f"{prefix}-{name}", [as_text(row[name])])
                names[f"{prefix}-{name}"] = f"rows[{index}].{name}"
        if row.get("id") not in (None, ""):
            post.setlist(f"{prefix}-row_id", [as_text(row["id"])])
        if row.get("draft_key"):
            post.setlist(f"{prefix}-draft_key", [as_text(row["draft_key"])])
        if row.get("delete") is True:
            post.setlist(f"{prefix}-DELETE", ["on"])
    kwargs = register_form_kwargs(version)
    formset: BaseRegisterFormSet = formset_class(post, prefix=section, offset=0, form_kwargs=kwargs)
    raw = {key: list(values) for key, values in post.lists() if not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))}
    data = formset.section_input(section, raw)
    if data is None:
        raise exceptions.ValidationError({"rows": [_("The rows could not be read: send a list of objects.")]})
    too_long = values_too_long(formset.forms)
    if too_long:
        _refuse_too_long(too_long, names)
    pending = draft_pending(version=version, section=section)
    if pending is not None and register_pending_rows(pending) is None:
        data.legacy_pending = legacy_pending_rows(section, pending.data, kwargs)
    new_revision = _save(version=version, actor=actor, revision=revision, data=data)
    answer_rows = []
    errors: list[dict[str, str]] = []
    for index, form in enumerate(formset.forms):
        key = form.prefix
        deleted = rows[index].get("delete") is True
        row_errors = [] if deleted else _errors_of(form, f"rows[{index}]")
        errors += row_errors
        answer_rows.append(
            {
                "index": index,
                "id": data.row_ids.get(key),
                "draft_key": data.draft_keys.get(key, ""),
                "deleted": deleted,
                "errors": row_errors,
            }
        )
    return {"revision": new_revision, "error_count": data.error_count, "rows": answer_rows, "errors": errors}
