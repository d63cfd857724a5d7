"""Reading an uploaded workbook or CSV safely: every check runs before openpyxl opens anything.

Refused, with a reason and nothing read further: a file over WORKBOOK_MAX_BYTES; a name other
than .xlsx or .csv; a macro-enabled workbook (.xlsm, vbaProject.bin, a macro content type); a
file whose content is not what its name says (a "workbook" that is not a zip, a "CSV" that is
binary or a zip); a zip whose members would unpack to more than WORKBOOK_MAX_UNPACKED_BYTES or
any member packed more than WORKBOOK_MAX_RATIO times (a zip bomb; the sizes are read from the
zip's directory, and zipfile never inflates a member past its stated size).
Formulas are never calculated: a formula cell gives the value Excel last computed and saved, or,
if the file has none, the cell is reported and not taken.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .columns import header_field, is_instructions_sheet, section_of_sheet

META_SHEET = "meta"
MAX_MEMBERS = 2_000
RATIO_FLOOR = 1024 * 1024  # the ratio applies to members that unpack to more than this


class UploadRefused(Exception):
    """The file cannot be read as a draft's workbook or CSV: nothing is taken from it."""


@dataclass
class UploadedRow:
    number: int  # the row's number in the sheet (1 is the header)
    cells: dict[str, Any] = field(default_factory=dict)  # column name -> value (text, number or date)
    formula_without_value: list[str] = field(default_factory=list)  # column names


@dataclass
class UploadedSheet:
    section: str
    title: str
    letters: dict[str, str] = field(default_factory=dict)  # column name -> column letter
    rows: list[UploadedRow] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)


@dataclass
class Upload:
    kind: str  # "xlsx" or "csv"
    name: str
    meta: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, UploadedSheet] = field(default_factory=dict)
    unknown_sheets: list[str] = field(default_factory=list)


def upload_read(handle: IO[bytes], *, name: str, size: int, csv_section: str = "") -> Upload:
    """The upload's sheets; raises UploadRefused with the reason."""
    limit = settings.WORKBOOK_MAX_BYTES
    if size > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)d MB. Remove what is not needed, or split it.") % {"limit": limit // 2**20}
        )
    lower = name.lower()
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_("The file is larger than %(limit)d MB.") % {"limit": limit // 2**20})
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise UploadRefused(_("Macro-enabled workbooks are refused. Save the workbook as .xlsx, without macros."))
    is_zip = data[:4] == b"PK\x03\x04"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadRefused(
            _("This is an old Excel (.xls) or password-protected file. Save it as an .xlsx workbook without a password.")
        )
    if lower.endswith(".xlsx"):
        if not is_zip:
            raise UploadRefused(_("The file is named .xlsx but is not an Excel workbook."))
        return _read_xlsx(data, name)
    if lower.endswith((".csv", ".txt")):
        if is_zip or (b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))):
            raise UploadRefused(_("The file is named .csv but is not a text file."))
        if not csv_section:
            raise UploadRefused(_("Choose the register the CSV file holds."))
        return _read_csv(data, name, csv_section)
    raise UploadRefused(_("Upload an .xlsx workbook downloaded from the portal, or a .csv file for one register."))


