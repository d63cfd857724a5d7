"""The Council documents write dates as their language does."""

from __future__ import annotations

from reports.models import Distribution, PdfKind
from reports.pdf.documents import DocumentRequest, summary_html
from tests.pdf.world import TODAY


def _summary(world, language: str) -> str:  # type: ignore[no-untyped-def]
    request = DocumentRequest(
        kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, today=TODAY, cycle=world.cycle, language=language
    )
    return summary_html(request).html


def test_the_chinese_summary_writes_dates_year_month_day(world):
    html = _summary(world, "zh-hans")
    assert f"{TODAY.year}年{TODAY.month}月{TODAY.day}日" in html  # the masthead and "Status as at"
    assert "八月" not in html


def test_the_english_summary_keeps_the_un_masthead_date(world):
    html = _summary(world, "en")
    assert "15 August 2026" in html
