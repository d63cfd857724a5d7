"""Importing a workbook (or a register's CSV) into a draft: a dry run first, then the apply.

The dry run checks every row with the editor's own forms (reports.forms) and says what would be
added, changed and removed, and each cell that cannot be taken, with the reason. The plan is kept
server-side (the cache, under a random token, for the user, the draft and the revision it was
made against). Applying it stores every section through draft_save_sections, the editor's own
path, in one transaction that moves the revision once; rows with errors are kept as typed
(DraftInput) for the editor, as the editor keeps them. Nothing is written until the apply.

Rows are matched by their ID: a row with an ID changes that row, a row without one is added, and a
stored row whose ID is not in the sheet is removed (a sheet left out, or a CSV without an ID
column, removes nothing).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import gettext as _

from reports.forms.checklist import ChecklistAnswerForm
from reports.forms.registers import REGISTER_FORMSETS
from reports.models import TRANSIT_PREFETCH, ChecklistAnswer, ReportVersion, Section, User
from reports.selectors.delegation import register_state_choices
from reports.selectors.matrix import cycle_measures
from reports.services.drafts import (
    CARRIED_FIELDS,
    DraftConflict,
    RegisterRowInput,
    SectionInput,
    draft_save_sections,
    register_rows_ordered,
)
from reports.services.reports import ReportError
from reports.services.validation import date_window, sections_for
from reports.workbook.build import workbook_signature_valid
from reports.workbook.columns import ID, Column, choice_value, columns, yes_no
from reports.workbook.dates import parse_date
from reports.workbook.read import Upload, UploadedRow, UploadedSheet, cell_text

SHOWN = 300  # rows of each list the dry-run page shows (the counts are always whole)
CACHE_PREFIX = "workbook-import:"


class WorkbookRefused(ReportError):
    """The workbook is not this draft's: another State's, another report's, or altered."""


class DryRunGone(ReportError):
    """The dry run asked for is not kept: expired, or another user's or another draft's."""


class WorkbookStale(ReportError):
    """The draft changed after the workbook was downloaded (or after the dry run)."""

    def __init__(self, message: str, *, theirs: int, current: int) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.current = current


@dataclass
class CellProblem:
    sheet: str
    cell: str  # "D7", or "7" for a whole row
    column: str
    value: str
    reason: str


@dataclass
class RowChange:
    kind: str  # add, change, remove
    row: int | None  # the sheet's row number (None for a removed row)
    row_id: int | None
    summary: str
    fields: list[str] = field(default_factory=list)  # changed columns' headers


@dataclass
class SectionPlan:
    section: str
    sheet: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    bad_rows: int = 0
    changes: list[RowChange] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    data: SectionInput | None = None

    @property
    def label(self) -> str:
        return str(Section(self.section).label)

    @property
    def touches(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.bad_rows)


@dataclass
class ImportPlan:
    user_id: int
    version_id: int
    revision: int
    kind: str
    name: str
    sections: list[SectionPlan] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    problem_count: int = 0
    unknown_sheets: list[str] = field(default_factory=list)
    stale_from: int | None = None  # the workbook's revision, when the dry run was asked against a newer draft
    token: str = ""

    @property
    def has_changes(self) -> bool:
        return any(plan.touches for plan in self.sections)

    @property
    def stale_reason(self) -> str:
        """Why the upload is refused as it stands: the workbook is older than the draft ("" if not)."""
        return "" if self.stale_from is None else stale_message(theirs=self.stale_from, current=self.revision)

    def is_for(self, *, user: User, version: ReportVersion) -> bool:
        """Whether this dry run was made by `user` for `version` (a token alone proves nothing)."""
        return self.user_id == user.pk and self.version_id == version.pk


def workbook_check(*, upload: Upload, version: ReportVersion) -> None:
    """Refuses a workbook that is not this draft's (WorkbookRefused): not the portal's, altered, another
    State's, another draft's. An older one is this draft's: the dry run says it is stale."""
    if upload.kind != "xlsx":
        return  # a CSV carries no identity: it is read into the draft it is uploaded to
    meta = upload.meta
    if not meta or "signature" not in meta:
        raise WorkbookRefused(
            _(
                "This workbook was not downloaded from the portal (its identification is missing). Download the draft's workbook and fill that one."
            )
        )
    if not workbook_signature_valid(meta):
        raise WorkbookRefused(_("This workbook's identification has been altered: download a fresh workbook."))
    if meta["state"] != version.report.state.iso3:
        raise WorkbookRefused(_("This workbook is another State's report: it cannot be uploaded into your draft."))
    if int(meta["draft"]) != version.pk:
        raise WorkbookRefused(
            _("This workbook is of another report or version: download the workbook of this draft and fill that one.")
        )
    theirs = workbook_revision(upload)
    if theirs is None or theirs > version.revision:
        raise WorkbookRefused(_("This workbook's identification has been altered: download a fresh workbook."))


