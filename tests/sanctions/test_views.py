"""The Sanctions List pages: search, entry, history, the Secretariat's upload; roles; query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import SanctionsEntry, SanctionsName, SanctionsSnapshot
from reports.selectors.sanctions import current_snapshot
from reports.services.sanctions_import import import_sanctions_list, normalise_name

pytestmark = pytest.mark.django_db

LIST = reverse("secretariat:sanctions_list")


def refs_on(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'href="/secretariat/sanctions-list/entries/(QD[ie]\.\d+)/"', response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("QDi.901", {"QDi.901"}),
        ("qdi.901", {"QDi.901"}),
        ("al-anizi", {"QDi.901"}),  # primary name, other punctuation and case
        ("ABDULRAHMAN AL ANEZI", {"QDi.901"}),  # a Low-quality alias
        ("العنزي", {"QDi.901"}),  # the original script
        ("Abu Dhuha", {"QDi.901"}),  # the second name of a "; " alias string
        ("Hawala", {"QDe.901", "QDe.908"}),
        ("Da'esh", {"QDe.115"}),
        ("nobody at all", set()),
    ],
)
def test_search_finds_any_name_form_or_reference(client, monitoring, listed, query, expected):
    client.force_login(monitoring)
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert set(refs_on(response)) == expected


def test_search_matches_an_oracle_over_every_name(client, secretariat, listed):
    """For several needles, the entries found equal a plain loop over every stored name form."""
    client.force_login(secretariat)
    for needle in ("abu", "al", "trading", "zemblaw", "ال"):
        n = normalise_name(needle)
        oracle = {name.entry.reference for name in SanctionsName.objects.select_related("entry") if n in name.normalised}
        response = client.get(LIST, {"q": needle, "page": 1})
        count = int(re.search(r'data-testid="count">(\d+)<', response.content.decode()).group(1))
        assert count == len(oracle), needle


def test_status_filter_and_badges(client, secretariat, listed, demo_2_bytes):
    import_sanctions_list(demo_2_bytes, source="demo-2")
    client.force_login(secretariat)
    not_listed = set(refs_on(client.get(LIST, {"status": "not_listed"})))
    assert not_listed == {"QDi.913", "QDi.917", "QDe.911"}  # delisted twice, removed once
    listed_page = client.get(LIST, {"status": "listed"}).content.decode()
    assert 'data-testid="count">30<' in listed_page  # 32 in the file, of which 2 carry DELISTED_ON
    assert set(refs_on(client.get(LIST, {"status": "listed", "page": 2}))).isdisjoint(not_listed)
    assert refs_on(client.get(LIST, {"status": "listed", "q": "QDi.918"})) == ["QDi.918"]
    body = client.get(LIST, {"q": "QDe.911"}).content.decode()
    assert "Removed from the list" in body


def test_list_costs_the_same_queries_for_30_or_130_entries(client, secretariat, listed):
    client.force_login(secretariat)
    client.get(LIST)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST, {"q": "a"}).status_code == 200
    snapshot = current_snapshot()
    SanctionsEntry.objects.bulk_create(
        SanctionsEntry(
            reference=f"QDe.{500 + i}", kind="entity", primary_name=f"Made Up Trading {i}", content_hash="x",
            first_snapshot=snapshot, last_snapshot=snapshot,
        )
        for i in range(100)
    )  # fmt: skip
    SanctionsName.objects.bulk_create(
        SanctionsName(entry=e, name=e.primary_name, kind="primary", normalised=normalise_name(e.primary_name))
        for e in SanctionsEntry.objects.filter(reference__startswith="QDe.5")
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST, {"q": "a"})
    assert len(large) == len(small)
    assert "Page 1 of" in response.content.decode()


def test_entry_page_shows_every_name_form_quality_dates_and_history(
    client, monitoring, listed, demo_2_bytes, django_assert_max_num_queries
):
    import_sanctions_list(demo_2_bytes, source="demo-2")
    client.force_login(monitoring)
    url = reverse("secretariat:sanctions_entry", args=["QDi.903"])
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    for name in SanctionsName.objects.filter(entry__reference="QDi.903"):
        assert name.name in body
    assert "Hamid al-Onhavi" in body and "Low" in body and "حامد يوسف المديبي" in body
    assert "Zemblaland" in body and "Listed" in body
    changes = re.search(r'data-testid="entry-changes">(.*?)</ul>', body, re.S).group(1)
    assert changes.count("<li>") == 2 and "Added" in changes and "Amended" in changes
    assert client.get(reverse("secretariat:sanctions_entry", args=["QDi.999"])).status_code == 404


def test_history_lists_each_snapshot_changes(client, secretariat, listed, demo_2_bytes):
    import_sanctions_list(demo_2_bytes, source="demo-2")
    client.force_login(secretariat)
    body = client.get(reverse("secretariat:sanctions_snapshots")).content.decode()
    assert "3 added, 3 amended, 2 delisted, 0 relisted" in body
    assert "30 added, 0 amended, 0 delisted, 0 relisted" in body
    assert "QDe.912" in body and "no longer in the list" in body


def test_pages_say_when_no_list_was_imported(client, secretariat):
    client.force_login(secretariat)
    assert 'data-testid="no-snapshot"' in client.get(LIST).content.decode()
    assert client.get(reverse("secretariat:sanctions_snapshots")).status_code == 200


# --- upload -------------------------------------------------------------------------------------------

UPLOAD = reverse("secretariat:sanctions_upload")


def xml(data: bytes, name: str = "consolidated.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def test_secretariat_uploads_and_sees_the_counts(client, secretariat, demo_1_bytes, demo_2_bytes):
    client.force_login(secretariat)
    response = client.post(UPLOAD, {"file": xml(demo_1_bytes)}, follow=True)
    assert "30 entries; 30 added, 0 amended, 0 delisted, 0 relisted" in response.content.decode()
    response = client.post(UPLOAD, {"file": xml(demo_2_bytes)}, follow=True)
    assert "32 entries; 3 added, 3 amended, 2 delisted, 0 relisted" in response.content.decode()
    assert current_snapshot().imported_by == secretariat
    response = client.post(UPLOAD, {"file": xml(demo_2_bytes)}, follow=True)
    assert "already imported" in response.content.decode() and SanctionsSnapshot.objects.count() == 2


def test_refused_upload_shows_the_reason_beside_the_field(client, secretariat, listed):
    client.force_login(secretariat)
    hostile = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><CONSOLIDATED_LIST dateGenerated="2030-01-01"/>'
    response = client.post(UPLOAD, {"file": xml(hostile)})
    assert response.status_code == 400
    error = re.search(r'data-testid="upload-error">(.*?)</div>', response.content.decode(), re.S).group(1)
    assert "refused" in error and "document type" in error
    assert current_snapshot() == listed and SanctionsSnapshot.objects.count() == 1
    response = client.post(UPLOAD, {"file": xml(b"<SANCTIONS/>")})
    assert "root element" in response.content.decode()
    response = client.post(UPLOAD, {})
    assert response.status_code == 400 and 'data-testid="upload-error"' in response.content.decode()


def test_oversize_upload_is_refused_from_its_size(client, secretariat, demo_1_bytes):
    client.force_login(secretariat)
    with override_settings(SANCTIONS_LIST_MAX_BYTES=2048):
        response = client.post(UPLOAD, {"file": xml(demo_1_bytes)})
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()
    assert not SanctionsSnapshot.objects.exists()


@pytest.mark.parametrize("persona", ["focal_a", "signatory_a", "monitoring", "committee"])
def test_only_the_secretariat_may_upload(client, request, persona, demo_1_bytes):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(UPLOAD, {"file": xml(demo_1_bytes)}).status_code == 404
    assert not SanctionsSnapshot.objects.exists()


@pytest.mark.parametrize("persona", ["focal_a", "committee"])
def test_delegations_and_committee_do_not_see_the_list_pages(client, request, persona, listed):
    client.force_login(request.getfixturevalue(persona))
    for url in (LIST, reverse("secretariat:sanctions_snapshots"), reverse("secretariat:sanctions_entry", args=["QDi.901"])):
        assert client.get(url).status_code == 404
