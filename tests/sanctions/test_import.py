"""Importing the Consolidated List: counts against a plain ElementTree loop, idempotence, hostile files."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import override_settings

from reports.models import (
    AuditEvent,
    SanctionsChange,
    SanctionsEntry,
    SanctionsName,
    SanctionsSnapshot,
)
from reports.selectors.sanctions import current_snapshot
from reports.services.sanctions_import import SanctionsListRefused, import_sanctions_list, read_capped
from tests.sanctions.conftest import DEMO_1, DEMO_2

pytestmark = pytest.mark.django_db


# --- the oracle: the files read with the standard library, independently of the import ------------


def oracle(path) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """QD entries: reference -> (listed?, the entry's XML without volatile fields, its name forms)."""
    root = ET.parse(path).getroot()  # noqa: S314 (our own fixture; the oracle must not share the import's parser)
    out: dict[str, dict] = {}
    for el in [*root.iter("INDIVIDUAL"), *root.iter("ENTITY")]:
        ref = el.findtext("REFERENCE_NUMBER")
        if not ref.startswith("QD"):
            continue
        for volatile in el.findall("VERSIONNUM"):
            el.remove(volatile)
        names = {
            " ".join(t for t in (el.findtext(k) or "" for k in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if t)
        }
        if el.findtext("NAME_ORIGINAL_SCRIPT"):
            names.add(el.findtext("NAME_ORIGINAL_SCRIPT"))
        for alias in el.iter("ALIAS_NAME"):
            names |= {n.strip() for n in (alias.text or "").split(";") if n.strip()}
        out[ref] = {"listed": not el.findtext("DELISTED_ON"), "xml": ET.tostring(el), "names": names}
    return out


def test_demo_1_then_demo_2_counts_match_a_loop_over_the_xml(demo_1_bytes, demo_2_bytes):
    one, two = oracle(DEMO_1), oracle(DEMO_2)
    assert len(one) >= 30 and any(not e["listed"] for e in one.values())

    first = import_sanctions_list(demo_1_bytes, source="demo-1")
    assert (first.snapshot.added, first.snapshot.amended, first.snapshot.delisted) == (len(one), 0, 0)
    assert first.snapshot.entries_count == len(one)
    assert first.skipped_other_regimes == 3  # TAi., KPi., SOe. entries are not this regime's

    second = import_sanctions_list(demo_2_bytes, source="demo-2")
    added = set(two) - set(one)
    delisted = {r for r in one if one[r]["listed"] and (r not in two or not two[r]["listed"])}
    amended = {r for r in set(one) & set(two) if one[r]["xml"] != two[r]["xml"] and r not in delisted}
    assert (added, delisted, amended) == (set(second.added), set(second.delisted), set(second.amended))
    assert len(added) == 3 and len(delisted) == 2 and len(amended) == 3  # what the second file was made to do
    s = second.snapshot
    assert (s.added, s.amended, s.delisted, s.relisted, s.entries_count) == (3, 3, 2, 0, len(two))

    # The change rows, counted with SQL.
    with connection.cursor() as cursor:
        cursor.execute("SELECT change, count(*) FROM reports_sanctionschange WHERE snapshot_id = %s GROUP BY change", [s.pk])
        assert dict(cursor.fetchall()) == {"added": 3, "amended": 3, "delisted": 2}

    # Listed now: in the current snapshot and not delisted, exactly the oracle's listed entries of file 2.
    assert current_snapshot() == s
    listed_now = {e.reference for e in SanctionsEntry.objects.all() if e.is_listed_in(s)}
    assert listed_now == {r for r, e in two.items() if e["listed"]}
    removed = SanctionsEntry.objects.get(reference="QDe.911")
    assert removed.last_snapshot_id == first.snapshot.pk and removed.delisted_on is None
    assert SanctionsChange.objects.get(snapshot=s, entry=removed).detail == {"removed": True}

    # Every name form of every entry, "; " strings split.
    for ref, e in two.items():
        stored = set(SanctionsName.objects.filter(entry__reference=ref).values_list("name", flat=True))
        assert stored == e["names"], ref


def test_name_forms_keep_quality_script_and_normalised_copy(demo_1_bytes):
    import_sanctions_list(demo_1_bytes, source="demo-1")
    names = {n.name: n for n in SanctionsName.objects.filter(entry__reference="QDi.901")}
    assert names["ABD AL-RAHMAN KHALAF UBAYD JUDAY AL-ANIZI"].kind == "primary"
    assert names["عبد الرحمن خلف عبيد جدي العنزي"].kind == "original_script"
    assert names["Abu Dhuha"].quality == "low" and names["Abdulrahman al Anezi"].quality == "low"
    assert names["Abu Ubayd al-Zemblawi"].quality == "good"
    assert names["ABD AL-RAHMAN KHALAF UBAYD JUDAY AL-ANIZI"].normalised == "abd al rahman khalaf ubayd juday al anizi"
    entry = SanctionsEntry.objects.get(reference="QDi.901")
    assert entry.kind == "individual" and entry.nationalities == ["Zemblaland"]
    assert entry.details["dates_of_birth"] == [{"type_of_date": "APPROXIMATELY", "year": "1968"}]
    assert str(entry.listed_on) == "2015-09-29"
    assert SanctionsEntry.objects.get(reference="QDi.917").delisted_on is not None
    assert SanctionsEntry.objects.get(reference="QDe.902").kind == "entity"


def test_same_file_twice_changes_nothing_and_says_so(demo_1_bytes):
    first = import_sanctions_list(demo_1_bytes, source="demo-1")
    counts = (SanctionsSnapshot.objects.count(), SanctionsChange.objects.count(), SanctionsName.objects.count())
    again = import_sanctions_list(demo_1_bytes, source="demo-1 again")
    assert again.unchanged and again.snapshot == first.snapshot
    assert (SanctionsSnapshot.objects.count(), SanctionsChange.objects.count(), SanctionsName.objects.count()) == counts


def test_unchanged_content_in_a_new_file_counts_no_change(demo_1_bytes):
    import_sanctions_list(demo_1_bytes, source="demo-1")
    # Same entries, a later generation date: a new snapshot, nothing added, amended or delisted.
    later = demo_1_bytes.replace(b'dateGenerated="2026-10-01T10:00:04.717-04:00"', b'dateGenerated="2026-10-02T10:00:00Z"')
    result = import_sanctions_list(later, source="demo-1 later")
    assert not result.unchanged
    assert (result.snapshot.added, result.snapshot.amended, result.snapshot.delisted) == (0, 0, 0)
    assert SanctionsEntry.objects.filter(last_snapshot=result.snapshot).count() == 30


def test_relisted_entry_is_counted_as_relisted(demo_1_bytes, demo_2_bytes):
    import_sanctions_list(demo_1_bytes, source="demo-1")
    import_sanctions_list(demo_2_bytes, source="demo-2")
    back = demo_2_bytes.replace(b"<DELISTED_ON>2026-11-01</DELISTED_ON>", b"").replace(
        b'dateGenerated="2026-11-02T09:30:00.100-05:00"', b'dateGenerated="2026-11-20T09:30:00Z"'
    )
    result = import_sanctions_list(back, source="demo-3")
    assert result.relisted == ["QDi.913"] and result.snapshot.relisted == 1


def test_import_is_audited(demo_1_bytes):
    result = import_sanctions_list(demo_1_bytes, source="demo-1")
    event = AuditEvent.objects.get(action="sanctions_list_imported")
    assert event.object_id == str(result.snapshot.pk) and event.detail["added"] == 30


# --- refused files: a reason, and the snapshot in force stays ----------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST dateGenerated="2030-01-01T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>
<FIRST_NAME>&lol3;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST dateGenerated="2030-01-01T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>
<FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:9/evil.dtd">
<CONSOLIDATED_LIST dateGenerated="2030-01-01T00:00:00Z"/>"""


def _hostile(demo_1_bytes: bytes) -> dict[str, tuple[bytes, str]]:
    return {
        "billion laughs": (BILLION_LAUGHS, "document type"),
        "external entity": (EXTERNAL_ENTITY, "document type"),
        "external dtd": (EXTERNAL_DTD, "document type"),
        "wrong root": (demo_1_bytes.replace(b"CONSOLIDATED_LIST", b"SANCTIONS"), "root element"),
        "truncated": (demo_1_bytes[: len(demo_1_bytes) // 2], "well-formed"),
        "not xml": (b"%PDF-1.7 not a list", "well-formed"),
        "empty": (b"", "empty"),
        "no date": (demo_1_bytes.replace(b'dateGenerated="2026-10-01T10:00:04.717-04:00"', b""), "dateGenerated"),
        "missing reference": (
            demo_1_bytes.replace(b"<REFERENCE_NUMBER>QDi.905</REFERENCE_NUMBER>", b"", 1).replace(
                b"2026-10-01T10", b"2030-10-01T10"
            ),
            "REFERENCE_NUMBER",
        ),
        "duplicate reference": (
            demo_1_bytes.replace(b"QDi.906", b"QDi.905").replace(b"2026-10-01T10", b"2030-10-01T10"),
            "twice",
        ),
        "no entry of the regime": (
            b'<CONSOLIDATED_LIST dateGenerated="2030-01-01T00:00:00Z"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>',
            "no entry",
        ),
        "older than the list in force": (
            demo_1_bytes.replace(b"2026-10-01T10:00:04.717-04:00", b"2020-01-01T00:00:00Z"),
            "before the list in force",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "billion laughs",
        "external entity",
        "external dtd",
        "wrong root",
        "truncated",
        "not xml",
        "empty",
        "no date",
        "missing reference",
        "duplicate reference",
        "no entry of the regime",
        "older than the list in force",
    ],
)
def test_hostile_or_broken_file_is_refused_and_nothing_changes(case, demo_1_bytes):
    before = import_sanctions_list(demo_1_bytes, source="demo-1").snapshot
    rows = (SanctionsEntry.objects.count(), SanctionsName.objects.count(), SanctionsChange.objects.count())
    data, reason = _hostile(demo_1_bytes)[case]
    with pytest.raises(SanctionsListRefused) as refused:
        import_sanctions_list(data, source=case)
    assert reason in str(refused.value.reason)
    assert current_snapshot() == before and SanctionsSnapshot.objects.count() == 1
    assert (SanctionsEntry.objects.count(), SanctionsName.objects.count(), SanctionsChange.objects.count()) == rows
    assert "root:" not in str(refused.value.reason)  # the external entity was never read


def test_refusal_inside_the_transaction_keeps_the_previous_snapshot(demo_1_bytes, demo_2_bytes, monkeypatch):
    before = import_sanctions_list(demo_1_bytes, source="demo-1").snapshot
    from reports.services import sanctions_import

    def boom(**kwargs):  # type: ignore[no-untyped-def]
        raise SanctionsListRefused("stopped after the writes")

    monkeypatch.setattr(sanctions_import, "audit_log", boom)  # the last step of the import
    with pytest.raises(SanctionsListRefused):
        import_sanctions_list(demo_2_bytes, source="demo-2")
    assert current_snapshot() == before and SanctionsSnapshot.objects.count() == 1
    assert not SanctionsEntry.objects.filter(reference="QDi.918").exists()
    assert SanctionsEntry.objects.get(reference="QDi.913").delisted_on is None


def test_oversize_bytes_are_refused_before_parsing(demo_1_bytes):
    with override_settings(SANCTIONS_LIST_MAX_BYTES=len(demo_1_bytes) - 1):
        with pytest.raises(SanctionsListRefused, match="larger than"):
            import_sanctions_list(demo_1_bytes, source="big")
    assert not SanctionsSnapshot.objects.exists()


class _Endless(io.RawIOBase):
    """A stream that would give 200 MB; counts what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), 200 * 1024 * 1024 - self.given)
        buffer[:n] = b"<" * n
        self.given += n
        return n


def test_200_mb_declared_size_is_refused_without_reading():
    stream = _Endless()
    with pytest.raises(SanctionsListRefused, match="larger than 50 MB"):
        read_capped(stream, declared_size=200 * 1024 * 1024)
    assert stream.given == 0


def test_200_mb_stream_is_cut_at_the_cap():
    stream = _Endless()
    with override_settings(SANCTIONS_LIST_MAX_BYTES=64 * 1024):
        with pytest.raises(SanctionsListRefused, match="larger than"):
            read_capped(stream)
    assert stream.given <= 64 * 1024 + 1


def test_demo_loads_the_made_up_list_once():
    from reports.services.demo import demo_sanctions_list_ensure

    assert demo_sanctions_list_ensure() == 30
    assert demo_sanctions_list_ensure() == 0  # a list is there: the demo leaves it alone
    assert current_snapshot().source == "demo: consolidated-demo-1.xml"
