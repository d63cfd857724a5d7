"""The one gate for State-scoped data.

Every view, export, API endpoint and PDF task asks these functions what a user may see.
Something that exists but is not the user's answers exactly like something that does
not exist: Http404.

Which section of which version may reach which audience is decided here and nowhere else:
`Audience`, `levels_for`, `audience_of`, `section_q` (the queryset filter) and
`section_visible_to` (the same rule in Python). Reporting-status facts (who reported, when,
how late) are not a section: every audience sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from reports.models import (
    AssessmentState,
    Attachment,
    Confidentiality,
    MeasureAssessment,
    MemberState,
    PdfJob,
    Report,
    ReportStatus,
    ReportVersion,
    Role,
    Section,
    Thread,
    ThreadMessage,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User

BACK_OFFICE_ROLES = frozenset({Role.SECRETARIAT, Role.MONITORING})


class Audience(models.TextChoices):
    """Who a page, export or document is for (UN distributions): General is public,
    Restricted is the Committee's, internal is the Secretariat's and the Monitoring Team's.
    A PDF job's distribution has the same values (`Audience(job.distribution)`)."""

    GENERAL = "general", _("General (public)")
    RESTRICTED = "restricted", _("Restricted (Committee)")
    INTERNAL = "internal", _("Secretariat and Monitoring Team internal")


# The confidentiality levels (what a State marked) each audience may see; each audience sees a
# subset of the next one.
AUDIENCE_LEVELS: dict[str, frozenset[str]] = {
    Audience.GENERAL: frozenset({Confidentiality.PUBLIC}),
    Audience.RESTRICTED: frozenset({Confidentiality.PUBLIC, Confidentiality.COMMITTEE}),
    Audience.INTERNAL: frozenset(Confidentiality.values),
}


def levels_for(audience: str) -> frozenset[str]:
    """The levels an audience may see; an unknown audience sees nothing (fail closed)."""
    return AUDIENCE_LEVELS.get(audience, frozenset())


def level_visible_to(audience: str, level: str) -> bool:
    """Whether material at a resolved level (ReportVersion.section_level) may reach the audience.
    Internal sees everything, even a level this code does not know."""
    return audience == Audience.INTERNAL or level in levels_for(audience)


def section_visible_to(audience: str, version: ReportVersion, section: str) -> bool:
    """The Python check: whether `section` of `version` may reach `audience`."""
    return level_visible_to(audience, version.section_level(section))


def section_q(audience: str, section: str, *, prefix: str = "version__") -> Q:
    """The queryset filter: rows whose version's `section` may reach `audience`.

    `prefix` leads from the queried model to its ReportVersion: "version__" for ChecklistAnswer,
    OilInterdiction, PartyMention, Attachment ...; "" for ReportVersion itself;
    "current_version__" for Report. The SQL twin of ReportVersion.section_level: an override
    that is missing, null or empty means "as the report". A positive filter: negating a JSON key
    lookup in SQL trips over NULL.
    """
    if audience == Audience.INTERNAL:
        return Q()
    levels = sorted(levels_for(audience))
    key = f"{prefix}section_confidentiality__{section}"
    as_report = Q(**{f"{key}__isnull": True}) | Q(**{key: None}) | Q(**{key: ""})
    return Q(**{f"{key}__in": levels}) | (as_report & Q(**{f"{prefix}confidentiality__in": levels}))


def audience_of(user: User | AnonymousUser, *, state_id: int | None = None) -> Audience:
    """The widest audience the user belongs to: the back office is internal, a Committee member
    restricted, a delegation internal for its own State's reports (`state_id`), everyone else
    general."""
    role = role_of(user)
    if role in BACK_OFFICE_ROLES:
        return Audience.INTERNAL
    if role == Role.COMMITTEE:
        return Audience.RESTRICTED
    own = delegation_state_id(user)
    if own is not None and own == state_id:
        return Audience.INTERNAL
    return Audience.GENERAL


def audiences_requestable_by(user: User | AnonymousUser) -> list[Audience]:
    """The distributions of Council documents the user may ask for: the back office any."""
    return list(Audience) if is_back_office(user) else []


def audiences_readable_by(user: User | AnonymousUser) -> list[Audience]:
    """The distributions of finished documents the user may download: an audience and the
    narrower ones (a Committee member: general and restricted)."""
    widest = audience_of(user)
    if role_of(user) not in (*BACK_OFFICE_ROLES, Role.COMMITTEE):
        return []
    order = list(Audience)
    return order[: order.index(widest) + 1]


def role_of(user: User | AnonymousUser) -> Role | None:
    if not user.is_authenticated:
        return None
    return user.role  # type: ignore[union-attr]


def is_back_office(user: User | AnonymousUser) -> bool:
    return role_of(user) in BACK_OFFICE_ROLES


