"""A small, known world for the Council PDFs: what each document must (and must not) say.

- FRA, DEU and SAU marked their reports "may be published" (a general document shows them).
- FRA: submitted on time; 1200 barrels of crude, 5000 EUR frozen (public), names a party.
- DEU: submitted late (10 days); 300 barrels of crude; its frozen assets (7777 USD) are
  marked Secretariat-only; a narrative tries to make the renderer fetch a file and a URL.
- CHN: a draft only, holding 9999 barrels that no document may ever show.
- SAU: submitted on time, nothing in the registers (its Arabic name is checked in profiles).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from reports.models import (
    Answer,
    ChecklistAnswer,
    Commodity,
    Confidentiality,
    Direction,
    FrozenAsset,
    Measure,
    MemberState,
    OilInterdiction,
    PartyMention,
    QuantityUnit,
    Report,
    ReportingCycle,
    ReportVersion,
    Section,
)
from reports.services.parties import normalize_party_name
from reports.services.reports import report_get_or_create, report_submit_unchecked
from tests.factories import at, open_cycle, signatory_of

DUE = datetime.date(2026, 6, 30)
TODAY = datetime.date(2026, 8, 15)
PLANTED = (
    '<img src="file:///etc/passwd"> and <img src="http://203.0.113.7/track.png"> see <a href="http://evil.example/">here</a>'
)
PARTY = "Crescent Tanker Logistics (fictitious)"
PREFIX = "pdf-sig"  # its signatories: pdf-sig-fra, ...


def draft_of(state: MemberState, cycle: ReportingCycle) -> tuple[Report, ReportVersion]:
    report = report_get_or_create(state=state, cycle=cycle, actor=signatory_of(state, prefix=PREFIX))
    return report, report.versions.get(is_draft=True)


def oil(version: ReportVersion, quantity: int, *, party: str = "", position: int = 0) -> OilInterdiction:
    row = OilInterdiction.objects.create(
        version=version,
        position=position,
        date=DUE - datetime.timedelta(days=40),
        place="Port of Aqaba",
        commodity=Commodity.CRUDE,
        quantity=Decimal(quantity),
        unit=QuantityUnit.BARRELS,
        value=Decimal(1000),
        currency="USD",
        direction=Direction.FROM_ISIL,
        parties=party,
    )
    if party:
        PartyMention.objects.create(version=version, interdiction=row, name=party, normalized_name=normalize_party_name(party))
    return row


@dataclass
class World:
    cycle: ReportingCycle
    fra: MemberState
    deu: MemberState
    chn: MemberState
    sau: MemberState


def build_world() -> World:
    cycle = open_cycle("pdf-cycle", due=DUE)
    states = {s.iso3: s for s in MemberState.objects.filter(iso3__in=["FRA", "DEU", "CHN", "SAU"])}
    measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code"))

    report, version = draft_of(states["FRA"], cycle)
    for measure in measures:
        ChecklistAnswer.objects.create(
            version=version, measure=measure, answer=Answer.IN_PLACE, legal_reference="Code pénal, art. 421-2-2"
        )
    oil(version, 1200, party=PARTY)
    version.confidentiality = Confidentiality.PUBLIC  # "may be published": a general document shows it
    version.save(update_fields=["confidentiality"])
    FrozenAsset.objects.create(
        version=version, listed_party="Islamic State in Iraq and the Levant", list_ref="QDe.115", asset_type="bank_account",
        amount=Decimal(5000), currency="EUR", date_frozen=DUE - datetime.timedelta(days=5), institution_kind="bank",
    )  # fmt: skip
    report_submit_unchecked(
        report=report, actor=signatory_of(states["FRA"], prefix=PREFIX), now=at(DUE - datetime.timedelta(days=3))
    )

    report, version = draft_of(states["DEU"], cycle)
    ChecklistAnswer.objects.create(version=version, measure=measures[0], answer=Answer.PARTIAL, narrative=PLANTED)
    oil(version, 300, party=PARTY)
    FrozenAsset.objects.create(
        version=version, listed_party="Al-Nusrah Front for the People of the Levant", list_ref="QDe.137", asset_type="securities",
        amount=Decimal(7777), currency="USD", date_frozen=DUE, institution_kind="bank",
    )  # fmt: skip
    version.section_confidentiality = {Section.ASSETS: Confidentiality.SECRETARIAT}
    version.confidentiality = Confidentiality.PUBLIC  # publishable, but for its assets (a general document shows it)
    version.save(update_fields=["section_confidentiality", "confidentiality"])
    report_submit_unchecked(
        report=report, actor=signatory_of(states["DEU"], prefix=PREFIX), now=at(DUE + datetime.timedelta(days=10))
    )

    _report, version = draft_of(states["CHN"], cycle)
    oil(version, 9999, party="Draft-only Party (fictitious)")

    report, version = draft_of(states["SAU"], cycle)
    version.confidentiality = Confidentiality.PUBLIC  # its empty checklist counts in a general document too
    version.save(update_fields=["confidentiality"])
    report_submit_unchecked(
        report=report, actor=signatory_of(states["SAU"], prefix=PREFIX), now=at(DUE - datetime.timedelta(days=1))
    )
    return World(cycle=cycle, fra=states["FRA"], deu=states["DEU"], chn=states["CHN"], sau=states["SAU"])


def pdf_raw_text(content: bytes, *, layout: bool = True, page: int | None = None) -> str:
    """The text of a PDF as pypdf reads it, one page (1-based) or all: in layout mode a table row
    stays on one line, as poppler's `pdftotext -layout` keeps it. Pure Python, so reading a PDF
    back needs no system package (poppler only renders a page to an image, in one test)."""
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    chosen = [pages[page - 1]] if page is not None else list(pages)
    mode = "layout" if layout else "plain"
    return "\n".join(p.extract_text(extraction_mode=mode) or "" for p in chosen)


def pdf_text(content: bytes, *, layout: bool = True, page: int | None = None) -> str:
    """pdf_raw_text with bidi marks removed, and figures printed with narrow-space thousands
    ("1 500") joined again."""
    import re

    text = pdf_raw_text(content, layout=layout, page=page)
    for mark in ("\u202a", "\u202b", "\u202c", "\u200e", "\u200f"):
        text = text.replace(mark, "")
    return re.sub(r"(?<=\d)[\u202f\u2009 ](?=\d{3}\b)", "", text)
