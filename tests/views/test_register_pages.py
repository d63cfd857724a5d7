"""Registers of any size: the editor shows and saves one page of rows at a time.

The rows are seeded straight into the database (thousands of them); what the page shows and
what it posts is read from its HTML as a browser would (every field of the editor's form), and
what a save changed is compared, by hand-written SQL, with a snapshot of every row taken before.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reports.forms.registers import PAGE_MAX_FORMS
from reports.models import DraftInput, OilInterdiction
from reports.services.drafts import REGISTER_PAGE_SIZE
from tests.delegation import OIL_ROW, draft_of

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def seed(draft: Any, n: int) -> None:
    OilInterdiction.objects.bulk_create(
        [
            OilInterdiction(
                version=draft,
                position=i,
                date=datetime.date(2026, 10, 1),
                place=f"Place {i + 1}",
                place_kind="port",
                commodity="crude",
                quantity=Decimal(i + 1),
                unit="barrels",
                direction="from",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )


def snapshot(draft: Any) -> dict[int, tuple[Any, ...]]:
    """Every stored row of the draft's oil register, by id (the oracle: plain SQL, not the ORM's ordering)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, position, place, quantity, date, commodity, unit FROM reports_oilinterdiction WHERE version_id = %s",
            [draft.pk],
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


class FormFields(HTMLParser):
    """The fields the editor's form would post, as a browser builds the request body."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.action = ""
        self._in_form = self._in_template = False
        self._select: str | None = None
        self._selected: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "editor-form":
            self._in_form, self.action = True, a.get("action", "")
        if not self._in_form:
            return
        if tag == "template":
            self._in_template = True
        if self._in_template or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            if a.get("type") == "submit":
                return
            self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._selected, self._first_option = a["name"], None, None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._selected = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._in_template = False
        elif tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._selected if self._selected is not None else self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def page_form(client: Any, url: str) -> tuple[dict[str, list[str]], str, str]:
    """The editor page's form as it would be posted: (fields, action, html)."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    parser = FormFields()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields, parser.action.replace("&amp;", "&"), html


def editor_url(draft: Any, page: int = 1) -> str:
    url = reverse("delegation:editor", args=[draft.pk, "oil"])
    return f"{url}?page={page}" if page > 1 else url


def row_prefix(fields: dict[str, list[str]], place: str) -> str:
    return next(name.removesuffix("-place") for name, values in fields.items() if name.endswith("-place") and values == [place])


def test_a_thousand_row_register_page_renders_with_bounded_queries_and_fields(
    client, focal_a, report_a, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 1000)
    client.get(editor_url(draft, 7))  # warm the per-process caches (States, measures)
    with django_assert_max_num_queries(12):
        fields, action, html = page_form(client, editor_url(draft, 7))
    # Page 7 holds rows 301 to 350, numbered by their place in the register.
    places = [values[0] for name, values in fields.items() if name.endswith("-place")]
    assert places == [f"Place {n}" for n in range(301, 351)]
    assert "oil-300-place" in fields and "oil-349-place" in fields
    assert sum(len(v) for v in fields.values()) <= REGISTER_PAGE_SIZE * 20 + 10
    assert action.endswith("?page=7") and 'hx-post="' + action in html
    assert "Rows 301 to 350 of 1000." in html
    # Page links in the portal's words, the current one marked for assistive technology.
    assert re.search(r'<a class="page-link" href="\?page=7" aria-current="page">', html)
    assert 'href="?page=20"' in html and 'href="?page=6">Previous' in html and 'href="?page=8">Next' in html
    assert len(html) < 400_000


def test_saving_one_row_of_a_3000_row_register_changes_only_that_row(client, focal_a, report_a):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 3000)
    before = snapshot(draft)
    fields, action, _html = page_form(client, editor_url(draft, 30))
    prefix = row_prefix(fields, "Place 1455")
    fields[f"{prefix}-place"] = ["Port of Ceyhan, berth 4"]
    fields[f"{prefix}-quantity"] = ["77"]
    response = client.post(action, fields, headers=HTMX)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    after = snapshot(draft)
    assert set(after) == set(before)  # no row added, none removed, every id kept
    changed = {pk for pk in after if after[pk] != before[pk]}
    [pk] = changed
    assert before[pk][1] == "Place 1455" and after[pk][1] == "Port of Ceyhan, berth 4" and after[pk][2] == Decimal("77.000")
    assert after[pk][0] == before[pk][0]  # it keeps its place in the register


