"""Demo users and plausible reports, for trying the portal. Never in production settings."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from reports.clock import portal_today, portal_zone
from reports.models import (
    Answer,
    AuditEvent,
    ChecklistAnswer,
    Commodity,
    Confidentiality,
    Direction,
    FrozenAsset,
    Measure,
    MemberState,
    ObligationKind,
    OilInterdiction,
    PartyMention,
    QuantityUnit,
    Report,
    ReportingCycle,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewEvent,
    Role,
    SanctionsSnapshot,
    Section,
    SuspiciousTransactionCount,
    User,
)

from .demo_lookalikes import demo_lookalikes_add
from .mfa import demo_totp_ensure
from .parties import normalize_party_name
from .reports import report_submit_unchecked
from .roles import roles_ensure
from .sanctions_import import import_sanctions_list

DEMO_STATES = ["FRA", "RUS", "IRQ", "JOR", "NGA", "USA"]
# The two 120-day reports (2199, 2253) long past, and the Committee's periodic updates: last
# year's (past) and this year's (open, where the demo delegations have a draft to fill in).
DEMO_CYCLES = ["2199-implementation-2015", "2253-implementation-2016", "committee-update-2025", "committee-update-2026"]
# Fictitious parties; the QDe references are real entries (QDe.115 is ISIL, QDe.137 Al-Nusrah Front).
DEMO_PARTIES = [
    ("Islamic State in Iraq and the Levant", "QDe.115"),
    ("Al-Nusrah Front for the People of the Levant", "QDe.137"),
    ("Crescent Tanker Logistics (fictitious)", ""),
    ("Eastern Desert Fuel Traders (fictitious)", ""),
    ("Blue Line Shipping Agency (fictitious)", ""),
]
PLANTED_INCONSISTENCY = ("JOR", "IRQ")  # JOR reports a cargo bound for IRQ; IRQ's report is silent.
PLANTED_CYCLE = "committee-update-2025"
# A State reports interdictions at its own ports and border crossings: only States on the
# routes to and from the areas where ISIL and ANF operated report any, each at its own places.
OIL_PLACES: dict[str, list[str]] = {
    "TUR": ["Port of Mersin", "Port of Ceyhan", "Cilvegözü border crossing", "Akçakale border crossing"],
    "JOR": ["Port of Aqaba", "Al-Karama border crossing", "Jaber border crossing"],
    "IRQ": ["Port of Umm Qasr", "Ibrahim Khalil border crossing", "Al-Qaim border crossing", "Trebil border crossing"],
    "LBN": ["Port of Beirut", "Port of Tripoli", "Masnaa border crossing"],
    "SAU": ["Port of Jeddah", "Arar border crossing", "Al-Haditha border crossing"],
    "KWT": ["Port of Shuwaikh", "Abdali border crossing"],
    "CYP": ["Port of Limassol", "Port of Larnaca"],
}
# Where the cargo came from or went to, on the other side: the areas where ISIL and ANF operated.
OIL_COUNTERPARTS = ["SYR", "IRQ"]
# Each State's choice of who may read its report: mostly Committee-only (the default), many
# publishable, a few for the Secretariat and the Monitoring Team only; some override a section.
LEVELS = [Confidentiality.PUBLIC, Confidentiality.COMMITTEE, Confidentiality.SECRETARIAT]
LEVEL_WEIGHTS = [4, 5, 1]


@dataclass
class DemoResult:
    users_created: list[str] = field(default_factory=list)
    reports_created: int = 0
    sanctions_entries: int = 0  # entries of the made-up Sanctions List loaded (0 when one was there)


def demo_users_ensure() -> list[str]:
    groups = roles_ensure()
    created: list[str] = []

    def ensure(username: str, role: Role, state: MemberState | None = None, staff: bool = False) -> None:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"state": state, "is_staff": staff, "is_superuser": staff, "email": f"{username}@demo.un.example"},
        )
        if was_created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(username)
        user.groups.add(groups[role])
        if settings.DEMO_DATA_ALLOWED:  # fixed TOTP secrets: see reports.services.mfa
            demo_totp_ensure(user=user)

    ensure("secretariat", Role.SECRETARIAT, staff=True)
    ensure("monitoring", Role.MONITORING)
    ensure("committee", Role.COMMITTEE)
    for state in MemberState.objects.filter(iso3__in=DEMO_STATES):
        ensure(f"focal-{state.iso3.lower()}", Role.FOCAL_POINT, state)
        ensure(f"signatory-{state.iso3.lower()}", Role.SIGNATORY, state)
    return created


@transaction.atomic
def demo_seed(*, today: datetime.date | None = None) -> DemoResult:
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo data is never created with production settings.")
    result = DemoResult(users_created=demo_users_ensure())
    result.sanctions_entries = demo_sanctions_list_ensure()
    today = today or portal_today()
    cycles = list(ReportingCycle.objects.filter(code__in=DEMO_CYCLES).select_related("obligation__resolution").order_by("opens"))
    states = list(MemberState.objects.order_by("iso3"))
    by_iso3 = {s.iso3: s for s in states}
    existing = set(Report.objects.filter(cycle__in=cycles).values_list("state_id", "cycle_id"))
    signatories: dict[int, User] | None = None
    officer = User.objects.get(username="secretariat")
    for cycle in cycles:
        measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code"))
        todo: list[tuple[MemberState, _Plan, random.Random]] = []
        for state in states:
            # One generator per State and cycle: a re-run makes the same choices, skipping what exists.
            rng = random.Random(f"demo-{cycle.code}-{state.iso3}")
            roll = rng.random()
            plan = _plan(cycle, state, roll, today, rng)
            if plan is None or (state.pk, cycle.pk) in existing:
                continue
            todo.append((state, plan, rng))
        if not todo:
            continue
        signatories = signatories or _demo_signatories(states)
        drafts = _demo_drafts(cycle=cycle, todo=todo, signatories=signatories)
        submitted: list[tuple[Report, str]] = []
        for (state, plan, rng), draft in zip(todo, drafts, strict=True):
            _demo_fill_and_submit(
                draft=draft,
                cycle=cycle,
                measures=measures,
                plan=plan,
                rng=rng,
                signatory=signatories[state.pk],
                by_iso3=by_iso3,
            )
            if plan.submit_at is not None:
                submitted.append((draft.report, plan.final_status))
        _demo_reviews(submitted=submitted, officer=officer)
        result.reports_created += len(todo)
    return result


DEMO_SANCTIONS_LIST = settings.BASE_DIR / "reports" / "fixtures" / "sanctions" / "consolidated-demo-1.xml"


def demo_sanctions_list_ensure() -> int:
    """The made-up Sanctions List (never the real one) when the portal has none yet."""
    if SanctionsSnapshot.objects.exists():
        return 0
    result = import_sanctions_list(DEMO_SANCTIONS_LIST.read_bytes(), source="demo: consolidated-demo-1.xml")
    return result.snapshot.entries_count


@dataclass
class _Plan:
    submit_at: datetime.datetime | None
    final_status: str


def _plan(cycle: ReportingCycle, state: MemberState, roll: float, today: datetime.date, rng: random.Random) -> _Plan | None:
    """Who reported what, and when.

    The two 120-day reports (2199, 2253): most States filed, some late, some never; the
    demo delegations filed on time. The Committee's periodic updates: about two thirds of
    the States report, some on time, some late, some only a draft.
    """
    demo = state.iso3 in DEMO_STATES
    past_cycle = cycle.due < today
    if cycle.obligation.kind == ObligationKind.ONE_OFF and past_cycle:
        return _plan_one_off(cycle, demo, roll, rng)
    if demo and not past_cycle:
        return _Plan(None, ReportStatus.DRAFT)  # the demo delegations have this one to fill in
    if not demo and roll > 0.68:
        return None
    if not demo and roll > 0.58:
        return _Plan(None, ReportStatus.DRAFT)
    if past_cycle:
        late = not demo and roll > 0.38
        day = (
            cycle.due + datetime.timedelta(days=rng.randint(1, 75))
            if late
            else cycle.opens + datetime.timedelta(days=rng.randint(10, (cycle.due - cycle.opens).days))
        )
        status = (
            ReportStatus.ACCEPTED
            if demo or roll < 0.25
            else rng.choice(
                [ReportStatus.SUBMITTED, ReportStatus.UNDER_REVIEW, ReportStatus.CLARIFICATION_REQUESTED, ReportStatus.ACCEPTED]
            )
        )
    else:
        latest = min(today - datetime.timedelta(days=1), cycle.due)
        if latest <= cycle.opens or roll > 0.35:
            return _Plan(None, ReportStatus.DRAFT)
        day = cycle.opens + datetime.timedelta(days=rng.randint(1, (latest - cycle.opens).days))
        status = ReportStatus.SUBMITTED
    return _Plan(_filed_at(day, rng), status)


def _plan_one_off(cycle: ReportingCycle, demo: bool, roll: float, rng: random.Random) -> _Plan | None:
    """About 84% filed (two thirds of them on time), 16% never; years later, nearly all accepted."""
    if not demo and roll > 0.84:
        return None
    if demo or roll < 0.56:
        day = cycle.opens + datetime.timedelta(days=rng.randint(30, (cycle.due - cycle.opens).days))
    else:
        # late: mostly by weeks, some by months, a few by more than a year
        days_late = rng.choice([rng.randint(1, 30), rng.randint(1, 30), rng.randint(31, 180), rng.randint(181, 700)])
        day = cycle.due + datetime.timedelta(days=days_late)
    status = ReportStatus.ACCEPTED if demo or roll < 0.78 else ReportStatus.SUBMITTED
    return _Plan(_filed_at(day, rng), status)


def _filed_at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A working-hours moment on a New York day (stored in UTC, as every time is)."""
    local = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=portal_zone())
    return local.astimezone(datetime.UTC)


