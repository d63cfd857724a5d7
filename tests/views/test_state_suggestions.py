"""The State suggestions of the oil register speak the page's language; a State may be typed as
its ISO code, its English name or its name in the page's language."""

import html
import re

import pytest
import time_machine
from django.urls import reverse

from reports.models import OilInterdiction
from tests.delegation import OIL_ROW, draft_of, formset_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def _suggestions(page: str) -> list[tuple[str, str]]:
    datalist = re.search(r'<datalist id="member-states">(.*?)</datalist>', page, re.DOTALL)
    assert datalist, "no State suggestions on the page"
    return [
        (code, html.unescape(name))
        for code, name in re.findall(r'<option value="([A-Z]{3})">([^<]*)</option>', datalist.group(1))
    ]


def _open(client, user, report, language):  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies["django_language"] = language
    draft = draft_of(report)
    url = reverse("delegation:editor", args=[draft.pk, "oil"])
    return draft, url, client.get(url).content.decode()


def test_suggestions_are_in_french_and_in_french_order(client, focal_a, report_a):
    _draft, _url, page = _open(client, focal_a, report_a, "fr")
    suggestions = _suggestions(page)
    assert len(suggestions) == 193
    names = dict(suggestions)
    assert names["DEU"] == "Allemagne" and names["USA"] == "États-Unis d'Amérique"
    order = [code for code, _name in suggestions]
    assert order.index("DEU") < order.index("BEL")  # Allemagne before Belgique
    assert order.index("ESP") < order.index("USA") < order.index("ETH")  # Espagne, États-Unis, Éthiopie


def test_suggestions_are_in_russian(client, focal_a, report_a):
    _draft, _url, page = _open(client, focal_a, report_a, "ru")
    assert dict(_suggestions(page))["DEU"] == "Германия"


@pytest.mark.parametrize(
    ("language", "origin", "transit"),
    [
        ("fr", "Allemagne", "Türkiye, États-Unis d'Amérique"),
        ("fr", "Germany", "TUR, usa"),
        ("ru", "Германия", "Турция, United States of America"),
        ("en", "deu", "tur, United States of America"),
        ("ar", "ألمانيا", "تركيا، الولايات المتحدة الأمريكية"),  # names in Arabic, the Arabic comma
        ("zh-hans", "德国", "土耳其，美利坚合众国"),  # the full-width comma
    ],
)
def test_a_state_is_accepted_as_code_english_name_or_name_in_the_language(client, focal_a, report_a, language, origin, transit):
    draft, url, _page = _open(client, focal_a, report_a, language)
    row = {**OIL_ROW, "origin": origin, "transit": transit}
    assert client.post(url, formset_post("oil", [row], revision=draft.revision)).status_code == 302
    stored = OilInterdiction.objects.get(version=draft)
    assert stored.origin.iso3 == "DEU"
    assert sorted(s.iso3 for s in stored.transit.all()) == ["TUR", "USA"]


def test_the_state_fields_say_names_are_welcome_and_follow_the_text_direction(client, focal_a, report_a):
    _draft, _url, page = _open(client, focal_a, report_a, "ar")
    assert "بلد المنشأ (الاسم أو رمز ISO)" in page
    inputs = re.findall(r'<input[^>]*list="member-states"[^>]*>', page)
    assert inputs and all('dir="auto"' in tag for tag in inputs)
