"""The non-compliance register: findings an officer can act on, each with its follow-up.

Five kinds (BRIEF.md, "What non-compliance means"): not reported or overdue; incomplete
(required checklist rows unanswered); measures not in place or assessed not implemented;
parties named in registers, aggregated per party; inconsistencies across reports.

Everything reads the current (latest submitted) version of reports that
reports.selectors.access.reports_visible_to lets the user see. Each function makes a fixed
number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reports.collation import un_sorted_key
from reports.models import (
    ChecklistAnswer,
    FollowUp,
    FollowUpKind,
    MatchStatus,
    MemberState,
    PartyMention,
    Report,
    ReportingCycle,
    ScreeningMatch,
    Section,
)
from reports.models.i18n import pick
from reports.selectors.access import Audience, reports_visible_to, section_q
from reports.selectors.dashboard import CycleSummary, cycle_status_summary
from reports.selectors.matrix import Flag, cycle_measures, implementation_matrix

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User


@dataclass(kw_only=True)
class Finding:
    kind: str
    key: str
    cycle_id: int | None = None
    state_id: int | None = None
    follow_up: FollowUp | None = None

    @property
    def is_closed(self) -> bool:
        return bool(self.follow_up and self.follow_up.is_closed)


def attach_follow_ups(findings: list[Any]) -> list[Any]:
    """One query: each finding gets its FollowUp (or None).

    Follow-ups are few next to findings (a cycle can have thousands of findings), so they
    are read by kind (and cycle) rather than with a long IN list of keys.
    """
    if not findings:
        return findings
    follow_ups = FollowUp.objects.filter(kind__in={f.kind for f in findings})
    cycles = {f.cycle_id for f in findings}
    if len(cycles) == 1 and None not in cycles:
        follow_ups = follow_ups.filter(Q(cycle_id=next(iter(cycles))) | Q(cycle__isnull=True))
    by_key = {(f.kind, f.key): f for f in follow_ups.select_related("updated_by")}
    for finding in findings:
        finding.follow_up = by_key.get((finding.kind, finding.key))
    return findings


def filter_open(findings: list[Any], closed: str) -> list[Any]:
    """closed: "" (all), "open" or "closed"; anything else leaves nothing."""
    if not closed:
        return findings
    if closed == "open":
        return [f for f in findings if not f.is_closed]
    if closed == "closed":
        return [f for f in findings if f.is_closed]
    return []


# --- not reported or overdue -------------------------------------------------------------


@dataclass(kw_only=True)
class OverdueFinding(Finding):
    iso3: str
    name: str
    regional_group: str
    has_draft: bool
    days_late: int


def overdue_findings(*, cycle: ReportingCycle, today: datetime.date, summary: CycleSummary | None = None) -> list[OverdueFinding]:
    summary = summary or cycle_status_summary(cycle=cycle, today=today)
    findings = [
        OverdueFinding(
            kind=FollowUpKind.OVERDUE,
            key=f"{cycle.pk}:{s.iso3}",
            cycle_id=cycle.pk,
            state_id=s.state_id,
            iso3=s.iso3,
            name=s.name,
            regional_group=s.regional_group,
            has_draft=s.category == "draft",
            days_late=s.days_late,
        )
        for s in summary.overdue_states
    ]
    return attach_follow_ups(findings)


# --- incomplete ----------------------------------------------------------------------------


@dataclass(kw_only=True)
class IncompleteFinding(Finding):
    iso3: str
    name: str
    report_id: int
    version_number: int
    required: int
    regional_group: str = ""
    unanswered: list[str] = field(default_factory=list)

    @property
    def unanswered_count(self) -> int:
        return len(self.unanswered)


def _sql_of(queryset: QuerySet[Any, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The queryset's SQL and parameters, to use as a subquery; None when it can match nothing
    (Django does not write SQL for .none() or an empty IN list)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _received(user: User | AnonymousUser, cycle: ReportingCycle) -> QuerySet[Report]:
    return reports_visible_to(user).filter(cycle=cycle, current_version__isnull=False)


def incomplete_findings(*, user: User | AnonymousUser, cycle: ReportingCycle) -> list[IncompleteFinding]:
    """Received reports whose current version leaves required checklist rows unanswered."""
    required = {m["id"]: m["code"] for m in cycle_measures(cycle).filter(required=True).values("id", "code")}
    reports = list(
        _received(user, cycle)
        .order_by("state__sort_key")
        .values(
            "id",
            "state_id",
            "state__iso3",
            "state__name",
            "state__names",
            "state__regional_group",
            "current_version_id",
            "current_version__number",
        )
    )
    language = get_language()
    answered: dict[int, set[int]] = defaultdict(set)
    for version_id, measure_id in (
        ChecklistAnswer.objects.filter(version_id__in=[r["current_version_id"] for r in reports], measure_id__in=required)
        .exclude(answer="")
        .values_list("version_id", "measure_id")
    ):
        answered[version_id].add(measure_id)
    findings = []
    for r in reports:
        missing = [code for pk, code in required.items() if pk not in answered[r["current_version_id"]]]
        if missing:
            findings.append(
                IncompleteFinding(
                    kind=FollowUpKind.INCOMPLETE,
                    key=f"{cycle.pk}:{r['state__iso3']}",
                    cycle_id=cycle.pk,
                    state_id=r["state_id"],
                    iso3=r["state__iso3"],
                    name=pick(r["state__names"], language) or r["state__name"],
                    regional_group=r["state__regional_group"],
                    report_id=r["id"],
                    version_number=r["current_version__number"],
                    required=len(required),
                    unanswered=sorted(missing),
                )
            )
    return attach_follow_ups(findings)


# --- measures not in place / assessed not implemented ----------------------------------------


@dataclass(kw_only=True)
class GapFinding(Finding):
    iso3: str
    name: str
    report_id: int
    measure_id: int
    measure_code: str
    measure_title: str
    answer: str
    answer_label: str
    rating: str
    rating_label: str


def gap_findings(*, user: User | AnonymousUser, cycle: ReportingCycle, area: str = "", group: str = "") -> list[GapFinding]:
    """Cells the matrix flags as gaps: self-reported not in place, or assessed not implemented."""
    matrix = implementation_matrix(user=user, cycle=cycle, area=area, group=group, flag=Flag.GAP)
    measures = {m.pk: m for m in matrix.measures}
    findings = []
    for row in matrix.rows:
        for cell in row.cells:
            if cell.flag != Flag.GAP or row.report_id is None:
                continue
            measure = measures[cell.measure_id]
            findings.append(
                GapFinding(
                    kind=FollowUpKind.NOT_IN_PLACE,
                    key=f"{cycle.pk}:{row.iso3}:{measure.code}",
                    cycle_id=cycle.pk,
                    state_id=row.state_id,
                    iso3=row.iso3,
                    name=row.name,
                    report_id=row.report_id,
                    measure_id=measure.pk,
                    measure_code=measure.code,
                    measure_title=measure.display_title,
                    answer=cell.answer,
                    answer_label=cell.answer_label,
                    rating=cell.rating,
                    rating_label=cell.rating_label,
                )
            )
    return attach_follow_ups(findings)


# --- parties named ---------------------------------------------------------------------------


@dataclass(kw_only=True)
class NamedParty(Finding):
    normalized_name: str
    name: str
    reports: int
    mentions: int
    states: list[str] = field(default_factory=list)
    list_refs: list[str] = field(default_factory=list)
    commodities: list[str] = field(default_factory=list)
    quantity: dict[str, Decimal] = field(default_factory=dict)
    value: dict[str, Decimal] = field(default_factory=dict)
    cultural_items: int = 0
    has_details: bool = False
    # The Sanctions List entry a Monitoring Team expert confirmed for this party (screening), if any.
    entry_reference: str = ""
    entry_name: str = ""
    listed_on: datetime.date | None = None
    delisted_on: datetime.date | None = None
    # The filtered mentions this row was counted from, for party_details_fill.
    source: Any = field(default=None, repr=False, compare=False)

    @property
    def quantity_text(self) -> str:
        return "; ".join(f"{_number(q)} {unit}" for unit, q in sorted(self.quantity.items()))

    @property
    def value_text(self) -> str:
        return "; ".join(f"{_number(v)} {currency}" for currency, v in sorted(self.value.items()))


def _number(value: Decimal) -> str:
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


def mentions_visible(
    user: User | AnonymousUser, cycle: ReportingCycle | None = None, audience: str = Audience.INTERNAL
) -> QuerySet[PartyMention]:
    """The party mentions of the current versions of the reports `user` may read (one cycle, or
    all), limited to the registers `audience` may read: every named-party figure starts here."""
    return _mentions(user, cycle, audience)


def _mentions(
    user: User | AnonymousUser, cycle: ReportingCycle | None, audience: str = Audience.INTERNAL
) -> QuerySet[PartyMention]:
    reports = reports_visible_to(user).filter(current_version__isnull=False)
    if cycle is not None:
        reports = reports.filter(cycle=cycle)
    mentions = PartyMention.objects.filter(version_id__in=reports.values("current_version_id"))
    if audience != Audience.INTERNAL:
        mentions = mentions.filter(
            (Q(interdiction__isnull=False) & section_q(audience, Section.OIL))
            | (Q(seizure__isnull=False) & section_q(audience, Section.CULTURAL))
        )
    return mentions


def named_parties(
    *,
    user: User | AnonymousUser,
    cycle: ReportingCycle | None = None,
    search: str = "",
    list_ref: str = "",
    state: str = "",
    audience: str = Audience.INTERNAL,
    details: bool = True,
) -> list[NamedParty]:
    """Parties that interdiction and seizure registers name, one row per normalised name.

    One aggregate query for the counts (and one for follow-ups); with details, one more for
    the sums per party, reporting State, Sanctions List reference, commodity, unit and
    currency. A paginated page asks for details=False and fills only the rows it shows
    (party_details_fill): with hundreds of parties named by every State, the detail rows
    are what costs.
    """
    from reports.services.parties import normalize_party_name

    mentions = _mentions(user, cycle, audience)
    if search:
        mentions = mentions.filter(normalized_name__contains=normalize_party_name(search))
    if list_ref:
        mentions = mentions.filter(list_ref__iexact=list_ref.strip())
    if state:
        mentions = mentions.filter(version__report__state__iso3=state.strip().upper()[:3])
    parties: dict[str, NamedParty] = {}
    for row in (
        mentions.values("normalized_name")
        .annotate(
            first_name=Min("name"),
            n_reports=Count("version__report_id", distinct=True),
            n_mentions=Count("id"),
            n_items=Sum("seizure__count"),
        )
        .order_by("-n_reports", "normalized_name")
    ):
        key = row["normalized_name"]
        parties[key] = NamedParty(
            kind=FollowUpKind.NAMED_PARTY,
            key=key[:200],
            normalized_name=key,
            name=row["first_name"],
            reports=row["n_reports"],
            mentions=row["n_mentions"],
            cultural_items=row["n_items"] or 0,
            source=mentions,
        )
    found = _group_by_confirmed_entry(parties)
    if details:
        party_details_fill(found)
    return attach_follow_ups(found)


def _group_by_confirmed_entry(parties: dict[str, NamedParty]) -> list[NamedParty]:
    """Parties confirmed as one list entry first, together under it (by reference), with the
    entry's list status; then the others, in their order (one query)."""
    if not parties:
        return []
    confirmed = (
        ScreeningMatch.objects.filter(status=MatchStatus.CONFIRMED, name_key__in=list(parties))
        .select_related("entry")
        .order_by("entry__reference", "-score")
    )
    for match in confirmed:
        party = parties.get(match.name_key)
        if party is None or party.entry_reference:
            continue
        party.entry_reference, party.entry_name = match.entry.reference, match.entry.primary_name
        party.listed_on, party.delisted_on = match.entry.listed_on, match.entry.delisted_on
    rows = list(parties.values())
    order = {id(p): i for i, p in enumerate(rows)}
    return sorted(rows, key=lambda p: (not p.entry_reference, p.entry_reference, order[id(p)]))