def test_a_page_posted_from_page_3_saves_page_3s_rows(client, focal_a, report_a):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 130)
    before = snapshot(draft)
    fields, action, _html = page_form(client, editor_url(draft, 3))
    for name in [n for n in fields if n.endswith("-place")]:
        fields[name] = [fields[name][0] + " (checked)"]
    # A row added at the bottom of page 3, as delegation.js numbers it.
    total = int(fields["oil-TOTAL_FORMS"][0])
    new = f"oil-{100 + total}"
    fields.update({f"{new}-{k}": [v] for k, v in OIL_ROW.items()})
    fields[f"{new}-place"] = ["Added on page 3"]
    fields["oil-TOTAL_FORMS"] = [str(total + 1)]
    response = client.post(action, fields)
    assert response.status_code == 302 and response["Location"].endswith("?page=3")
    after = snapshot(draft)
    for pk, row in before.items():
        expected = row[1] + " (checked)" if 100 <= row[0] < 130 else row[1]
        assert after[pk][1] == expected, row
    [added] = set(after) - set(before)
    assert after[added][1] == "Added on page 3"
    # It stays where it was typed: below page 3's last row, in the register's order.
    ordered = list(OilInterdiction.objects.filter(version=draft).order_by("position", "id").values_list("place", flat=True))
    assert ordered[-2:] == ["Place 130 (checked)", "Added on page 3"]


def test_the_pages_own_posts_never_reach_the_field_limit(client, focal_a, report_a):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 3000)
    fields, action, html = page_form(client, editor_url(draft, 60))
    assert f'data-max-forms="{PAGE_MAX_FORMS}"' in html
    # The most a page can send: its rows and as many new rows as the page lets one add.
    total = int(fields["oil-TOTAL_FORMS"][0])
    for index in range(total, PAGE_MAX_FORMS):
        prefix = f"oil-{2950 + index}"
        fields.update({f"{prefix}-{k}": [v] for k, v in OIL_ROW.items()})
        fields[f"{prefix}-draft_key"] = [""]
    fields["oil-TOTAL_FORMS"] = [str(PAGE_MAX_FORMS)]
    count = sum(len(values) for values in fields.values())
    assert count < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS / 3
    response = client.post(action, fields, headers=HTMX)
    assert response.status_code == 200
    assert OilInterdiction.objects.filter(version=draft).count() == 3000 + PAGE_MAX_FORMS - total
    # One row more than a page takes is refused with a reason; nothing changes.
    before = snapshot(draft)
    fields["oil-TOTAL_FORMS"] = [str(PAGE_MAX_FORMS + 1)]
    draft.refresh_from_db()
    fields["revision"] = [str(draft.revision)]
    response = client.post(action, fields, headers=HTMX)
    assert response.status_code == 400 and "at most 150 rows" in response.content.decode()
    assert snapshot(draft) == before


