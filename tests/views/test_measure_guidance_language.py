"""The checklist editor shows each measure's guidance in the page's language."""

import html

import pytest
import time_machine
from django.urls import reverse

from reports.models import Measure
from tests.delegation import draft_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


@pytest.mark.parametrize("language", ["ru", "ar", "zh-hans", "es"])
def test_the_checklist_shows_the_guidance_in_the_page_language(client, focal_a, report_a, language):
    client.force_login(focal_a)
    client.cookies["django_language"] = language
    draft = draft_of(report_a)
    page = html.unescape(client.get(reverse("delegation:editor", args=[draft.pk, "checklist"])).content.decode())

    measures = list(Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True))
    assert measures
    lang = language.split("-")[0]
    for measure in measures:
        assert measure.guidance[lang] in page, (measure.code, lang)
        assert measure.guidance["en"] not in page, measure.code


def test_a_delegation_reading_russian_sees_the_russian_guidance(client, focal_a, report_a):
    client.force_login(focal_a)
    client.cookies["django_language"] = "ru"
    draft = draft_of(report_a)
    page = html.unescape(client.get(reverse("delegation:editor", args=[draft.pk, "checklist"])).content.decode())
    assert "Укажите закон и статью, обеспечивающие безотлагательное применение мер" in page  # R68-FIN-01
    assert "Cite the act and article that give effect to new listings" not in page