def _demo_drafts(
    *, cycle: ReportingCycle, todo: list[tuple[MemberState, _Plan, random.Random]], signatories: dict[int, User]
) -> list[ReportVersion]:
    """Each State's report and open draft, as report_get_or_create makes them (with the
    "created" step of its history and the audit event), in four queries for the whole cycle."""
    reports = Report.objects.bulk_create([Report(state=state, cycle=cycle) for state, _plan, _rng in todo])
    drafts = []
    for (state, _plan, rng), report in zip(todo, reports, strict=True):
        draft = ReportVersion(report=report, number=1, is_draft=True, updated_by=signatories[state.pk])
        _demo_confidentiality(version=draft, rng=rng, planted=_planted(state, cycle))
        drafts.append(draft)
    ReportVersion.objects.bulk_create(drafts)
    ReviewEvent.objects.bulk_create(
        ReviewEvent(report=r, actor=signatories[r.state_id], action=ReviewAction.CREATE, to_status=ReportStatus.DRAFT)
        for r in reports
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=signatories[r.state_id],
            actor_name=signatories[r.state_id].get_username(),
            actor_role=Role.SIGNATORY.value,
            state_id=r.state_id,
            action="report_create",
            object_type="Report",
            object_id=str(r.pk),
            detail={},
        )
        for r in reports
    )
    return drafts


