"""The save a page sends as it is closed or hidden (fetch keepalive / sendBeacon).

Such a request cannot carry htmx's headers: it is marked by `_unload=1` and carries the CSRF
token in its body. It is an autosave like any other: CSRF enforced, the revision checked, a
conflict refused without overwriting anything.
"""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reports.models import AuditEvent, OilInterdiction
from tests.delegation import OIL_ROW, draft_of, formset_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


@pytest.fixture
def strict_client(focal_a):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_a)
    return client


def editor_url(version):  # type: ignore[no-untyped-def]
    return reverse("delegation:editor", args=[version.pk, "oil"])


def page_token(client, url):  # type: ignore[no-untyped-def]
    """The CSRF token of the editor's form, as the page's script puts it in the request body."""
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def places(draft):  # type: ignore[no-untyped-def]
    return sorted(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True))


def test_a_save_on_leaving_with_the_token_in_the_body_is_stored_and_answered_quietly(strict_client, report_a):
    draft = draft_of(report_a)
    url = editor_url(draft)
    body = {**formset_post("oil", [OIL_ROW], revision=0), "csrfmiddlewaretoken": page_token(strict_client, url), "_unload": "1"}
    response = strict_client.post(url, body)  # no HX-Request header, no X-CSRFToken header
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_revision" value="1"' in html and "Saved at" in html
    row = OilInterdiction.objects.get(version=draft)
    assert re.search(rf'id="id_oil-0-row_id" value="{row.pk}" hx-swap-oob="true"', html)
    assert row.place == "Port of Ceyhan"
    event = AuditEvent.objects.get(action="draft_autosave")
    assert event.detail["revision"] == 1 and event.detail["section"] == "oil"
    assert not AuditEvent.objects.filter(action="draft_save").exists()


def test_a_save_on_leaving_without_the_token_is_refused_and_changes_nothing(strict_client, report_a):
    draft = draft_of(report_a)
    url = editor_url(draft)
    page_token(strict_client, url)  # the cookie is set, but the body has no token
    response = strict_client.post(url, {**formset_post("oil", [OIL_ROW], revision=0), "_unload": "1"})
    assert response.status_code == 403
    wrong = {**formset_post("oil", [OIL_ROW], revision=0), "_unload": "1", "csrfmiddlewaretoken": "x" * 64}
    assert strict_client.post(url, wrong).status_code == 403
    draft.refresh_from_db()
    assert draft.revision == 0 and places(draft) == []


def test_a_stale_save_on_leaving_is_a_conflict_and_overwrites_nothing(strict_client, client, signatory_a, report_a):
    draft = draft_of(report_a)
    url = editor_url(draft)
    token = page_token(strict_client, url)  # the focal point opened the page at revision 0
    client.force_login(signatory_a)
    client.post(url, formset_post("oil", [{**OIL_ROW, "place": "Theirs"}], revision=0))  # -> revision 1
    mine = {**formset_post("oil", [{**OIL_ROW, "place": "Mine"}], revision=0), "csrfmiddlewaretoken": token, "_unload": "1"}
    response = strict_client.post(url, mine)
    assert response.status_code == 409 and "data-conflict" in response.content.decode()
    assert places(draft) == ["Theirs"]
    # The same content as what is stored is no conflict: the page is told the current revision.
    same = {**mine, "oil-0-place": "Theirs", "oil-0-quantity": "1200.000", "oil-0-value": "60000.00"}
    response = strict_client.post(url, same)
    assert response.status_code == 200 and 'id="id_revision" value="1"' in response.content.decode()
    assert places(draft) == ["Theirs"]


def test_the_marker_of_a_save_on_leaving_is_not_kept_as_typed_input(strict_client, report_a):
    from reports.models import DraftInput

    draft = draft_of(report_a)
    url = editor_url(draft)
    body = {
        **formset_post("oil", [{**OIL_ROW, "quantity": "-1"}], revision=0),
        "csrfmiddlewaretoken": page_token(strict_client, url),
        "_unload": "1",
    }
    assert strict_client.post(url, body).status_code == 200
    pending = DraftInput.objects.get(version=draft, section="oil")
    [row] = pending.data["rows"]
    assert row["values"]["quantity"] == ["-1"] and "_unload" not in row["values"] and "_unload" not in pending.data


def test_a_save_on_leaving_while_the_pages_autosave_is_under_way_is_not_a_conflict(strict_client, report_a):
    draft = draft_of(report_a)
    url = editor_url(draft)
    html = strict_client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    editor = re.search(r'name="editor" value="([^"]+)"', html).group(1)
    # The autosave of "Port" went out at revision 0 and was stored; the page closes before its
    # answer comes back, sending "Port of Ceyhan" with the same revision 0.
    common = {"csrfmiddlewaretoken": token, "editor": editor}
    # The row was added on the page, which named it (as delegation.js does) until it learns its id.
    key = {"draft_key": "n0011223344556677"}
    autosave = {**formset_post("oil", [{**OIL_ROW, **key, "place": "Port"}], revision=0), **common}
    assert strict_client.post(url, autosave, headers={"HX-Request": "true", "X-CSRFToken": token}).status_code == 200
    closing = {**formset_post("oil", [{**OIL_ROW, **key}], revision=0), **common, "_unload": "1"}
    response = strict_client.post(url, closing)
    assert response.status_code == 200 and 'id="id_revision" value="2"' in response.content.decode()
    assert places(draft) == ["Port of Ceyhan"]
    # Another page, opened at revision 0 too, is still told of the conflict.
    other = strict_client.get(url).content.decode()
    stale = {**closing, "editor": re.search(r'name="editor" value="([^"]+)"', other).group(1), "oil-0-place": "Other"}
    assert strict_client.post(url, stale).status_code == 409
    assert places(draft) == ["Port of Ceyhan"]
