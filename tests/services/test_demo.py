import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from reports.models import ChecklistAnswer, OilInterdiction, Report, ReportStatus, ReportVersion, User
from reports.services.demo import demo_seed


def _counts():
    return (
        User.objects.count(), Report.objects.count(), ReportVersion.objects.count(),
        ChecklistAnswer.objects.count(), OilInterdiction.objects.count(),
    )  # fmt: skip


def test_seed_demo_twice_changes_nothing(reference):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first


def test_demo_covers_about_two_thirds_of_states_with_a_mix_of_statuses(reference):
    demo_seed()
    for cycle_code in ["committee-update-2025", "committee-update-2026"]:
        states_with_a_report = Report.objects.filter(cycle__code=cycle_code).count()
        assert 110 <= states_with_a_report <= 150, cycle_code
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED} <= statuses
    assert (
        Report.objects.filter(is_late=True).exists()
        and Report.objects.filter(first_submitted_at__isnull=False, is_late=False).exists()
    )
    assert OilInterdiction.objects.filter(mentions__isnull=False).exists()
    for username in ["secretariat", "monitoring", "committee", "focal-fra", "signatory-fra"]:
        assert User.objects.get(username=username).check_password("demo-pass-2253")


def test_demo_users_have_their_role_and_state(reference):
    demo_seed()
    focal = User.objects.get(username="focal-fra")
    assert focal.role == "focal_point" and focal.state.iso3 == "FRA"
    assert User.objects.get(username="signatory-fra").is_signatory
    assert User.objects.get(username="secretariat").role == "secretariat"


def test_demo_data_is_refused_in_production(reference, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        demo_seed()
