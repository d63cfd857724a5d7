import datetime
from decimal import Decimal

import pytest

from reports.models import (
    ChecklistAnswer,
    Confidentiality,
    DraftInput,
    MemberState,
    OilInterdiction,
    PartyMention,
    ReportVersion,
    Section,
)
from reports.services.drafts import DraftConflict, RegisterRowInput, SectionInput, VersionFrozen, draft_save
from reports.services.reports import report_submit_unchecked
from tests.delegation import draft_of

pytestmark = pytest.mark.django_db


def oil_row(**overrides):  # type: ignore[no-untyped-def]
    row = {
        "date": datetime.date(2026, 10, 1),
        "place": "Ceyhan",
        "place_kind": "port",
        "commodity": "crude",
        "quantity": Decimal("1200"),
        "unit": "barrels",
        "value": None,
        "currency": "",
        "direction": "from",
        "origin_id": None,
        "destination_id": None,
        "transit": [],
        "parties": "",
        "proceedings": "",
        "outcome": "",
    }
    row.update(overrides)
    return row


def oil_page(*rows: RegisterRowInput, section: str = Section.OIL) -> SectionInput:
    """A posted register page: its rows, each named by its form's prefix."""
    for index, row in enumerate(rows):
        row.key = row.key or f"{section}-{index}"
    return SectionInput(
        section=section, register_rows=list(rows), error_count=sum(1 for r in rows if r.values is None and not r.delete)
    )


def new(**overrides) -> RegisterRowInput:  # type: ignore[no-untyped-def]
    return RegisterRowInput(key="", values=oil_row(**overrides))


def test_saving_a_section_stores_it_and_bumps_the_revision(report_a, focal_a):
    draft = draft_of(report_a)
    measure = report_a.cycle.obligation.resolution.measures.first()
    data = SectionInput(section=Section.CHECKLIST, rows=[{"measure_id": measure.pk, "answer": "in_place",
                        "legal_reference": "Code pénal, art. 421-2-2", "narrative": "", "evidence_location": ""}])  # fmt: skip
    assert draft_save(version=draft, actor=focal_a, revision=0, data=data) == 1
    answer = ChecklistAnswer.objects.get(version=draft, measure=measure)
    assert answer.answer == "in_place" and answer.legal_reference == "Code pénal, art. 421-2-2"
    draft.refresh_from_db()
    assert draft.revision == 1 and draft.updated_by == focal_a


def test_a_stale_revision_is_a_conflict_and_changes_nothing(report_a, focal_a, signatory_a):
    draft = draft_of(report_a)
    draft_save(version=draft, actor=focal_a, revision=0, data=oil_page(new(place="Mine")))
    with pytest.raises(DraftConflict) as conflict:
        draft_save(version=draft, actor=signatory_a, revision=0, data=oil_page(new(place="Theirs")))
    assert conflict.value.current_revision == 1
    assert list(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True)) == ["Mine"]


def test_a_frozen_version_is_never_saved(report_a, focal_a, signatory_a):
    draft = draft_of(report_a)
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    with pytest.raises(VersionFrozen):
        draft_save(version=version, actor=focal_a, revision=version.revision,
                   data=oil_page(new()))  # fmt: skip
    assert not OilInterdiction.objects.filter(version=draft).exists()
    assert ReportVersion.objects.get(pk=version.pk).content_sha256 == version.content_sha256