def party_details_fill(parties: list[NamedParty]) -> list[NamedParty]:
    """States, references, commodities and totals of these parties (one query)."""
    todo = {p.normalized_name: p for p in parties if not p.has_details and p.source is not None}
    if not todo:
        return parties
    mentions = next(iter(todo.values())).source.filter(normalized_name__in=list(todo))
    details = mentions.values(
        "normalized_name",
        "version__report__state__iso3",
        "list_ref",
        "interdiction__commodity",
        "interdiction__unit",
        "interdiction__currency",
    ).annotate(
        qty=Sum("interdiction__quantity"),
        val=Sum("interdiction__value"),
    )
    states: dict[str, set[str]] = defaultdict(set)
    refs: dict[str, set[str]] = defaultdict(set)
    commodities: dict[str, set[str]] = defaultdict(set)
    for detail in details.order_by():
        party = todo.get(detail["normalized_name"])
        if party is None:
            continue
        states[party.normalized_name].add(detail["version__report__state__iso3"])
        if detail["list_ref"]:
            refs[party.normalized_name].add(detail["list_ref"])
        if detail["interdiction__commodity"]:
            commodities[party.normalized_name].add(detail["interdiction__commodity"])
        if detail["qty"] is not None and detail["interdiction__unit"]:
            unit = detail["interdiction__unit"]
            party.quantity[unit] = party.quantity.get(unit, Decimal(0)) + detail["qty"]
        if detail["val"] is not None and detail["interdiction__currency"]:
            currency = detail["interdiction__currency"]
            party.value[currency] = party.value.get(currency, Decimal(0)) + detail["val"]
    for key, party in todo.items():
        party.states = sorted(states[key])
        party.list_refs = sorted(refs[key])
        party.commodities = sorted(commodities[key])
        party.has_details = True
    return parties


