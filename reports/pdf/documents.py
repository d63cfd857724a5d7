"""What goes into each Council document: context builders and the HTML they render to.

The documents read through reports.selectors (dashboard for the reporting rates,
council for the key figures and profiles) and never look at drafts. A document's text
depends only on the data (and on the reporting date and language it was asked for), so
asking again for the same data gives the same text: dates in the document and the PDF's
metadata come from the data's own latest change (`data_as_of`), never from the clock.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import charts
from reports.collation import un_sorted_key
from reports.figures import number
from reports.models import (
    UN_LANGUAGES,
    Answer,
    Commodity,
    Distribution,
    MemberState,
    PdfKind,
    QuantityUnit,
    RegionalGroup,
    ReportingCycle,
    Section,
)
from reports.models.pdf import LANGUAGE_OWN_NAME, LANGUAGE_VERSION_LETTER
from reports.pdf import bar_charts
from reports.selectors import council
from reports.selectors.access import Audience
from reports.selectors.dashboard import CycleSummary, cycle_status_summary
from reports.templatetags.bidi import ltr

# The epoch stands in for "no data yet", so an empty portal still renders reproducibly.
NO_DATA = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class DocumentRequest:
    """Everything that decides a document's content."""

    kind: str
    distribution: str
    today: datetime.date
    language: str = "en"
    cycle: ReportingCycle | None = None
    state: MemberState | None = None

    @property
    def audience(self) -> Audience:
        """Who the document is for: its distribution decides which sections it may contain."""
        return Audience(self.distribution)

    def identifier(self, data_as_of: datetime.datetime) -> str:
        """A stable identity for the PDF's /ID: what was asked and the time of the data."""
        return json.dumps(
            [self.kind, self.distribution, self.today.isoformat(), self.language, self.cycle and self.cycle.pk,
             self.state and self.state.iso3, data_as_of.isoformat()]
        )  # fmt: skip


@dataclass
class Html:
    html: str
    data_as_of: datetime.datetime
    title: str
    symbol: str
    states: list[MemberState] = field(default_factory=list)


def document_symbol(request: DocumentRequest) -> str:
    """A UN-style symbol: the Committee's series (S/AC.37), the year, and what the document is.

    The same in every language, as a UN document's symbol is: the language version is marked by
    `language_version` on the first page and by the file name's language code ("-FR.pdf").
    """
    year = request.today.year
    if request.kind == PdfKind.SUMMARY and request.cycle is not None:
        return f"S/AC.37/{year}/NOTE.{request.cycle.pk}"
    if request.kind == PdfKind.PROFILE and request.state is not None:
        return f"S/AC.37/{year}/PROFILE/{request.state.iso3}"
    return f"S/AC.37/{year}/COMPENDIUM" + (f".{request.cycle.pk}" if request.cycle else "")


def _common(request: DocumentRequest, *, title: str, symbol: str, data_as_of: datetime.datetime) -> dict[str, Any]:
    return {
        "doc_title": title,
        "symbol": symbol,
        "distribution": request.distribution,
        "audience": request.audience,
        "distribution_label": Distribution(request.distribution).label,
        "today": request.today,
        "data_as_of": data_as_of,
        "data_as_of_iso": data_as_of.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cycle": request.cycle,
        "language_version": language_version(request.language),
    }


def language_version(language: str) -> str:
    """The first page's mark of the language version, as a UN job number carries it: "Français (F)"."""
    return f"{LANGUAGE_OWN_NAME.get(language, language)} ({LANGUAGE_VERSION_LETTER.get(language, '?')})"


# --- the Council summary ----------------------------------------------------------------------


def summary_context(request: DocumentRequest) -> dict[str, Any]:
    cycle = request.cycle
    assert cycle is not None
    status = cycle_status_summary(cycle=cycle, today=request.today)
    sections = council.visible_sections(versions=council.current_versions(cycle=cycle), audience=request.audience)
    parties = council.parties_most_named(sections=sections)
    matrix = council.matrix_by_area(cycle=cycle, sections=sections)
    data_as_of = council.cycle_data_as_of(cycle=cycle) or NO_DATA
    title = _("Implementation reports: summary for the reporting cycle “%(cycle)s”") % {"cycle": cycle.display_label}
    late = sorted((s for s in status.states if s.category == "late"), key=lambda s: (-s.days_late, un_sorted_key(s.name)))
    not_reported = [s for s in status.states if not s.received]
    context = _common(request, title=title, symbol=document_symbol(request), data_as_of=data_as_of)
    context.update(
        {
            "running_title": _("Summary: %(cycle)s") % {"cycle": ltr(cycle.code)},
            "status": status,
            "late_states": late,
            "not_reported": not_reported,
            "overdue_states": status.overdue_states,
            "oil": [
                {
                    **row,
                    "commodity_label": Commodity(row["commodity"]).label,
                    "unit_label": QuantityUnit(row["unit"]).label,
                    "quantity_text": number(row["quantity"]),
                }
                for row in council.oil_by_commodity(sections=sections)
            ],
            "oil_value": [
                {**row, "value_text": number(row["value"])} for row in council.oil_value_by_currency(sections=sections)
            ],
            "assets": [{**row, "amount_text": number(row["amount"])} for row in council.assets_by_currency(sections=sections)],
            "cultural": council.cultural_seizures(sections=sections),
            "ransom": council.ransom_cases(sections=sections),
            "str_counts": council.suspicious_transactions(sections=sections),
            "parties": parties,
            "since_listed": council.parties_since_listed(sections=sections),
            "matrix": matrix,
            # The column only when the cycle's checklist has optional measures (2199, 2253).
            "matrix_optional": any(row["optional_unanswered"] for row in matrix),
            "charts": _summary_charts(status, [(_party_label(p), p["states"]) for p in parties]),
            # In the compendium the merged document is numbered as a whole (page_numbers_html).
            "body_class": "unnumbered" if request.kind == PdfKind.COMPENDIUM else "",
        }
    )
    return context


