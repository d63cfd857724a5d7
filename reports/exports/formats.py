"""Tables written as CSV, XLSX or JSON, ready for a spreadsheet and for a machine.

A `Table` holds typed values (numbers, dates, codes), never display strings; each format puts
them into words its own way:

- CSV: UTF-8 with a byte-order mark (Excel otherwise reads it as Latin-1), the headers and
  coded values as the page shows them, in the reader's language; dates ISO (YYYY-MM-DD),
  times "YYYY-MM-DD HH:MM:SS" in UTC without fractions of a second; numbers without grouping.
- XLSX: real dates and numbers, a styled and frozen header row, an autofilter; read right to
  left when the reader's language is.
- JSON: one object per row keyed by the columns' codes; a coded value is the code, with its
  label beside it under "<key>_label"; dates and times ISO 8601.

Text that a spreadsheet would run as a formula (= + - @ at the start) is quoted in CSV and
stored as text in XLSX.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

TEXT, INT, NUMBER, DATE, DATETIME, CODE, CODES, BOOL, LIST = (
    "text",
    "int",
    "number",
    "date",
    "datetime",
    "code",
    "codes",
    "bool",
    "list",
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Column:
    """`key` names the column for machines (JSON), `label` for people (CSV and XLSX headers).

    kind: text, int, number (Decimal), date, datetime (aware, written in UTC), code (one code,
    put into words by `codes`), codes (a list of them), bool, list (of texts).
    """

    key: str
    label: Any
    kind: str = TEXT
    codes: Mapping[str, Any] | None = None
    sep: str = " "  # between the items of a list


class Table:
    def __init__(self, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
        self.title = title
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row of {len(row)} values for {len(self.columns)} columns in {title!r}")

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def _guard(text: str) -> str:
    """Spreadsheet injection guard: text starting with = + - @ is not run as a formula."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _label(column: Column, code: Any) -> str:
    if code in (None, ""):
        return str(column.codes.get("", "")) if column.codes else ""
    return str(column.codes.get(code, code)) if column.codes else str(code)


def _utc(value: datetime.datetime) -> datetime.datetime:
    """Aware → UTC, naive (as spreadsheets keep times), whole seconds."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _plain_number(value: Any) -> Any:
    """Decimal → int when whole, else float: what a spreadsheet and JSON hold."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _number_text(value: Any) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _bool_label(value: Any) -> str:
    if value is None or value == "":
        return ""
    return _("yes") if value else _("no")


def _display(column: Column, value: Any) -> Any:
    """The value as the page shows it, typed where the format keeps types (numbers, dates)."""
    if value is None or value == "":
        return _label(column, "") if column.kind == CODE else ""
    kind = column.kind
    if kind == CODE:
        return _label(column, value)
    if kind == CODES:
        return ", ".join(_label(column, code) for code in value)
    if kind == LIST:
        return column.sep.join(str(v) for v in value)
    if kind == BOOL:
        return _bool_label(value)
    if kind == DATETIME:
        return _utc(value)
    if kind in (INT, NUMBER, DATE):
        return value
    return str(value)


# --- CSV ------------------------------------------------------------------------------------


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            shown = _display(column, value)
            if isinstance(shown, datetime.datetime):
                cells.append(shown.strftime("%Y-%m-%d %H:%M:%S"))
            elif isinstance(shown, datetime.date):
                cells.append(shown.isoformat())
            elif isinstance(shown, (int, float, Decimal)) and not isinstance(shown, bool):
                cells.append(_number_text(shown))
            else:
                cells.append(_guard(str(shown)))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


# --- XLSX -----------------------------------------------------------------------------------

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = (_SHEET_NAME_BAD.sub(" ", table.title).strip() or "export")[:31]
    if get_language_bidi():
        sheet.sheet_view.rightToLeft = True
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    widths = []
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        widths.append(min(max(len(str(column.label)), 8), 40))
    for r, row in enumerate(table.rows, start=2):
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            shown = _display(column, value)
            if shown == "":
                continue  # an empty cell, not an empty text: filters and sums see nothing there
            if isinstance(shown, (Decimal, int, float)) and not isinstance(shown, bool):
                cell = sheet.cell(row=r, column=index, value=_plain_number(shown))
                cell.number_format = "#,##0" if isinstance(_plain_number(shown), int) else "#,##0.###"
                width = len(f"{shown:,}") if not isinstance(shown, Decimal) else len(_number_text(shown)) + 2
            elif isinstance(shown, datetime.datetime):
                cell = sheet.cell(row=r, column=index, value=shown)
                cell.number_format = "yyyy-mm-dd hh:mm"
                width = 16
            elif isinstance(shown, datetime.date):
                cell = sheet.cell(row=r, column=index, value=shown)
                cell.number_format = "yyyy-mm-dd"
                width = 10
            else:
                text = str(shown)
                cell = sheet.cell(row=r, column=index)
                cell.value = text
                cell.data_type = "s"  # never a formula, whatever the text starts with
                width = len(text)
            widths[index - 1] = min(max(widths[index - 1], width + 2), 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if table.columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- JSON -----------------------------------------------------------------------------------


def _json_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return [] if column.kind in (CODES, LIST) else ("" if column.kind in (TEXT, CODE) else None)
    kind = column.kind
    if kind == DATETIME:
        return _utc(value).isoformat() + "Z"
    if kind == DATE:
        return value.isoformat()
    if kind in (INT, NUMBER):
        return _plain_number(value)
    if kind == BOOL:
        return bool(value)
    if kind in (CODES, LIST):
        return [str(v) for v in value]
    return value if isinstance(value, (int, float)) else str(value)


def to_records(table: Table) -> list[dict[str, Any]]:
    records = []
    for row in table.rows:
        record: dict[str, Any] = {}
        for column, value in zip(table.columns, row, strict=True):
            record[column.key] = _json_value(column, value)
            if column.kind == CODE:
                record[f"{column.key}_label"] = _label(column, value)
            elif column.kind == CODES:
                record[f"{column.key}_label"] = [_label(column, code) for code in value or []]
        records.append(record)
    return records


def to_json(table: Table) -> bytes:
    return json.dumps(to_records(table), ensure_ascii=False, indent=1).encode("utf-8")


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}
