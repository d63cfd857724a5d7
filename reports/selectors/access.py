"""The one gate for State-scoped data.

Every view, export, API endpoint and PDF task asks these functions what a user may see.
Something that exists but is not the user's answers exactly like something that does
not exist: Http404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from reports.models import (
    Attachment,
    Confidentiality,
    MemberState,
    PdfJob,
    Report,
    ReportStatus,
    ReportVersion,
    Role,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User

BACK_OFFICE_ROLES = frozenset({Role.SECRETARIAT, Role.MONITORING})


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
        return reports.filter(status=ReportStatus.ACCEPTED, current_version__isnull=False).exclude(
            current_version__confidentiality=Confidentiality.SECRETARIAT
        )
    return reports.none()


def versions_visible_to(user: User | AnonymousUser) -> QuerySet[ReportVersion]:
    versions = ReportVersion.objects.filter(report__in=reports_visible_to(user))
    if delegation_state_id(user) is None:
        # Only delegations see drafts; everyone else sees frozen versions.
        versions = versions.filter(is_draft=False)
    if role_of(user) == Role.COMMITTEE:
        versions = versions.exclude(confidentiality=Confidentiality.SECRETARIAT)
    return versions


def attachments_visible_to(user: User | AnonymousUser) -> QuerySet[Attachment]:
    attachments = Attachment.objects.filter(version__in=versions_visible_to(user))
    if role_of(user) == Role.COMMITTEE:
        # Not `.exclude(key=SECRETARIAT)`: where the key is missing (no override) the SQL
        # comparison is NULL and the exclude would drop every attachment without an override.
        # An empty override means "as the report" (ReportVersion.section_level), like no override.
        attachments = attachments.filter(
            Q(version__section_confidentiality__attachments__isnull=True)
            | Q(version__section_confidentiality__attachments__in=["", Confidentiality.PUBLIC, Confidentiality.COMMITTEE])
        )
    return attachments


def states_visible_to(user: User | AnonymousUser) -> QuerySet[MemberState]:
    state_id = delegation_state_id(user)
    if state_id is not None:
        return MemberState.objects.filter(pk=state_id)
    if role_of(user) in (*BACK_OFFICE_ROLES, Role.COMMITTEE):
        return MemberState.objects.all()
    return MemberState.objects.none()


def pdf_jobs_visible_to(user: User | AnonymousUser) -> QuerySet[PdfJob]:
    """Back office: every job. Committee members read "the summaries" (BRIEF): finished
    Council summaries of general distribution, never a restricted one, a profile or a compendium."""
    if is_back_office(user):
        return PdfJob.objects.all()
    if role_of(user) == Role.COMMITTEE:
        return PdfJob.objects.filter(kind="summary", distribution="general", status="done")
    return PdfJob.objects.none()


def section_visible(user: User | AnonymousUser, version: ReportVersion, section: str) -> bool:
    """Whether a section of a version may be shown to this user (per-section confidentiality)."""
    if delegation_state_id(user) == version.report.state_id:
        return True
    level = version.section_level(section)
    role = role_of(user)
    if role in BACK_OFFICE_ROLES:
        return True
    if role == Role.COMMITTEE:
        return level in (Confidentiality.PUBLIC, Confidentiality.COMMITTEE)
    return False


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
