"""Reminders sent to States; the unique step makes sending idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, ngettext
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

    @property
    def step_label(self) -> str:
        """The step in words: "30 days before the due date", "Overdue, week 2", "Sent by hand"."""
        kind, _sep, rest = self.step.partition("-")
        if kind == "due" and rest.isdigit():
            return ngettext("%(n)s day before the due date", "%(n)s days before the due date", int(rest)) % {"n": rest}
        if kind == "overdue" and rest.isdigit():
            return gettext("Overdue, week %(n)s") % {"n": rest}
        if kind == "manual":
            return gettext("Sent by hand")
        return self.step


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReminderOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    NO_RECIPIENT = "no_recipient", _("No recipient: no active focal point or signatory account")
    ALREADY_REMINDED = "already_reminded", _("Already reminded today")


class ReminderBatch(models.Model):
    """One officer's "remind every State that owes this cycle's report", sent by a Celery task.

    The States are those owing when the task runs; each gets a ReminderBatchResult. The reminder
    itself is claimed in ReminderLog as a hand-sent one (step manual-<day>), so a second batch the
    same day, a retried task or a reminder sent from the State's page sends nothing twice.
    """

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminder_batches")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    day = models.DateField(_("portal day"), help_text=_("The New York day the batch was asked for; the reminders' step."))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("States to remind"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("reminder batch")
        verbose_name_plural = _("reminder batches")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.day:%Y-%m-%d}"


class ReminderBatchResult(models.Model):
    batch = models.ForeignKey(ReminderBatch, on_delete=models.CASCADE, related_name="results")
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReminderOutcome.choices)
    recipients = models.PositiveIntegerField(_("addresses"), default=0)
    reminder = models.ForeignKey(ReminderLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "state__sort_key"]
        verbose_name = _("reminder batch result")
        verbose_name_plural = _("reminder batch results")
        constraints = [models.UniqueConstraint(fields=["batch", "state"], name="one_result_per_batch_state")]