def test_register_rows_are_edited_in_place_with_transit_and_named_parties(report_a, focal_a):
    draft = draft_of(report_a)
    turkey, iraq = MemberState.objects.get(iso3="TUR"), MemberState.objects.get(iso3="IRQ")
    rows = [new(transit=[turkey.pk], origin_id=iraq.pk, parties="Tanker Co\nISIL; QDe.115"), new(place="Kilis")]
    draft_save(version=draft, actor=focal_a, revision=0, data=oil_page(*rows))
    first = OilInterdiction.objects.get(version=draft, position=0)
    kilis = OilInterdiction.objects.get(version=draft, place="Kilis")
    assert [s.iso3 for s in first.transit_route] == ["TUR"] and first.origin == iraq
    assert sorted(PartyMention.objects.filter(version=draft).values_list("name", "list_ref")) == [
        ("ISIL", "QDe.115"),
        ("Tanker Co", ""),
    ]
    # The first row is edited (same id, no transit, no parties), the second removed.
    page = oil_page(
        RegisterRowInput(key="oil-0", row_id=first.pk, values=oil_row(place="Only")),
        RegisterRowInput(key="oil-1", row_id=kilis.pk, delete=True),
    )
    draft_save(version=draft, actor=focal_a, revision=1, data=page)
    assert list(OilInterdiction.objects.filter(version=draft).values_list("pk", "place")) == [(first.pk, "Only")]
    assert not first.transit_stops.exists()
    assert not PartyMention.objects.filter(version=draft).exists()


def test_an_invalid_row_keeps_the_stored_row_and_what_was_typed(report_a, focal_a):
    draft = draft_of(report_a)
    draft_save(version=draft, actor=focal_a, revision=0, data=oil_page(new(place="Stored")))
    stored = OilInterdiction.objects.get(version=draft)
    broken = RegisterRowInput(key="oil-0", row_id=stored.pk, raw={"quantity": ["-5"], "place": ["Stored"]})
    draft_save(version=draft, actor=focal_a, revision=1, data=oil_page(broken))
    assert OilInterdiction.objects.get(version=draft).place == "Stored"
    pending = DraftInput.objects.get(version=draft, section=Section.OIL)
    assert pending.error_count == 1
    assert pending.data["rows"] == [
        {"key": f"r{stored.pk}", "row_id": stored.pk, "after": None, "values": broken.raw, "full": False}
    ]
    fixed = RegisterRowInput(key="oil-0", row_id=stored.pk, values=oil_row(place="Fixed"))
    draft_save(version=draft, actor=focal_a, revision=2, data=oil_page(fixed))
    assert not DraftInput.objects.filter(version=draft).exists()
    assert OilInterdiction.objects.get(version=draft).pk == stored.pk


def test_settings_store_the_confidentiality_of_the_report_and_of_sections(report_a, focal_a):
    draft = draft_of(report_a)
    data = SectionInput(section="settings", settings={"confidentiality": "public", "note": "n",
                        "section_confidentiality": {"cultural": "secretariat", "bogus": "public", "oil": "bogus"}})  # fmt: skip
    draft_save(version=draft, actor=focal_a, revision=0, data=data)
    draft.refresh_from_db()
    assert draft.confidentiality == Confidentiality.PUBLIC
    assert draft.section_confidentiality == {"cultural": "secretariat"}


def test_input_kept_with_errors_blocks_submission_until_corrected(report_a, focal_a):
    from reports.services.validation import Severity, version_issues

    draft = draft_of(report_a)
    broken = RegisterRowInput(key="ransom-0", draft_key="n0123456789abcdef", raw={"amount": ["-1"]})
    draft_save(version=draft, actor=focal_a, revision=0, data=oil_page(broken, section=Section.RANSOM))
    errors = [i for i in version_issues(version=draft) if i.severity == Severity.ERROR and i.section == Section.RANSOM]
    assert len(errors) == 1 and "not saved yet" in errors[0].message
    # The row removed (never stored): nothing is kept any more.
    gone = RegisterRowInput(key="ransom-0", draft_key="n0123456789abcdef", delete=True)
    draft_save(version=draft, actor=focal_a, revision=1, data=oil_page(gone, section=Section.RANSOM))
    assert not [i for i in version_issues(version=draft) if i.section == Section.RANSOM]


