"""The Council summary's charts drawn in HTML and CSS, for the right-to-left (Arabic) edition.

WeasyPrint draws SVG text glyph by glyph, so the pygal charts' Arabic labels come out
unjoined and in the wrong order. Here the bars are boxes (pdf.css: .bar-chart) and every label
is HTML text, which Pango shapes and lays out right to left; the figures are the same ones the
SVG charts of reports.charts draw, and the colours the same series colours (.series-N).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from reports.selectors.dashboard import CycleSummary

# Bars whose value is printed after them stop short of the track's end, to leave it room.
VALUE_ROOM = 0.88


@dataclass(frozen=True)
class Segment:
    series: int  # 1-based: the colour (pdf.css .series-N, reports.charts.COLOURS order) and legend entry
    width: str  # percent of the bar's track, written with a dot whatever the language ("12.500")


@dataclass(frozen=True)
class Bar:
    label: str
    segments: list[Segment]
    value: str = ""


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    legend: list[tuple[int, str]] = field(default_factory=list)
    ticks: list[str] = field(default_factory=list)


def _width(percent: float) -> str:
    return f"{max(0.0, min(100.0, percent)):.3f}"


def _status_labels() -> list[str]:
    return [_("On time"), _("Late"), _("Draft only"), _("Nothing")]


def reporting_rate_chart(summary: CycleSummary) -> BarChart:
    """Share of States on time / late / draft only / nothing, for all States and per regional group."""
    rows = [(_("All States"), summary), *((str(group.label), group) for group in summary.groups)]
    bars = [
        Bar(
            label=label,
            segments=[
                Segment(series=series, width=_width(rate))
                for series, rate in enumerate((c.on_time_rate, c.late_rate, c.drafts_only_rate, c.nothing_rate), start=1)
                if rate
            ],
        )
        for label, c in rows
    ]
    return BarChart(
        title=_("Reporting rate by regional group (% of States)"),
        bars=bars,
        legend=list(enumerate(_status_labels(), start=1)),
        ticks=[f"{tick} %" for tick in (0, 25, 50, 75, 100)],
    )


def status_chart(summary: CycleSummary) -> BarChart:
    """How many States are in each position (counts, not rates)."""
    counts = (summary.on_time, summary.late, summary.drafts_only, summary.nothing)
    return BarChart(
        title=_("States by reporting status"), bars=_count_bars(list(zip(_status_labels(), counts, strict=True)), coloured=True)
    )


def named_parties_chart(rows: Sequence[tuple[str, int]]) -> BarChart:
    """How many States name each party (the top of the named-party register)."""
    return BarChart(
        title=_("Parties named most often (number of States naming them)"), bars=_count_bars(list(rows)[:10], coloured=False)
    )


def _count_bars(rows: list[tuple[str, int]], *, coloured: bool) -> list[Bar]:
    top = max((count for _label, count in rows), default=0) or 1
    return [
        Bar(
            label=label,
            segments=[Segment(series=index if coloured else 1, width=_width(100 * VALUE_ROOM * count / top))] if count else [],
            value=str(count),
        )
        for index, (label, count) in enumerate(rows, start=1)
    ]


def render(chart: BarChart) -> SafeString:
    return render_to_string("pdf/_bar_chart.html", {"chart": chart})
