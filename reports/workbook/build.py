"""A draft as an XLSX workbook, in one of the six UN languages, to fill in and upload again.

Sheets: instructions; the checklist; one per register (rows pre-filled, a blank block below to add
rows); "lists" (hidden: the choices the dropdowns point at); "meta" (very hidden: State, draft,
revision, language and their signature, checked when the workbook comes back).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reports.clock import portal_today
from reports.models import TRANSIT_PREFETCH, MemberState, OilInterdiction, ReportVersion, Section
from reports.models.i18n import pick
from reports.selectors.matrix import cycle_measures
from reports.services.drafts import register_rows_ordered
from reports.services.validation import sections_for

from .columns import SHEET_NAME_BAD, Column, columns, sheet_title, workbook_sections

FORMAT = "1"  # the layout's version, in the metadata: a later layout may read older ones
META_SHEET = "meta"
LISTS_SHEET = "lists"
BLANK_ROWS = 200  # unlocked rows below a register's rows, to add to it
UNLOCKED = Protection(locked=False)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_signature(*, state: str, draft: int, revision: int, language: str) -> str:
    """What proves the metadata is ours: an HMAC of it with the SECRET_KEY."""
    message = f"{FORMAT}|{state}|{draft}|{revision}|{language}"
    return salted_hmac("reports.workbook", message, algorithm="sha256").hexdigest()


def workbook_signature_valid(meta: dict[str, str]) -> bool:
    try:
        expected = workbook_signature(
            state=meta["state"], draft=int(meta["draft"]), revision=int(meta["revision"]), language=meta["language"]
        )
    except (KeyError, ValueError):
        return False
    return constant_time_compare(expected, meta.get("signature", ""))


def workbook_filename(version: ReportVersion, language: str) -> str:
    report = version.report
    return f"{report.state.iso3}-{report.cycle.code}-v{version.number}-r{version.revision}-{language}.xlsx"


def workbook_build(*, version: ReportVersion, language: str) -> bytes:
    """The draft `version` as a workbook in `language` (one of settings.LANGUAGES)."""
    with translation.override(language):
        return _build(version, language)


def _build(version: ReportVersion, language: str) -> bytes:
    report = version.report
    cycle = report.cycle
    wanted = [s for s in workbook_sections() if s in sections_for(cycle)]
    states = list(MemberState.objects.order_by("name").values_list("pk", "iso3", "name", "names"))
    state_name = {pk: pick(names, language) or name for pk, _iso3, name, names in states}
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = _instructions_title()
    lists = book.create_sheet(LISTS_SHEET)
    list_ranges = _write_lists(lists, wanted, sorted(state_name.values()))
    for section in wanted:
        sheet = book.create_sheet(sheet_title(section))
        if section == Section.CHECKLIST:
            rows = _checklist_rows(version)
        else:
            rows = _register_rows(version, section, state_name)
        _write_sheet(sheet, section, rows, list_ranges, blank=0 if section == Section.CHECKLIST else BLANK_ROWS)
    _write_instructions(guide, version, language)
    meta = book.create_sheet(META_SHEET)
    values = {
        "format": FORMAT,
        "state": report.state.iso3,
        "draft": str(version.pk),
        "revision": str(version.revision),
        "language": language,
        "sheets": "|".join(f"{section}={sheet_title(section)}" for section in wanted),
    }
    values["signature"] = workbook_signature(
        state=values["state"], draft=version.pk, revision=version.revision, language=language
    )
    for key, value in values.items():
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    if language == "ar":
        for sheet in book.worksheets:
            sheet.sheet_view.rightToLeft = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions_title() -> str:
    return SHEET_NAME_BAD.sub(" ", str(_("Instructions")))[:31]


def _write_lists(sheet: Worksheet, sections: list[str], state_names: list[str]) -> dict[str, str]:
    """Each list in a column of the hidden sheet; returns list key -> range ('lists'!$A$2:$A$9)."""
    lists: dict[str, list[str]] = {"yesno": [str(_("Yes")), str(_("No"))], "states": state_names}
    for section in sections:
        for column in columns(section):
            if column.kind == "choice":
                lists.setdefault(f"{section}.{column.name}", [str(label) for _value, label in column.choices])
    ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _write_sheet(sheet: Worksheet, section: str, rows: list[list[Any]], list_ranges: dict[str, str], *, blank: int) -> None:
    cols = columns(section)
    sheet.append([column.header() for column in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        sheet.append(values)
    last = len(rows) + 1 + blank
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _width(column)
        locked = column.kind in ("id", "code", "title")
        for row in range(2, last + 1):
            cell = sheet.cell(row=row, column=index)
            if locked:
                cell.fill = LOCKED_FILL
            else:
                cell.protection = UNLOCKED
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif column.kind in ("text", "title"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        source = _list_of(section, column)
        if source and last >= 2:
            check = DataValidation(type="list", formula1=list_ranges[source], allow_blank=True)
            if column.kind == "state":
                check.errorStyle = "warning"  # a code (IRQ) or a name in another language is welcome too
            check.error = str(_("Choose a value from the list."))
            check.errorTitle = str(column.header())[:32]
            check.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "C2" if section == Section.CHECKLIST else "B2"
    sheet.protection.sheet = True
    # Locked cells stay as they are; rows may still be added, removed, sorted and filtered.
    sheet.protection.insertRows = False
    sheet.protection.deleteRows = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.sort = False
    sheet.protection.autoFilter = False


def _list_of(section: str, column: Column) -> str:
    if column.kind == "choice":
        return f"{section}.{column.name}"
    if column.kind == "bool":
        return "yesno"
    if column.kind == "state":
        return "states"
    return ""


def _width(column: Column) -> float:
    return {"id": 12, "code": 12, "title": 50, "date": 13, "decimal": 15, "int": 12, "bool": 10}.get(column.kind, 28)


def _checklist_rows(version: ReportVersion) -> list[list[Any]]:
    answers = {answer.measure_id: answer for answer in version.answers.all()}
    rows = []
    for measure in cycle_measures(version.report.cycle):
        answer = answers.get(measure.pk)
        label = answer.get_answer_display() if answer and answer.answer else ""
        rows.append(
            [
                measure.code,
                measure.display_title,
                str(label),
                answer.legal_reference if answer else "",
                answer.narrative if answer else "",
                answer.evidence_location if answer else "",
            ]
        )
    return rows


def _register_rows(version: ReportVersion, section: str, state_name: dict[int, str]) -> list[list[Any]]:
    queryset = register_rows_ordered(version=version, section=section)
    if section == Section.OIL:
        queryset = queryset.prefetch_related(TRANSIT_PREFETCH)
    cols = columns(section)
    rows = []
    for obj in queryset:
        rows.append([_cell(obj, column, state_name) for column in cols])
    return rows


def _cell(obj: Any, column: Column, state_name: dict[int, str]) -> Any:
    if column.kind == "id":
        return obj.pk
    if column.kind == "state":
        state_id = getattr(obj, f"{column.name}_id")
        return state_name.get(state_id, "") if state_id else ""
    if column.kind == "states":
        assert isinstance(obj, OilInterdiction)
        # Codes, not names: a name may hold a comma, the list's separator.
        return ", ".join(state.iso3 for state in obj.transit_route)
    value = getattr(obj, column.name)
    if column.kind == "choice":
        return str(getattr(obj, f"get_{column.name}_display")()) if value else ""
    if column.kind == "bool":
        return str(_("Yes")) if value else str(_("No"))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, datetime.date):
        return value
    return "" if value is None else value


def workbook_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _write_instructions(sheet: Worksheet, version: ReportVersion, language: str) -> None:
    report = version.report
    lines = [
        (str(_("Draft report in a workbook")), True),
        (f"{report.state.name} · {report.cycle.display_label}", False),
        (
            str(_("Draft of version %(number)d, revision %(revision)d, downloaded on %(day)s."))
            % {"number": version.number, "revision": version.revision, "day": portal_today().isoformat()},
            False,
        ),
        ("", False),
        (str(_("How to fill it in")), True),
        (str(_("Each section of the report has its own sheet. Grey cells (IDs, measures, headers) are locked.")), False),
        (str(_("To change a row, edit its cells. Keep its ID as it is.")), False),
        (str(_("To add a row, fill an empty row below the others and leave its ID empty.")), False),
        (str(_("To remove a row, delete the whole row. A sheet left out of the workbook is not changed.")), False),
        (str(_("Pick answers, commodities, units, currencies and countries from the lists.")), False),
        (
            str(_("Write dates as 2026-03-01 or as date cells; 01/03/2026 is read as 1 March 2026 (day first).")),
            False,
        ),
        (str(_("Countries of transit: their three-letter codes, in the order of the route, separated by commas.")), False),
        (str(_("Parties involved: one a line, optionally followed by ; QDe.115")), False),
        (str(_("Formulas are not calculated: only their last computed values are read.")), False),
        ("", False),
        (str(_("Upload it")), True),
        (
            str(
                _(
                    "Upload the workbook on the report's page. You will first see what it adds, changes and removes, "
                    "and every cell that cannot be taken, with the reason; nothing changes until you confirm."
                )
            ),
            False,
        ),
        (
            str(
                _(
                    "If the draft is changed by someone else after you downloaded the workbook, the upload is refused: "
                    "download a fresh workbook, or compare yours with the current draft."
                )
            ),
            False,
        ),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=12)
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True
