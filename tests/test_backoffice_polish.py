"""Back-office polish: objects in words in the audit trail, empty tables that say so, "Open" as a verb."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from reports.models import AuditEvent, ReminderLog
from reports.services.audit import audit_log
from reports.services.reports import report_get_or_create, report_submit_unchecked
from tests.factories import make_user, open_cycle, signatory_of

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_audit_trail_names_objects_in_words(client, secretariat, state_a):  # type: ignore[no-untyped-def]
    cycle = open_cycle("polish-cycle")
    cycle.label = {"en": "2199 report", "fr": "rapport 2199"}
    cycle.save(update_fields=["label"])
    signatory = signatory_of(state_a)
    report = report_get_or_create(state=state_a, cycle=cycle, actor=signatory)
    version = report_submit_unchecked(report=report, actor=signatory)
    audit_log(action="export", actor=secretariat, obj=version)
    audit_log(action="export", actor=secretariat, obj=report)
    audit_log(action="export", actor=secretariat, obj=cycle)
    AuditEvent.objects.create(action="export", object_type="ReportVersion", object_id="987654321")  # since deleted
    client.force_login(secretariat)
    html = client.get("/security/audit/", {"action": "export"}).content.decode()
    objects = re.findall(r'data-testid="audit-object">([^<]*)<', html)
    assert f"France · 2199 report · v{version.number}" in objects
    assert "France · 2199 report" in objects and "2199 report" in objects
    assert "ReportVersion 987654321" in objects  # a deleted object keeps its type and id
    assert not any(re.fullmatch(r"ReportVersion \d+", o) for o in objects if o != "ReportVersion 987654321")
    client.cookies["django_language"] = "fr"
    french = client.get("/security/audit/", {"action": "export"}).content.decode()
    assert "rapport 2199 · v1" in french


def test_audit_page_costs_the_same_for_many_objects(client, secretariat, state_a, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    cycle = open_cycle("polish-many")
    for n in range(30):
        log = ReminderLog.objects.create(state=state_a, cycle=cycle, step=f"manual-{n}")
        audit_log(action="reminder_send", actor=secretariat, obj=log)
        audit_log(action="export", actor=secretariat, obj=cycle)
    client.force_login(secretariat)
    with django_assert_max_num_queries(14):
        html = client.get("/security/audit/").content.decode()
    assert "France · polish-many · reminder manual-29" in html


def test_every_back_office_table_says_when_it_is_empty(client, secretariat):  # type: ignore[no-untyped-def]
    cycle = open_cycle("polish-empty")
    client.force_login(secretariat)
    pages = {
        reverse("secretariat:reports"): "No report matches these filters.",
        reverse("secretariat:parties"): "No party is named in the reports received.",
        reverse(
            "secretariat:register_section", args=[cycle.pk, "incomplete"]
        ): "No report leaves a required checklist row unanswered.",
        reverse("secretariat:register_section", args=[cycle.pk, "gaps"]): "No measure is reported or assessed as not in place.",
        reverse("secretariat:register_section", args=[cycle.pk, "inconsistencies"]): "No inconsistency between reports.",
        reverse("secretariat:status", args=[cycle.pk]) + "?category=late": "No State matches these filters.",
    }
    for url, message in pages.items():
        html = client.get(url).content.decode()
        assert message in html, url


# Tables whose rows are never empty, or that sit under an {% if rows %} ... {% else %} message.
NEVER_EMPTY_OR_GUARDED = {
    "secretariat/report.html",  # the review page: another branch rewrites it (issue 12, item 1)
    "secretariat/dashboard.html",  # the five regional groups; the overdue list is under {% if overdue %}
    "monitoring/_batch_progress.html",  # a batch has its language versions
    "monitoring/_jobs_table.html",  # under {% if page.object_list %}
    "monitoring/summaries.html",  # under {% if page.object_list %}
    "committee/reports.html",  # under {% if page.object_list %}
    "delegation/_tables.html",  # under {% if table.rows %}
    "delegation/conflict.html",  # the fields in conflict: at least one
    "delegation/_plain_table.html",  # under {% if rows %}
    "versions/_section.html",  # under {% if section.rows %}; an empty section says so instead
    "delegation/workbook_dry_run.html",  # problems under {% if plan.problem_count %}, changes under {% if item.changes %}
    "secretariat/sanctions/list.html",  # under {% if page.object_list %}, else "No entry matches."
    "secretariat/sanctions/entry.html",  # an entry has its primary name at least
    "threads/_assessments.html",  # under {% if assessments %}
}


def test_hand_written_tables_have_an_empty_row():
    """Every {% for %} that fills a <tbody> has an {% empty %}, or the table is known to be guarded."""
    missing = set()
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name.startswith(("pdf/", "emails/", "allauth/")):
            continue
        for body in re.findall(r"<tbody>(.*?)</tbody>", path.read_text(), re.S):
            if "{% for " in body and "{% empty %}" not in body:
                missing.add(name)
    assert missing <= NEVER_EMPTY_OR_GUARDED, missing - NEVER_EMPTY_OR_GUARDED


def test_open_as_a_button_is_the_verb():
    """ "Open" alone is also a follow-up's state; a button says it with the "verb" context."""
    for path in TEMPLATES.rglob("*.html"):
        assert '{% translate "Open" %}' not in path.read_text(), path
    source = (Path(__file__).resolve().parent.parent / "reports" / "tables.py").read_text()
    assert 'pgettext("verb", "Open")' in source


def test_review_queue_button_uses_the_verb_context(client, secretariat, state_a, monkeypatch):  # type: ignore[no-untyped-def]
    from django.utils import translation

    cycle = open_cycle("polish-open")
    signatory = signatory_of(state_a)
    report_submit_unchecked(report=report_get_or_create(state=state_a, cycle=cycle, actor=signatory), actor=signatory)
    seen = []
    real = translation.pgettext

    def spy(context, message):  # type: ignore[no-untyped-def]
        seen.append((context, message))
        return real(context, message)

    monkeypatch.setattr("reports.tables.pgettext", spy)
    client.force_login(secretariat)
    assert client.get(reverse("secretariat:reports")).status_code == 200
    assert ("verb", "Open") in seen
    make_user  # noqa: B018 (factories imported for the personas' fixtures)
