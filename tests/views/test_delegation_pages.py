"""The delegation's pages with the personas: what they show, who gets 404, constant queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import (
    Attachment,
    Measure,
    MemberState,
    OilInterdiction,
    Report,
)
from reports.services.attachments import attachment_add
from reports.services.reports import report_submit_unchecked
from reports.services.threads import thread_open, thread_reply
from tests.delegation import draft_of, pdf_bytes
from tests.factories import make_report, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def test_the_landing_page_lists_cycles_with_days_left_or_late_and_open_questions(
    client, focal_a, signatory_a, report_a, secretariat, focal_b, report_b
):
    open_cycle("overdue-cycle", due=datetime.date(2026, 11, 10))
    report_submit_unchecked(report=report_a, actor=signatory_a)
    asked = thread_open(report=report_a, actor=secretariat, body="Please give the legal basis of the asset freeze.",
                        anchor="section", section="assets")  # fmt: skip
    thread_reply(thread=asked, actor=secretariat, body="SECRET-ASIDE for the officers", internal=True)
    thread_open(report=report_a, actor=secretariat, body="SECRET-NOTE of the Secretariat", internal=True)
    client.force_login(focal_a)
    page = client.get(reverse("delegation:dashboard")).content.decode()
    assert "10 days late" in page  # due 10 November, today 20 November (New York)
    assert "40 days left" in page  # test-cycle is due on 30 December
    assert "Please give the legal basis of the asset freeze." in page
    assert "Frozen assets" in page and "Asked on" in page and "waiting for your answer" in page
    assert f'href="{reverse("delegation:report", args=[report_a.pk])}#thread-{asked.pk}"' in page
    assert "SECRET" not in page
    assert "Report an oil interdiction" in page
    thread_reply(thread=asked, actor=focal_a, body="Decree 12 of 2016.")
    page = client.get(reverse("delegation:dashboard")).content.decode()
    assert "answered, waiting for the Secretariat" in page and "1 reply" in page
    client.force_login(focal_b)  # another State sees none of it
    page = client.get(reverse("delegation:dashboard")).content.decode()
    assert "legal basis" not in page and 'data-testid="clarifications"' not in page


def test_the_landing_page_costs_the_same_for_one_question_or_many(
    client, focal_a, signatory_a, report_a, secretariat, django_assert_max_num_queries
):
    report_submit_unchecked(report=report_a, actor=signatory_a)
    thread_open(report=report_a, actor=secretariat, body="Question 0")

    def cost() -> int:
        with django_assert_max_num_queries(20) as queries:
            assert client.get(reverse("delegation:dashboard")).status_code == 200
        return len(queries.captured_queries)

    client.force_login(focal_a)
    cost()
    one = cost()
    for n in range(1, 12):
        thread = thread_open(report=report_a, actor=secretariat, body=f"Question {n}", anchor="section", section="oil")
        thread_reply(thread=thread, actor=focal_a, body=f"Answer {n}")
    assert cost() == one


def test_the_report_page_points_to_the_thread_instead_of_repeating_the_request(
    client, focal_a, signatory_a, report_a, secretariat
):
    from reports.services.review import report_request_clarification, report_start_review

    report_submit_unchecked(report=report_a, actor=signatory_a)
    report_start_review(report=report_a, actor=secretariat)
    report_request_clarification(report=report_a, actor=secretariat, comment="Which customs office acted?", section="oil")
    client.force_login(focal_a)
    page = client.get(reverse("delegation:report", args=[report_a.pk])).content.decode()
    assert page.count("Which customs office acted?") == 1  # in its thread, not again in the history
    assert 'href="#threads"' in page and "Clarification requested" in page


def test_starting_a_report_creates_it_and_opens_the_editor(client, focal_a, cycle):
    client.force_login(focal_a)
    response = client.post(reverse("delegation:start", args=[cycle.pk]))
    report = Report.objects.get(state=focal_a.state, cycle=cycle)
    assert response.status_code == 302 and response["Location"] == reverse("delegation:edit", args=[report.pk])
    editor = client.get(response["Location"], follow=True)
    assert editor.status_code == 200 and b"measure-card" in editor.content


def test_another_states_things_answer_404(client, focal_b, report_a, signatory_a, focal_a):
    draft = draft_of(report_a)
    attachment = attachment_add(version=draft, actor=focal_a, upload=SimpleUploadedFile("law.pdf", pdf_bytes()))
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    client.force_login(focal_b)
    urls = [
        reverse("delegation:report", args=[report_a.pk]),
        reverse("delegation:edit", args=[report_a.pk]),
        reverse("delegation:review", args=[report_a.pk]),
        reverse("delegation:history", args=[report_a.pk]),
        reverse("delegation:version", args=[report_a.pk, 1]),
        reverse("delegation:receipt", args=[report_a.pk, 1]),
        reverse("delegation:editor", args=[version.pk, "checklist"]),
        reverse("delegation:attachment_download", args=[attachment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("delegation:editor", args=[version.pk, "oil"]),
        reverse("delegation:attachment_upload", args=[version.pk]),
        reverse("delegation:attachment_remove", args=[version.pk, attachment.pk]),
        reverse("delegation:review", args=[report_a.pk]),
        reverse("delegation:start", args=[999999]),
    ]
    for url in posts:
        assert client.post(url, {"revision": "0"}).status_code == 404, url
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_garbage_ids_answer_404(client, focal_a, report_a):
    client.force_login(focal_a)
    for url in ["/delegation/reports/99999999999999999999/", "/delegation/drafts/0/checklist/",
                f"/delegation/drafts/{draft_of(report_a).pk}/nonsense/", f"/delegation/reports/{report_a.pk}/versions/7/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_the_back_office_does_not_use_the_delegation_pages(client, secretariat, report_a):
    client.force_login(secretariat)
    assert client.get(reverse("delegation:dashboard")).status_code == 404
    assert client.get(reverse("delegation:report", args=[report_a.pk])).status_code == 404


def test_the_editor_pages_make_a_constant_number_of_queries(client, focal_a, report_a, report_b, django_assert_max_num_queries):
    for report in (report_a, report_b):
        draft = draft_of(report)
        OilInterdiction.objects.bulk_create(
            OilInterdiction(
                version=draft,
                position=i,
                date=datetime.date(2026, 10, 1),
                place=f"Place {i}",
                commodity="crude",
                quantity=Decimal(i + 1),
                unit="barrels",
                direction="from",
            )
            for i in range(60)
        )
        transit = list(MemberState.objects.order_by("iso3")[:2])  # real rows, not ids 1 and 2
        for row in draft.oilinterdiction_rows.all()[:30]:
            row.transit_route_set(transit)
    client.force_login(focal_a)
    draft = draft_of(report_a)
    for section in ("checklist", "oil", "assets", "cultural", "ransom", "str", "attachments", "settings"):
        with django_assert_max_num_queries(16):
            response = client.get(reverse("delegation:editor", args=[draft.pk, section]))
        assert response.status_code == 200, section
    with django_assert_max_num_queries(24):
        assert client.get(reverse("delegation:review", args=[report_a.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("delegation:dashboard")).status_code == 200


def test_a_report_page_history_and_version_make_a_constant_number_of_queries(
    client, state_a, focal_a, signatory_a, django_assert_max_num_queries
):
    for i in range(5):
        report = make_report(state_a, open_cycle(f"c-{i}"), focal_a)
        report_submit_unchecked(report=report, actor=signatory_a)
    client.force_login(focal_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("delegation:dashboard")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("delegation:report", args=[report.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("delegation:version", args=[report.pk, 1])).status_code == 200


def test_the_checklist_shows_every_active_measure_of_the_resolution_grouped_by_area(client, focal_a, report_a):
    client.force_login(focal_a)
    page = client.get(reverse("delegation:editor", args=[draft_of(report_a).pk, "checklist"])).content.decode()
    measures = Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True)
    assert page.count('class="card mb-3 measure-card"') == measures.count()
    for measure in measures:
        assert measure.code in page
    assert "0 of" in page  # progress: answered / required


def test_the_landing_page_shows_only_the_states_own_event_cycles_and_requests(client, focal_a, focal_b, report_b, secretariat):
    from reports.services.event_reports import event_report_open
    from tests.factories import signatory_of

    event_report_open(state=focal_b.state, actor=focal_b, event_date=datetime.date(2026, 11, 2))
    report_submit_unchecked(report=report_b, actor=signatory_of(focal_b.state))
    thread_open(report=report_b, actor=secretariat, body="Germany: explain row 3.")
    client.force_login(focal_a)
    page = client.get(reverse("delegation:dashboard")).content.decode()
    assert "Oil interdiction of 2 November 2026" not in page and "Germany: explain row 3." not in page
    client.force_login(focal_b)
    page = client.get(reverse("delegation:dashboard")).content.decode()
    assert "Oil interdiction of 2 November 2026" in page and "Germany: explain row 3." in page


def test_a_delegation_account_without_a_state_sees_nothing(client, reference):
    from reports.models import Role
    from tests.factories import make_user

    client.force_login(make_user(Role.FOCAL_POINT, None))
    assert client.get(reverse("delegation:dashboard")).status_code == 404
    assert client.post(reverse("delegation:event_new"), {"event_date": "2026-11-01"}).status_code == 404


def test_the_history_page_costs_the_same_for_many_versions(client, focal_a, signatory_a, report_a, django_assert_max_num_queries):
    from reports.services.reports import report_open_addendum

    report_submit_unchecked(report=report_a, actor=signatory_a)
    for _ in range(6):
        report_open_addendum(report=report_a, actor=signatory_a)
        report_submit_unchecked(report=report_a, actor=signatory_a)
    client.force_login(focal_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("delegation:history", args=[report_a.pk]), {"a": "1", "b": "7"})
    assert page.status_code == 200 and page.content.decode().count("S/AC.37/2026/FRA/test-cycle/") == 7


def test_an_interdiction_notice_is_named_in_the_six_languages(reference):
    from reports.services.event_reports import event_label

    labels = event_label(datetime.date(2026, 11, 2))
    assert set(labels) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert labels["en"] == "Oil interdiction of 2 November 2026"
    assert "novembre" in labels["fr"] and "ноября" in labels["ru"] and "2026年11月2日" in labels["zh"]
    assert len(set(labels.values())) == 6  # every language its own words, none left in English


def test_references_and_user_names_are_isolated_from_the_arabic_around_them(client, focal_a, signatory_a, report_a):
    """In a right-to-left line, "S/AC.37/.../1 · 23 نوفمبر" ran together: the reference took the
    day of the date with it. Each reference and user name is its own <bdi>."""
    version = report_submit_unchecked(report=report_a, actor=signatory_a)
    client.force_login(focal_a)
    client.cookies["django_language"] = "ar"
    for url in (
        reverse("delegation:report", args=[report_a.pk]),
        reverse("delegation:history", args=[report_a.pk]),
        reverse("delegation:version", args=[report_a.pk, 1]),
    ):
        page = client.get(url).content.decode()
        assert f"<bdi>{version.reference}</bdi>" in page, url
        assert f"<bdi>{signatory_a.get_username()}</bdi>" in page, url
