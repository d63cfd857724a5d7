"""The database itself refuses to alter the audit trail or a submitted version."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction

from reports.db_guards import guards_installed, guards_suspended
from reports.models import (
    Answer,
    Attachment,
    AuditEvent,
    ChecklistAnswer,
    FrozenAsset,
    Measure,
    OilInterdiction,
    PartyMention,
    ReportVersion,
)
from reports.services.audit import audit_log
from reports.services.reports import report_submit_unchecked

REFUSED = (IntegrityError, DatabaseError)


def refused(fn) -> bool:  # type: ignore[no-untyped-def]
    try:
        with transaction.atomic():
            fn()
    except REFUSED:
        return True
    return False


@pytest.fixture
def frozen(report_a, signatory_a):  # type: ignore[no-untyped-def]
    draft = report_a.versions.get(is_draft=True)
    measure = Measure.objects.filter(resolution=report_a.cycle.obligation.resolution).first()
    ChecklistAnswer.objects.create(version=draft, measure=measure, answer=Answer.IN_PLACE, legal_reference="Act 1")
    row = OilInterdiction.objects.create(
        version=draft, date=datetime.date(2025, 1, 2), place="Port", commodity="crude", quantity=10, unit="barrels",
        value=100, currency="USD", direction="to", origin=report_a.state, parties="X", proceedings="",
    )  # fmt: skip
    PartyMention.objects.create(version=draft, interdiction=row, name="X", normalized_name="x")
    attachment = Attachment(
        version=draft, original_name="a.pdf", content_type="application/pdf", size=4, sha256="0" * 64,
        uploaded_by=signatory_a,
    )  # fmt: skip
    attachment.file.save("upload", ContentFile(b"%PDF"), save=False)
    attachment.save()
    return report_submit_unchecked(report=report_a, actor=signatory_a)


def test_the_guards_are_installed(db):
    assert guards_installed(connection) >= 10


def test_audit_events_cannot_be_updated_or_deleted_even_raw(db):
    event = audit_log(action="report_submit", actor_name="x")
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="forged"))
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    with connection.cursor() as cursor:
        assert refused(lambda: cursor.execute("UPDATE reports_auditevent SET ip = '10.0.0.1'"))
        assert refused(lambda: cursor.execute("DELETE FROM reports_auditevent"))
    assert AuditEvent.objects.get(pk=event.pk).action == "report_submit"


def test_deleting_a_user_keeps_their_audit_events(focal_a):
    event = audit_log(action="login", actor=focal_a)
    AuditEvent.objects.filter(pk=event.pk).update(actor=None)  # what ON DELETE SET NULL does
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.actor_id is None and kept.actor_name == focal_a.username


def test_a_frozen_version_cannot_change(frozen):
    versions = ReportVersion.objects.filter(pk=frozen.pk)
    assert refused(lambda: versions.update(note="rewritten"))
    assert refused(lambda: versions.update(is_draft=True))
    assert refused(lambda: versions.update(content={"forged": True}))
    assert refused(lambda: versions.delete())
    frozen.note = "rewritten"
    assert refused(lambda: frozen.save())
    frozen.refresh_from_db()
    assert frozen.note == "" and not frozen.is_draft


def test_the_freeze_itself_is_allowed_and_a_draft_stays_editable(report_a, signatory_a):
    draft = report_a.versions.get(is_draft=True)
    ReportVersion.objects.filter(pk=draft.pk).update(note="still a draft")
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    assert version.pk == draft.pk and not ReportVersion.objects.get(pk=draft.pk).is_draft


@pytest.mark.parametrize("model", [ChecklistAnswer, OilInterdiction, PartyMention, Attachment])
def test_rows_of_a_frozen_version_cannot_change_or_go(frozen, model):
    rows = model.objects.filter(version=frozen)
    assert rows.exists()
    field = {"ChecklistAnswer": "narrative", "OilInterdiction": "place", "PartyMention": "name", "Attachment": "description"}
    assert refused(lambda: rows.update(**{field[model.__name__]: "forged"}))
    assert refused(lambda: rows.delete())
    assert rows.count() >= 1


def test_no_row_can_be_added_to_a_frozen_version(frozen):
    measure = Measure.objects.exclude(answers__version=frozen).first()
    assert refused(lambda: ChecklistAnswer.objects.create(version=frozen, measure=measure, answer=Answer.PARTIAL))
    assert refused(
        lambda: FrozenAsset.objects.create(
            version=frozen,
            listed_party="Y",
            asset_type="bank_account",
            amount=1,
            currency="USD",
            date_frozen=datetime.date(2025, 1, 1),
            institution_kind="bank",
        )
    )


def test_rows_cannot_be_moved_into_a_frozen_version(frozen, report_a, signatory_a):
    from reports.services.reports import report_open_addendum

    addendum = report_open_addendum(report=report_a, actor=signatory_a)
    moved = ChecklistAnswer.objects.filter(version=addendum)
    assert moved.exists()
    assert refused(lambda: moved.update(version=frozen))
    moved.update(narrative="a draft row changes freely")


def test_maintenance_can_suspend_the_guards_in_one_transaction(frozen):
    with guards_suspended(connection):
        ReportVersion.objects.filter(pk=frozen.pk).update(note="restored")
    assert refused(lambda: ReportVersion.objects.filter(pk=frozen.pk).update(note="again"))
    assert guards_installed(connection) >= 10