def _summary_charts(status: CycleSummary, parties: list[tuple[str, int]]) -> dict[str, str]:
    """The summary's charts: pygal's SVG, or for a right-to-left language the same figures in HTML.

    WeasyPrint draws SVG text glyph by glyph, which breaks Arabic shaping; HTML text is shaped.
    """
    if translation.get_language_bidi():
        return {
            "rates": bar_charts.render(bar_charts.reporting_rate_chart(status)),
            "status": bar_charts.render(bar_charts.status_chart(status)),
            "parties": bar_charts.render(bar_charts.named_parties_chart(parties)) if parties else "",
        }
    return {
        "rates": stable_svg(charts.reporting_rate_chart(status), "rates"),
        "status": stable_svg(charts.status_chart(status), "status"),
        "parties": stable_svg(charts.named_parties_chart(parties), "parties") if parties else "",
    }


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def stable_svg(svg: str, name: str) -> str:
    """pygal names each chart with a random UUID; a fixed name keeps the same data's PDF identical."""
    return _UUID.sub(name, svg)


def _party_label(party: dict[str, Any]) -> str:
    return f"{party['name']} ({party['list_ref']})" if party["list_ref"] else str(party["name"])


def summary_html(request: DocumentRequest) -> Html:
    with translation.override(request.language):
        context = summary_context(request)
        html = render_to_string("pdf/summary.html", context)
    return Html(html=html, data_as_of=context["data_as_of"], title=context["doc_title"], symbol=context["symbol"])


# --- State profiles -------------------------------------------------------------------------------


def profile_context(request: DocumentRequest, states: list[MemberState]) -> dict[str, Any]:
    profiles = council.state_profiles(states=states, cycle=request.cycle, audience=request.audience)
    data_as_of = council.states_data_as_of(states=states) or NO_DATA
    if len(states) == 1:
        title = _("State profile: %(state)s") % {"state": states[0].display_name}
    else:
        title = _("Compendium of State profiles")
    context = _common(request, title=title, symbol=document_symbol(request), data_as_of=data_as_of)
    context.update(
        {
            "profiles": [_profile_view(p) for p in profiles],
            "section_labels": dict(Section.choices),
            "group_labels": dict(RegionalGroup.choices),
            "standalone": request.kind == PdfKind.PROFILE,
            "body_class": "" if request.kind == PdfKind.PROFILE else "chunk",
        }
    )
    return context


def _profile_view(profile: council.StateProfile) -> dict[str, Any]:
    names = profile.state.names or {}
    return {
        "profile": profile,
        "state": profile.state,
        "names": [(code, names[code]) for code in UN_LANGUAGES if names.get(code)],
        "answer_counts": [(label, profile.answer_counts.get(value, 0)) for value, label in Answer.choices],
        "unanswered": profile.answer_counts.get("", 0),
    }


def profiles_html(request: DocumentRequest, states: list[MemberState]) -> Html:
    with translation.override(request.language):
        context = profile_context(request, states)
        html = render_to_string("pdf/profile.html", context)
    return Html(html=html, data_as_of=context["data_as_of"], title=context["doc_title"], symbol=context["symbol"], states=states)


def toc_html(
    request: DocumentRequest, *, entries: list[tuple[str, str, int]], summary_pages: int, data_as_of: datetime.datetime
) -> str:
    """The compendium's table of contents: (ISO3, name, first page in the compendium)."""
    with translation.override(request.language):
        context = _common(request, title=_("Contents"), symbol=document_symbol(request), data_as_of=data_as_of)
        context.update({"entries": entries, "summary_pages": summary_pages, "body_class": "chunk"})
        return render_to_string("pdf/toc.html", context)


def page_numbers_html(request: DocumentRequest, *, pages: int, data_as_of: datetime.datetime) -> str:
    """Blank pages carrying only their footer's page number ("7 / 201"), to lay over a merged document."""
    with translation.override(request.language):
        context = _common(request, title="", symbol=document_symbol(request), data_as_of=data_as_of)
        context["pages"] = range(pages)
        return render_to_string("pdf/page_numbers.html", context)


def data_as_of_for(request: DocumentRequest) -> datetime.datetime:
    if request.kind == PdfKind.SUMMARY and request.cycle is not None:
        return council.cycle_data_as_of(cycle=request.cycle) or NO_DATA
    if request.kind == PdfKind.PROFILE and request.state is not None:
        return council.states_data_as_of(states=[request.state]) or NO_DATA
    stamps = [council.states_data_as_of(states=None) or NO_DATA]
    if request.cycle is not None:
        stamps.append(council.cycle_data_as_of(cycle=request.cycle) or NO_DATA)
    return max(stamps)


def file_name(request: DocumentRequest, data_as_of: datetime.datetime) -> str:
    stamp = timezone.localtime(data_as_of, datetime.UTC).strftime("%Y%m%dT%H%M%S")
    parts = [request.kind, request.distribution]
    if request.cycle is not None:
        parts.append(request.cycle.code)
    if request.state is not None:
        parts.append(request.state.iso3)
    digest = hashlib.sha256(request.identifier(data_as_of).encode()).hexdigest()[:8]
    # The language code last, as UN documents name their language versions ("..._2026_1-FR.pdf").
    return "-".join([*parts, stamp, digest, request.language.split("-")[0].upper()]) + ".pdf"
