"""The Secretariat's layer: review events, assessments of measures, follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reference import Measure, MemberState, ReportingCycle
from .reports import Report, ReportVersion


class ReviewAction(models.TextChoices):
    CREATE = "create", _("Draft started")
    SUBMIT = "submit", _("Submitted")
    ASSIGN = "assign", _("Assigned")
    START_REVIEW = "start_review", _("Review started")
    REQUEST_CLARIFICATION = "request_clarification", _("Clarification requested")
    OPEN_ADDENDUM = "open_addendum", _("Addendum opened")
    AMEND = "amend", _("Amendment submitted")
    ACCEPT = "accept", _("Accepted")
    COMMENT = "comment", _("Comment")


class ReviewEvent(models.Model):
    """Every transition of a report: who, when, why. Shown to the State where addressed to it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(ReportVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=ReviewAction.choices)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    section = models.CharField(_("section"), max_length=16, blank=True)
    comment = models.TextField(_("comment"), max_length=10000, blank=True)
    visible_to_state = models.BooleanField(_("visible to the State"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="request_clarification") | ~Q(comment=""), name="clarification_has_comment"
            ),
        ]


class Rating(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    PARTIAL = "partial", _("Partially implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NOT_APPLICABLE = "na", _("Not applicable")
    NOT_REPORTED = "not_reported", _("Not reported")


class AssessmentState(models.TextChoices):
    """The 1540 pattern: the State sees the assessment before it is final."""

    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the State")
    AGREED = "agreed", _("Agreed by the State")
    DISPUTED = "disputed", _("Commented by the State")
    FINAL = "final", _("Final")


class MeasureAssessment(models.Model):
    """The Secretariat's assessment, kept apart from the State's own answer (BRIEF: three layers)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assessments")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rating = models.CharField(_("assessment"), max_length=16, choices=Rating.choices)
    note = models.TextField(_("note"), max_length=10000, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now=True)
    state = models.CharField(_("assessment state"), max_length=8, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    shared_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(_("the State may respond until"), null=True, blank=True)
    state_comment = models.TextField(_("the State's comment"), max_length=10000, blank=True)
    state_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state_responded_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessment of a measure")
        verbose_name_plural = _("assessments of measures")
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="one_assessment_per_report_and_measure"),
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="assessment_rating_valid"),
            models.CheckConstraint(condition=Q(state__in=AssessmentState.values), name="assessment_state_valid"),
            models.CheckConstraint(condition=~Q(state="disputed") | ~Q(state_comment=""), name="assessment_dispute_has_comment"),
        ]


class FollowUpKind(models.TextChoices):
    OVERDUE = "overdue", _("Not reported or overdue")
    INCOMPLETE = "incomplete", _("Incomplete report")
    NOT_IN_PLACE = "not_in_place", _("Measure not in place")
    NAMED_PARTY = "named_party", _("Party named in reports")
    INCONSISTENCY = "inconsistency", _("Inconsistency across reports")
    LISTED_PARTY = "listed_party", _("Reported party since listed")


class FollowUp(models.Model):
    """A row of the non-compliance register that an officer follows up and closes with a note."""

    kind = models.CharField(_("kind"), max_length=16, choices=FollowUpKind.choices)
    key = models.CharField(_("key"), max_length=200, help_text=_("Identifies the computed finding this follows up."))
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    is_closed = models.BooleanField(_("closed"), default=False)
    note = models.TextField(_("note"), max_length=10000, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_follow_up_per_finding")]
