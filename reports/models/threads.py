"""Conversations between the Secretariat and a State about one report (issue 12, item 2).

A thread is a clarification request anchored to the whole report, one section, one measure
or one register row. The Secretariat opens and resolves it; the State's focal points and
signatories and the Secretariat reply. An internal thread (or an internal message in a
shared thread) is a Secretariat note and never reaches the State: not its pages, not its mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reference import Measure
from .reports import Report, ReportVersion

MESSAGE_MAX = 10000


class ThreadAnchor(models.TextChoices):
    REPORT = "report", _("The whole report")
    SECTION = "section", _("A section")
    MEASURE = "measure", _("A measure")
    ROW = "row", _("A register row")


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Thread(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="threads")
    # The version the question was asked about (rows are numbered within it).
    version = models.ForeignKey(ReportVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    anchor = models.CharField(_("about"), max_length=8, choices=ThreadAnchor.choices, default=ThreadAnchor.REPORT)
    section = models.CharField(_("section"), max_length=16, blank=True)
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A register row: the model's label ("reports.oilinterdiction") and the row's number in its
    # register (1, 2, ...), which an addendum keeps (version_copy copies rows in order).
    row_model = models.CharField(_("register"), max_length=64, blank=True)
    row_key = models.CharField(_("row"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    internal = models.BooleanField(_("internal note"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every reply and the resolution: a form posted against an older revision
    # (a double submit, a page left open) is refused instead of written twice.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["report", "status"], name="thread_report_status")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ThreadStatus.values), name="thread_status_valid"),
            models.CheckConstraint(condition=~Q(anchor="section") | ~Q(section=""), name="thread_section_anchor"),
            models.CheckConstraint(condition=~Q(anchor="measure") | Q(measure__isnull=False), name="thread_measure_anchor"),
            models.CheckConstraint(condition=~Q(anchor="row") | (~Q(row_model="") & ~Q(row_key="")), name="thread_row_anchor"),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True) | Q(status="resolved", resolved_at__isnull=False),
                name="thread_resolved_has_time",
            ),
        ]


class ThreadMessage(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=MESSAGE_MAX)
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("thread message")
        verbose_name_plural = _("thread messages")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="thread_message_not_empty"),
        ]