# --- reported parties since listed (screening, issue 11 item 6) -------------------------------


@dataclass(kw_only=True)
class ListedPartyFinding(Finding):
    name: str
    name_key: str
    entry_reference: str
    entry_name: str
    listed_on: datetime.date | None
    first_reported: datetime.date | None
    states: list[str]
    status: str
    score: float


def listed_party_findings(*, user: User | AnonymousUser, cycle: ReportingCycle | None) -> list[ListedPartyFinding]:
    """Parties that this cycle's reports name and that the Sanctions List has listed since a State
    first reported them: candidate matches at or above SCREENING_THRESHOLD and confirmed ones (a
    dismissed match is no finding). Three queries whatever the number of parties."""
    from reports.clock import portal_day
    from reports.services.screening.scorer import threshold

    mentions = _mentions(user, cycle)
    matches = list(
        ScreeningMatch.objects.filter(listed_after_report=True, name_key__in=mentions.values("normalized_name"))
        .exclude(status=MatchStatus.DISMISSED)
        .filter(Q(status=MatchStatus.CONFIRMED) | Q(score__gte=threshold()))
        .select_related("entry")
        .order_by("entry__reference", "name_key")
    )
    if not matches:
        return []
    keys = {m.name_key for m in matches}
    states: dict[str, set[str]] = defaultdict(set)
    first: dict[str, datetime.date] = {}
    for key, iso3, submitted in mentions.filter(normalized_name__in=keys).values_list(
        "normalized_name", "version__report__state__iso3", "version__submitted_at"
    ):
        states[key].add(iso3)
        if submitted is not None:
            day = portal_day(submitted)
            first[key] = min(first.get(key, day), day)
    return attach_follow_ups(
        [
            ListedPartyFinding(
                kind=FollowUpKind.LISTED_PARTY,
                key=f"{m.entry.reference}|{m.name_key}"[:200],
                name=m.name,
                name_key=m.name_key,
                entry_reference=m.entry.reference,
                entry_name=m.entry.primary_name,
                listed_on=m.entry.listed_on,
                first_reported=first.get(m.name_key),
                states=sorted(states[m.name_key]),
                status=m.status,
                score=m.score,
            )
            for m in matches
        ]
    )