def test_a_request_over_the_field_limit_gets_a_reason_and_changes_nothing(client, focal_a, report_a):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 10)
    before = snapshot(draft)
    fields, action, _html = page_form(client, editor_url(draft))
    flood = {**fields, **{f"junk{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}}
    quiet = client.post(action, flood, headers=HTMX)
    assert quiet.status_code == 413
    assert "data-save-refused" in quiet.content.decode() and "nothing was saved" in quiet.content.decode()
    page = client.post(action, flood)
    assert page.status_code == 413 and "nothing was saved" in page.content.decode() and "<html" in page.content.decode()
    assert snapshot(draft) == before


def test_an_invalid_date_typed_in_row_2500_is_kept_as_typed(client, focal_a, signatory_a, report_a):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 3000)
    before = snapshot(draft)
    fields, action, _html = page_form(client, editor_url(draft, 50))
    assert row_prefix(fields, "Place 2500") == "oil-2499"
    fields["oil-2499-date"] = ["2026-02-31"]
    assert client.post(action, fields, headers=HTMX).status_code == 200
    assert snapshot(draft) == before  # the stored row keeps its last valid version
    [entry] = DraftInput.objects.get(version=draft, section="oil").data["rows"]
    assert entry["values"]["date"] == ["2026-02-31"]

    # Saving another page keeps it.
    fields1, action1, _html = page_form(client, editor_url(draft, 1))
    fields1["oil-0-place"] = ["Elsewhere"]
    assert client.post(action1, fields1).status_code == 302
    assert DraftInput.objects.get(version=draft, section="oil").error_count == 1
    page1 = client.get(editor_url(draft, 1)).content.decode()
    assert 'href="?page=50">page 50</a>' in page1

    # Page 50 shows it as typed, the error beside the field.
    html = client.get(editor_url(draft, 50)).content.decode()
    assert re.search(r'<input[^>]*name="oil-2499-date"[^>]*value="2026-02-31"', html)
    assert 'id="id_oil-2499-date_error"' in html
    assert 'aria-describedby="id_oil-2499-date_error"' in html or "invalid-feedback" in html

    # It blocks submission until corrected.
    client.force_login(signatory_a)
    review = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    assert "not saved yet" in review


def test_the_conflict_page_still_shows_for_a_register_page(client, focal_a, signatory_a, report_a):  # type: ignore[no-untyped-def]
    draft = draft_of(report_a)
    seed(draft, 200)
    client.force_login(focal_a)
    mine, action, _html = page_form(client, editor_url(draft, 3))
    client.force_login(signatory_a)
    theirs, _action, _html = page_form(client, editor_url(draft, 3))
    theirs[f"{row_prefix(theirs, 'Place 120')}-place"] = ["Theirs"]
    assert client.post(action, theirs).status_code == 302
    client.force_login(focal_a)
    mine[f"{row_prefix(mine, 'Place 120')}-place"] = ["Mine"]
    notice = client.post(action, mine, headers=HTMX)
    assert notice.status_code == 409 and "data-conflict" in notice.content.decode()
    page = client.post(action, mine)
    body = page.content.decode()
    assert page.status_code == 409 and "Theirs" in body and "Mine" in body
    assert re.search(r'<form method="post" action="[^"]*\?page=3">', body)
    assert OilInterdiction.objects.get(version=draft, position=119).place == "Theirs"


def test_a_full_register_keeps_new_rows_as_typed_with_a_reason(client, focal_a, report_a, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("reports.services.drafts.REGISTER_MAX_ROWS", 60)
    monkeypatch.setattr("reports.forms.register_pages.REGISTER_MAX_ROWS", 60)
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 59)
    fields, action, _html = page_form(client, editor_url(draft, 2))
    total = int(fields["oil-TOTAL_FORMS"][0])
    for extra in range(2):
        prefix = f"oil-{50 + total + extra}"
        fields.update({f"{prefix}-{k}": [v] for k, v in OIL_ROW.items()})
        fields[f"{prefix}-place"] = [f"New {extra}"]
    fields["oil-TOTAL_FORMS"] = [str(total + 2)]
    response = client.post(action, fields, follow=True)
    body = response.content.decode()
    assert OilInterdiction.objects.filter(version=draft).count() == 60
    assert OilInterdiction.objects.filter(version=draft, place="New 0").exists()
    assert "as many as a register may" in body and 'data-testid="register-full"' in body
    # The row the register could not take is kept as typed, shown with the reason.
    assert 'value="New 1"' in body
    assert DraftInput.objects.get(version=draft, section="oil").error_count == 1


def test_input_kept_by_the_whole_register_editor_is_still_shown(client, focal_a, report_a):  # type: ignore[no-untyped-def]
    client.force_login(focal_a)
    draft = draft_of(report_a)
    seed(draft, 2)
    first, second = OilInterdiction.objects.filter(version=draft).order_by("position")
    # What the editor before pages kept: the whole section's post, one row with an error.
    flat = {"oil-TOTAL_FORMS": ["2"], "oil-INITIAL_FORMS": ["2"]}
    for index, row in enumerate((first, second)):
        flat.update({f"oil-{index}-{k}": [v] for k, v in OIL_ROW.items()})
        flat[f"oil-{index}-row_id"] = [str(row.pk)]
    flat["oil-1-quantity"] = ["lots"]
    DraftInput.objects.create(version=draft, section="oil", data=flat, error_count=1)
    html = client.get(editor_url(draft)).content.decode()
    assert re.search(r'name="oil-1-quantity"[^>]*value="lots"', html) and 'id="id_oil-1-quantity_error"' in html
    fields, action, _html = page_form(client, editor_url(draft))
    fields["oil-1-quantity"] = ["5"]
    assert client.post(action, fields).status_code == 302
    assert not DraftInput.objects.filter(version=draft).exists()
    assert OilInterdiction.objects.get(pk=second.pk).quantity == 5


def test_the_review_links_an_error_to_the_page_of_its_row(client, signatory_a, report_a):  # type: ignore[no-untyped-def]
    draft = draft_of(report_a)
    seed(draft, 3000)
    OilInterdiction.objects.filter(version=draft, position=2499).update(date=datetime.date(2020, 1, 1))
    client.force_login(signatory_a)
    review = client.get(reverse("delegation:review", args=[report_a.pk])).content.decode()
    assert f'href="{editor_url(draft, 50)}#id_oil-2499-date">Row 2500: the date is outside the period.' in review
    # The link's page shows that field.
    client.get(editor_url(draft, 50))
    html = client.get(editor_url(draft, 50)).content.decode()
    assert 'id="id_oil-2499-date"' in html and "2020-01-01" in html
