"""Dates typed as text in the six languages: the documented rule (reports/workbook/dates.py)."""

import datetime

import pytest

from reports.workbook.dates import parse_date

MARCH_1 = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01",
        "2026/3/1",
        "2026.03.01",
        "01/03/2026",
        "1.3.2026",
        "1 March 2026",
        "March 1, 2026",
        "1 mars 2026",
        "1er mars 2026",
        "1 de marzo de 2026",
        "1 марта 2026",
        "1 марта 2026 г.",
        "١/٣/٢٠٢٦",
        "١ مارس ٢٠٢٦",
        "1 آذار 2026",
        "2026年3月1日",
        "２０２６年３月１日",
        "  2026-03-01 00:00:00 ",
    ],
)
def test_the_first_of_march_in_every_language(text: str) -> None:
    assert parse_date(text) == MARCH_1


def test_a_second_number_that_cannot_be_a_month_is_read_month_first() -> None:
    assert parse_date("03/15/2026") == datetime.date(2026, 3, 15)


def test_levantine_two_word_months() -> None:
    assert parse_date("5 كانون الثاني 2026") == datetime.date(2026, 1, 5)
    assert parse_date("5 تشرين الأول 2026") == datetime.date(2026, 10, 5)


@pytest.mark.parametrize("text", ["", "banana", "31/02/2026", "1/3/26", "13/13/2026", "1 Smarch 2026", "2026-13-01"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    assert parse_date(text) is None