def workbook_revision(upload: Upload) -> int | None:
    """The draft's revision the workbook was downloaded at (None for a CSV, or without one)."""
    value = upload.meta.get("revision", "") if upload.kind == "xlsx" else ""
    return int(value) if value.isdigit() else None


def stale_message(*, theirs: int, current: int) -> str:
    return _(
        "The draft has been changed since this workbook was downloaded (revision %(theirs)d; it is at "
        "revision %(current)d now): nothing was changed."
    ) % {"theirs": theirs, "current": current}


def import_start(*, upload: Upload, version: ReportVersion, user: User) -> ImportPlan:
    """The one way in for an upload (the page's upload, its fresh dry run, the benchmark).

    Refuses a workbook that is not this draft's (workbook_check: WorkbookRefused); otherwise makes
    the dry run against the draft as it is now and keeps it (`plan.token`). A workbook older than
    the draft is dry-run and kept too: `plan.stale_from` and `plan.stale_reason` say so, and the
    page refuses it while offering that dry run."""
    workbook_check(upload=upload, version=version)
    plan = import_dry_run(upload=upload, version=version, user=user)
    import_store(plan=plan, upload=upload)
    return plan


def import_dry_run(*, upload: Upload, version: ReportVersion, user: User) -> ImportPlan:
    """What the upload would do to the draft, and every cell that cannot be taken: nothing is written."""
    plan = ImportPlan(user_id=user.pk, version_id=version.pk, revision=version.revision, kind=upload.kind, name=upload.name)
    plan.unknown_sheets = upload.unknown_sheets
    theirs = workbook_revision(upload)
    if theirs is not None and theirs < version.revision:
        plan.stale_from = theirs
    wanted = sections_for(version.report.cycle)
    problems: list[CellProblem] = []
    for section, sheet in upload.sheets.items():
        if section not in wanted:
            continue
        if section == Section.CHECKLIST:
            result = _checklist_plan(version, sheet, problems)
        else:
            result = _register_plan(version, sheet, problems)
        result.unknown_headers = sheet.unknown_headers
        plan.sections.append(result)
    plan.sections.sort(key=lambda item: wanted.index(item.section))
    plan.problem_count = len(problems)
    plan.problems = problems[: SHOWN * 2]
    return plan


def _problem(sheet: UploadedSheet, row: UploadedRow, column: Column | None, value: Any, reason: Any) -> CellProblem:
    letter = sheet.letters.get(column.name, "") if column else ""
    return CellProblem(
        sheet=sheet.title,
        cell=f"{letter}{row.number}",
        column=column.header() if column else "",
        value=cell_text(value)[:80],
        reason=str(reason),
    )


def _form_text(section: str, column: Column, value: Any, words: dict[str, bool]) -> tuple[str, str]:
    """(what the form receives, a reason the cell cannot be taken or "")."""
    text = cell_text(value)
    if column.kind == "date" and text and not hasattr(value, "year"):
        day = parse_date(text)
        return (day.isoformat(), "") if day else (text, _("Not a date: write it as 2026-03-01."))
    if column.kind == "choice" and text:
        return choice_value(section, column.name, text), ""
    if column.kind == "bool":
        if isinstance(value, bool):
            return ("on" if value else ""), ""
        key = " ".join(text.split()).casefold()
        if not key:
            return "", ""
        if key not in words:
            return "", _("Write Yes or No.")
        return ("on" if words[key] else ""), ""
    if column.kind in ("decimal", "int") and isinstance(value, str):
        return text.replace("\u00a0", "").replace(" ", "").strip(), ""
    return text, ""