@dataclass(kw_only=True)
class ListRefGroup:
    list_ref: str
    names: list[str]
    reports: int
    states: list[str]


def named_list_refs(
    *, user: User | AnonymousUser, cycle: ReportingCycle | None = None, audience: str = Audience.INTERNAL
) -> list[ListRefGroup]:
    """Sanctions List references grouped: every spelling States used for the same listed party."""
    mentions = _mentions(user, cycle, audience).exclude(list_ref="")
    groups: dict[str, ListRefGroup] = {}
    for row in (
        mentions.values("list_ref")
        .annotate(n_reports=Count("version__report_id", distinct=True))
        .order_by("-n_reports", "list_ref")
    ):
        groups[row["list_ref"]] = ListRefGroup(list_ref=row["list_ref"], names=[], reports=row["n_reports"], states=[])
    names: dict[str, set[str]] = defaultdict(set)
    states: dict[str, set[str]] = defaultdict(set)
    for ref, name, iso3 in mentions.values_list("list_ref", "name", "version__report__state__iso3").distinct():
        names[ref].add(name)
        states[ref].add(iso3)
    for ref, group in groups.items():
        group.names = sorted(names[ref])
        group.states = sorted(states[ref])
    return list(groups.values())


# --- inconsistencies across reports -------------------------------------------------------------


