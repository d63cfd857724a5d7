"""A checklist answer is described by its measure's title and, when wrong, by its error too."""

import re

import pytest
import time_machine
from django.urls import reverse

from reports.models import Measure
from tests.delegation import checklist_post, draft_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def _select(page: str, name: str) -> str:
    tag = re.search(rf'<select name="{re.escape(name)}"[^>]*>', page)
    assert tag, f"no <select name={name}>"
    return tag.group(0)


def _describedby(tag: str) -> list[str]:
    found = re.search(r'aria-describedby="([^"]*)"', tag)
    return found.group(1).split() if found else []


def test_an_answer_with_an_error_is_described_by_its_title_and_its_error(client, focal_a, report_a):
    client.force_login(focal_a)
    draft = draft_of(report_a)
    measures = list(Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True))
    wrong, right = measures[0], measures[1]
    url = reverse("delegation:editor", args=[draft.pk, "checklist"])
    client.post(url, checklist_post(measures, {wrong.code: {"answer": "bogus"}, right.code: {"answer": "in_place"}}, revision=0))
    page = client.get(url).content.decode()

    tag = _select(page, f"m{wrong.pk}-answer")
    ids = _describedby(tag)
    assert f"measure-{wrong.pk}-title" in ids
    assert f"id_m{wrong.pk}-answer_error" in ids
    assert 'aria-invalid="true"' in tag
    for element_id in ids:  # every id points at something on the page
        assert f'id="{element_id}"' in page, element_id

    tag = _select(page, f"m{right.pk}-answer")
    assert _describedby(tag) == [f"measure-{right.pk}-title"] and "aria-invalid" not in tag
