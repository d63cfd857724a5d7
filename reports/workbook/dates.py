"""Dates typed as text in a workbook or a CSV, in any of the six UN languages.

The rule (docs/workbook.md):
- A cell Excel holds as a date is taken as that date.
- Digits may be Western, Arabic-Indic (٠-٩), Eastern Arabic-Indic (۰-۹) or full-width (０-９).
- Year first is always year-month-day: 2026-03-01, 2026/3/1, 2026.03.01, 2026年3月1日.
- Year last with numbers only is day/month/year in every language (01/03/2026 is 1 March), as
  in UN documents; only when the first number cannot be a month (15/03/2026) or the second
  cannot (03/15/2026 is then 15 March) is the order plain, and taken.
- A month's name in any of the six languages, before or after the day: 1 March 2026,
  March 1, 2026, 1er mars 2026, 1 de marzo de 2026, 1 марта 2026 г., ١ مارس ٢٠٢٦, 1 آذار 2026.
- A two-digit year is refused (which century?), as is anything else: the cell is reported.
"""

from __future__ import annotations

import datetime
import re

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janvier janv enero ene январь января янв يناير",
        "february feb février fevrier févr fevr febrero feb февраль февраля фев февр فبراير شباط",
        "march mar mars marzo марта март мар مارس آذار",
        "april apr avril avr abril abr апрель апреля апр أبريل ابريل نيسان",
        "may mai mayo май мая مايو أيار ايار",
        "june jun juin junio июнь июня يونيو يونيه حزيران",
        "july jul juillet juil julio июль июля يوليو يوليه تموز",
        "august aug août aout agosto ago август августа авг أغسطس اغسطس آب",
        "september sep sept septembre septiembre setiembre сентябрь сентября сен сент سبتمبر أيلول ايلول",
        "october oct octobre octubre октябрь октября окт أكتوبر اكتوبر",
        "november nov novembre noviembre ноябрь ноября ноя нояб نوفمبر",
        "december dec décembre decembre déc diciembre dic декабрь декабря дек ديسمبر",
    ],
    start=1,
):
    for _word in _names.split():
        _MONTHS.setdefault(_word, _number)
# Levantine month names of two words.
_MONTHS_TWO = {
    "كانون الثاني": 1,
    "تشرين الأول": 10,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
    "كانون الاول": 12,
}

_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")
_NOISE = re.compile(r"(?<=\d)(er|st|nd|rd|th)\b|\bde\b|\bг\.?(?=\s|$)|,|،|\.(?=\s|$)", re.IGNORECASE)


def parse_date(text: str) -> datetime.date | None:
    """The date a cell's text means (see the module's rule), or None."""
    value = " ".join(str(text).translate(_DIGITS).split())
    if not value:
        return None
    value = value.removesuffix("T00:00:00").split(" 00:00:00")[0]
    match = _YMD.match(value)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = _DMY.match(value)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if second > 12 >= first:  # 03/15/2026: the second number cannot be a month
            return _date(year, first, second)
        return _date(year, second, first)
    return _named(value)


def _named(value: str) -> datetime.date | None:
    text = _NOISE.sub(" ", value.casefold())
    for name, number in _MONTHS_TWO.items():
        text = text.replace(name, f" m{number} ")
    words = text.split()
    month: int | None = None
    numbers: list[int] = []
    for word in words:
        if word.startswith("m") and word[1:].isdigit() and month is None:
            month = int(word[1:])
        elif word.isdigit():
            numbers.append(int(word))
        elif word in _MONTHS and month is None:
            month = _MONTHS[word]
        elif word.rstrip(".") in _MONTHS and month is None:
            month = _MONTHS[word.rstrip(".")]
        else:
            return None
    if month is None or len(numbers) != 2:
        return None
    day, year = numbers if numbers[1] >= 1000 else (numbers[1], numbers[0])
    if year < 1000:
        return None
    return _date(year, month, day)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    if year < 1000:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