def _planted(state: MemberState, cycle: ReportingCycle) -> bool:
    return state.iso3 == PLANTED_INCONSISTENCY[0] and cycle.code == PLANTED_CYCLE


def _demo_fill_and_submit(
    *,
    draft: ReportVersion,
    cycle: ReportingCycle,
    measures: list[Measure],
    plan: _Plan,
    rng: random.Random,
    signatory: User,
    by_iso3: dict[str, MemberState],
) -> None:
    report = draft.report
    state = report.state
    planted = _planted(state, cycle)
    answer_choices = [Answer.IN_PLACE] * 5 + [Answer.PARTIAL] * 2 + [Answer.NOT_IN_PLACE, Answer.NOT_APPLICABLE]
    answered = measures if plan.submit_at else measures[: len(measures) // 2]
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            version=draft,
            measure=m,
            answer=(choice := rng.choice(answer_choices)),
            legal_reference=""
            if choice in (Answer.NOT_IN_PLACE, Answer.NOT_APPLICABLE)
            else f"Act No. {rng.randint(1, 99)}/{rng.randint(2005, cycle.opens.year)}, art. {rng.randint(1, 40)}",
            narrative="",
        )
        for m in answered
        if rng.random() > 0.05 or not plan.submit_at
    )
    if plan.submit_at and (planted or (state.iso3 in OIL_PLACES and rng.random() < 0.6)):
        _demo_interdictions(state=state, version=draft, cycle=cycle, rng=rng, planted=planted, by_iso3=by_iso3)
    if plan.submit_at and rng.random() < 0.25:
        FrozenAsset.objects.create(
            version=draft, listed_party=DEMO_PARTIES[0][0], list_ref=DEMO_PARTIES[0][1], asset_type="bank_account",
            amount=Decimal(rng.randint(1, 500) * 1000), currency=rng.choice(["USD", "EUR"]), date_frozen=cycle.opens, institution_kind="bank",
        )  # fmt: skip
    if plan.submit_at and rng.random() < 0.4:
        SuspiciousTransactionCount.objects.create(
            version=draft,
            period_start=cycle.opens - datetime.timedelta(days=365),
            period_end=cycle.opens,
            count=rng.randint(0, 400),
        )
    if plan.submit_at is None:
        return
    # Apart from the generator: parties resembling listed individuals, for the screening to find.
    demo_lookalikes_add(version=draft, cycle=cycle, state=state, by_iso3=by_iso3)
    report_submit_unchecked(report=report, actor=signatory, now=plan.submit_at)


