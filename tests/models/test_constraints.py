import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from reports.models import FrozenAsset, OilInterdiction, PartyMention, Report, ReportVersion
from tests.factories import make_report


def _row(version, **overrides):
    values = {
        "version": version, "date": datetime.date(2026, 5, 1), "place": "Port", "commodity": "crude",
        "quantity": Decimal("10"), "unit": "barrels", "direction": "to",
    }  # fmt: skip
    values.update(overrides)
    return OilInterdiction(**values)


def test_one_report_per_state_and_cycle(report_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(state=report_a.state, cycle=report_a.cycle)


def test_only_one_open_draft_per_report(report_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.create(report=report_a, number=2, is_draft=True)


def test_negative_quantity_is_refused_by_the_database(report_a):
    draft = report_a.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(draft, quantity=Decimal("-1")).save()


def test_value_without_currency_is_refused(report_a):
    draft = report_a.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(draft, value=Decimal("5"), currency="").save()


@pytest.mark.parametrize("ref", ["QDe.115", "QDi.1", "QDi.9999", ""])
def test_valid_list_references_are_accepted(report_a, ref):
    draft = report_a.versions.get()
    FrozenAsset.objects.create(
        version=draft, listed_party="X", list_ref=ref, asset_type="bank_account", amount=1, currency="USD",
        date_frozen=datetime.date(2026, 1, 1), institution_kind="bank",
    )  # fmt: skip


@pytest.mark.parametrize("ref", ["QDe115", "QDx.1", "qde.115", "QDe.12345", "QDe.", "<script>"])
def test_malformed_list_references_are_refused(report_a, ref):
    draft = report_a.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        FrozenAsset.objects.create(
            version=draft, listed_party="X", list_ref=ref, asset_type="bank_account", amount=1, currency="USD",
            date_frozen=datetime.date(2026, 1, 1), institution_kind="bank",
        )  # fmt: skip


def test_party_mention_must_belong_to_a_register_row(report_a):
    draft = report_a.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMention.objects.create(version=draft, name="X", normalized_name="x")


def test_frozen_version_must_carry_hash_and_time(state_b, cycle, focal_b):
    report = make_report(state_b, cycle, focal_b)
    draft = report.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.filter(pk=draft.pk).update(is_draft=False)