def is_secretariat(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.SECRETARIAT


def delegation_state_id(user: User | AnonymousUser) -> int | None:
    """The State a delegation user works for, or None for everyone else."""
    if role_of(user) in (Role.FOCAL_POINT, Role.SIGNATORY):
        return user.state_id  # type: ignore[union-attr]
    return None


def reports_visible_to(user: User | AnonymousUser) -> QuerySet[Report]:
    """Reports the user may open.

    - a delegation: its own State's reports, drafts included;
    - Secretariat and Monitoring Team: every report that has been submitted at least once
      (a draft is the State's own working copy until it is submitted);
    - Committee members: accepted reports not marked Secretariat-only;
    - anyone else: nothing.
    """
    reports = Report.objects.all()
    role = role_of(user)
    if role in (Role.FOCAL_POINT, Role.SIGNATORY):
        state_id = delegation_state_id(user)
        return reports.filter(state_id=state_id) if state_id else reports.none()
    if role in BACK_OFFICE_ROLES:
        return reports.filter(current_version__isnull=False)
    if role == Role.COMMITTEE:
        return reports.filter(status=ReportStatus.ACCEPTED, current_version__confidentiality__in=levels_for(Audience.RESTRICTED))
    return reports.none()


def versions_visible_to(user: User | AnonymousUser) -> QuerySet[ReportVersion]:
    versions = ReportVersion.objects.filter(report__in=reports_visible_to(user))
    if delegation_state_id(user) is None:
        # Only delegations see drafts; everyone else sees frozen versions.
        versions = versions.filter(is_draft=False)
    if role_of(user) == Role.COMMITTEE:
        versions = versions.filter(confidentiality__in=levels_for(Audience.RESTRICTED))
    return versions


def attachments_visible_to(user: User | AnonymousUser) -> QuerySet[Attachment]:
    attachments = Attachment.objects.filter(version__in=versions_visible_to(user))
    if delegation_state_id(user) is not None:
        return attachments  # a delegation's own State's files (versions_visible_to scoped them)
    return attachments.filter(section_q(audience_of(user), Section.ATTACHMENTS))


def report_attachments(user: User | AnonymousUser, report: Report) -> QuerySet[Attachment]:
    """The attachments of a report's versions the user may read (the rule above), with their version."""
    return attachments_visible_to(user).filter(version__report=report).select_related("version")


def states_visible_to(user: User | AnonymousUser) -> QuerySet[MemberState]:
    state_id = delegation_state_id(user)
    if state_id is not None:
        return MemberState.objects.filter(pk=state_id)
    if role_of(user) in (*BACK_OFFICE_ROLES, Role.COMMITTEE):
        return MemberState.objects.all()
    return MemberState.objects.none()


def pdf_jobs_visible_to(user: User | AnonymousUser) -> QuerySet[PdfJob]:
    """Back office: every job. Committee members read "the summaries" (BRIEF): finished Council
    summaries of general or restricted distribution (Restricted is the Committee's), never an
    internal one, a profile or a compendium."""
    if is_back_office(user):
        return PdfJob.objects.all()
    if role_of(user) == Role.COMMITTEE:
        return PdfJob.objects.filter(kind="summary", distribution__in=audiences_readable_by(user), status="done")
    return PdfJob.objects.none()


def threads_visible_to(user: User | AnonymousUser) -> QuerySet[Thread]:
    """The review conversations the user may read: the back office all of them (internal notes
    are the internal distribution's), a delegation its own State's threads that are not internal
    notes, on reports it sees; nobody else any."""
    threads = Thread.objects.filter(report__in=reports_visible_to(user))
    if is_back_office(user):
        return threads
    if delegation_state_id(user) is not None:
        return threads.filter(internal=False)
    return threads.none()


def thread_messages_visible_to(user: User | AnonymousUser) -> QuerySet[ThreadMessage]:
    messages = ThreadMessage.objects.filter(thread__in=threads_visible_to(user))
    if is_back_office(user):
        return messages
    return messages.filter(internal=False)


def get_thread_for_user(user: User | AnonymousUser, pk: int | str) -> Thread:
    return _get_or_404(threads_visible_to(user).select_related("report__state", "report__cycle", "measure"), pk)


def assessments_visible_to(user: User | AnonymousUser) -> QuerySet[MeasureAssessment]:
    """The Secretariat's assessments: the back office sees them all; a delegation sees its own
    State's once they are shared with it (a draft is the Secretariat's working copy)."""
    assessments = MeasureAssessment.objects.filter(report__in=reports_visible_to(user))
    if is_back_office(user):
        return assessments
    if delegation_state_id(user) is not None:
        return assessments.exclude(state=AssessmentState.DRAFT)
    return assessments.none()


def section_visible(user: User | AnonymousUser, version: ReportVersion, section: str) -> bool:
    """Whether a section of a version may be shown to this user (per-section confidentiality).
    Anyone outside the back office, the Committee and the State's own delegation sees no section."""
    if role_of(user) is None or (delegation_state_id(user) not in (None, version.report.state_id)):
        return False
    return section_visible_to(audience_of(user, state_id=version.report.state_id), version, section)


def get_report_for_user(user: User | AnonymousUser, pk: int | str) -> Report:
    report = _get_or_404(reports_visible_to(user).select_related("state", "cycle__obligation__resolution", "current_version"), pk)
    return report


def get_version_for_user(user: User | AnonymousUser, pk: int | str) -> ReportVersion:
    return _get_or_404(versions_visible_to(user).select_related("report__state", "report__cycle"), pk)


def get_attachment_for_user(user: User | AnonymousUser, pk: int | str) -> Attachment:
    return _get_or_404(attachments_visible_to(user).select_related("version__report"), pk)


def get_state_for_user(user: User | AnonymousUser, iso3: str) -> MemberState:
    try:
        return states_visible_to(user).get(iso3=str(iso3).upper()[:3])
    except MemberState.DoesNotExist:
        raise Http404 from None


def _get_or_404(queryset: QuerySet, pk: int | str):  # type: ignore[no-untyped-def,type-arg]
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, queryset.model.DoesNotExist):
        raise Http404 from None