def _bound_form(
    section: str,
    sheet: UploadedSheet,
    row: UploadedRow,
    data_prefix: str,
    form_class: Any,
    problems: list[CellProblem],
    reuse: Any = None,
    **kwargs: Any,
) -> tuple[Any, dict[str, list[str]], set[str]]:
    """The section's own form bound to the row's cells; (form, raw values, the columns already reported).

    `reuse`: the form of the previous row, bound again to this one (building a form copies every field
    and widget: most of the dry run's time, for a form that is the same on every row)."""
    words = yes_no()
    data = QueryDict(mutable=True)
    raw: dict[str, list[str]] = {}
    reported: set[str] = set()
    cols = {column.name: column for column in columns(section)}
    for name in row.formula_without_value:
        problems.append(
            _problem(sheet, row, cols.get(name), "=…", _("A formula without a computed value: type the value itself."))
        )
        reported.add(name)
    for name, value in row.cells.items():
        column = cols[name]
        if column.kind in ("id", "code", "title"):
            continue
        text, reason = _form_text(section, column, value, words)
        if reason:
            problems.append(_problem(sheet, row, column, value, reason))
            reported.add(name)
        data[f"{data_prefix}-{name}"] = text
        # Kept as the form reads it (a choice's code, a date as 2026-03-01), so the editor shows the
        # row with only its real errors; a value that could not be read is kept as typed.
        raw[name] = [cell_text(value) if reason else text]
    if reuse is not None:
        reuse.data = data
        reuse._errors = None
        reuse._bound_fields_cache = {}
        for cached in ("cleaned_data", "changed_data"):
            reuse.__dict__.pop(cached, None)
        return reuse, raw, reported
    return form_class(data, **kwargs), raw, reported


def _form_problems(
    sheet: UploadedSheet, row: UploadedRow, form: Any, problems: list[CellProblem], section: str, reported: set[str]
) -> None:
    cols = {column.name: column for column in columns(section)}
    for name, errors in form.errors.items():
        if name in reported:
            continue  # said already, in the reader's words
        column = cols.get(name)
        for error in errors:
            problems.append(_problem(sheet, row, column, row.cells.get(name, ""), error))


def _summary(values: list[Any]) -> str:
    parts = [cell_text(value) for value in values if cell_text(value)]
    return " · ".join(part[:40] for part in parts[:4])


def _register_plan(version: ReportVersion, sheet: UploadedSheet, problems: list[CellProblem]) -> SectionPlan:
    section = sheet.section
    result = SectionPlan(section=section, sheet=sheet.title)
    form_class = REGISTER_FORMSETS[section].form
    _suggestions, state_ids, state_names = register_state_choices()
    kwargs = {"window": date_window(version.report.cycle), "state_ids": state_ids, "state_names": state_names}
    rows = register_rows_ordered(version=version, section=section)
    if section == Section.OIL:
        rows = rows.prefetch_related(TRANSIT_PREFETCH)
    stored = {row.pk: row for row in rows}
    cols = columns(section)
    id_column = cols[0]
    data = SectionInput(section=section)
    seen: set[int] = set()
    form: Any = None
    for number, row in enumerate(sheet.rows):
        key = f"{section}-{number}"
        id_text = cell_text(row.cells.get(ID)).strip()
        row_id = None
        if id_text:
            row_id = int(id_text) if id_text.isdigit() else -1
            if row_id not in stored:
                problems.append(
                    _problem(
                        sheet, row, id_column, id_text, _("No row of this register has this ID: leave the ID empty to add a row.")
                    )
                )
                result.bad_rows += 1
                continue
            if row_id in seen:
                problems.append(
                    _problem(sheet, row, id_column, id_text, _("This ID is on another row too: each row has its own."))
                )
                result.bad_rows += 1
                continue
            seen.add(row_id)
        form, raw, reported = _bound_form(section, sheet, row, "x", form_class, problems, reuse=form, prefix="x", **kwargs)
        item = RegisterRowInput(key=key, row_id=row_id, raw=raw)
        if form.is_valid() and not reported:
            values = form.row_values()
            item.values = values
            if row_id is None:
                result.added += 1
                _note(result, RowChange("add", row.number, None, _summary(list(row.cells.values()))))
            else:
                changed = _changed_fields(stored[row_id], values, cols)
                if changed:
                    result.changed += 1
                    _note(result, RowChange("change", row.number, row_id, _summary(list(row.cells.values())), changed))
                else:
                    result.unchanged += 1
        else:
            _form_problems(sheet, row, form, problems, section, reported)
            result.bad_rows += 1
            data.error_count += 1
        data.register_rows.append(item)
    if ID in sheet.letters:
        for row_id, obj in stored.items():
            if row_id not in seen:
                result.removed += 1
                data.register_rows.append(RegisterRowInput(key=f"{section}-r{row_id}", row_id=row_id, delete=True))
                _note(result, RowChange("remove", None, row_id, _summary([obj.pk, *_stored_values(obj, cols)])))
    result.data = data
    return result


def _note(result: SectionPlan, change: RowChange) -> None:
    if len(result.changes) < SHOWN:
        result.changes.append(change)


def _stored_values(obj: Any, cols: tuple[Column, ...]) -> list[Any]:
    return [getattr(obj, column.name, "") for column in cols[1:4] if column.kind not in ("state", "states")]


