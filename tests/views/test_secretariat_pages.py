"""Back-office pages: who may open them, what they show, bad input, query counts."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse

from reports.models import (
    Answer,
    AuditEvent,
    ChecklistAnswer,
    FollowUp,
    Measure,
    MeasureAssessment,
    MemberState,
    Rating,
    Report,
    ReportStatus,
    ReviewEvent,
)
from tests.secretariat.fixtures import TODAY, build_world


def exported(client, url: str, **query: object) -> list[dict]:  # type: ignore[no-untyped-def]
    """A page's JSON export: codes (and their labels beside them) for machines."""
    response = client.get(url, {**query, "export": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


pytestmark = pytest.mark.django_db

NOW = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=datetime.UTC)


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def page_urls(world):  # type: ignore[no-untyped-def]
    cycle = world.cycle.pk
    jor = world.reports["JOR"].pk
    measure = Measure.objects.filter(resolution=world.cycle.obligation.resolution, active=True).order_by("order", "code").first()
    return [
        reverse("secretariat:dashboard"),
        reverse("secretariat:status", args=[cycle]),
        reverse("secretariat:matrix", args=[cycle]),
        reverse("secretariat:register", args=[cycle]),
        *[reverse("secretariat:register_section", args=[cycle, s]) for s in ("incomplete", "gaps", "inconsistencies")],
        reverse("secretariat:parties"),
        reverse("secretariat:reports"),
        reverse("secretariat:report", args=[jor]),
        reverse("secretariat:cell", args=[jor, measure.pk]),
        reverse("secretariat:state", args=["JOR"]),
    ]


def action_urls(world):  # type: ignore[no-untyped-def]
    jor = world.reports["JOR"].pk
    return [
        reverse("secretariat:followup"),
        reverse("secretariat:assess", args=[jor]),
        *[reverse("secretariat:report_action", args=[jor, a]) for a in ("assign", "start", "clarify", "accept", "note")],
        reverse("secretariat:remind", args=["USA"]),
    ]


@pytest.mark.parametrize("persona", ["focal_a", "focal_b", "signatory_a", "committee"])
def test_delegations_and_committee_get_404_on_every_back_office_url(world, persona, request, client):  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(persona))
    for url in page_urls(world):
        assert client.get(url).status_code == 404, url
        assert client.get(url + "?export=csv").status_code == 404, url
    for url in action_urls(world):
        assert client.post(url, {"comment": "x"}).status_code == 404, url


def test_monitoring_reads_but_cannot_act(world, monitoring, client):  # type: ignore[no-untyped-def]
    client.force_login(monitoring)
    for url in page_urls(world):
        assert client.get(url).status_code == 200, url
    for url in action_urls(world):
        assert client.post(url, {"comment": "x"}).status_code == 404, url
    body = client.get(reverse("secretariat:report", args=[world.reports["JOR"].pk])).content.decode()
    assert "Request clarification" not in body
    register = client.get(reverse("secretariat:register_section", args=[world.cycle.pk, "inconsistencies"])).content.decode()
    assert "Jordan" in register and 'name="key"' not in register


