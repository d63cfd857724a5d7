"""A kept dry run answers only its own user, for its own draft: on every page that takes its token.

tests/views/test_workbook.py checks the apply with a colleague's token; the dry-run page and the
fresh dry run take the same token through the same check (import_kept), checked here, with a
token of the user's other draft and an unknown one.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from reports.models import OilInterdiction, Role
from reports.services.workbook import DryRunGone, WorkbookRefused, import_apply, import_kept
from tests.delegation import draft_of
from tests.factories import make_report, make_user, open_cycle
from tests.views.test_workbook import GOOD, as_bytes, download, fill, oil_sheet, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def dry_run_token(client, draft) -> str:  # type: ignore[no-untyped-def]
    book = download(client, draft)
    fill(oil_sheet(book), 2, GOOD)
    response = upload(client, draft, as_bytes(book))
    assert response.status_code == 302
    return str(response["Location"].rstrip("/").rsplit("/", 1)[1])


def refused_back_to_the_form(response, draft) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    assert response["Location"] == reverse("delegation:workbook", args=[draft.pk])


def test_a_colleagues_dry_run_is_neither_shown_nor_redone(client, focal_a, report_a, state_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    token = dry_run_token(client, draft)
    client.force_login(make_user(Role.FOCAL_POINT, state_a, "colleague"))
    refused_back_to_the_form(client.get(reverse("delegation:workbook_dry_run", args=[draft.pk, token])), draft)
    refused_back_to_the_form(client.post(reverse("delegation:workbook_fresh", args=[draft.pk, token])), draft)
    followed = client.get(reverse("delegation:workbook", args=[draft.pk]))
    assert "This dry run has expired or is not yours" in followed.content.decode()


def test_a_dry_run_of_another_draft_is_refused_on_this_one(client, focal_a, report_a, state_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    other = draft_of(make_report(state_a, open_cycle("second-cycle"), focal_a))
    token = dry_run_token(client, other)
    for name, method in (("workbook_dry_run", client.get), ("workbook_fresh", client.post), ("workbook_apply", client.post)):
        refused_back_to_the_form(method(reverse(f"delegation:{name}", args=[draft.pk, token])), draft)
    assert not OilInterdiction.objects.filter(version__in=[draft, other]).exists()
    # Its own draft still has it.
    assert client.get(reverse("delegation:workbook_dry_run", args=[other.pk, token])).status_code == 200


@pytest.mark.parametrize("token", ["unknown-token", "x" * 65, ""])
def test_an_unknown_or_expired_token_is_gone(focal_a, report_a, token):
    with pytest.raises(DryRunGone):
        import_kept(token=token, user=focal_a, version=draft_of(report_a))


def test_the_apply_refuses_a_plan_that_is_not_the_actors(client, focal_a, report_a, state_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    plan, _upload = import_kept(token=dry_run_token(client, draft), user=focal_a, version=draft)
    with pytest.raises(WorkbookRefused):
        import_apply(plan=plan, version=draft, actor=make_user(Role.FOCAL_POINT, state_a, "colleague"))
    assert not OilInterdiction.objects.filter(version=draft).exists()