def _changed_fields(obj: Any, values: dict[str, Any], cols: tuple[Column, ...]) -> list[str]:
    """The headers of the columns whose value differs from the stored row's."""
    headers = {column.name: column.header() for column in cols}
    changed = []
    for name, value in values.items():
        if name == "transit":
            if [state.pk for state in obj.transit_route] != value:
                changed.append(headers["transit"])
        elif getattr(obj, name) != value:
            changed.append(headers.get(name.removesuffix("_id"), name))
    return changed


def _checklist_plan(version: ReportVersion, sheet: UploadedSheet, problems: list[CellProblem]) -> SectionPlan:
    result = SectionPlan(section=Section.CHECKLIST, sheet=sheet.title)
    measures = {measure.code.casefold(): measure for measure in cycle_measures(version.report.cycle)}
    answers = {answer.measure_id: answer for answer in ChecklistAnswer.objects.filter(version=version)}
    cols = columns(Section.CHECKLIST)
    data = SectionInput(section=Section.CHECKLIST)
    typed: dict[int, dict[str, list[str]]] = {}
    for row in sheet.rows:
        code = cell_text(row.cells.get("code")).strip()
        measure = measures.get(code.casefold())
        if measure is None:
            problems.append(_problem(sheet, row, cols[0], code, _("No measure of this checklist has this code.")))
            result.bad_rows += 1
            continue
        prefix = f"m{measure.pk}"
        form, raw, reported = _bound_form(Section.CHECKLIST, sheet, row, prefix, ChecklistAnswerForm, problems, measure=measure)
        typed[measure.pk] = raw
        if form.is_valid() and not reported:
            answer = answers.get(measure.pk)
            before = {name: getattr(answer, name) if answer else "" for name in CARRIED_FIELDS}
            after = {name: form.cleaned_data.get(name) or "" for name in CARRIED_FIELDS}
            if before != after:
                headers = {column.name: column.header() for column in cols}
                changed = [headers[name] for name in CARRIED_FIELDS if before[name] != after[name]]
                result.changed += 1
                _note(result, RowChange("change", row.number, None, f"{measure.code} · {measure.display_title[:60]}", changed))
                data.rows.append({"measure_id": measure.pk, **after})
            else:
                result.unchanged += 1
        else:
            _form_problems(sheet, row, form, problems, Section.CHECKLIST, reported)
            result.bad_rows += 1
            data.error_count += 1
    if data.error_count:
        # Kept as typed the way the editor keeps the checklist: every answer, as it will stand.
        for measure in measures.values():
            answer = answers.get(measure.pk)
            values = typed.get(measure.pk) or {name: [getattr(answer, name) if answer else ""] for name in CARRIED_FIELDS}
            for name in CARRIED_FIELDS:
                data.raw[f"m{measure.pk}-{name}"] = values.get(name, [""])
    result.data = data
    return result


def import_store(*, plan: ImportPlan, upload: Upload) -> str:
    """Keep the dry run for its confirmation; returns its token."""
    token = secrets.token_urlsafe(24)
    plan.token = token
    cache.set(CACHE_PREFIX + token, (plan, upload), timeout=settings.WORKBOOK_DRY_RUN_SECONDS)
    return token


def import_kept(*, token: str, user: User, version: ReportVersion) -> tuple[ImportPlan, Upload]:
    """The dry run kept under `token`, checked: this user's, for this draft (the caller has the
    draft from the access gate: the user's own State's). DryRunGone when it is not kept (expired),
    or not this user's or this draft's: the same answer, so a token found says nothing."""
    kept = cache.get(CACHE_PREFIX + token) if token and len(token) <= 64 else None
    if not kept or not kept[0].is_for(user=user, version=version):
        raise DryRunGone(_("This dry run has expired or is not yours. Upload the workbook again."))
    plan, upload = kept
    return plan, upload


def import_apply(*, plan: ImportPlan, version: ReportVersion, actor: User) -> int:
    """Store the dry run's plan in the draft, in one transaction; returns the new revision.

    Raises WorkbookStale when the draft changed since the dry run (nothing is written)."""
    if not plan.is_for(user=actor, version=version):
        raise WorkbookRefused(_("This dry run is not yours to apply."))
    sections = [item.data for item in plan.sections if item.touches and item.data is not None]
    try:
        revision = draft_save_sections(version=version, actor=actor, revision=plan.revision, sections=sections)
    except DraftConflict as conflict:
        raise WorkbookStale(
            _("Someone changed the draft after your dry run (it is at revision %(current)d now): nothing was changed.")
            % {"current": conflict.current_revision},
            theirs=plan.revision,
            current=conflict.current_revision,
        ) from None
    cache.delete(CACHE_PREFIX + plan.token)
    return revision