def _demo_confidentiality(*, version, rng: random.Random, planted: bool) -> None:  # type: ignore[no-untyped-def]
    """The State's level for its report, and now and then a section set apart."""
    level = Confidentiality.PUBLIC if planted else rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
    sections: dict[str, str] = {}
    if not planted and rng.random() < 0.3:
        section = rng.choice([Section.OIL, Section.ASSETS, Section.CHECKLIST])
        sections[section] = rng.choice([other for other in LEVELS if other != level])
    version.confidentiality = level
    version.section_confidentiality = sections


def _demo_interdictions(  # type: ignore[no-untyped-def]
    *, state: MemberState, version, cycle: ReportingCycle, rng: random.Random, planted: bool, by_iso3: dict[str, MemberState]
) -> None:
    """Interdictions at the reporting State's own places, of cargo going to or from ISIL or ANF."""
    places = OIL_PLACES.get(state.iso3) or ["Port of Aqaba"]
    counterparts = [by_iso3[c] for c in OIL_COUNTERPARTS if c != state.iso3 and c in by_iso3]
    for position in range(rng.randint(1, 3)):
        direction = rng.choice([Direction.TO_ISIL, Direction.FROM_ISIL])
        other = rng.choice(counterparts) if counterparts else None
        if planted and position == 0:
            direction, other = Direction.TO_ISIL, by_iso3[PLANTED_INCONSISTENCY[1]]
        # bound for ISIL or ANF: from here to there; coming from them: from there to here
        origin, destination = (state, other) if direction == Direction.TO_ISIL else (other, state)
        commodity = rng.choice([Commodity.CRUDE, Commodity.CRUDE, Commodity.REFINED, Commodity.MODULAR_REFINERY])
        unit = (
            QuantityUnit.UNITS
            if commodity == Commodity.MODULAR_REFINERY
            else rng.choice([QuantityUnit.BARRELS, QuantityUnit.TONNES])
        )
        party, ref = DEMO_PARTIES[0] if planted and position == 0 else rng.choice(DEMO_PARTIES)
        row = OilInterdiction.objects.create(
            version=version, position=position, date=min(cycle.due, cycle.opens + datetime.timedelta(days=60)) - datetime.timedelta(days=rng.randint(10, 300)),
            place=rng.choice(places),
            commodity=commodity, quantity=Decimal(rng.randint(1, 4) if unit == QuantityUnit.UNITS else rng.randint(50, 5000)),
            unit=unit, value=Decimal(rng.randint(10, 900) * 1000), currency="USD", direction=direction,
            origin=origin, destination=destination, parties=f"{party}; {ref}" if ref else party, proceedings="Cargo seized; case opened.",
        )  # fmt: skip
        PartyMention.objects.create(
            version=version, interdiction=row, name=party, normalized_name=normalize_party_name(party), list_ref=ref
        )


