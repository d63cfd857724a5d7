"""Committee pages: accepted reports only, restricted sections left out, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import (
    Answer,
    AuditEvent,
    ChecklistAnswer,
    Confidentiality,
    Measure,
    MemberState,
    OilInterdiction,
    Report,
    ReportingCycle,
    Role,
)
from reports.services.attachments import attachment_add
from reports.services.reports import report_submit_unchecked
from reports.services.review import report_accept, report_start_review
from tests.factories import make_report, make_user, open_cycle
from tests.mfa import totp_give

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_PORT = "Port-of-SECRET-oil"
PUBLIC_LEGAL = "Act PUBLIC/2020"


def _filed(state: MemberState, cycle: ReportingCycle, *, confidentiality: str = Confidentiality.COMMITTEE,
           sections: dict[str, str] | None = None, accept: bool = True, officer=None) -> Report:  # type: ignore[no-untyped-def]  # fmt: skip
    """A report of `state` in `cycle` with a checklist answer, an oil interdiction and an
    attachment, submitted by its signatory and (unless accept=False) accepted."""
    focal = make_user(Role.FOCAL_POINT, state)
    signatory = totp_give(make_user(Role.SIGNATORY, state))
    report = make_report(state, cycle, focal)
    draft = report.versions.get(is_draft=True)
    draft.confidentiality = confidentiality
    draft.section_confidentiality = sections or {}
    draft.save(update_fields=["confidentiality", "section_confidentiality"])
    measure = Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code").first()
    ChecklistAnswer.objects.create(version=draft, measure=measure, answer=Answer.IN_PLACE, legal_reference=PUBLIC_LEGAL)
    OilInterdiction.objects.create(
        version=draft, date=datetime.date(2026, 1, 5), place=SECRET_PORT, commodity="crude", quantity=100, unit="barrels",
        value=1000, currency="USD", direction="to", origin=state, parties="", proceedings="",
    )  # fmt: skip
    attachment_add(version=draft, actor=focal, upload=SimpleUploadedFile(f"law-{state.iso3}.pdf", PDF_BYTES, "application/pdf"))
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    if accept:
        officer = officer or totp_give(make_user(Role.SECRETARIAT))
        report_start_review(report=report, actor=officer)
        report_accept(report=report, actor=officer)
        report.refresh_from_db()
    return report


@pytest.fixture
def accepted(state_a, cycle) -> Report:  # type: ignore[no-untyped-def]
    # Oil interdictions are for the Secretariat only; the rest is for the Committee.
    return _filed(state_a, cycle, sections={"oil": Confidentiality.SECRETARIAT})


@pytest.fixture
def committee_client(client, committee):  # type: ignore[no-untyped-def]
    client.force_login(committee)
    return client


def test_list_shows_accepted_reports_only(committee_client, accepted, state_b, reference) -> None:  # type: ignore[no-untyped-def]
    other_cycle = open_cycle("other-cycle")
    hidden_whole = _filed(state_b, other_cycle, confidentiality=Confidentiality.SECRETARIAT)
    not_accepted = _filed(MemberState.objects.get(iso3="JOR"), other_cycle, accept=False)
    draft_only = make_report(MemberState.objects.get(iso3="NGA"), other_cycle)

    response = committee_client.get(reverse("committee:reports"))

    assert response.status_code == 200
    shown = [r.pk for r in response.context["page"].object_list]
    assert shown == [accepted.pk]
    body = response.content.decode()
    assert reverse("committee:report", args=[accepted.pk]) in body
    assert accepted.current_version.reference in body
    for hidden in (hidden_whole, not_accepted, draft_only):
        assert reverse("committee:report", args=[hidden.pk]) not in body


def test_report_page_leaves_out_a_secretariat_only_section(committee_client, accepted) -> None:  # type: ignore[no-untyped-def]
    response = committee_client.get(reverse("committee:report", args=[accepted.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert PUBLIC_LEGAL in body  # the checklist (Committee level) is there
    assert SECRET_PORT not in body  # the oil register (Secretariat only) is not
    assert 'data-testid="restricted-oil"' in body
    assert "This section is restricted" in body
    assert 'data-testid="restricted-checklist' not in body
    attachment = accepted.current_version.attachments.get()
    assert reverse("delegation:attachment_download", args=[attachment.pk]) in body
    assert [s.key for s in response.context["display"].sections if s.restricted] == ["oil"]


def test_restricted_attachments_are_neither_listed_nor_downloadable(client, committee, state_a, cycle) -> None:  # type: ignore[no-untyped-def]
    report = _filed(state_a, cycle, sections={"attachments": Confidentiality.SECRETARIAT})
    attachment = report.current_version.attachments.get()
    client.force_login(committee)

    body = client.get(reverse("committee:report", args=[report.pk])).content.decode()

    assert 'data-testid="restricted-attachments"' in body
    assert attachment.original_name not in body
    assert attachment.sha256 not in body
    assert client.get(reverse("delegation:attachment_download", args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize(
    "sections", [{}, {"oil": Confidentiality.SECRETARIAT}, {"attachments": Confidentiality.PUBLIC}, {"attachments": ""}]
)
def test_committee_downloads_a_visible_attachment_through_the_gate(committee_client, committee, state_a, cycle, sections) -> None:  # type: ignore[no-untyped-def]
    # No override, another section's override, its own: the attachments are the Committee's to read.
    accepted = _filed(state_a, cycle, sections=sections)
    attachment = accepted.current_version.attachments.get()
    page = committee_client.get(reverse("committee:report", args=[accepted.pk])).content.decode()
    assert reverse("delegation:attachment_download", args=[attachment.pk]) in page

    response = committee_client.get(reverse("delegation:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(action="attachment_download", actor=committee, object_id=str(attachment.pk)).exists()


def test_public_section_override_is_shown(committee_client, state_a, cycle) -> None:  # type: ignore[no-untyped-def]
    report = _filed(state_a, cycle, sections={"oil": Confidentiality.PUBLIC})
    body = committee_client.get(reverse("committee:report", args=[report.pk])).content.decode()
    assert SECRET_PORT in body
    assert "This section is restricted" not in body


@pytest.mark.parametrize("kind", ["secretariat_only", "not_accepted", "draft"])
def test_reports_the_committee_may_not_read_answer_404(committee_client, state_a, cycle, kind) -> None:  # type: ignore[no-untyped-def]
    if kind == "secretariat_only":
        report = _filed(state_a, cycle, confidentiality=Confidentiality.SECRETARIAT)
    elif kind == "not_accepted":
        report = _filed(state_a, cycle, accept=False)
    else:
        report = make_report(state_a, cycle)
    assert committee_client.get(reverse("committee:report", args=[report.pk])).status_code == 404


@pytest.mark.parametrize("bad", ["0", "999999999", "99999999999999999999", "-1", "abc", "1%20OR%201=1", "%3Cscript%3E"])
def test_bad_ids_answer_404(committee_client, accepted, bad) -> None:  # type: ignore[no-untyped-def]
    assert committee_client.get(f"/committee/reports/{bad}/").status_code == 404


@pytest.mark.parametrize("who", ["focal_a", "signatory_a", "focal_b", "secretariat", "monitoring"])
def test_other_roles_get_404(client, accepted, who, request) -> None:  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("committee:reports")).status_code == 404
    assert client.get(reverse("committee:report", args=[accepted.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, accepted) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("committee:report", args=[accepted.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_filters_by_cycle_and_regional_group(committee_client, accepted, state_b, reference) -> None:  # type: ignore[no-untyped-def]
    other_cycle = open_cycle("other-cycle", due=datetime.date(2026, 6, 30))
    officer = totp_give(make_user(Role.SECRETARIAT))
    german = _filed(state_b, other_cycle, officer=officer)
    nigerian = _filed(MemberState.objects.get(iso3="NGA"), other_cycle, officer=officer)
    url = reverse("committee:reports")

    def shown(**params: str) -> set[int]:
        response = committee_client.get(url, params)
        assert response.status_code == 200
        return {r.pk for r in response.context["page"].object_list}

    assert shown() == {accepted.pk, german.pk, nigerian.pk}
    assert shown(cycle="other-cycle") == {german.pk, nigerian.pk}
    assert shown(group="WEOG") == {accepted.pk, german.pk}
    assert shown(cycle="other-cycle", group="AFRICAN") == {nigerian.pk}
    assert shown(cycle="test-cycle", group="AFRICAN") == set()


@pytest.mark.parametrize(
    "params", [{"cycle": "no-such-cycle"}, {"group": "<script>alert(1)</script>"}, {"cycle": "x" * 5000}, {"group": "مجموعة"}]
)
def test_bad_filters_answer_400_with_a_message(committee_client, accepted, params) -> None:  # type: ignore[no-untyped-def]
    response = committee_client.get(reverse("committee:reports"), params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Unknown" in body
    assert "<script>alert(1)</script>" not in body
    assert list(response.context["page"].object_list) == []


def test_bad_page_number_is_not_an_error(committee_client, accepted) -> None:  # type: ignore[no-untyped-def]
    for page in ("abc", "-3", "99999999999999999999"):
        response = committee_client.get(reverse("committee:reports"), {"page": page})
        assert response.status_code == 200


def test_constant_query_count(committee_client, committee, cycle, django_assert_max_num_queries, reference) -> None:  # type: ignore[no-untyped-def]
    officer = totp_give(make_user(Role.SECRETARIAT))
    url = reverse("committee:reports")
    states = list(MemberState.objects.exclude(iso3__in=["FRA", "DEU"]).order_by("iso3")[:8])
    _filed(states[0], cycle, officer=officer)
    committee_client.get(url)  # warm up (session, ContentTypes)
    with django_assert_max_num_queries(12) as few:
        assert len(committee_client.get(url).context["page"].object_list) == 1
    for state in states[1:]:
        _filed(state, cycle, officer=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(committee_client.get(url).context["page"].object_list) == 8
    report = Report.objects.filter(state=states[-1]).get()
    with django_assert_max_num_queries(12):
        assert committee_client.get(reverse("committee:report", args=[report.pk])).status_code == 200


def test_other_pages_of_the_partial_are_unchanged(client, focal_a, state_a, cycle) -> None:  # type: ignore[no-untyped-def]
    """The delegation's version page, which shares the content partial, shows every section."""
    report = _filed(state_a, cycle, sections={"oil": Confidentiality.SECRETARIAT}, accept=False)
    client.force_login(focal_a)
    body = client.get(reverse("delegation:version", args=[report.pk, report.current_version.number])).content.decode()
    assert SECRET_PORT in body
    assert "This section is restricted" not in body
