"""A route keeps its order: typed "SYR, TUR, GRC", it is SYR → TUR → GRC from the editor to the
draft, the frozen version, the diff between versions, the profile PDF and the CSV export.

(Before migration 0009 the countries of transit were an unordered many-to-many: the same route
came back as "GRC, SYR, TUR" or "SYR → GRC → TUR", whatever was typed.)
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from reports.models import DraftInput, OilInterdiction, OilInterdictionTransit
from reports.pdf.documents import DocumentRequest, profiles_html
from reports.pdf.render import render_pdf
from reports.services.reports import report_open_addendum, report_submit_unchecked
from tests.delegation import OIL_ROW, draft_of, formset_post

pytestmark = pytest.mark.django_db

ROUTE = ["SYR", "TUR", "GRC"]  # not alphabetical: GRC < SYR < TUR


def route_words(codes: list[str]) -> str:
    """The route as a version's table prints it in English: each State's name, its code after it
    (the names read from the reference table by hand)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT iso3, names->>'en' FROM reports_memberstate WHERE iso3 = ANY(%s)", [codes])
        names = dict(cursor.fetchall())
    return ", ".join(f"{names[code]} ({code})" for code in codes)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def save_oil(client, draft, transit: str, **changes: str):  # type: ignore[no-untyped-def]
    """The register's one row saved as the editor's page posts it (with its id once it is stored)."""
    draft.refresh_from_db()
    stored = OilInterdiction.objects.filter(version=draft).first()
    row = {**OIL_ROW, "transit": transit, "row_id": str(stored.pk) if stored else "", **changes}
    post = formset_post("oil", [row], revision=draft.revision, initial=1 if stored else 0)
    return client.post(reverse("delegation:editor", args=[draft.pk, "oil"]), post)


def stored_route(draft) -> list[str]:  # type: ignore[no-untyped-def]
    """The route as the table holds it, read by position with plain SQL (not the model's helper)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.iso3 FROM reports_oilinterdiction_transit t"
            " JOIN reports_oilinterdiction o ON o.id = t.oilinterdiction_id"
            " JOIN reports_memberstate s ON s.id = t.memberstate_id"
            " WHERE o.version_id = %s ORDER BY t.position",
            [draft.pk],
        )
        return [code for (code,) in cursor.fetchall()]


def editor_value(page: str) -> str:
    match = re.search(r'name="oil-0-transit"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="oil-0-transit"', page
    )
    assert match, "no transit input"
    return match.group(1)


@pytest.mark.parametrize("typed", ["SYR, TUR, GRC", "SYR، TUR، GRC", "Syrian Arab Republic，TUR；GRC"])
def test_the_editor_stores_and_shows_the_route_in_typed_order(client, focal_a, report_a, typed):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    assert save_oil(client, draft, typed.replace("；", ",")).status_code == 302
    assert stored_route(draft) == ROUTE
    assert [s.iso3 for s in OilInterdiction.objects.get(version=draft).transit_route] == ROUTE
    page = client.get(reverse("delegation:editor", args=[draft.pk, "oil"])).content.decode()
    assert editor_value(page) == "SYR, TUR, GRC"


def test_a_draft_kept_with_errors_shows_the_route_as_typed(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    response = save_oil(client, draft, "TUR, SYR, GRC", quantity="lots")
    assert response.status_code in (200, 302, 400)  # kept apart, never a 500
    assert DraftInput.objects.filter(version=draft, section="oil").exists()
    page = client.get(reverse("delegation:editor", args=[draft.pk, "oil"])).content.decode()
    assert editor_value(page) == "TUR, SYR, GRC"


def test_the_route_keeps_its_order_in_versions_diffs_profile_and_export(
    client, focal_a, signatory_a, secretariat, report_a, state_a
):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    assert save_oil(client, draft, "SYR, TUR, GRC").status_code == 302
    report_submit_unchecked(report=report_a, actor=signatory_a)
    draft.refresh_from_db()
    assert draft.content["oil"][0]["transit"] == ROUTE

    page = client.get(reverse("delegation:version", args=[report_a.pk, 1])).content.decode()
    assert route_words(ROUTE) in page  # "Syrian Arab Republic (SYR), Türkiye (TUR), Greece (GRC)"

    # An addendum that only changes the order of the route: the diff shows it as a change.
    addendum = report_open_addendum(report=report_a, actor=signatory_a)
    assert [s.iso3 for s in addendum.oilinterdiction_rows.get().transit_route] == ROUTE  # copied in order
    assert save_oil(client, addendum, "SYR, GRC, TUR").status_code == 302
    report_submit_unchecked(report=report_a, actor=signatory_a)
    addendum.refresh_from_db()
    assert addendum.content["oil"][0]["transit"] == ["SYR", "GRC", "TUR"]
    history = client.get(reverse("delegation:history", args=[report_a.pk])).content.decode()
    before, after = (re.escape(route_words(route)) for route in (ROUTE, ["SYR", "GRC", "TUR"]))
    assert re.search(
        rf'<del class="diff-del">.*?<bdi>{before}</bdi></del> <ins class="diff-ins">.*?<bdi>{after}</bdi></ins>', history
    )

    # The profile PDF (the Committee's distribution: the report is "Committee members only").
    report_a.refresh_from_db()
    request = DocumentRequest(
        kind="profile", distribution="restricted", today=datetime.date(2026, 11, 20), cycle=report_a.cycle, state=state_a
    )
    content = render_pdf(profiles_html(request, [state_a]).html).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert re.search(r"IRQ\s*→\s*SYR\s*→\s*GRC\s*→\s*TUR\s*→\s*\?", text), text

    # The State page's CSV of named parties carries each oil interdiction's route.
    client.force_login(secretariat)
    response = client.get(reverse("secretariat:state", args=[state_a.iso3]), {"table": "mentions", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {row["Route"] for row in rows} == {"IRQ → SYR → GRC → TUR → ?"}


def test_each_position_is_taken_once_per_row(focal_a, report_a):
    from django.db import IntegrityError, transaction

    from reports.models import MemberState

    draft = draft_of(report_a)
    row = OilInterdiction.objects.create(
        version=draft, date="2026-10-01", place="Kilis", commodity="crude", quantity=1, unit="barrels", direction="to"
    )
    row.transit_route_set([MemberState.objects.get(iso3=code) for code in ROUTE])
    with pytest.raises(IntegrityError), transaction.atomic():
        OilInterdictionTransit.objects.create(oilinterdiction=row, memberstate=MemberState.objects.get(iso3="JOR"), position=1)