def _demo_reviews(*, submitted: list[tuple[Report, str]], officer: User) -> None:
    """The Secretariat's review of the submitted reports, as its services record it (who, which
    step, from and to which status), written for a whole cycle at once."""
    events: list[ReviewEvent] = []
    by_status: dict[str, list[int]] = {}
    versions = dict(Report.objects.filter(pk__in=[r.pk for r, _s in submitted]).values_list("pk", "current_version_id"))
    for report, status in submitted:
        if status == ReportStatus.SUBMITTED:
            continue
        steps: list[tuple[str, str, str]] = [(ReviewAction.START_REVIEW, ReportStatus.UNDER_REVIEW, "")]
        if status == ReportStatus.CLARIFICATION_REQUESTED:
            steps.append(
                (ReviewAction.REQUEST_CLARIFICATION, status, "Please give the legal reference for the asset freeze measures.")
            )
        if status == ReportStatus.ACCEPTED:
            steps.append((ReviewAction.ACCEPT, status, ""))
        previous: str = ReportStatus.SUBMITTED
        for action, to_status, comment in steps:
            events.append(
                ReviewEvent(
                    report=report,
                    version_id=versions[report.pk],
                    actor=officer,
                    action=action,
                    from_status=previous,
                    to_status=to_status,
                    comment=comment,
                )
            )
            previous = to_status
        by_status.setdefault(status, []).append(report.pk)
    ReviewEvent.objects.bulk_create(events)
    for status, pks in by_status.items():
        Report.objects.filter(pk__in=pks).update(status=status, assigned_to=officer, updated_at=timezone.now())


def _demo_signatories(states: list[MemberState]) -> dict[int, User]:
    """Who files for each State: its demo signatory, else a system account of its own
    (inactive, no usable password), all made in a handful of queries."""
    by_name = {f"signatory-{s.iso3.lower()}": s for s in states}
    by_name.update({f"demo-filer-{s.iso3.lower()}": s for s in states if f"signatory-{s.iso3.lower()}" not in by_name})
    found = {
        u.username: u for u in User.objects.filter(username__in=[*by_name, *(f"demo-filer-{s.iso3.lower()}" for s in states)])
    }
    missing = [
        User(username=f"demo-filer-{s.iso3.lower()}", state=s, is_active=False, password=make_password(None))
        for s in states
        if f"signatory-{s.iso3.lower()}" not in found and f"demo-filer-{s.iso3.lower()}" not in found
    ]
    if missing:
        User.objects.bulk_create(missing)
        found.update({u.username: u for u in User.objects.filter(username__in=[u.username for u in missing])})
        group = roles_ensure()[Role.SIGNATORY]
        through = User.groups.through
        through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in missing], ignore_conflicts=True)
    signatories: dict[int, User] = {}
    for s in states:
        user = found.get(f"signatory-{s.iso3.lower()}") or found[f"demo-filer-{s.iso3.lower()}"]
        signatories[s.pk] = user
    return signatories
