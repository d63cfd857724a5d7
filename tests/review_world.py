"""A report filed and amended, for the pages that show a whole report and its changes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import (
    Answer,
    ChecklistAnswer,
    Confidentiality,
    FrozenAsset,
    Measure,
    MemberState,
    OilInterdiction,
    OilInterdictionTransit,
    Report,
    ReportingCycle,
    Role,
    User,
)
from reports.services.attachments import attachment_add
from reports.services.reports import report_open_addendum, report_submit_unchecked
from tests.delegation import draft_of, pdf_bytes
from tests.factories import make_report, make_user
from tests.mfa import totp_give

LONG_NARRATIVE = "The customs code was amended. " * 40 + "END-OF-NARRATIVE"


def oil_row(version: Any, position: int, **values: Any) -> OilInterdiction:
    fields: dict[str, Any] = {
        "date": datetime.date(2026, 10, 1), "place": f"Port {position}", "commodity": "crude", "unit": "barrels",
        "direction": "from", "quantity": Decimal(100 + position), "position": position,
    }  # fmt: skip
    fields.update(values)
    return OilInterdiction.objects.create(version=version, **fields)


def filed_report(
    state: MemberState,
    cycle: ReportingCycle,
    *,
    oil_rows: int = 3,
    sections: dict[str, str] | None = None,
    secret: str = "",
    focal: User | None = None,
    signatory: User | None = None,
    confidentiality: str = Confidentiality.COMMITTEE,
) -> Report:
    """Version 1: the first measure answered with a long narrative, `oil_rows` interdictions (the
    first through Türkiye), a frozen asset, an attachment; `secret` goes into the oil register and
    the assets register (mark them internal with `sections`)."""
    focal = focal or make_user(Role.FOCAL_POINT, state)
    signatory = signatory or totp_give(make_user(Role.SIGNATORY, state))
    report = make_report(state, cycle, focal)
    draft = draft_of(report)
    draft.confidentiality = confidentiality
    draft.section_confidentiality = sections or {}
    draft.save(update_fields=["confidentiality", "section_confidentiality"])
    measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code")[:2])
    ChecklistAnswer.objects.create(version=draft, measure=measures[0], answer=Answer.IN_PLACE,
                                   legal_reference="Customs Act, art. 12", narrative=LONG_NARRATIVE)  # fmt: skip
    ChecklistAnswer.objects.create(version=draft, measure=measures[1], answer=Answer.PARTIAL, legal_reference="Decree 7")
    for position in range(oil_rows):
        row = oil_row(draft, position, parties=f"{secret} party {position}" if secret else "")
        if position == 0:
            OilInterdictionTransit.objects.create(
                oilinterdiction=row, memberstate=MemberState.objects.get(iso3="TUR"), position=0
            )
    FrozenAsset.objects.create(version=draft, listed_party=f"{secret} Holdings" if secret else "Holdings", list_ref="QDe.115",
                               asset_type="bank account", amount=Decimal("5000"), currency="USD",
                               date_frozen=datetime.date(2026, 9, 1))  # fmt: skip
    attachment_add(version=draft, actor=focal, upload=SimpleUploadedFile("customs-act.pdf", pdf_bytes(), "application/pdf"))
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    return report


def amend(
    report: Report, *, levels: dict[str, str] | None = None, signatory: User | None = None, confidentiality: str = ""
) -> Report:
    """Version 2: the first interdiction's quantity changed, one interdiction added, the second
    measure's answer changed, and (the old 500) the sections' confidentiality changed."""
    signatory = signatory or totp_give(make_user(Role.SIGNATORY, report.state))
    draft = report_open_addendum(report=report, actor=signatory)
    first = OilInterdiction.objects.filter(version=draft).order_by("position", "id").first()
    if first is not None:
        first.quantity = Decimal("999")
        first.save(update_fields=["quantity"])
    oil_row(draft, 99, place="Kilis crossing")
    answer = ChecklistAnswer.objects.filter(version=draft).order_by("measure__order", "measure__code").last()
    if answer is not None:
        answer.answer = Answer.NOT_IN_PLACE
        answer.save(update_fields=["answer"])
    draft.section_confidentiality = levels if levels is not None else {"cultural": Confidentiality.PUBLIC}
    draft.note = "Addendum after the Secretariat's question"
    draft.confidentiality = confidentiality or draft.confidentiality
    draft.save(update_fields=["section_confidentiality", "note", "confidentiality"])
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    return report
