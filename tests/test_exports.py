"""Excel-ready exports: CSV with a BOM and the page's labels, XLSX with real types, JSON with codes and labels."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import openpyxl
from django.utils import translation
from django.utils.translation import pgettext

from reports.exports import Column, Table, export_bytes
from reports.exports.formats import BOOL, CODE, CODES, DATE, DATETIME, INT, LIST, NUMBER
from reports.models import Answer, ReportStatus

SUBMITTED = datetime.datetime(2026, 7, 12, 14, 3, 9, 123456, tzinfo=datetime.UTC)


def table() -> Table:
    return Table(
        "status: a/b [test]",
        [
            Column("iso3", "ISO code"),
            Column("status", "Report status", CODE, dict(ReportStatus.choices)),
            Column("answers", "Answers", CODES, dict(Answer.choices)),
            Column("submitted_at", "First submitted (UTC)", DATETIME),
            Column("due", "Due", DATE),
            Column("days_late", "Days late", INT),
            Column("quantity", "Quantity (barrels)", NUMBER),
            Column("overdue", "Overdue", BOOL),
            Column("states", "States", LIST),
            Column("note", "Note"),
        ],
        [
            [
                "FRA",
                "submitted",
                ["in_place", "na"],
                SUBMITTED,
                datetime.date(2026, 6, 30),
                12,
                Decimal("1200.500"),
                True,
                ["JOR", "IRQ"],
                "=HYPERLINK(1)",
            ],
            ["USA", "", [], None, None, None, None, False, [], ""],
        ],
    )


def test_csv_has_a_bom_labels_and_iso_dates_without_microseconds():
    content = export_bytes(table(), "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ISO code", "Report status", "Answers"]
    fra = rows[1]
    assert fra[1] == "Submitted" and fra[2] == "In place, Not applicable"
    assert fra[3] == "2026-07-12 14:03:09" and fra[4] == "2026-06-30"
    assert fra[5] == "12" and fra[6] == "1200.5" and fra[7] == "yes" and fra[8] == "JOR IRQ"
    assert fra[9] == "'=HYPERLINK(1)"  # never run as a formula
    assert rows[2][1:4] == ["", "", ""]


def test_csv_speaks_the_readers_language():
    with translation.override("fr"):
        content = export_bytes(table(), "csv").decode("utf-8-sig")
    assert "Présenté" in content and "En place, Sans objet" in content and "Submitted" not in content


def test_xlsx_has_real_types_a_styled_frozen_header_and_a_filter():
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(table(), "xlsx")))
    sheet = book.active
    assert sheet.title == "status  a b  test"  # the characters a sheet name may not hold are gone
    assert [c.value for c in sheet[1]][:2] == ["ISO code", "Report status"]
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J3"
    assert sheet["D2"].value == datetime.datetime(2026, 7, 12, 14, 3, 9) and sheet["D2"].is_date
    assert sheet["E2"].value == datetime.datetime(2026, 6, 30) and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["F2"].value == 12 and sheet["F2"].data_type == "n"
    assert sheet["G2"].value == 1200.5 and sheet["G2"].data_type == "n"
    assert sheet["B2"].value == "Submitted"
    assert sheet["J2"].value == "=HYPERLINK(1)" and sheet["J2"].data_type == "s"  # text, not a formula
    assert sheet["D3"].value is None and sheet["F3"].value in (None, "")
    assert not sheet.sheet_view.rightToLeft


def test_xlsx_reads_right_to_left_in_arabic():
    with translation.override("ar"):
        sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(table(), "xlsx"))).active
    assert sheet.sheet_view.rightToLeft


def test_json_has_codes_and_labels():
    rows = json.loads(export_bytes(table(), "json"))
    fra, usa = rows
    assert fra["status"] == "submitted" and fra["status_label"] == "Submitted"
    assert fra["answers"] == ["in_place", "na"] and fra["answers_label"] == ["In place", "Not applicable"]
    assert fra["submitted_at"] == "2026-07-12T14:03:09Z" and fra["due"] == "2026-06-30"
    assert fra["days_late"] == 12 and fra["quantity"] == 1200.5 and fra["overdue"] is True
    assert fra["states"] == ["JOR", "IRQ"] and fra["note"] == "=HYPERLINK(1)"
    assert usa["status"] == "" and usa["submitted_at"] is None and usa["days_late"] is None and usa["states"] == []


def test_the_matrix_export_gives_where_each_assessment_stands_a_column_of_its_own():
    """Beside the rating only, as the page shows it; a cell without a rating (or withheld from
    a narrower audience, whose matrix has no ratings) leaves it empty."""
    from types import SimpleNamespace

    from reports.exports import matrix_dataset
    from reports.selectors.matrix import Cell, Flag, Matrix, MatrixRow

    measures = [SimpleNamespace(code="M-1"), SimpleNamespace(code="M-2")]
    row = MatrixRow(
        state_id=1, iso3="FRA", name="France", regional_group="WEOG", report_id=7, version_number=2, status="accepted"
    )
    row.cells = [
        Cell(measure_id=1, answer="in_place", rating="implemented", flag=Flag.OK, assessment_state="disputed"),
        Cell(measure_id=2, answer="in_place", rating="", flag=Flag.OK, assessment_state="shared"),  # no rating: nothing to stand
    ]
    matrix = Matrix(cycle=SimpleNamespace(code="c-1"), measures=measures, rows=[row])  # type: ignore[arg-type]
    record = json.loads(export_bytes(matrix_dataset(matrix), "json"))[0]
    assert [k for k in record if k.startswith("M-1 ") and not k.endswith("_label")] == [
        "M-1 answer", "M-1 assessment", "M-1 assessment_state", "M-1 flag",
    ]  # fmt: skip
    assert (record["M-1 assessment_state"], record["M-1 assessment_state_label"]) == ("disputed", "disputed")
    assert (record["M-2 assessment_state"], record["M-2 assessment_state_label"]) == ("", "")
    with translation.override("ar"):
        rows = list(csv.reader(io.StringIO(export_bytes(matrix_dataset(matrix), "csv").decode("utf-8-sig"))))
        disputed = pgettext("assessment state", "disputed")
    assert disputed != "disputed" and rows[1][7] == disputed and rows[1][11] == ""
