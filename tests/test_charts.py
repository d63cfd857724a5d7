"""Chart legends in every UN language: each label fits beside the next one and inside the chart.

Text is measured with DejaVu Sans, the charts' first font, as a browser or WeasyPrint would draw
it (Han characters, which DejaVu lacks, as one em each)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from reports.charts import PORTAL_STYLE, reporting_rate_chart, trend_chart
from reports.models import RegionalGroup

SVG = "{http://www.w3.org/2000/svg}"
GAP = 8  # at least this much white between one legend label and the next box
FONT_PATHS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"]


def _text_width(text: str, size: int) -> float:
    font_path = next((p for p in FONT_PATHS if Path(p).exists()), None)
    if font_path is None:  # no DejaVu here: a conservative estimate
        return 0.7 * size * len(text)
    from PIL import ImageFont

    font = ImageFont.truetype(font_path, size)
    return sum(size if ord(ch) >= 0x2E80 else font.getlength(ch) for ch in text)


def _counts(on_time: int, late: int, drafts: int, nothing: int) -> SimpleNamespace:
    total = on_time + late + drafts + nothing
    return SimpleNamespace(
        on_time_rate=100 * on_time / total, late_rate=100 * late / total,
        drafts_only_rate=100 * drafts / total, nothing_rate=100 * nothing / total,
    )  # fmt: skip


def _charts() -> dict[str, str]:
    groups = [SimpleNamespace(label=group.label, **vars(_counts(5, 3, 2, 20 + i))) for i, group in enumerate(RegionalGroup)]
    summary = SimpleNamespace(groups=groups, **vars(_counts(40, 15, 10, 128)))
    trend = [
        SimpleNamespace(code=f"2253-{year}", label=f"2253 ({year})", reporting_rate=40.0, on_time_rate=30.0)
        for year in range(2016, 2024)
    ]
    return {"rates": reporting_rate_chart(summary), "trend": trend_chart(trend)}  # type: ignore[arg-type]


def _legend_boxes(svg: str) -> tuple[float, float, list[tuple[float, float, float, str]]]:
    """The chart's width and height, and (left, right, top, label) of each legend entry."""
    root = ET.fromstring(svg)  # noqa: S314 (the portal's own chart, not outside input)
    _x, _y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    legends = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legends")
    dx, dy = (float(v) for v in re.findall(r"[-\d.]+", legends.attrib["transform"]))
    entries = []
    for entry in legends.iter(f"{SVG}g"):
        rect, text = entry.find(f"{SVG}rect"), entry.find(f"{SVG}text")
        if rect is None or text is None:
            continue
        label = text.text or ""
        left = dx + float(rect.attrib["x"])
        right = dx + float(text.attrib["x"]) + _text_width(label, PORTAL_STYLE.legend_font_size)
        entries.append((left, right, dy + float(rect.attrib["y"]), label))
    return width, height, entries


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_legend_labels_never_overlap_in_any_language(language):
    with translation.override(language):
        charts = _charts()
    for name, svg in charts.items():
        width, height, entries = _legend_boxes(svg)
        assert len(entries) == (4 if name == "rates" else 2)
        rows: dict[float, list[tuple[float, float, float, str]]] = {}
        for entry in entries:
            rows.setdefault(entry[2], []).append(entry)
        for top, row in rows.items():
            row.sort()
            for (_l, right, _t, label), (next_left, _r, _t2, next_label) in itertools.pairwise(row):
                assert right + GAP <= next_left, f"{language} {name}: “{label}” runs into “{next_label}”"
            assert row[-1][1] <= width, f"{language} {name}: “{row[-1][3]}” runs out of the chart"
            assert top + PORTAL_STYLE.legend_font_size <= height, f"{language} {name}: the legend is cut off at the bottom"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_regional_group_labels_are_not_cut_off_at_the_left_edge(language):
    """The horizontal chart's labels end 5 px left of the plot; each must start inside the chart."""
    with translation.override(language):
        svg = _charts()["rates"]
    root = ET.fromstring(svg)  # noqa: S314 (the portal's own chart)
    plot = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "plot")
    plot_left = float(re.findall(r"[-\d.]+", plot.attrib["transform"])[0])
    axis = next(g for g in plot.iter(f"{SVG}g") if (g.get("class") or "").startswith("axis y"))
    labels = [(text.text or "", float(text.attrib["x"])) for text in axis.iter(f"{SVG}text")]
    assert len(labels) == len(RegionalGroup) + 1  # the groups and "All States"
    for label, x in labels:
        start = plot_left + x - _text_width(label, PORTAL_STYLE.label_font_size)
        assert start >= 0, f"{language}: “{label}” starts {-start:.0f} px outside the chart"


def test_trend_chart_names_cycles_by_their_label_in_the_readers_language(reference):  # type: ignore[no-untyped-def]
    from reports.models import ReportingCycle
    from reports.selectors.dashboard import cycle_trend

    cycle = ReportingCycle.objects.get(code="committee-update-2025")
    with translation.override("fr"):
        svg = trend_chart(cycle_trend(today=cycle.due, cycles=[cycle]))
    assert "Mise à jour périodique demandée par le Comité, 2025" in svg
    assert "committee-update-2025" not in svg
