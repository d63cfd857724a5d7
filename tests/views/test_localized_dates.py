"""Dates follow the active language: "2026年12月30日" in Chinese, never "30 十二月 2026"."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from tests.delegation import draft_of

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-20 15:00:00Z", tick=False):
        yield


def _page(client, user, url, language):  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_the_landing_page_writes_dates_the_chinese_way(client, focal_a, report_a):
    page = _page(client, focal_a, reverse("delegation:dashboard"), "zh-hans")
    assert "2026年12月30日" in page  # the test cycle's due date
    assert "2026年11月20日" in page  # today
    assert "十二月" not in page and "十一月" not in page


def test_the_landing_page_writes_dates_the_french_way(client, focal_a, report_a):
    page = _page(client, focal_a, reverse("delegation:dashboard"), "fr")
    assert "30 décembre 2026" in page and "20 novembre 2026" in page
    assert "30 Déc 2026" not in page


def test_english_dates_read_as_before(client, focal_a, report_a):
    page = _page(client, focal_a, reverse("delegation:dashboard"), "en")
    assert "30 Dec 2026" in page  # the table
    assert "20 November 2026" in page  # "Today is ..."


def test_the_report_page_and_the_editor_write_dates_in_the_language(client, focal_a, report_a):
    page = _page(client, focal_a, reverse("delegation:report", args=[report_a.pk]), "zh-hans")
    assert "2026年12月30日" in page and "十二月" not in page
    draft = draft_of(report_a)
    page = _page(client, focal_a, reverse("delegation:editor", args=[draft.pk, "oil"]), "ru")
    window = re.search(r"(\d+) (\w+) (\d{4}) г\.\D+(\d+) (\w+) (\d{4}) г\.", page)  # "from 1 сентября 2026 г. to ..."
    assert window, "the register's date window is not written the Russian way"
    assert window.group(2).endswith(("я", "а"))  # the month in the genitive: "сентября", "марта"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_has_its_date_formats(language):
    day = datetime.datetime(2015, 6, 12, 14, 30, tzinfo=datetime.UTC)
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            text = date_format(day, name)
            assert "2015" in text and "12" in text, (language, name, text)
            assert ("14:30" in text) == ("DATETIME" in name), (language, name, text)
    with translation.override("zh-hans"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "2015年6月12日"


# A pattern with a month name (F, M, N, E, b) written into a template fixes the order of day,
# month and year for every language; ask for a named format instead.
LITERAL_PATTERN = re.compile(r"""\|date:"(?![A-Z_]+_FORMAT")([^"]*)\"""")


def test_no_template_spells_out_a_date_pattern_with_month_names():
    offenders = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        for pattern in LITERAL_PATTERN.findall(path.read_text()):
            if re.search(r"(?<!\\)[FMNEb]", pattern):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []


def test_a_frozen_report_prints_its_dates_and_figures_for_the_reader(client, focal_a, signatory_a, report_a):
    """The version page, history and Committee views read the frozen JSON ("2026-10-01", "12500.000"):
    it prints as the reader's language writes dates, and figures as UN documents print them."""
    from decimal import Decimal

    from reports.models import OilInterdiction
    from reports.services.reports import report_submit_unchecked

    draft = draft_of(report_a)
    OilInterdiction.objects.create(
        version=draft, date=datetime.date(2026, 10, 1), place="Ceyhan", commodity="crude", unit="barrels",
        direction="from", quantity=Decimal("12500"), value=Decimal("1500000.50"), currency="USD",
    )  # fmt: skip
    report_submit_unchecked(report=report_a, actor=signatory_a)
    url = reverse("delegation:version", args=[report_a.pk, 1])
    french = _page(client, focal_a, url, "fr")
    assert "1 octobre 2026" in french or "1er octobre 2026" in french, "the interdiction's date is not in French"
    assert "12\u202f500" in french and "1\u202f500\u202f000.5" in french
    assert "2026-10-01" not in french and "12500" not in french
    chinese = _page(client, focal_a, url, "zh-hans")
    assert "2026年10月1日" in chinese
    arabic = _page(client, focal_a, url, "ar")
    assert "<td><bdi>Ceyhan</bdi></td>" in arabic, "typed text is not isolated from the right-to-left table"


def test_iso_dates_on_pages_are_isolated_from_the_arabic_before_them():
    """After Arabic text, the bidi algorithm reads 2025-11-26 as three Arabic numbers joined by
    neutral hyphens and shows "26-11-2025". Every Y-m-d date on a page is its own <bdi>."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.parts[-2] in ("pdf", "emails"):
            continue
        for match in re.finditer(r'(.{0,5})\{\{ [^{}]*?\|date:"Y-m-d[^"]*" \}\}', path.read_text()):
            if not match.group(1).endswith("<bdi>"):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert offenders == []
