"""The draft's workbook: download, fill, upload, dry run, apply; and every refusal."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from reports.models import DraftInput, ReportVersion
from reports.workbook.columns import columns, sheet_title
from tests.delegation import OIL_ROW, draft_of, formset_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def count(sql: str, *params: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def save_oil(client, draft, rows):  # type: ignore[no-untyped-def]
    draft.refresh_from_db()
    url = reverse("delegation:editor", args=[draft.pk, "oil"])
    response = client.post(url, formset_post("oil", rows, revision=draft.revision))
    assert response.status_code == 302


def download(client, draft, lang: str = "en") -> Workbook:  # type: ignore[no-untyped-def]
    response = client.get(reverse("delegation:workbook_download", args=[draft.pk]), {"lang": lang})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def as_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, draft, content: bytes, name: str = "draft.xlsx", **extra: Any):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile(name, content), **extra}
    return client.post(reverse("delegation:workbook", args=[draft.pk]), data)


def oil_sheet(book: Workbook, lang: str = "en"):  # type: ignore[no-untyped-def]
    with translation.override(lang):
        return book[sheet_title("oil")]


def column_of(section: str, name: str) -> int:
    return [column.name for column in columns(section)].index(name) + 1


def fill(sheet, row: int, values: dict[str, Any], section: str = "oil") -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        sheet.cell(row=row, column=column_of(section, name), value=value)


GOOD = {
    "date": "2026-10-02",
    "place": "Habur",
    "place_kind": "Border crossing",
    "commodity": "Refined oil products",
    "quantity": 300,
    "unit": "tonnes",
    "direction": "To ISIL or ANF",
    "origin": "Türkiye",
    "transit": "SYR",
}


def test_round_trip_applies_exactly_the_good_rows_and_shows_each_bad_cell(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    save_oil(client, draft, [OIL_ROW, {**OIL_ROW, "place": "Kilis"}])
    draft.refresh_from_db()
    ids = list(draft.oilinterdiction_rows.order_by("position", "id").values_list("pk", flat=True))
    revision = draft.revision

    book = download(client, draft)
    sheet = oil_sheet(book)
    assert sheet.cell(row=2, column=1).value == ids[0] and sheet.cell(row=3, column=1).value == ids[1]
    fill(sheet, 2, {"quantity": 1500})  # change the first row
    sheet.delete_rows(3)  # remove the second
    fill(sheet, 3, GOOD)  # add two good rows, one with a date as French text
    fill(sheet, 4, {**GOOD, "place": "Rabia", "date": "3 octobre 2026"})
    fill(sheet, 5, {**GOOD, "place": "Bad one", "date": "banana", "commodity": "coal"})  # and a bad one

    response = upload(client, draft, as_bytes(book))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s", draft.pk) == 2  # nothing yet
    date_col = chr(ord("A") + column_of("oil", "date") - 1)
    commodity_col = chr(ord("A") + column_of("oil", "commodity") - 1)
    assert f">{date_col}5<" in page and f">{commodity_col}5<" in page
    assert "Not a date" in page and "Select a valid choice" in page
    assert "2 rows to add" in page and "1 row to change" in page and "1 row to remove" in page

    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    applied = client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    assert applied.status_code == 302
    rows = count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s", draft.pk)
    assert rows == 3  # the changed row and the two good new ones
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE id = %s AND quantity = 1500", ids[0]) == 1
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE id = %s", ids[1]) == 0
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s AND date = '2026-10-03'", draft.pk) == 1
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s AND place = 'Bad one'", draft.pk) == 0
    assert count("SELECT revision FROM reports_reportversion WHERE id = %s", draft.pk) == revision + 1
    kept = DraftInput.objects.get(version=draft, section="oil")
    assert [entry["values"]["place"] for entry in kept.data["rows"]] == [["Bad one"]]  # kept as typed for the editor
    # ... as the form reads it (the label as its code), so the editor shows only the real errors.
    assert kept.data["rows"][0]["values"]["place_kind"] == ["border"]
    editor = client.get(reverse("delegation:editor", args=[draft.pk, "oil"])).content.decode()
    assert editor.count("Select a valid choice") == 1 and "Enter a valid date" in editor


def test_an_arabic_workbook_reads_right_to_left_with_translated_headers(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft, "ar")
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    sheet = oil_sheet(book, "ar")
    with translation.override("ar"):
        expected = [column.header() for column in columns("oil")]
    assert [cell.value for cell in sheet[1]] == expected
    assert "الكمية" in expected
    assert book["meta"].sheet_state == "veryHidden" and book["lists"].sheet_state == "hidden"
    assert sheet.protection.sheet and sheet.cell(row=1, column=1).protection.locked
    assert not sheet.cell(row=2, column=2).protection.locked
    assert any("lists" in str(check.formula1) for check in sheet.data_validations.dataValidation)


def test_an_arabic_workbook_filled_in_arabic_imports(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft, "ar")
    sheet = oil_sheet(book, "ar")
    lists = book["lists"]
    choice = {lists.cell(row=1, column=c).value: lists.cell(row=2, column=c).value for c in range(1, lists.max_column + 1)}
    fill(
        sheet,
        2,
        {
            "date": "١/١٠/٢٠٢٦",
            "place": "ميناء",
            "place_kind": choice["oil.place_kind"],
            "commodity": choice["oil.commodity"],
            "quantity": 10,
            "unit": choice["oil.unit"],
            "direction": choice["oil.direction"],
        },
    )
    response = upload(client, draft, as_bytes(book))
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s AND date = '2026-10-01'", draft.pk) == 1


def test_headers_in_another_language_are_mapped(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft, "en")
    sheet = oil_sheet(book)
    with translation.override("es"):
        spanish = [column.header() for column in columns("oil")]
    assert "Cantidad" in spanish
    for index, header in enumerate(spanish, start=1):
        sheet.cell(row=1, column=index, value=header)
    fill(sheet, 2, GOOD)
    response = upload(client, draft, as_bytes(book))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 row to add" in page and "Columns not read" not in page


def test_a_csv_of_one_register_with_russian_headers(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    with translation.override("ru"):
        headers = {column.name: column.header() for column in columns("str")}
    text = f"{headers['period_start']};{headers['period_end']};{headers['count']}\n1 октября 2026;2026年10月31日;12\n"
    response = upload(client, draft, text.encode("utf-8-sig"), "str.csv", register="str")
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    assert (
        count(
            "SELECT count(*) FROM reports_suspicioustransactioncount WHERE version_id = %s "
            "AND period_start = '2026-10-01' AND period_end = '2026-10-31' AND count = 12",
            draft.pk,
        )
        == 1
    )


def refused(response, text: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert text in response.content.decode()


def nothing_written(draft: ReportVersion, revision: int) -> None:
    assert count("SELECT revision FROM reports_reportversion WHERE id = %s", draft.pk) == revision
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s", draft.pk) == 0


def test_another_states_workbook_is_refused(client, focal_a, report_a, focal_b, report_b):
    client.force_login(focal_b)
    theirs = as_bytes(download(client, draft_of(report_b)))
    client.force_login(focal_a)
    draft = draft_of(report_a)
    refused(upload(client, draft, theirs), "another State")
    nothing_written(draft, 0)


def test_an_altered_identification_is_refused(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft)
    book["meta"]["B3"] = "999999"  # the draft id
    refused(upload(client, draft, as_bytes(book)), "altered")


def test_a_workbook_without_identification_is_refused(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = Workbook()
    book.active.title = "Oil interdictions"  # type: ignore[union-attr]
    refused(upload(client, draft, as_bytes(book)), "not downloaded from the portal")


def test_an_older_workbook_is_refused_and_a_fresh_dry_run_is_offered(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft)
    fill(oil_sheet(book), 2, GOOD)
    save_oil(client, draft, [OIL_ROW])  # someone saves meanwhile
    draft.refresh_from_db()
    revision = draft.revision
    response = upload(client, draft, as_bytes(book))
    assert response.status_code == 409
    page = response.content.decode()
    assert "has been changed since this workbook was downloaded" in page
    token = re.search(r"/workbook/([\w-]+)/fresh/", page)[1]  # type: ignore[index]
    assert count("SELECT revision FROM reports_reportversion WHERE id = %s", draft.pk) == revision
    fresh = client.post(reverse("delegation:workbook_fresh", args=[draft.pk, token]))
    assert fresh.status_code == 302
    dry = client.get(fresh["Location"]).content.decode()
    assert "1 row to add" in dry and "1 row to remove" in dry  # the row saved meanwhile is not in the workbook


def test_a_save_between_dry_run_and_apply_refuses_the_apply(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft)
    fill(oil_sheet(book), 2, GOOD)
    response = upload(client, draft, as_bytes(book))
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    save_oil(client, draft, [OIL_ROW])
    draft.refresh_from_db()
    revision = draft.revision
    applied = client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    assert applied.status_code == 409
    assert "Someone changed the draft after your dry run" in applied.content.decode()
    assert count("SELECT revision FROM reports_reportversion WHERE id = %s", draft.pk) == revision
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s", draft.pk) == 1


def test_another_users_dry_run_cannot_be_applied(client, focal_a, report_a, state_a):
    from reports.models import Role
    from tests.factories import make_user

    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft)
    fill(oil_sheet(book), 2, GOOD)
    token = upload(client, draft, as_bytes(book))["Location"].rstrip("/").rsplit("/", 1)[1]
    client.force_login(make_user(Role.FOCAL_POINT, state_a, "colleague"))
    response = client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    assert response.status_code == 302 and response["Location"].endswith("/workbook/")
    nothing_written(draft, 0)


def test_another_states_user_cannot_download_or_upload(client, focal_a, report_a, focal_b):
    client.force_login(focal_b)
    draft = draft_of(report_a)
    assert client.get(reverse("delegation:workbook_download", args=[draft.pk])).status_code == 404
    assert client.get(reverse("delegation:workbook", args=[draft.pk])).status_code == 404


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_members(content: bytes, extra: dict[str, bytes]) -> bytes:
    members = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    members.update(extra)
    return zip_with(members)


def test_macro_enabled_files_are_refused(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    good = as_bytes(download(client, draft))
    refused(upload(client, draft, good, "draft.xlsm"), "Macro-enabled")
    refused(upload(client, draft, with_members(good, {"xl/vbaProject.bin": b"\x00" * 64})), "Macro-enabled")
    nothing_written(draft, 0)


def test_a_zip_bomb_is_refused_before_it_is_opened(client, focal_a, report_a, settings):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    good = as_bytes(download(client, draft))
    bomb = with_members(good, {"xl/media/padding.bin": b"\x00" * (8 * 1024 * 1024)})  # packs ~1000 times
    refused(upload(client, draft, bomb), "zip bomb")
    settings.WORKBOOK_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    big = with_members(good, {"xl/media/padding.bin": bytes(range(256)) * 20_000})  # 5 MB, packs little
    refused(upload(client, draft, big), "would unpack to more than 4 MB")
    nothing_written(draft, 0)


def test_a_file_over_the_limit_is_refused(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    refused(upload(client, draft, b"PK\x03\x04" + b"\x00" * (20 * 1024 * 1024)), "larger than 20 MB")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("draft.xlsx", b"%PDF-1.7\n%%EOF\n", "is not an Excel workbook"),
        ("draft.xlsx", zip_with({"hello.txt": b"hi"}), "is not an Excel workbook"),
        ("oil.csv", zip_with({"hello.txt": b"hi"}), "is not a text file"),
        ("draft.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
        ("draft.exe", b"MZ\x90\x00", "Upload an .xlsx workbook"),
    ],
)
def test_files_that_lie_about_their_type_are_refused(client, focal_a, report_a, name, content, message):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    refused(upload(client, draft, content, name, register="oil"), message)


def _formula_cached(content: bytes, cell: str, value: str) -> bytes:
    """The workbook with a value saved for the formula in `cell` (as Excel saves one; openpyxl cannot)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.startswith("xl/worksheets/"):
                data = re.sub(
                    rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?'.encode(),
                    rb"\1<f>\2</f><v>" + value.encode() + b"</v>",
                    data,
                )
            members[name] = data
    return zip_with(members)


