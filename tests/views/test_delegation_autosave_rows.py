"""Register rows keep their identity across autosaves: a row's last valid version is never lost.

A save edits a page's stored rows in place and creates its new ones; a row with an error keeps
its stored version by its id (row_id). The page learns the ids of the rows it created from the
autosave answer (and is told every row's id again, which costs nothing), so its next save edits
them instead of adding them again.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from reports.models import DraftInput, OilInterdiction
from tests.delegation import OIL_ROW, draft_of, formset_post

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def editor_url(version):  # type: ignore[no-untyped-def]
    return reverse("delegation:editor", args=[version.pk, "oil"])


def page_row_ids(html: str) -> dict[int, str]:
    """The register's hidden row ids as the browser holds them, by form index."""
    ids = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="oil-(\d+)-row_id"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            ids[int(name.group(1))] = value.group(1) if value else ""
    return ids


def stored(draft):  # type: ignore[no-untyped-def]
    return {row.pk: (row.place, str(row.quantity)) for row in OilInterdiction.objects.filter(version=draft)}


def test_an_autosave_gives_the_page_the_rows_new_ids(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    client.post(editor_url(draft), formset_post("oil", [OIL_ROW], revision=0))
    old = OilInterdiction.objects.get(version=draft)
    new_row = {**OIL_ROW, "place": "Kilis"}
    response = client.post(
        editor_url(draft),
        formset_post("oil", [{**OIL_ROW, "row_id": str(old.pk), "place": "Ceyhan"}, new_row], revision=1, initial=1),
        headers=HTMX,
    )
    assert response.status_code == 200
    by_place = {row.place: row.pk for row in OilInterdiction.objects.filter(version=draft)}
    assert set(by_place) == {"Ceyhan", "Kilis"}
    body = response.content.decode()
    assert page_row_ids(body) == {0: str(by_place["Ceyhan"]), 1: str(by_place["Kilis"])}
    assert body.count('hx-swap-oob="true"') == 3  # the revision and the two rows' ids


def test_two_autosaves_in_a_row_keep_the_last_valid_version_of_a_row_that_became_invalid(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    client.post(editor_url(draft), formset_post("oil", [OIL_ROW, {**OIL_ROW, "place": "Kilis"}], revision=0))
    browser_ids = page_row_ids(client.get(editor_url(draft)).content.decode())
    assert len(browser_ids) == 2 and all(browser_ids.values())

    # First autosave: the first row is corrected (still valid).
    rows = [{**OIL_ROW, "place": "Ceyhan terminal", "quantity": "1300"}, {**OIL_ROW, "place": "Kilis"}]
    post = formset_post("oil", [{**row, "row_id": browser_ids[i]} for i, row in enumerate(rows)], revision=1, initial=2)
    response = client.post(editor_url(draft), post, headers=HTMX)
    assert response.status_code == 200
    browser_ids.update(page_row_ids(response.content.decode()))  # what htmx swaps into the page

    # Second autosave: the same row now has a quantity that cannot be stored.
    rows[0] = {**rows[0], "quantity": "-5"}
    post = formset_post("oil", [{**row, "row_id": browser_ids[i]} for i, row in enumerate(rows)], revision=2, initial=2)
    response = client.post(editor_url(draft), post, headers=HTMX)
    assert response.status_code == 200

    # Stored: the row's last valid version (from the first autosave) and the other row.
    assert sorted(stored(draft).values()) == [("Ceyhan terminal", "1300.000"), ("Kilis", "1200.000")]
    # Kept as typed: the invalid quantity, with the id of the stored version it corrects.
    pending = DraftInput.objects.get(version=draft, section="oil")
    assert pending.error_count == 1
    [row] = pending.data["rows"]
    assert row["values"]["quantity"] == ["-5"] and row["values"]["place"] == ["Ceyhan terminal"]
    kept = OilInterdiction.objects.get(version=draft, place="Ceyhan terminal")
    assert row["row_id"] == kept.pk


def test_input_kept_as_typed_carries_the_new_ids_of_the_rows_that_were_stored(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    client.post(editor_url(draft), formset_post("oil", [OIL_ROW, {**OIL_ROW, "place": "Kilis"}], revision=0))
    ids = page_row_ids(client.get(editor_url(draft)).content.decode())

    # An explicit save: the first row corrected, the second one broken. The page comes back
    # from the input kept as typed.
    rows = [
        {**OIL_ROW, "place": "Ceyhan terminal", "row_id": ids[0]},
        {**OIL_ROW, "place": "Kilis", "date": "x", "row_id": ids[1]},
    ]
    assert client.post(editor_url(draft), formset_post("oil", rows, revision=1, initial=2)).status_code == 302
    ids = page_row_ids(client.get(editor_url(draft)).content.decode())
    assert ids[0] == str(OilInterdiction.objects.get(version=draft, place="Ceyhan terminal").pk)

    # The next save breaks the first row too: both stored versions stay.
    rows = [{**rows[0], "quantity": "lots", "row_id": ids[0]}, {**rows[1], "row_id": ids[1]}]
    assert client.post(editor_url(draft), formset_post("oil", rows, revision=2, initial=2)).status_code == 302
    assert sorted(place for place, _q in stored(draft).values()) == ["Ceyhan terminal", "Kilis"]
    assert DraftInput.objects.get(version=draft, section="oil").error_count == 2
