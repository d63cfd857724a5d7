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
from collections.abc import Sequence
from typing import TYPE_CHECKING

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
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "truncate_legend": -1,
        "truncate_label": -1,
        "print_values": False,
        "show_y_guides": True,
        "pretty_print": False,
        "no_data_text": _("No data"),
    }
    config.update(overrides)
    return config


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
    chart = pygal.HorizontalStackedBar(
        **_config(
            title=title if title is not None else _("Reporting rate by regional group (% of States)"),
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],
            height=120 + 44 * len(rows),
            value_formatter=_percent,
        )
    )
    # pygal draws the first label at the bottom of a horizontal chart: reverse so "All States" is on top.
    rows.reverse()
    chart.x_labels = [label for label, _counts in rows]
    chart.add(_("On time"), [counts.on_time_rate for _label, counts in rows])
    chart.add(_("Late"), [counts.late_rate for _label, counts in rows])
    chart.add(_("Draft only"), [counts.drafts_only_rate for _label, counts in rows])
    chart.add(_("Nothing"), [counts.nothing_rate for _label, counts in rows])
    return _finish(chart)


def status_chart(summary: CycleSummary, *, title: str | None = None) -> str:
    """How many States are in each position (counts, not rates)."""
    chart = pygal.Bar(
        **_config(
            title=title if title is not None else _("States by reporting status"),
            print_values=True,
            show_legend=False,
            height=320,
        )
    )
    chart.x_labels = [_("On time"), _("Late"), _("Draft only"), _("Nothing")]
    chart.add(
        _("States"),
        [
            {"value": summary.on_time, "color": COLOURS[0]},
            {"value": summary.late, "color": COLOURS[1]},
            {"value": summary.drafts_only, "color": COLOURS[2]},
            {"value": summary.nothing, "color": COLOURS[3]},
        ],
    )
    return _finish(chart)


def trend_chart(points: Sequence[TrendPoint], *, title: str | None = None) -> str:
    """Reporting rate and on-time rate across cycles, oldest first."""
    chart = pygal.Line(
        **_config(
            title=title if title is not None else _("Reporting rate across cycles (%)"),
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],
            dots_size=4,
            value_formatter=_percent,
        )
    )
    chart.x_labels = [point.code for point in points]
    chart.add(_("Reporting rate"), [point.reporting_rate for point in points])
    chart.add(_("On time"), [point.on_time_rate for point in points])
    return _finish(chart)


def named_parties_chart(rows: Sequence[tuple[str, int]], *, title: str | None = None) -> str:
    """How many reports name each party (the top of the named-party register)."""
    rows = list(rows)[:10]
    chart = pygal.HorizontalBar(
        **_config(
            title=title if title is not None else _("Parties named most often (number of reports)"),
            show_legend=False,
            print_values=True,
            height=120 + 36 * max(1, len(rows)),
        )
    )
    rows.reverse()
    chart.x_labels = [name for name, _count in rows]
    chart.add(_("Reports"), [count for _name, count in rows])
    return _finish(chart)