def test_saves_of_different_sections_do_not_conflict(report_a, focal_a, signatory_a):
    draft = draft_of(report_a)
    assert draft_save(version=draft, actor=focal_a, revision=0, data=oil_page(new())) == 1
    # The signatory opened the page at revision 0 too, and saves another section.
    assert draft_save(version=draft, actor=signatory_a, revision=0, data=SectionInput(section=Section.STR)) == 2
    assert OilInterdiction.objects.filter(version=draft).count() == 1
    # But the oil section itself was saved at revision 1: a save based on revision 0 collides.
    with pytest.raises(DraftConflict):
        draft_save(version=draft, actor=signatory_a, revision=0, data=SectionInput(section=Section.OIL))
    assert OilInterdiction.objects.filter(version=draft).count() == 1


def test_a_save_names_the_ids_of_the_rows_it_stored_and_the_keys_of_the_rows_kept_as_typed(report_a, focal_a):
    draft = draft_of(report_a)
    draft_save(version=draft, actor=focal_a, revision=0, data=oil_page(new(place="Old")))
    old = OilInterdiction.objects.get(version=draft)
    # Row 0 corrected (valid, edited in place), row 1 new and broken (kept as typed).
    data = oil_page(
        RegisterRowInput(key="oil-0", row_id=old.pk, values=oil_row(place="New")),
        RegisterRowInput(key="oil-1", raw={"quantity": ["-5"]}),
    )
    draft_save(version=draft, actor=focal_a, revision=1, data=data)
    assert list(OilInterdiction.objects.filter(version=draft).values_list("pk", "place")) == [(old.pk, "New")]
    assert data.row_ids == {"oil-0": old.pk}
    key = data.draft_keys["oil-1"]
    [entry] = DraftInput.objects.get(version=draft, section=Section.OIL).data["rows"]
    assert entry["key"] == key and entry["row_id"] is None and entry["after"] == old.pk
    assert entry["values"] == {"quantity": ["-5"]}
    # The page's next save names the row by that key: it replaces the entry, it does not add one.
    again = oil_page(RegisterRowInput(key="oil-0", row_id=old.pk, values=oil_row(place="New")),
                     RegisterRowInput(key="oil-1", draft_key=key, raw={"quantity": ["-6"]}))  # fmt: skip
    draft_save(version=draft, actor=focal_a, revision=2, data=again)
    [entry] = DraftInput.objects.get(version=draft, section=Section.OIL).data["rows"]
    assert entry["key"] == key and entry["values"] == {"quantity": ["-6"]}


def test_a_page_never_conflicts_with_its_own_earlier_save(report_a, focal_a, signatory_a):
    draft = draft_of(report_a)
    # The page's autosave is stored, but its answer (revision 1) never reaches the page.
    draft_save(
        version=draft,
        actor=focal_a,
        revision=0,
        editor="page-1",
        data=oil_page(RegisterRowInput(key="oil-0", draft_key="n00000000000000aa", values=oil_row(place="A"))),
    )
    # Its next save still carries revision 0 and no id for the row: it edits the row it created.
    assert draft_save(version=draft, actor=focal_a, revision=0, editor="page-1",
                      data=oil_page(RegisterRowInput(key="oil-0", draft_key="n00000000000000aa",
                                                     values=oil_row(place="AB")))) == 2  # fmt: skip
    assert list(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True)) == ["AB"]
    # Another page opened at revision 0 is still told of the conflict, and so is a page without a token.
    for editor in ("page-2", ""):
        with pytest.raises(DraftConflict):
            draft_save(version=draft, actor=focal_a, revision=0, editor=editor, data=SectionInput(section=Section.OIL))
    # Once someone else has saved the section, the first page's stale save is a conflict again.
    draft_save(
        version=draft,
        actor=signatory_a,
        revision=2,
        editor="page-3",
        data=oil_page(RegisterRowInput(key="oil-0", row_id=OilInterdiction.objects.get(version=draft).pk,
                                       values=oil_row(place="C"))),
    )  # fmt: skip
    with pytest.raises(DraftConflict):
        draft_save(version=draft, actor=focal_a, revision=2, editor="page-1", data=SectionInput(section=Section.OIL))
    assert list(OilInterdiction.objects.filter(version=draft).values_list("place", flat=True)) == ["C"]
