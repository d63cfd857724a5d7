"""Background PDF jobs for the Council."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reference import MemberState, ReportingCycle


class PdfKind(models.TextChoices):
    SUMMARY = "summary", _("Council summary for a cycle")
    PROFILE = "profile", _("State profile")
    COMPENDIUM = "compendium", _("Compendium of State profiles")
    RECEIPT = "receipt", _("Submission receipt")


class Distribution(models.TextChoices):
    GENERAL = "general", _("General")
    RESTRICTED = "restricted", _("Restricted")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PdfJob(models.Model):
    kind = models.CharField(_("document"), max_length=12, choices=PdfKind.choices)
    distribution = models.CharField(_("distribution"), max_length=12, choices=Distribution.choices, default=Distribution.GENERAL)
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    params = models.JSONField(_("filters"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("state"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("progress message"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), upload_to="pdf/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="pdfjob_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="pdfjob_done_has_hash"),
        ]