def _check_zip(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(_("The workbook holds too many parts to be a report's workbook."))
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.WORKBOOK_MAX_UNPACKED_BYTES:
        raise UploadRefused(
            _("The workbook would unpack to more than %(limit)d MB: it is refused.")
            % {"limit": settings.WORKBOOK_MAX_UNPACKED_BYTES // 2**20}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > settings.WORKBOOK_MAX_RATIO:
            raise UploadRefused(_("The workbook is packed suspiciously tightly (a “zip bomb”?): it is refused."))
    names = {member.filename.lower() for member in members}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise UploadRefused(_("Macro-enabled workbooks are refused. Save the workbook as .xlsx, without macros."))
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(_("The file is named .xlsx but is not an Excel workbook."))
    types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in types or b"vbaProject" in types:
        raise UploadRefused(_("Macro-enabled workbooks are refused. Save the workbook as .xlsx, without macros."))


def _read_xlsx(data: bytes, name: str) -> Upload:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip(archive)
    except zipfile.BadZipFile:
        raise UploadRefused(_("The file is named .xlsx but is not an Excel workbook.")) from None
    try:
        return _read_book(data, name)
    except UploadRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; none may become a 500
        raise UploadRefused(_("The workbook cannot be read: it may be damaged. Save it again as .xlsx.")) from None


def _read_book(data: bytes, name: str) -> Upload:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    upload = Upload(kind="xlsx", name=name)
    formulas: dict[str, list[tuple[UploadedRow, str, int]]] = {}
    try:
        for sheet in book.worksheets:
            title = str(sheet.title)
            if title == META_SHEET:
                for row in sheet.iter_rows(min_row=1, max_col=2, values_only=True):
                    if row and row[0] is not None:
                        upload.meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
                continue
            section = section_of_sheet(title)
            if section is None:
                if sheet.sheet_state == "visible" and title.lower() != "lists" and not is_instructions_sheet(title):
                    upload.unknown_sheets.append(title)
                continue
            read, pending = _read_sheet(sheet, section, title)
            upload.sheets[section] = read
            if pending:
                formulas[title] = pending
    finally:
        book.close()
    if formulas:
        _cached_values(data, formulas)
    return upload


def _read_sheet(sheet: Any, section: str, title: str) -> tuple[UploadedSheet, list[tuple[UploadedRow, str, int]]]:
    result = UploadedSheet(section=section, title=title)
    by_index: dict[int, str] = {}
    formulas: list[tuple[UploadedRow, str, int]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == 1:
            for index, header in enumerate(values):
                if header is None or str(header).strip() == "":
                    continue
                column = header_field(section, header)
                if column is None or column in result.letters:
                    result.unknown_headers.append(str(header)[:80])
                    continue
                by_index[index] = column
                result.letters[column] = get_column_letter(index + 1)
            continue
        row = UploadedRow(number=number)
        has_formula = False
        for index, value in enumerate(values):
            column = by_index.get(index)
            if column is None or value is None or value == "":
                continue
            # Read for values only (much faster): a formula comes as its text, "=…" (openpyxl writes
            # any text that starts with "=" as a formula too, so no typed text is taken for one).
            if isinstance(value, str) and value.startswith("="):
                formulas.append((row, column, index))
                has_formula = True
                continue
            row.cells[column] = value
        if row.cells or has_formula:
            result.rows.append(row)
    return result, formulas


def _cached_values(data: bytes, formulas: dict[str, list[tuple[UploadedRow, str, int]]]) -> None:
    """The values Excel saved for formula cells (the file is read again, for values only)."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for title, cells in formulas.items():
            sheet = book[title]
            wanted = {(row.number, index) for row, _column, index in cells}
            values: dict[tuple[int, int], Any] = {}
            rows = sorted({number for number, _index in wanted})
            for number, cells_row in enumerate(sheet.iter_rows(min_row=rows[0], max_row=rows[-1], values_only=True), rows[0]):
                for index, value in enumerate(cells_row):
                    if (number, index) in wanted:
                        values[(number, index)] = value
            for row, column, index in cells:
                value = values.get((row.number, index))
                if value is None or value == "":
                    row.formula_without_value.append(column)
                else:
                    row.cells[column] = value
    finally:
        book.close()


def _read_csv(data: bytes, name: str, section: str) -> Upload:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRefused(_("The CSV file is not in UTF-8: save it as “CSV UTF-8”."))
    if "\x00" in text:
        raise UploadRefused(_("The file is named .csv but is not a text file."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    result = UploadedSheet(section=section, title=name)
    by_index: dict[int, str] = {}
    try:
        for number, values in enumerate(reader, start=1):
            if number == 1:
                for index, header in enumerate(values):
                    column = header_field(section, header) if header.strip() else None
                    if column is None or column in result.letters:
                        if header.strip():
                            result.unknown_headers.append(header[:80])
                        continue
                    by_index[index] = column
                    result.letters[column] = get_column_letter(index + 1)
                continue
            row = UploadedRow(number=number)
            for index, value in enumerate(values):
                if index in by_index and value.strip():
                    row.cells[by_index[index]] = value
            if row.cells:
                result.rows.append(row)
    except csv.Error:
        raise UploadRefused(_("The CSV file cannot be read: check its quotes and separators.")) from None
    return Upload(kind="csv", name=name, sheets={section: result})


def cell_text(value: Any) -> str:
    """A cell's value as a form would receive it typed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)
