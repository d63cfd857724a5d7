"""Demo users and plausible reports, for trying the portal. Never in production settings."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from reports.clock import portal_today
from reports.models import (
    Answer,
    ChecklistAnswer,
    Commodity,
    Direction,
    FrozenAsset,
    Measure,
    MemberState,
    OilInterdiction,
    PartyMention,
    QuantityUnit,
    Report,
    ReportingCycle,
    ReportStatus,
    ReviewAction,
    ReviewEvent,
    Role,
    SuspiciousTransactionCount,
    User,
)

from .mfa import demo_totp_ensure
from .parties import normalize_party_name
from .reports import report_get_or_create, report_submit
from .roles import roles_ensure

DEMO_STATES = ["FRA", "RUS", "IRQ", "JOR", "NGA", "USA"]
DEMO_CYCLES = ["2368-implementation-2025", "2368-implementation-2026"]
# Fictitious parties; the QDe references are real entries (QDe.115 is ISIL, QDe.137 Al-Nusrah Front).
DEMO_PARTIES = [
    ("Islamic State in Iraq and the Levant", "QDe.115"),
    ("Al-Nusrah Front for the People of the Levant", "QDe.137"),
    ("Crescent Tanker Logistics (fictitious)", ""),
    ("Eastern Desert Fuel Traders (fictitious)", ""),
    ("Blue Line Shipping Agency (fictitious)", ""),
]
PLANTED_INCONSISTENCY = ("JOR", "IRQ")  # JOR reports a cargo bound for IRQ; IRQ's report is silent.


@dataclass
class DemoResult:
    users_created: list[str] = field(default_factory=list)
    reports_created: int = 0


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
    today = today or portal_today()
    cycles = list(ReportingCycle.objects.filter(code__in=DEMO_CYCLES).select_related("obligation__resolution").order_by("opens"))
    states = list(MemberState.objects.order_by("iso3"))
    existing = set(Report.objects.filter(cycle__in=cycles).values_list("state_id", "cycle_id"))
    for cycle in cycles:
        measures = list(Measure.objects.filter(resolution=cycle.obligation.resolution, active=True))
        for state in states:
            # One generator per State and cycle: a re-run makes the same choices, skipping what exists.
            rng = random.Random(f"demo-{cycle.code}-{state.iso3}")
            roll = rng.random()
            plan = _plan(cycle, state, roll, today, rng)
            if plan is None or (state.pk, cycle.pk) in existing:
                continue
            _create_demo_report(state=state, cycle=cycle, measures=measures, plan=plan, rng=rng)
            result.reports_created += 1
    return result


@dataclass
class _Plan:
    submit_at: datetime.datetime | None
    final_status: str


def _plan(cycle: ReportingCycle, state: MemberState, roll: float, today: datetime.date, rng: random.Random) -> _Plan | None:
    """About two thirds of the States report: some on time, some late, some only a draft."""
    demo = state.iso3 in DEMO_STATES
    past_cycle = cycle.due < today
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
    when = datetime.datetime.combine(day, datetime.time(14, rng.randint(0, 59)), tzinfo=datetime.UTC)
    return _Plan(when, status)


def _create_demo_report(
    *, state: MemberState, cycle: ReportingCycle, measures: list[Measure], plan: _Plan, rng: random.Random
) -> None:
    signatory = _demo_signatory(state)
    report = report_get_or_create(state=state, cycle=cycle, actor=signatory)
    draft = report.versions.get(is_draft=True)
    answer_choices = [Answer.IN_PLACE] * 5 + [Answer.PARTIAL] * 2 + [Answer.NOT_IN_PLACE, Answer.NOT_APPLICABLE]
    answered = measures if plan.submit_at else measures[: len(measures) // 2]
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            version=draft,
            measure=m,
            answer=(choice := rng.choice(answer_choices)),
            legal_reference=""
            if choice in (Answer.NOT_IN_PLACE, Answer.NOT_APPLICABLE)
            else f"Act No. {rng.randint(1, 99)}/{rng.randint(2015, 2024)}, art. {rng.randint(1, 40)}",
            narrative="",
        )
        for m in answered
        if rng.random() > 0.05 or not plan.submit_at
    )
    if plan.submit_at and (rng.random() < 0.3 or state.iso3 == PLANTED_INCONSISTENCY[0]):
        _demo_interdictions(state=state, version=draft, cycle=cycle, rng=rng)
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
    report_submit(report=report, actor=signatory, now=plan.submit_at)
    _demo_review(report=report, status=plan.final_status, when=plan.submit_at)


def _demo_interdictions(*, state: MemberState, version, cycle: ReportingCycle, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    neighbours = list(MemberState.objects.filter(iso3__in=["IRQ", "SYR", "TUR", "JOR", "LBN"]).exclude(pk=state.pk))
    for position in range(rng.randint(1, 3)):
        destination: MemberState | None
        if state.iso3 == PLANTED_INCONSISTENCY[0] and position == 0:
            destination = MemberState.objects.get(iso3=PLANTED_INCONSISTENCY[1])
        else:
            destination = rng.choice(neighbours) if neighbours else None
        commodity = rng.choice([Commodity.CRUDE, Commodity.CRUDE, Commodity.REFINED, Commodity.MODULAR_REFINERY])
        unit = (
            QuantityUnit.UNITS
            if commodity == Commodity.MODULAR_REFINERY
            else rng.choice([QuantityUnit.BARRELS, QuantityUnit.TONNES])
        )
        party, ref = rng.choice(DEMO_PARTIES)
        row = OilInterdiction.objects.create(
            version=version, position=position, date=cycle.opens - datetime.timedelta(days=rng.randint(10, 300)),
            place=rng.choice(["Port of Aqaba", "Ibrahim Khalil crossing", "Port of Mersin", "Al-Qaim crossing"]),
            commodity=commodity, quantity=Decimal(rng.randint(1, 4) if unit == QuantityUnit.UNITS else rng.randint(50, 5000)),
            unit=unit, value=Decimal(rng.randint(10, 900) * 1000), currency="USD", direction=rng.choice([Direction.TO_ISIL, Direction.FROM_ISIL]),
            origin=state, destination=destination, parties=f"{party}; {ref}" if ref else party, proceedings="Cargo seized; case opened.",
        )  # fmt: skip
        PartyMention.objects.create(
            version=version, interdiction=row, name=party, normalized_name=normalize_party_name(party), list_ref=ref
        )


def _demo_review(*, report: Report, status: str, when: datetime.datetime) -> None:
    if status == ReportStatus.SUBMITTED:
        return
    officer = User.objects.get(username="secretariat")
    steps: list[tuple[str, str, str]] = [(ReviewAction.START_REVIEW, ReportStatus.UNDER_REVIEW, "")]
    if status == ReportStatus.CLARIFICATION_REQUESTED:
        steps.append(
            (ReviewAction.REQUEST_CLARIFICATION, status, "Please give the legal reference for the asset freeze measures.")
        )
    if status == ReportStatus.ACCEPTED:
        steps.append((ReviewAction.ACCEPT, status, ""))
    previous = report.status
    for action, to_status, comment in steps:
        ReviewEvent.objects.create(
            report=report,
            version=report.current_version,
            actor=officer,
            action=action,
            from_status=previous,
            to_status=to_status,
            comment=comment,
        )
        previous = to_status
    report.status = status
    report.assigned_to = officer
    report.save(update_fields=["status", "assigned_to", "updated_at"])


def _demo_signatory(state: MemberState) -> User:
    username = f"signatory-{state.iso3.lower()}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    # States without demo logins still need someone to have filed: a system account of theirs.
    groups = roles_ensure()
    user, created = User.objects.get_or_create(
        username=f"demo-filer-{state.iso3.lower()}", defaults={"state": state, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(groups[Role.SIGNATORY])
    return user
