"""Reminders sent to States; the unique step makes sending idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import MemberState, ReportingCycle


class ReminderLog(models.Model):
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="reminders")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(
        _("step"), max_length=40, help_text=_("due-30, due-7, due-1, overdue-<week>, or manual-<id> for one sent by hand.")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["state", "cycle", "step"], name="one_reminder_per_state_cycle_step")]
