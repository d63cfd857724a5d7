"""Suggestions of Sanctions List entries while a party's name is typed."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.services.sanctions_import import import_sanctions_list
from reports.services.sanctions_suggest import suggest
from tests.delegation import draft_of

pytestmark = pytest.mark.django_db
URL = reverse("delegation:sanctions_suggest")


def refs(suggestions) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.reference for s in suggestions]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Abd al-Rahman al-Anizi", "QDi.901"),  # another transliteration, parts left out
        ("AL-ANIZI Abd al-Rahman Khalaf", "QDi.901"),  # parts reordered
        ("عبد الرحمن العنزي", "QDi.901"),  # Arabic script
        ("Abdulrahman al Anezi", "QDi.901"),  # a Low-quality alias
        ("Crescent Dune Hawala", "QDe.901"),  # an alias of a "; " string
        ("Sergei Vymyshlenny", "QDi.915"),
        ("Сергей Петрович", "QDi.915"),  # Cyrillic original script
        ("islamic state in iraq and the levant", "QDe.115"),
    ],
)
def test_the_closest_entry_comes_first(listed, typed, expected):
    assert refs(suggest(typed))[0] == expected


def test_unrelated_or_short_input_suggests_nothing_close(listed):
    assert suggest("x") == [] and suggest("  ") == []
    assert "QDi.901" not in refs(suggest("Blue Line Shipping Agency"))


def test_at_most_limit_entries_and_each_once(listed):
    found = suggest("al", limit=8)
    assert len(found) <= 8 and len(set(refs(found))) == len(found)


def test_a_new_import_is_seen_at_the_next_call(listed, demo_2_bytes):
    assert "QDi.918" not in refs(suggest("Harun Abbas al-Conjecturi"))
    import_sanctions_list(demo_2_bytes, source="demo-2")
    assert refs(suggest("Harun Abbas al-Conjecturi"))[0] == "QDi.918"
    assert "QDe.911" not in refs(suggest("Old Mill Cement Traders"))  # removed from the list


def test_no_list_no_suggestion(db):
    assert suggest("Abd al-Rahman al-Anizi") == []


@pytest.fixture
def asset_field(report_a):  # type: ignore[no-untyped-def]
    return {"target": "id_assets-0-list_ref", "mode": "value"}


def test_endpoint_answers_the_field_with_attach_buttons(client, focal_a, listed, asset_field):
    client.force_login(focal_a)
    body = client.get(URL, {"assets-0-listed_party": "العنزي", **asset_field}).content.decode()
    assert 'data-attach-ref="QDi.901"' in body and 'data-attach-target="id_assets-0-list_ref"' in body
    assert "عبد الرحمن خلف عبيد جدي العنزي" in body


def test_endpoint_takes_the_last_line_of_a_list_of_parties(client, focal_a, listed):
    client.force_login(focal_a)
    typed = "Islamic State in Iraq and the Levant; QDe.115\nSand River Petroleum"
    body = client.get(URL, {"oil-0-parties": typed, "target": "id_oil-0-parties", "mode": "line"}).content.decode()
    first = re.search(r'data-attach-ref="(QD[ie]\.\d+)"', body).group(1)
    assert first == "QDe.902" and 'data-attach-mode="line"' in body


def test_endpoint_never_writes_into_a_field_it_does_not_know(client, focal_a, listed):
    client.force_login(focal_a)
    body = client.get(URL, {"q": "Anizi", "target": "id_password", "mode": "value"}).content.decode()
    assert "QDi.901" in body and "data-attach-ref" not in body
    body = client.get(URL, {"q": "<script>alert(1)</script>" * 50, "target": '"><script>', "mode": "x"}).content.decode()
    assert "<script>" not in body


def test_endpoint_query_count_is_constant(client, focal_a, listed, asset_field):
    client.force_login(focal_a)
    client.get(URL, {"q": "warm up", **asset_field})
    counts = []
    for typed in ("Anizi", "Abd al-Rahman Khalaf Ubayd Juday al-Anizi", "hawala", "العنزي"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": typed, **asset_field}).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1 and counts[0] <= 6


def test_back_office_and_anonymous_do_not_get_suggestions(client, secretariat, listed):
    assert client.get(URL, {"q": "Anizi"}).status_code == 302
    client.force_login(secretariat)
    assert client.get(URL, {"q": "Anizi"}).status_code == 404


def test_party_fields_in_the_editor_ask_for_suggestions(client, focal_a, report_a, listed):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        body = client.get(reverse("delegation:editor", args=[draft.pk, "assets"])).content.decode()
        oil = client.get(reverse("delegation:editor", args=[draft.pk, "oil"])).content.decode()
    assert 'hx-trigger="input changed delay:300ms"' in body and f'hx-get="{URL}"' in body
    assert "id_assets-__prefix__-listed_party_suggestions" in body  # the new row's template too
    assert "&quot;mode&quot;: &quot;line&quot;" in oil
