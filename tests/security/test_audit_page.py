"""The Secretariat's audit page: filters, pagination, and nobody edits the trail."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from reports.models import AuditEvent, MemberState
from reports.services.audit import audit_log

URL = "/security/audit/"


@pytest.fixture
def trail(focal_a, focal_b, secretariat, state_a, state_b):  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC), tick=False):
        audit_log(action="report_submit", actor=focal_a, state=state_a)
    with time_machine.travel(datetime.datetime(2026, 2, 10, 12, tzinfo=datetime.UTC), tick=False):
        audit_log(action="pdf_download", actor=focal_b, state=state_b)
        audit_log(action="review_accept", actor=secretariat, state=state_a)
    return AuditEvent.objects.all()


def rows(response) -> int:  # type: ignore[no-untyped-def]
    return response.context["page"].paginator.count


def test_secretariat_sees_every_event(client, secretariat, trail):
    client.force_login(secretariat)
    response = client.get(URL)
    assert response.status_code == 200
    assert rows(response) == AuditEvent.objects.count()
    html = response.content.decode()
    assert "report_submit" in html and "pdf_download" in html and "alice" in html


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"action": "report_submit"}, {"report_submit"}),
        ({"actor": "bob"}, {"pdf_download"}),
        ({"state": "FRA"}, {"report_submit", "review_accept"}),
        ({"date_from": "2026-02-05", "date_to": "2026-02-10"}, {"pdf_download", "review_accept"}),
        ({"date_from": "2026-01-01", "date_to": "2026-02-01"}, {"report_submit"}),
    ],
)
def test_filters(client, secretariat, trail, query, expected):
    client.force_login(secretariat)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert {e.action for e in response.context["page"]} == expected


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-13-45"},
        {"date_from": "2026-03-01", "date_to": "2026-01-01"},
        {"state": "ZZZ"},
        {"action": "<script>alert(1)</script>"},
        {"page": "-5"},
        {"page": "99999999999999999999"},
        {"actor": "\u202e" + "x" * 5000},
    ],
)
def test_bad_filters_never_give_a_500(client, secretariat, trail, query):
    client.force_login(secretariat)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_pagination_and_constant_queries(client, secretariat, state_a, django_assert_max_num_queries):
    states = list(MemberState.objects.all()[:20])
    AuditEvent.objects.bulk_create(
        AuditEvent(action=f"act{i % 7}", actor_name=f"user{i}", state=states[i % 20], detail={"n": i}) for i in range(130)
    )
    client.force_login(secretariat)
    client.get(URL)  # the MFA check is remembered in the session after the first request
    with django_assert_max_num_queries(12):
        first = client.get(URL)
    with django_assert_max_num_queries(12):
        last = client.get(URL, {"page": 3})
    assert len(first.context["page"]) == 50 and first.context["page"].has_next()
    assert len(last.context["page"]) == AuditEvent.objects.count() - 100
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("persona", ["focal_a", "signatory_a", "monitoring", "committee"])
def test_only_the_secretariat_opens_the_audit_page(client, request, persona, trail):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_admin_cannot_change_or_delete_an_event(client, trail):
    from reports.services.demo import demo_users_ensure
    from tests.mfa import login_with_totp

    demo_users_ensure()  # "secretariat" is a superuser
    login_with_totp(client, "secretariat")
    event = AuditEvent.objects.get(action="report_submit")
    assert client.get("/admin/reports/auditevent/").status_code == 200
    change = client.post(f"/admin/reports/auditevent/{event.pk}/change/", {"action": "forged"})
    assert change.status_code in (403, 200)
    assert client.post(f"/admin/reports/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post("/admin/reports/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert bulk.status_code in (200, 302, 403)
    event.refresh_from_db()
    assert event.action == "report_submit" and AuditEvent.objects.filter(pk=event.pk).exists()


def test_actions_and_roles_read_as_words_with_the_code_beside_them(client, secretariat, trail):
    client.force_login(secretariat)
    html = client.get(URL).content.decode()
    assert "Report submitted" in html and "PDF downloaded" in html
    assert "Delegation focal point" in html and "Secretariat officer" in html
    assert "review_accept" in html  # an action without a label shows as recorded
    assert ">Report submitted</option>" in html  # the filter offers the words too


def test_every_action_the_code_records_has_a_label():
    """Every action passed to audit_log() anywhere in the code (a literal, either branch of a
    conditional, a local variable assigned such, or "report_" + a review action) reads as words."""
    import ast
    from pathlib import Path

    from reports.models import ReviewAction
    from reports.models.audit import action_label

    def outcomes(node: ast.AST) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return outcomes(node.body) | outcomes(node.orelse)
        if isinstance(node, ast.JoinedStr):  # f"report_{action}": the review transitions
            prefix = node.values[0]
            assert isinstance(prefix, ast.Constant) and prefix.value == "report_", ast.unparse(node)
            return {f"report_{value}" for value in ReviewAction.values}
        raise AssertionError(f"an action the test cannot read: {ast.unparse(node)}")

    recorded: set[str] = set()
    for path in (Path(__file__).resolve().parents[2] / "reports").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            assigned: dict[str, set[str]] = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "action" for t in node.targets):
                    assigned.setdefault("action", set()).update(outcomes(node.value))
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                if (getattr(call.func, "id", None) or getattr(call.func, "attr", None)) != "audit_log":
                    continue
                for keyword in call.keywords:
                    if keyword.arg != "action":
                        continue
                    value = keyword.value
                    if isinstance(value, ast.Name):
                        recorded |= assigned.get(value.id, set())
                    else:
                        recorded |= outcomes(value)
    assert {"login", "mfa_failed", "followup_reopen", "draft_save", "report_accept"} <= recorded  # every form is read
    assert {code for code in recorded if action_label(code) == code} == set()