def test_anonymous_is_sent_to_login(world, client):  # type: ignore[no-untyped-def]
    response = client.get(reverse("secretariat:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_numbers_match_the_database(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("secretariat:dashboard"), {"cycle": world.cycle.pk}).content.decode()
    shown = dict(re.findall(r'data-n="(\w+)">(\d+)<', body))
    reports = Report.objects.filter(cycle=world.cycle)
    received = reports.filter(current_version__isnull=False)
    states = MemberState.objects.count()
    assert int(shown["expected"]) == states
    assert int(shown["received"]) == received.count() == 4
    assert int(shown["late"]) == received.filter(first_submitted_at__date__gt=world.cycle.due).count() == 1
    assert int(shown["on_time"]) == received.filter(first_submitted_at__date__lte=world.cycle.due).count()
    assert int(shown["drafts_only"]) == reports.filter(current_version__isnull=True).count() == 1
    assert int(shown["nothing"]) == states - reports.count()
    assert int(shown["overdue"]) == states - received.count()
    # every number links to the States behind it
    status_url = reverse("secretariat:status", args=[world.cycle.pk])
    assert f'href="{status_url}?category=late"' in body
    assert 'src="data:image/svg+xml;base64,' in body
    late = client.get(status_url, {"category": "late"}).content.decode()
    assert "Germany" in late and "France" not in late


def test_matrix_layers_and_counts_match_the_database(world, secretariat, client):  # type: ignore[no-untyped-def]
    deu = world.reports["DEU"]
    measures = list(Measure.objects.filter(resolution=world.cycle.obligation.resolution, active=True).order_by("order", "code"))
    MeasureAssessment.objects.create(report=deu, measure=measures[2], rating=Rating.NOT_IMPLEMENTED, assessed_by=secretariat)
    client.force_login(secretariat)
    body = client.get(reverse("secretariat:matrix", args=[world.cycle.pk])).content.decode()
    counts = {k: int(v) for k, v in re.findall(r'data-flag="(\w+)" data-cells="(\d+)"', body)}
    received = Report.objects.filter(cycle=world.cycle, current_version__isnull=False)
    versions = [r.current_version_id for r in received]
    not_in_place = ChecklistAnswer.objects.filter(version_id__in=versions, answer=Answer.NOT_IN_PLACE).count()
    assessed_gap = 1  # DEU's third measure, answered in place by DEU but assessed not implemented
    assert counts["gap"] == not_in_place + assessed_gap == 2
    required = sum(1 for m in measures if m.required)
    answered_required = ChecklistAnswer.objects.filter(
        version_id__in=versions, measure__required=True, measure__in=measures
    ).exclude(answer="")
    assert counts["unanswered"] == required * received.count() - answered_required.count() == 1
    assert counts["no_report"] == (MemberState.objects.count() - received.count()) * len(measures)
    # the region filter narrows rows; a nonsense value is a form error, not a 500
    weog = client.get(reverse("secretariat:matrix", args=[world.cycle.pk]), {"group": "WEOG", "flag": "gap"}).content.decode()
    assert 'data-state="DEU"' in weog and 'data-state="JOR"' not in weog
    bad = client.get(reverse("secretariat:matrix", args=[world.cycle.pk]), {"group": "<script>alert(1)</script>"})
    assert bad.status_code == 200 and 'data-state="' not in bad.content.decode()
    assert "<script>alert(1)" not in bad.content.decode()


def test_matrix_cell_opens_answer_legal_reference_and_version(world, secretariat, client):  # type: ignore[no-untyped-def]
    fra = world.reports["FRA"]
    measure = Measure.objects.filter(resolution=world.cycle.obligation.resolution, active=True).order_by("order", "code").first()
    client.force_login(secretariat)
    body = client.get(reverse("secretariat:cell", args=[fra.pk, measure.pk])).content.decode()
    assert f"Act FRA art. {measure.code}" in body
    assert fra.current_version.reference in body
    other = Measure.objects.exclude(resolution=world.cycle.obligation.resolution).first()
    assert client.get(reverse("secretariat:cell", args=[fra.pk, other.pk])).status_code == 404
    nga_draft = world.reports["NGA"]
    assert client.get(reverse("secretariat:cell", args=[nga_draft.pk, measure.pk])).status_code == 404


def test_register_shows_the_planted_inconsistency_and_closes_it(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    url = reverse("secretariat:register_section", args=[world.cycle.pk, "inconsistencies"])
    body = client.get(url).content.decode()
    assert re.search(r"Jordan.*?Iraq", body, re.S)
    assert f'name="key" value="{world.cycle.pk}:JOR:IRQ"' in body  # the officer's close form
    rows = exported(client, url)
    pairs = {(r["reporting_iso3"], r["other_iso3"], r["other_report"]) for r in rows}
    assert ("JOR", "IRQ", "silent") in pairs
    assert AuditEvent.objects.filter(action="export", actor=secretariat, detail__rows=len(rows)).exists()
    assert not any(a == "JOR" and b == "FRA" for a, b, _ in pairs)  # FRA reported the same cargo
    assert not any(a == "FRA" and b == "JOR" for a, b, _ in pairs)
    key = f"{world.cycle.pk}:JOR:IRQ"
    # closing needs a note
    client.post(reverse("secretariat:followup"), {"kind": "inconsistency", "key": key, "close": "on", "note": "", "next": url})
    assert not FollowUp.objects.filter(key=key, is_closed=True).exists()
    response = client.post(
        reverse("secretariat:followup"),
        {"kind": "inconsistency", "key": key, "close": "on", "note": "IRQ confirmed by note verbale", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    follow_up = FollowUp.objects.get(kind="inconsistency", key=key)
    assert follow_up.is_closed and follow_up.note == "IRQ confirmed by note verbale"
    assert AuditEvent.objects.filter(action="followup_close", object_id=str(follow_up.pk)).exists()
    open_rows = client.get(url, {"closed": "open", "export": "csv"}).content.decode()
    assert "JOR,Iraq" not in open_rows and "Jordan,JOR,Iraq,IRQ" not in open_rows


def test_register_incomplete_and_gaps(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    rows = exported(client, reverse("secretariat:register_section", args=[world.cycle.pk, "incomplete"]))
    assert [(r["iso3"], r["unanswered_count"]) for r in rows] == [("DEU", 1)]
    gaps = exported(client, reverse("secretariat:register_section", args=[world.cycle.pk, "gaps"]))
    assert [(r["iso3"], r["answer"], r["answer_label"]) for r in gaps] == [("DEU", "not_in_place", "Not in place")]
    overdue_rows = exported(client, reverse("secretariat:register", args=[world.cycle.pk]))
    assert len(overdue_rows) == MemberState.objects.count() - 4
    assert {"NGA", "USA"} <= {r["iso3"] for r in overdue_rows}


def test_named_parties_are_aggregated_per_party(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    rows = exported(client, reverse("secretariat:parties"))
    crescent = next(r for r in rows if r["normalized_name"] == "crescent tanker logistics")
    # two spellings in JOR's report, one report, both cargoes summed per unit and currency
    assert crescent["reports"] == 1 and crescent["mentions"] == 2 and crescent["states"] == ["JOR"]
    assert (crescent["quantity_barrels"], crescent["quantity_tonnes"], crescent["quantity_litres"]) == (1200, 30, None)
    assert (crescent["value_EUR"], crescent["value_USD"]) == (9000, 50000)
    isil = next(r for r in rows if r["list_refs"] == ["QDe.115"])
    assert isil["reports"] == 1
    page = client.get(reverse("secretariat:parties")).content.decode()  # details filled for the rows shown
    assert 'href="/secretariat/states/JOR/">JOR</a>' in page and "1\u202f200 barrels; 30 tonnes" in page
    bad = client.get(reverse("secretariat:parties"), {"list_ref": "DROP TABLE", "state": "ΙΡΑΚ"})
    assert bad.status_code == 200 and "QDi.123" in bad.content.decode()  # the error beside the field


@pytest.mark.parametrize(
    "path_params",
    [
        {"cycle": "abc"},
        {"cycle": "-1"},
        {"cycle": "99999999999999999999999"},
        {"category": "<script>"},
        {"group": "ZZZ", "category": "late"},
        {"page": "-4"},
        {"page": "9999"},
        {"sort": "nonsense"},
        {"closed": "maybe"},
        {"area": "weapons", "flag": "\u202eRTL"},
        {"status": "eaten", "is_late": "perhaps", "assigned_to": "x", "q": "ت" * 200},
    ],
)
def test_nonsense_filters_never_500(world, secretariat, client, path_params):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    for url in page_urls(world):
        response = client.get(url, path_params)
        assert response.status_code in (200, 404), (url, path_params, response.status_code)


def test_bad_ids_and_formats(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    for path in ("/secretariat/cycles/abc/matrix/", "/secretariat/reports/99999999999999999999/", "/secretariat/states/ZZZ/"):
        assert client.get(path).status_code == 404
    assert client.get(reverse("secretariat:status", args=[world.cycle.pk]), {"export": "pdf"}).status_code == 400
    assert client.get(reverse("secretariat:register_section", args=[world.cycle.pk, "nope"])).status_code == 404
    nga_draft = world.reports["NGA"]  # never submitted: the back office cannot open it
    assert client.get(reverse("secretariat:report", args=[nga_draft.pk])).status_code == 404


def test_review_workflow_through_the_pages(world, secretariat, client):  # type: ignore[no-untyped-def]
    report = world.reports["JOR"]
    client.force_login(secretariat)
    act = lambda a, data: client.post(reverse("secretariat:report_action", args=[report.pk, a]), data)  # noqa: E731
    act("accept", {"accept-comment": ""})  # not yet under review: refused
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    act("start", {"start-comment": ""})
    act("clarify", {"clarify-comment": "", "clarify-section": "oil"})  # a comment is required
    report.refresh_from_db()
    assert report.status == ReportStatus.UNDER_REVIEW and report.assigned_to == secretariat
    act("clarify", {"clarify-comment": "Give the port of the first cargo.", "clarify-section": "oil"})
    report.refresh_from_db()
    assert report.status == ReportStatus.CLARIFICATION_REQUESTED
    event = ReviewEvent.objects.filter(report=report, action="request_clarification").get()
    assert event.section == "oil" and event.visible_to_state and event.actor == secretariat
    assert AuditEvent.objects.filter(action="report_request_clarification", object_id=str(report.pk)).exists()
    measure = Measure.objects.filter(resolution=world.cycle.obligation.resolution, active=True).first()
    client.post(reverse("secretariat:assess", args=[report.pk]), {"measure": measure.pk, "rating": "partial"})
    assert MeasureAssessment.objects.get(report=report, measure=measure).rating == "partial"
    client.post(reverse("secretariat:assess", args=[report.pk]), {"measure": measure.pk, "rating": "excellent"})
    assert MeasureAssessment.objects.get(report=report, measure=measure).rating == "partial"
    page = client.get(reverse("secretariat:state", args=["JOR"])).content.decode()
    assert "Give the port of the first cargo." in page and measure.code in page


def _numbers_of_queries(client, urls, django_assert_max_num_queries, bound):  # type: ignore[no-untyped-def]
    for url in urls:
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200, url


def test_pages_make_a_constant_number_of_queries(reference, secretariat, client, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        few = build_world()
        urls = [u.replace(str(few.cycle.pk), "{c}", 1) if "/cycles/" in u else u for u in page_urls(few)]
        bound = 17  # the review page: +1 for the names of the States its registers name
        _numbers_of_queries(client, [u.format(c=few.cycle.pk) for u in urls], django_assert_max_num_queries, bound)
        many = build_world(extra_states=40, code="sec-many")
        _numbers_of_queries(client, page_urls(many), django_assert_max_num_queries, bound)


def test_state_page_tables_export(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    url = reverse("secretariat:state", args=["JOR"])
    reports = exported(client, url)
    assert [(r["iso3"], r["cycle"], r["cycle_label"]) for r in reports] == [("JOR", world.cycle.code, world.cycle.display_label)]
    mentions = exported(client, url, table="mentions")
    assert sorted(m["normalized_name"] for m in mentions) == [
        "crescent tanker logistics",
        "crescent tanker logistics",
        "islamic state in iraq and the levant",
    ]
    assert client.get(url, {"export": "csv", "table": "passwords"}).status_code == 400
    xlsx = client.get(url, {"export": "xlsx", "table": "reminders"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"officer": "999999999999999999999"},
        {"officer": "<script>", "start-comment": "x" * 20000},
        {"clarify-comment": "\u202e" * 50, "clarify-section": "'; DROP TABLE"},
        {"measure": "-1", "rating": "implemented"},
        {"kind": "overdue", "key": "k" * 500, "note": "n", "close": "on"},
        {"kind": "overdue", "key": "1:USA", "cycle": "abc", "state": "usa", "next": "https://evil.example/"},
    ],
)
def test_garbage_posts_never_500(world, secretariat, client, data):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    for url in action_urls(world):
        response = client.post(url, data)
        assert response.status_code in (302, 400, 404), (url, data, response.status_code)
        if response.status_code == 302:
            assert "evil.example" not in response["Location"]


def test_hostile_text_stays_text_in_python_built_cells(world, secretariat, client):  # type: ignore[no-untyped-def]
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)> {token} {0}'
    FollowUp.objects.create(kind="inconsistency", key=f"{world.cycle.pk}:JOR:IRQ", note=hostile, updated_by=secretariat)
    client.force_login(secretariat)
    body = client.get(reverse("secretariat:register_section", args=[world.cycle.pk, "inconsistencies"])).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "{token} {0}</textarea>" in body  # braces in a note are text, not format fields


def test_register_group_filter_applies_to_every_tab_and_area_only_to_measures(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)

    def csv_rows(section: str, **query: str) -> list[dict[str, str]]:
        return exported(client, reverse("secretariat:register_section", args=[world.cycle.pk, section]), **query)

    # JOR names IRQ (both Asia-Pacific); DEU's report is incomplete (Western European and others).
    assert len(csv_rows("inconsistencies", group="APAC")) == 1
    assert csv_rows("inconsistencies", group="WEOG") == []
    assert [r["iso3"] for r in csv_rows("incomplete", group="WEOG")] == ["DEU"]
    assert csv_rows("incomplete", group="AFRICAN") == []
    overdue = client.get(reverse("secretariat:register_section", args=[world.cycle.pk, "overdue"])).content.decode()
    gaps = client.get(reverse("secretariat:register_section", args=[world.cycle.pk, "gaps"])).content.decode()
    assert 'name="area"' not in overdue and 'name="area"' in gaps


def test_pages_are_compressed_for_browsers_that_ask(world, secretariat, client):  # type: ignore[no-untyped-def]
    import gzip

    client.force_login(secretariat)
    url = reverse("secretariat:matrix", args=[world.cycle.pk])
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip"})
    assert plain.get("Content-Encoding") is None and packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 3
    # Same page once unpacked (the CSRF token is masked differently on each response).
    strip = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    assert strip.sub(b"", gzip.decompress(packed.content)) == strip.sub(b"", plain.content)


def test_back_office_cells_read_in_the_readers_language(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    client.cookies["django_language"] = "fr"
    register = client.get(reverse("secretariat:register_section", args=[world.cycle.pk, "inconsistencies"])).content.decode()
    assert "pays de destination" in register and ">destination<" not in register  # JOR names IRQ as destination
    parties = client.get(reverse("secretariat:parties")).content.decode()
    assert " barils" in parties and " barrels" not in parties
    # The CSV reads as the page does, in the reader's language; the JSON keeps the codes for machines.
    rows = client.get(reverse("secretariat:parties"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "barils" in rows and "barrels" not in rows
    assert "quantity_barrels" in client.get(reverse("secretariat:parties"), {"export": "json"}).content.decode()


def test_review_queue_badges_carry_the_status_code_and_the_dashboard_names_its_cycle(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    queue = client.get(reverse("secretariat:reports")).content.decode()
    assert "sec-status-submitted" in queue and "sec-status-Submitted" not in queue
    with time_machine.travel(NOW, tick=False):
        dashboard = client.get(reverse("secretariat:dashboard")).content.decode()
    cycle = re.search(r'name="cycle"[^>]*>(.*?)</select>', dashboard, re.S)
    assert cycle and re.search(r'<option value="\d+" selected>', cycle.group(1)), "the selector shows the cycle on screen"


def test_table_pages_are_named_in_the_portals_words(world, secretariat, client):  # type: ignore[no-untyped-def]
    from reports.models import MemberState
    from tests.secretariat.fixtures import file_report

    for state in MemberState.objects.exclude(iso3__in=world.states).order_by("iso3")[:50]:
        file_report(state, world.cycle, submit_on=world.cycle.due)  # 54 reports: two pages of the queue
    client.force_login(secretariat)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("secretariat:reports")).content.decode()
    assert 'class="pagination' in page and "Table navigation" not in page and ">next<" not in page.replace("\n", "")
    assert 'aria-label="الصفحات"' in page and "التالي" in page
    assert 'aria-current="page"' in page


def test_state_page_names_units_and_prints_figures_as_un_documents_do(world, secretariat, client):  # type: ignore[no-untyped-def]
    client.force_login(secretariat)
    page = client.get(reverse("secretariat:state", args=["JOR"])).content.decode()
    assert "1\u202f200 barrels" in page and "30 tonnes" in page  # was "1200 barrels", "30 tonnes" by code
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("secretariat:state", args=["JOR"])).content.decode()
    assert "1\u202f200 barils" in page
