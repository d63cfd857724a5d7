"""Charts drawn on the server as SVG (pygal), the same for pages and the Council PDFs.

Every function returns SVG markup with no XML declaration and no JavaScript: pygal's own
inline config <script> is removed, so the markup can be embedded inline in a WeasyPrint
document. Pages run under a strict Content-Security-Policy that also blocks the <style>
element inside an inline SVG, so templates show charts as <img src="{{ svg|svg_data_uri }}">
(see svg_data_uri): an SVG image is a document of its own, its styles stay its own.
Numbers always appear in a table next to the chart as well (the chart is not the only way in).
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

if TYPE_CHECKING:
    from reports.selectors.dashboard import CycleSummary, TrendPoint

# Colour-blind safe (Okabe-Ito), same order everywhere: on time, late, draft only, nothing.
COLOURS = ("#009E73", "#E69F00", "#56B4E9", "#999999", "#0072B2", "#D55E00")
FONT = "'DejaVu Sans', 'Noto Sans', Arial, sans-serif"

PORTAL_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    opacity="1",
    opacity_hover="0.85",
    colors=COLOURS,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    tooltip_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    no_data_font_family=FONT,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=15,
    value_font_size=11,
    no_data_font_size=14,
)

LEGEND_COLUMNS = 2
LEGEND_ROW_HEIGHT = 18  # pygal: 1.5 x the legend's font size

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _config(**overrides: object) -> dict[str, object]:
    config: dict[str, object] = {
        "style": PORTAL_STYLE,
        "disable_xml_declaration": True,
        "js": [],
        "css": ["file://style.css", "file://graph.css"],
        "width": 720,
        "height": 360,
        # pygal gives each legend column an equal share of the plot's width, not of the chart's:
        # four columns overlapped in French and Russian, whose labels (and the regional groups
        # beside a horizontal chart) are longer. Two columns leave room for every UN language
        # (tests/test_charts.py measures them); labels are never truncated.
        "legend_at_bottom": True,
        "legend_at_bottom_columns": LEGEND_COLUMNS,
        "truncate_legend": -1,
        "truncate_label": -1,
        "print_values": False,
        "show_y_guides": True,
        "pretty_print": False,
    }
    config.update(overrides)
    return config


MARGIN = 20  # pygal's default margin around the plot


def _label_margin(labels: Sequence[str], font_size: int) -> int:
    """A left margin wide enough for labels in Chinese: pygal sizes labels at 0.6 em a character,
    a Han character takes a whole em, so "拉丁美洲和加勒比国家" was clipped at the left edge."""
    overhang = max(
        (sum(0.4 * font_size for ch in label if unicodedata.east_asian_width(ch) in "WF") for label in labels),
        default=0.0,
    )
    return MARGIN + round(overhang)


def _finish(chart: pygal.graph.graph.Graph) -> str:
    """Render and remove what a PDF or a strict CSP must not contain."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    return _COMMENT.sub("", svg)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:g} %"


def svg_data_uri(svg: str) -> str:
    """The SVG as a data: URI, for <img src> on pages under the Content-Security-Policy."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def reporting_rate_chart(summary: CycleSummary, *, title: str | None = None) -> str:
    """Share of States on time / late / draft only / nothing, for all States and per regional group."""
    rows = [(str(_("All States")), summary), *((str(group.label), group) for group in summary.groups)]
    # pygal draws the first label at the bottom of a horizontal chart: reverse so "All States" is on top.
    rows.reverse()
    data = tuple((label, c.on_time_rate, c.late_rate, c.drafts_only_rate, c.nothing_rate) for label, c in rows)
    labels = (str(_("On time")), str(_("Late")), str(_("Draft only")), str(_("Nothing")))
    # xgettext:no-python-format
    heading = title if title is not None else str(_("Reporting rate by regional group (% of States)"))
    return _reporting_rate_svg(heading, labels, data, str(_("No data")))


@lru_cache(maxsize=64)
def _reporting_rate_svg(title: str, labels: tuple[str, ...], data: tuple[tuple[Any, ...], ...], no_data: str) -> str:
    # Charts are cached by what they show: a dashboard reload redraws nothing that did not change.
    chart = pygal.HorizontalStackedBar(
        **_config(
            title=title,
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],
            # The four series' legend takes two rows: the chart grows by one so the bars keep their size.
            height=120 + LEGEND_ROW_HEIGHT + 44 * len(data),
            value_formatter=_percent,
            no_data_text=no_data,
            margin_left=_label_margin([row[0] for row in data], PORTAL_STYLE.label_font_size),
        )
    )
    chart.x_labels = [row[0] for row in data]
    for index, label in enumerate(labels, start=1):
        chart.add(label, [row[index] for row in data])
    return _finish(chart)


def status_chart(summary: CycleSummary, *, title: str | None = None) -> str:
    """How many States are in each position (counts, not rates)."""
    labels = (str(_("On time")), str(_("Late")), str(_("Draft only")), str(_("Nothing")))
    heading = title if title is not None else str(_("States by reporting status"))
    counts = (summary.on_time, summary.late, summary.drafts_only, summary.nothing)
    return _status_svg(heading, labels, counts, str(_("States")), str(_("No data")))


@lru_cache(maxsize=64)
def _status_svg(title: str, labels: tuple[str, ...], counts: tuple[int, ...], series: str, no_data: str) -> str:
    chart = pygal.Bar(**_config(title=title, print_values=True, show_legend=False, height=320, no_data_text=no_data))
    chart.x_labels = list(labels)
    chart.add(series, [{"value": count, "color": COLOURS[i]} for i, count in enumerate(counts)])
    return _finish(chart)


def trend_chart(points: Sequence[TrendPoint], *, title: str | None = None) -> str:
    """Reporting rate and on-time rate across cycles, oldest first."""
    heading = title if title is not None else str(_("Reporting rate across cycles (%)"))
    # The cycles by their labels in the reader's language (the codes are the portal's, not the reader's).
    data = tuple((p.label, p.reporting_rate, p.on_time_rate) for p in points)
    return _trend_svg(heading, (str(_("Reporting rate")), str(_("On time"))), data, str(_("No data")))


@lru_cache(maxsize=64)
def _trend_svg(title: str, labels: tuple[str, str], data: tuple[tuple[Any, ...], ...], no_data: str) -> str:
    chart = pygal.Line(
        **_config(
            title=title,
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],
            dots_size=4,
            x_label_rotation=12,
            margin_right=40,
            value_formatter=_percent,
            no_data_text=no_data,
        )
    )
    chart.x_labels = [row[0] for row in data]
    chart.add(labels[0], [row[1] for row in data])
    chart.add(labels[1], [row[2] for row in data])
    return _finish(chart)


def named_parties_chart(rows: Sequence[tuple[str, int]], *, title: str | None = None) -> str:
    """How many States name each party (the top of the named-party register)."""
    heading = title if title is not None else str(_("Parties named most often (number of States naming them)"))
    return _parties_svg(heading, tuple(list(rows)[:10]), str(_("States")), str(_("No data")))


@lru_cache(maxsize=64)
def _parties_svg(title: str, rows: tuple[tuple[str, int], ...], series: str, no_data: str) -> str:
    data = list(reversed(rows))
    chart = pygal.HorizontalBar(
        **_config(
            title=title,
            show_legend=False,
            print_values=True,
            height=120 + 36 * max(1, len(data)),
            no_data_text=no_data,
            margin_left=_label_margin([name for name, _count in data], PORTAL_STYLE.label_font_size),
        )
    )
    chart.x_labels = [name for name, _count in data]
    chart.add(series, [count for _name, count in data])
    return _finish(chart)
