"""The access gate with the personas: another State's things look like nothing at all."""

import pytest
from django.http import Http404

from reports.models import ReportStatus
from reports.selectors import access
from reports.services.reports import report_submit_unchecked


def test_focal_point_sees_own_state_draft(focal_a, report_a):
    assert list(access.reports_visible_to(focal_a)) == [report_a]
    assert access.get_report_for_user(focal_a, report_a.pk) == report_a


def test_other_state_cannot_open_draft(focal_b, report_a):
    with pytest.raises(Http404):
        access.get_report_for_user(focal_b, report_a.pk)
    draft = report_a.versions.get()
    with pytest.raises(Http404):
        access.get_version_for_user(focal_b, draft.pk)


def test_other_state_cannot_open_submitted_report(focal_b, signatory_a, report_a):
    report_submit_unchecked(report=report_a, actor=signatory_a)
    assert not access.reports_visible_to(focal_b).exists()
    assert not access.versions_visible_to(focal_b).exists()


def test_back_office_does_not_see_unsubmitted_drafts(secretariat, monitoring, report_a):
    assert not access.reports_visible_to(secretariat).exists()
    assert not access.reports_visible_to(monitoring).exists()


def test_back_office_sees_submitted_reports_but_never_drafts(secretariat, signatory_a, report_a):
    report_submit_unchecked(report=report_a, actor=signatory_a)
    assert access.get_report_for_user(secretariat, report_a.pk) == report_a
    assert not access.versions_visible_to(secretariat).filter(is_draft=True).exists()


def test_committee_sees_only_accepted_reports_not_secretariat_only(committee, signatory_a, report_a):
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    assert not access.reports_visible_to(committee).exists()
    report_a.status = ReportStatus.ACCEPTED
    report_a.save(update_fields=["status"])
    assert access.get_report_for_user(committee, report_a.pk) == report_a
    from django.db import connection

    from reports.db_guards import guards_suspended

    with guards_suspended(connection):  # a submitted version is immutable in the database (issue 6)
        version.__class__.objects.filter(pk=version.pk).update(confidentiality="secretariat")
    with pytest.raises(Http404):
        access.get_report_for_user(committee, report_a.pk)


def test_user_without_role_sees_nothing(report_a, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-very-long-pass-1")
    assert not access.reports_visible_to(nobody).exists()
    assert not access.states_visible_to(nobody).exists()


@pytest.mark.parametrize("bad_pk", ["abc", "-1", "99999999999999999999999", "", "1 OR 1=1"])
def test_garbage_ids_are_not_found(focal_a, report_a, bad_pk):
    with pytest.raises(Http404):
        access.get_report_for_user(focal_a, bad_pk)


def test_delegation_state_scope_is_only_its_state(focal_a, state_a):
    assert list(access.states_visible_to(focal_a)) == [state_a]
    with pytest.raises(Http404):
        access.get_state_for_user(focal_a, "DEU")
