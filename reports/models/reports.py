"""Reports and their versions.

A report is one State's answer to one reporting cycle. Its content lives in versions:
at most one open draft (the working copy a delegation edits) and any number of frozen,
immutable versions (the original submission and its addenda). Registers, checklist
answers and attachments hang off a version, so what the Secretariat aggregates is
always exactly what a State submitted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reference import Measure, MemberState, ReportingCycle


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CLARIFICATION_REQUESTED = "clarification", _("Clarification requested")
    AMENDED = "amended", _("Amended")
    ACCEPTED = "accepted", _("Accepted")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("May be published")
    COMMITTEE = "committee", _("Committee members only")
    SECRETARIAT = "secretariat", _("Secretariat and Monitoring Team only")


class Section(models.TextChoices):
    CHECKLIST = "checklist", _("Implementation checklist")
    OIL = "oil", _("Oil interdictions")
    ASSETS = "assets", _("Frozen assets")
    CULTURAL = "cultural", _("Cultural property seizures")
    RANSOM = "ransom", _("Ransom and donation cases")
    STR = "str", _("Suspicious-transaction reports")
    ATTACHMENTS = "attachments", _("Attachments")


class Report(models.Model):
    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="reports")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    current_version = models.ForeignKey(
        "ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The latest submitted version: what the Secretariat reviews and aggregates."),
    )
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    days_late = models.PositiveIntegerField(_("days late"), default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "state__sort_key"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("submit_report", _("Can submit and amend its own State's reports")),
            ("review_report", _("Can review, request clarification and accept reports")),
            ("assess_measure", _("Can assess measures")),
            ("send_reminder", _("Can send reminders")),
            ("view_all_reports", _("Can see every State's submitted reports")),
            ("generate_pdf", _("Can generate PDF summaries and exports")),
            ("view_accepted_reports", _("Can read accepted reports not marked Secretariat-only")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["state", "cycle"], name="one_report_per_state_and_cycle"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.state.iso3} · {self.cycle.code}"


class ReportVersion(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    is_draft = models.BooleanField(_("draft"), default=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Bumped on every save of a draft: two editors cannot overwrite each other.")
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.COMMITTEE
    )
    section_confidentiality = models.JSONField(
        _("confidentiality per section"), default=dict, blank=True, help_text=_("Overrides the report's level for a section.")
    )
    note = models.TextField(_("note on this version"), blank=True, max_length=5000)
    reference = models.CharField(_("reference number"), max_length=80, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    content = models.JSONField(_("frozen content"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="submitted_versions"
    )
    is_late = models.BooleanField(_("late"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number_per_report"),
            models.UniqueConstraint(fields=["report"], condition=Q(is_draft=True), name="one_open_draft_per_report"),
            models.CheckConstraint(
                condition=Q(is_draft=True) | (Q(submitted_at__isnull=False) & ~Q(content_sha256="")),
                name="frozen_version_is_complete",
            ),
            models.CheckConstraint(condition=Q(confidentiality__in=Confidentiality.values), name="version_confidentiality_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}{' (draft)' if self.is_draft else ''}"

    def section_level(self, section: str) -> str:
        return self.section_confidentiality.get(section) or self.confidentiality


class Answer(models.TextChoices):
    IN_PLACE = "in_place", _("In place")
    PARTIAL = "partial", _("Partially in place")
    NOT_IN_PLACE = "not_in_place", _("Not in place")
    NOT_APPLICABLE = "na", _("Not applicable")


class ChecklistAnswer(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="answers")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=500, blank=True)
    narrative = models.TextField(_("narrative"), max_length=20000, blank=True)
    evidence_location = models.CharField(_("where the attachments show it"), max_length=500, blank=True)
    # Copied from the State's last submitted report and neither confirmed nor edited since.
    carried_over = models.BooleanField(_("carried over from the last report"), default=False)

    class Meta:
        ordering = ["measure__order", "measure__code"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["version", "measure"], name="one_answer_per_measure"),
            models.CheckConstraint(condition=Q(answer="") | Q(answer__in=Answer.values), name="answer_valid"),
        ]