def test_formulas_give_their_saved_value_or_are_refused(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft)
    sheet = oil_sheet(book)
    quantity = chr(ord("A") + column_of("oil", "quantity") - 1)
    fill(sheet, 2, {**GOOD, "quantity": "=100*7"})
    fill(sheet, 3, {**GOOD, "place": "No value", "quantity": "=100*8"})
    content = _formula_cached(as_bytes(book), f"{quantity}2", "700")
    response = upload(client, draft, content)
    page = client.get(response["Location"]).content.decode()
    assert "A formula without a computed value" in page and f">{quantity}3<" in page and f">{quantity}2<" not in page
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s AND quantity = 700", draft.pk) == 1
    assert count("SELECT count(*) FROM reports_oilinterdiction WHERE version_id = %s", draft.pk) == 1


def test_the_dry_run_page_costs_the_same_for_10_or_200_rows(client, focal_a, report_a, django_assert_max_num_queries):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    pages = []
    for rows in (10, 200):
        book = download(client, draft)
        sheet = oil_sheet(book)
        for row in range(2, rows + 2):
            fill(sheet, row, {**GOOD, "place": f"Place {row}", "date": "banana" if row % 2 else GOOD["date"]})
        pages.append(upload(client, draft, as_bytes(book))["Location"])
    counts = []
    for location in pages:
        with django_assert_max_num_queries(12) as queries:
            assert client.get(location).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_checklist_answers_in_french_are_imported_and_a_bad_one_is_kept_as_typed(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    book = download(client, draft, "fr")
    with translation.override("fr"):
        sheet = book[sheet_title("checklist")]
    lists = book["lists"]
    answers = next(c for c in range(1, lists.max_column + 1) if lists.cell(row=1, column=c).value == "checklist.answer")
    partial = lists.cell(row=3, column=answers).value  # the second answer: partially in place
    codes = [sheet.cell(row=r, column=1).value for r in (2, 3)]
    fill(sheet, 2, {"answer": partial, "legal_reference": "Loi n° 2015-912"}, "checklist")
    fill(sheet, 3, {"answer": "peut-être"}, "checklist")
    response = upload(client, draft, as_bytes(book))
    page = client.get(response["Location"]).content.decode()
    assert ">C3<" in page  # the answer column of the bad row
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(reverse("delegation:workbook_apply", args=[draft.pk, token]))
    sql = (
        "SELECT count(*) FROM reports_checklistanswer a JOIN reports_measure m ON m.id = a.measure_id "
        "WHERE a.version_id = %s AND m.code = %s AND a.answer = %s AND a.legal_reference = %s"
    )
    assert count(sql, draft.pk, codes[0], "partial", "Loi n° 2015-912") == 1
    kept = DraftInput.objects.get(version=draft, section="checklist")
    measure_pk = count("SELECT id FROM reports_measure WHERE code = %s", codes[1])
    assert kept.data[f"m{measure_pk}-answer"] == ["peut-être"] and kept.error_count == 1
