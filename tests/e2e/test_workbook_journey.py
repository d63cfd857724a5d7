"""The draft's workbook in a browser: downloaded in Arabic, filled with good and bad rows, a dry run
(seen in English and in Arabic), then applied: exactly the good rows are in the register."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

from django.db import connection
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.clock import portal_today
from reports.models import ReportingCycle, User
from reports.services.reports import report_draft, report_get_or_create
from reports.workbook.columns import columns, sheet_title

from .helpers import Journey, login, switch_language
from .seed import OPEN_CYCLE

SHOTS = Path("/tmp/shots-xlsx")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _oil_rows(version_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT place FROM reports_oilinterdiction WHERE version_id = %s ORDER BY place", [version_id])
        return [place for (place,) in cursor.fetchall()]


def _shot(journey: Journey, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    journey.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    journey.snap(name)


def test_a_workbook_downloaded_in_arabic_filled_and_applied(journey: Journey, tmp_path: Path) -> None:
    page = journey.page
    page.set_default_timeout(45_000)  # building and reading workbooks on a shared, busy machine
    focal = User.objects.get(username="focal-fra")
    report = report_get_or_create(state=focal.state, cycle=ReportingCycle.objects.get(code=OPEN_CYCLE), actor=focal)
    draft = report_draft(report)
    assert draft is not None
    login(journey, "focal-fra", snap=False)
    switch_language(journey, "ar")

    # From the editor to the workbook page; the download is in the page's language, Arabic.
    journey.goto(f"/delegation/drafts/{draft.pk}/checklist/", "editor-ar")
    page.get_by_test_id("workbook-link").click()
    expect(page.locator("#id_lang")).to_have_value("ar")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    with translation.override("ar"):
        sheet = book[sheet_title("oil")]
        headers = [column.header() for column in columns("oil")]
    assert sheet.sheet_view.rightToLeft
    assert [cell.value for cell in sheet[1]] == headers

    lists = book["lists"]
    first = {lists.cell(row=1, column=c).value: lists.cell(row=2, column=c).value for c in range(1, lists.max_column + 1)}
    names = [column.name for column in columns("oil")]
    day = portal_today() - datetime.timedelta(days=3)

    def put(row: int, **values: object) -> None:
        for name, value in values.items():
            sheet.cell(row=row, column=names.index(name) + 1, value=value)

    base = {
        "place_kind": first["oil.place_kind"],
        "commodity": first["oil.commodity"],
        "quantity": 250,
        "unit": first["oil.unit"],
        "direction": first["oil.direction"],
    }
    put(2, place="Good one", date=day, **base)
    put(3, place="Good two", date=f"{day.day}/{day.month}/{day.year}".translate(ARABIC_DIGITS), **base)
    put(4, place="Bad date", date="غدا", **base)
    put(5, place="Bad quantity", date=day, **{**base, "quantity": -4})
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    # A dry run in English first (to look at it), then in Arabic, which is applied.
    switch_language(journey, "en")
    journey.goto(f"/delegation/drafts/{draft.pk}/workbook/", "workbook-en")
    page.locator("#id_file").set_input_files(str(filled))
    page.get_by_test_id("upload").click()
    expect(page.locator("main h1")).to_have_text("Dry run: nothing has changed yet")
    expect(page.get_by_test_id("totals")).to_contain_text("2 rows to add")
    expect(page.get_by_test_id("problems").locator("tbody tr")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("Sheets not read")  # the instructions are ours
    _shot(journey, "dry-run-en")
    assert _oil_rows(draft.pk) == []

    switch_language(journey, "ar")
    journey.goto(f"/delegation/drafts/{draft.pk}/workbook/", "workbook-ar")
    page.locator("#id_file").set_input_files(str(filled))
    page.get_by_test_id("upload").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    problems = page.get_by_test_id("problems").locator("tbody tr")
    expect(problems).to_have_count(2)
    date_letter = chr(ord("A") + names.index("date"))
    quantity_letter = chr(ord("A") + names.index("quantity"))
    expect(problems.nth(0)).to_contain_text(f"{date_letter}4")
    expect(problems.nth(1)).to_contain_text(f"{quantity_letter}5")
    _shot(journey, "dry-run-ar")
    assert _oil_rows(draft.pk) == []

    page.get_by_test_id("apply").click()
    expect(page).to_have_url(re.compile(rf"/delegation/drafts/{draft.pk}/oil/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert _oil_rows(draft.pk) == ["Good one", "Good two"]
    # The editor shows the two bad rows kept as typed, each with only its own error.
    expect(page.locator("#editor-form .invalid-feedback")).to_have_count(2)
    _shot(journey, "applied-ar")
