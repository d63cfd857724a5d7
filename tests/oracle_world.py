"""A generated world for the figure oracles: everything a Council figure can trip over.

States in every regional group; per State one fate: no report at all, a draft only (its rows
must never count), submitted on time, submitted late, or amended (v1 superseded by a v2 with
different rows and levels: only v2 counts). Each frozen version draws a report level and
per-section overrides among "may be published", "Committee members only" and "Secretariat
and Monitoring Team only"; checklist rows answered, left blank or missing; answers to
measures the cycle does not ask (another resolution's, a retired one's); registers in
several units and currencies; parties named in oil and cultural rows, with and without a
Sanctions List reference; the Secretariat's assessments.

`build_oracle_world(rng)` is deterministic for a seeded `random.Random` (hypothesis passes
its own). Times are noon UTC (08:00 in New York): the same day on either clock, so these
figures do not depend on which clock is the portal's (that is issue 16 item 3's test).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from reports.models import (
    Answer,
    AssessmentState,
    AssetType,
    CaseKind,
    ChecklistAnswer,
    Commodity,
    Confidentiality,
    CulturalSeizure,
    Direction,
    FrozenAsset,
    InstitutionKind,
    Measure,
    MeasureAssessment,
    MemberState,
    Obligation,
    OilInterdiction,
    PartyMention,
    Provenance,
    QuantityUnit,
    RansomCase,
    Rating,
    Report,
    ReportingCycle,
    ReportVersion,
    Role,
    Section,
    SuspiciousTransactionCount,
)
from reports.services.parties import normalize_party_name
from reports.services.reports import report_get_or_create, report_open_addendum, report_submit_unchecked
from tests.factories import at, make_user, signatory_of

DUE = datetime.date(2026, 6, 30)
TODAY = datetime.date(2026, 8, 15)
PREFIX = "oracle-sig"
ISO3 = ["FRA", "DEU", "GBR", "TUR", "RUS", "POL", "UKR", "CHN", "SAU", "JOR", "IRQ", "IND", "NGA", "KEN", "EGY", "BRA", "MEX"]
LEVELS = [Confidentiality.PUBLIC, Confidentiality.COMMITTEE, Confidentiality.SECRETARIAT]
# Fates, in the order the first States get them (so each occurs whatever the draw); then random.
NOTHING, DRAFT, ON_TIME, LATE, AMENDED = "nothing", "draft", "on_time", "late", "amended"
FATES = [AMENDED, ON_TIME, LATE, DRAFT, NOTHING, AMENDED, ON_TIME, LATE]
# (name as a State wrote it, Sanctions List reference): two spellings of one party, one listed entity.
PARTIES = [
    ("Crescent Tanker Logistics (fictitious)", ""),
    ("CRESCENT  tanker logistics (Fictitious)", ""),
    ("Islamic State in Iraq and the Levant", "QDe.115"),
    ("Levant Antiquities Trading (fictitious)", ""),
    ("Al-Nusrah Front for the People of the Levant", "QDe.137"),
]
RETIRED_CODE = "ORACLE-RETIRED"


@dataclass
class OracleWorld:
    cycle: ReportingCycle
    other_cycle: ReportingCycle
    states: list[MemberState]
    fates: dict[str, str] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    superseded: list[ReportVersion] = field(default_factory=list)
    drafts: list[ReportVersion] = field(default_factory=list)


def oracle_cycle(code: str, obligation_code: str = "committee-periodic-update", *, due: datetime.date = DUE) -> ReportingCycle:
    cycle, _ = ReportingCycle.objects.get_or_create(
        code=code,
        defaults={
            "obligation": Obligation.objects.get(code=obligation_code),
            "opens": due - datetime.timedelta(days=120),
            "due": due,
            "label": {"en": code},
        },
    )
    return cycle


def _quantity(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(1, 2_000_000)) / Decimal(1000)


def _mention(version: ReportVersion, rng: random.Random, **row: object) -> None:
    name, list_ref = rng.choice(PARTIES)
    PartyMention.objects.create(version=version, name=name, normalized_name=normalize_party_name(name), list_ref=list_ref, **row)


def fill_version(
    version: ReportVersion,
    rng: random.Random,
    *,
    checklist: list[Measure],
    foreign: list[Measure],
    level: str | None = None,
) -> None:
    """Random levels, checklist rows and register rows in a draft (replacing what it held)."""
    version.answers.all().delete()
    for related in ("oilinterdiction_rows", "frozenasset_rows", "culturalseizure_rows", "ransomcase_rows"):
        getattr(version, related).all().delete()
    version.suspicioustransactioncount_rows.all().delete()
    version.party_mentions.all().delete()
    version.confidentiality = level or rng.choice(LEVELS)
    version.section_confidentiality = {
        section: rng.choice([*LEVELS, ""]) for section in Section.values if section != Section.ATTACHMENTS and rng.random() < 0.4
    }
    version.save(update_fields=["confidentiality", "section_confidentiality"])
    for measure in checklist:
        draw = rng.random()
        if draw < 0.6:
            ChecklistAnswer.objects.create(
                version=version, measure=measure, answer=rng.choice(Answer.values), legal_reference="Act 7"
            )
        elif draw < 0.8:  # a row kept blank (the State opened it and said nothing)
            ChecklistAnswer.objects.create(version=version, measure=measure, answer="", narrative="to follow")
        # else: no row at all
    for measure in rng.sample(foreign, k=min(2, len(foreign))):
        ChecklistAnswer.objects.create(version=version, measure=measure, answer=rng.choice(Answer.values))
    day = DUE - datetime.timedelta(days=rng.randint(5, 90))
    for position in range(rng.randint(0, 3)):
        value = None if rng.random() < 0.3 else Decimal(rng.randint(1, 10**7)) / 100
        row = OilInterdiction.objects.create(
            version=version, position=position, date=day, place="Port", commodity=rng.choice(Commodity.values),
            quantity=_quantity(rng), unit=rng.choice([QuantityUnit.BARRELS, QuantityUnit.TONNES, QuantityUnit.LITRES]),
            value=value, currency="" if value is None else rng.choice(["USD", "EUR"]), direction=rng.choice(Direction.values),
        )  # fmt: skip
        for _ in range(rng.randint(0, 2)):
            _mention(version, rng, interdiction=row)
    for position in range(rng.randint(0, 2)):
        FrozenAsset.objects.create(
            version=version, position=position, listed_party="Listed party", list_ref="QDe.115",
            asset_type=rng.choice(AssetType.values), amount=Decimal(rng.randint(1, 10**8)) / 100,
            currency=rng.choice(["USD", "EUR", "GBP"]), date_frozen=day, institution_kind=rng.choice(InstitutionKind.values),
        )  # fmt: skip
    for position in range(rng.randint(0, 2)):
        seizure = CulturalSeizure.objects.create(
            version=version, position=position, date=day, description="Tablets", provenance=rng.choice(Provenance.values),
            count=rng.randint(1, 400), returned=rng.random() < 0.5,
        )  # fmt: skip
        if rng.random() < 0.6:
            _mention(version, rng, seizure=seizure)
    for position in range(rng.randint(0, 2)):
        RansomCase.objects.create(
            version=version, position=position, date=day, kind=rng.choice(CaseKind.values), description="Case",
            prevented=rng.random() < 0.5,
        )  # fmt: skip
    for position in range(rng.randint(0, 2)):
        SuspiciousTransactionCount.objects.create(
            version=version, position=position, period_start=day, period_end=day + datetime.timedelta(days=30),
            count=rng.randint(0, 900),
        )  # fmt: skip


def build_oracle_world(
    rng: random.Random, *, n_states: int = len(ISO3), obligation: str = "committee-periodic-update"
) -> OracleWorld:
    cycle = oracle_cycle(f"oracle-{obligation}", obligation)
    # Another cycle of the same States: its rows must never reach this cycle's figures.
    other = oracle_cycle("oracle-other", "2253-implementation", due=DUE - datetime.timedelta(days=365))
    resolution = cycle.obligation.resolution
    retired, _ = Measure.objects.get_or_create(
        code=RETIRED_CODE,
        defaults={
            "resolution": resolution,
            "area": "oil",
            "required": True,
            "active": False,
            "order": 1,
            "title": {"en": "Retired"},
        },
    )
    checklist = list(Measure.objects.filter(resolution=resolution, active=True).order_by("order", "code"))
    foreign = [retired, *Measure.objects.filter(active=True).exclude(resolution=resolution).order_by("code")[:6]]
    states = list(MemberState.objects.filter(iso3__in=ISO3[:n_states]).order_by("iso3"))
    rng.shuffle(states)
    secretariat = make_user(Role.SECRETARIAT, None, f"oracle-sec-{rng.randint(0, 10**9)}")
    world = OracleWorld(cycle=cycle, other_cycle=other, states=states)
    # A stream of its own (seeded by the States' shuffled order): the world's other draws stay as they were.
    stands = random.Random(",".join(s.iso3 for s in states))
    for index, state in enumerate(states):
        fate = FATES[index] if index < len(FATES) else rng.choice(FATES)
        world.fates[state.iso3] = fate
        if fate == NOTHING:
            continue
        signatory = signatory_of(state, prefix=PREFIX)
        report = report_get_or_create(state=state, cycle=cycle, actor=signatory)
        world.reports[state.iso3] = report
        draft = report.versions.get(is_draft=True)
        # The first two filed reports are Committee-only and Secretariat-only at report level, so
        # every audience has something it must not see.
        forced = {0: Confidentiality.COMMITTEE, 1: Confidentiality.SECRETARIAT, 2: Confidentiality.PUBLIC}.get(index)
        fill_version(draft, rng, checklist=checklist, foreign=foreign, level=forced)
        if fate == DRAFT:
            world.drafts.append(draft)
            continue
        late = fate == LATE or (fate == AMENDED and rng.random() < 0.5)
        when = DUE + datetime.timedelta(days=rng.randint(1, 40)) if late else DUE - datetime.timedelta(days=rng.randint(0, 20))
        report_submit_unchecked(report=report, actor=signatory, now=at(when))
        if fate == AMENDED:
            v1 = ReportVersion.objects.get(pk=draft.pk)
            world.superseded.append(v1)
            addendum = report_open_addendum(report=report, actor=signatory)
            fill_version(addendum, rng, checklist=checklist, foreign=foreign)
            report_submit_unchecked(report=report, actor=signatory, now=at(when + datetime.timedelta(days=rng.randint(1, 30))))
        report.refresh_from_db()
        for measure in rng.sample(checklist, k=rng.randint(0, len(checklist))):
            # Where each assessment stands with the State, drawn apart (the world's other draws stay as they were).
            stand = stands.choice(AssessmentState.values)
            MeasureAssessment.objects.create(
                report=report,
                measure=measure,
                version=report.current_version,
                rating=rng.choice(Rating.values),
                assessed_by=secretariat,
                state=stand,
                state_comment="Not as we read it" if stand == AssessmentState.DISPUTED else "",
            )
        # The other cycle: a submitted report full of rows that must stay out of this cycle.
        other_report = report_get_or_create(state=state, cycle=other, actor=signatory)
        other_draft = other_report.versions.get(is_draft=True)
        fill_version(other_draft, rng, checklist=list(other.obligation.resolution.measures.filter(active=True)), foreign=[])
        report_submit_unchecked(report=other_report, actor=signatory, now=at(other.due))
    return world