class Silence:
    SILENT = "silent"
    NOT_SUBMITTED = "not_submitted"
    LABELS = {SILENT: _("Report names no interdiction involving the other State"), NOT_SUBMITTED: _("No report submitted")}


# The roles in which B's report would name A for the cargo A reported with B in a role.
_COUNTERPART = {
    "destination": {"origin", "transit"},
    "origin": {"destination", "transit"},
    "transit": {"origin", "destination", "transit"},
}


_ORIGIN, _DESTINATION, _TRANSIT = 1, 2, 4
_ROLE_BITS = {"origin": _ORIGIN, "destination": _DESTINATION, "transit": _TRANSIT}
# _ROLE_NAMES[mask]: the roles in a mask of role bits, sorted by name.
_ROLE_NAMES = [tuple(sorted(role for role, bit in _ROLE_BITS.items() if mask & bit)) for mask in range(8)]


# Every (A, B, role) entry of A's current oil register naming B, aggregated per pair in the
# database (role kinds OR-ed as SUM(DISTINCT bit)); a pair is kept when B has no report or B's
# roles naming A do not account for every kind of A's (the _ANSWERED rule, one test per role:
# kinds & bit = 0 OR back & counterparts(bit) <> 0). Portable SQL: PostgreSQL and SQLite.
_PAIRS_SQL = """
WITH visible AS ({visible}),
named AS (
    SELECT v.state_id AS a, o.origin_id AS b, 1 AS bit
      FROM reports_oilinterdiction o JOIN visible v ON v.current_version_id = o.version_id
    UNION ALL
    SELECT v.state_id, o.destination_id, 2
      FROM reports_oilinterdiction o JOIN visible v ON v.current_version_id = o.version_id
    UNION ALL
    SELECT v.state_id, t.memberstate_id, 4
      FROM reports_oilinterdiction_transit t
      JOIN reports_oilinterdiction o ON o.id = t.oilinterdiction_id
      JOIN visible v ON v.current_version_id = o.version_id
),
pairs AS (
    SELECT a, b, COUNT(*) AS entries, SUM(DISTINCT bit) AS kinds
      FROM named WHERE b IS NOT NULL AND a <> b GROUP BY a, b
)
SELECT p.a, ra.id, p.b, rb.id, p.entries, p.kinds
  FROM pairs p
  JOIN visible ra ON ra.state_id = p.a
  LEFT JOIN visible rb ON rb.state_id = p.b
  LEFT JOIN pairs q ON q.a = p.b AND q.b = p.a
 WHERE rb.id IS NULL
    OR NOT ((p.kinds & %s = 0 OR COALESCE(q.kinds, 0) & %s <> 0)
        AND (p.kinds & %s = 0 OR COALESCE(q.kinds, 0) & %s <> 0)
        AND (p.kinds & %s = 0 OR COALESCE(q.kinds, 0) & %s <> 0))
"""
_ANSWERED_PARAMS = [value for role, bit in _ROLE_BITS.items() for value in (bit, sum(_ROLE_BITS[r] for r in _COUNTERPART[role]))]


