"""Named parties screened against the Sanctions List: candidate matches, the experts' decisions, runs.

A match is kept per reported *name* (the named-party register's normalised name, so every
mention of a party, in every report and amendment, shares one decision) and list entry. A
re-screen updates the score and the matched name forms of an open candidate; it never touches a
decision (confirmed or dismissed), which only an expert changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .sanctions import SanctionsEntry, SanctionsSnapshot


class MatchStatus(models.TextChoices):
    CANDIDATE = "candidate", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class ScreeningMatch(models.Model):
    name_key = models.CharField(_("normalised name"), max_length=300, db_index=True)
    name = models.CharField(_("reported name"), max_length=300)
    entry = models.ForeignKey(SanctionsEntry, on_delete=models.CASCADE, related_name="screening_matches")
    first_snapshot = models.ForeignKey(SanctionsSnapshot, on_delete=models.PROTECT, related_name="+")
    snapshot = models.ForeignKey(SanctionsSnapshot, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"))
    forms = models.JSONField(_("matched name forms"), default=list, blank=True)
    # The entry was added (or relisted) to the list after a State had already reported the party.
    listed_after_report = models.BooleanField(_("listed after it was reported"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.CANDIDATE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "name_key"]
        verbose_name = _("screening match")
        verbose_name_plural = _("screening matches")
        constraints = [
            models.UniqueConstraint(fields=["name_key", "entry"], name="one_screening_match_per_name_and_entry"),
            models.CheckConstraint(
                condition=Q(status="candidate") | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="screening_decision_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ~ {self.entry_id} ({self.score})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScreeningRun(models.Model):
    """One screening of every named party against one snapshot, run by a worker, with its progress."""

    snapshot = models.ForeignKey(SanctionsSnapshot, on_delete=models.CASCADE, related_name="screening_runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    names_total = models.PositiveIntegerField(_("names"), default=0)
    names_done = models.PositiveIntegerField(_("names screened"), default=0)
    matches_new = models.PositiveIntegerField(_("new candidates"), default=0)
    matches_updated = models.PositiveIntegerField(_("candidates updated"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")

    def __str__(self) -> str:
        return f"screening {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        return int(100 * self.names_done / self.names_total) if self.names_total else 0
