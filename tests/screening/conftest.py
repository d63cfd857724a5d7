from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import OilInterdiction, PartyMention, ReportVersion
from reports.services.parties import normalize_party_name
from tests.sanctions.conftest import demo_1_bytes, demo_2_bytes, listed  # noqa: F401  (fixtures)


def submit_parties(
    report,
    names: list[str],
    *,
    when: datetime.datetime | None = None,
    draft: bool = False,
    sections: dict[str, str] | None = None,
) -> ReportVersion:  # type: ignore[no-untyped-def]
    """A version of `report` naming `names` in one interdiction row (submitted unless draft)."""
    version = report.versions.filter(is_draft=True).first() or ReportVersion.objects.create(
        report=report, number=report.versions.count() + 1, is_draft=True
    )
    if sections:
        version.section_confidentiality = sections
        version.save(update_fields=["section_confidentiality"])
    row = OilInterdiction.objects.create(
        version=version,
        date=datetime.date(2016, 1, 5),
        place="Port",
        commodity="crude",
        quantity=Decimal(10),
        unit="barrels",
        direction="to",
    )
    for name in names:
        PartyMention.objects.create(version=version, interdiction=row, name=name, normalized_name=normalize_party_name(name))
    if not draft:  # frozen after its rows are written, as version_freeze does
        ReportVersion.objects.filter(pk=version.pk).update(
            is_draft=False, submitted_at=when or timezone.now(), content_sha256="0" * 64
        )
        version.refresh_from_db()
        type(report).objects.filter(pk=report.pk).update(current_version=version, status="submitted")
    return version


@pytest.fixture
def aware():  # type: ignore[no-untyped-def]
    def make(year: int, month: int = 1, day: int = 1) -> datetime.datetime:
        return datetime.datetime(year, month, day, 15, tzinfo=datetime.UTC)

    return make