@dataclass(kw_only=True)
class Inconsistency(Finding):
    reporter_iso3: str
    reporter_name: str
    reporter_report_id: int
    other_iso3: str
    other_name: str
    other_report_id: int | None
    silence: str
    interdictions: int
    roles: list[str] = field(default_factory=list)
    reporter_group: str = ""
    other_group: str = ""

    @property
    def silence_label(self) -> str:
        return str(Silence.LABELS[self.silence])


def inconsistencies(
    *, user: User | AnonymousUser, cycle: ReportingCycle, include_not_submitted: bool = True, audience: str = Audience.INTERNAL
) -> list[Inconsistency]:
    """State A reports an interdiction with B as origin, destination or transit; B's report for
    the same cycle is silent about it (or B has not reported at all).

    Silent means no interdiction of B's names A in a role that could be the same cargo seen
    from B's side: a cargo A saw bound for B should appear in B's report as coming from (or
    through) A; one A saw coming from B, as bound for (or through) A; a transit through B, in
    any role. One row per pair (A, B), whatever the number of A's interdictions.
    """
    reports = _received(user, cycle)
    if audience != Audience.INTERNAL:
        # An oil register the audience may not see is left out entirely: it neither names nor answers anyone.
        reports = reports.filter(section_q(audience, Section.OIL, prefix="current_version__"))
    visible = _sql_of(reports.values("id", "state_id", "current_version_id"))
    if visible is None:
        return []
    visible_sql, visible_params = visible
    with connection.cursor() as cursor:
        cursor.execute(_PAIRS_SQL.format(visible=visible_sql), [*visible_params, *_ANSWERED_PARAMS])
        pairs = cursor.fetchall()
    language = get_language()
    states = {
        pk: (iso3, pick(names, language) or name, group)
        for pk, iso3, name, names, group in MemberState.objects.values_list("id", "iso3", "name", "names", "regional_group")
    }
    findings = []
    cycle_pk = cycle.pk
    for a, a_report, b, b_report, entries, kinds in pairs:
        if b_report is None and not include_not_submitted:
            continue
        a_iso3, a_name, a_group = states[a]
        b_iso3, b_name, b_group = states[b]
        findings.append(
            Inconsistency(
                kind=FollowUpKind.INCONSISTENCY,
                key=f"{cycle_pk}:{a_iso3}:{b_iso3}",
                cycle_id=cycle_pk,
                state_id=b,
                reporter_iso3=a_iso3,
                reporter_name=a_name,
                reporter_report_id=a_report,
                other_iso3=b_iso3,
                other_name=b_name,
                other_report_id=b_report,
                silence=Silence.SILENT if b_report else Silence.NOT_SUBMITTED,
                interdictions=entries,
                roles=list(_ROLE_NAMES[kinds]),
                reporter_group=a_group,
                other_group=b_group,
            )
        )
    findings.sort(key=lambda f: (f.silence != Silence.SILENT, un_sorted_key(f.reporter_name), un_sorted_key(f.other_name)))
    return attach_follow_ups(findings)
