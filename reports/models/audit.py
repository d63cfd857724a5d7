"""The append-only audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import MemberState

# What each recorded action means, for people reading the trail (the code stays in the record).
ACTION_LABELS = {
    "account_attack_alert": _("Owner warned of failed sign-ins"),
    "account_unlocked": _("Account unlocked"),
    "api_request": _("API request"),
    "api_token_create": _("API token created"),
    "api_token_revoke": _("API token revoked"),
    "answer_confirm": _("Carried-over answer confirmed"),
    "assessment_respond": _("The State answered an assessment"),
    "assessments_finalise": _("Assessments finalised"),
    "assessments_share": _("Assessments shared with the State"),
    "attachment_add": _("Attachment added"),
    "attachment_download": _("Attachment downloaded"),
    "attachment_remove": _("Attachment removed"),
    "backup_created": _("Backup created"),
    "backup_restored": _("Backup restored"),
    "clarification_send": _("Clarification request e-mailed"),
    "draft_autosave": _("Draft saved automatically"),
    "sanctions_list_imported": _("Sanctions List imported"),
    "screening_match_confirmed": _("Screening match confirmed"),
    "screening_match_dismissed": _("Screening match dismissed"),
    "draft_save": _("Draft saved"),
    "draft_carry_over": _("Draft started from the last report"),
    "draft_import": _("Workbook imported into the draft"),
    "workbook_download": _("Workbook downloaded"),
    "event_cycle_open": _("Interdiction notice opened"),
    "export": _("Table exported"),
    "followup_close": _("Finding closed"),
    "followup_note": _("Follow-up note written"),
    "followup_reopen": _("Finding reopened"),
    "login": _("Signed in"),
    "login_failed": _("Sign-in failed"),
    "measure_assess": _("Measure assessed"),
    "mfa_failed": _("Wrong authenticator code"),
    "pdf_download": _("PDF downloaded"),
    "pdf_job_done": _("PDF built"),
    "pdf_job_failed": _("PDF failed"),
    "pdf_job_request": _("PDF requested"),
    "pdf_job_requeued": _("PDF job restarted"),
    "receipt_download": _("Receipt downloaded"),
    "receipt_send": _("Receipt e-mailed"),
    "reminder_batch_done": _("Reminders sent to every State owing a report"),
    "reminder_batch_request": _("Reminders to every State owing a report requested"),
    "reminder_send": _("Reminder sent"),
    "report_assign": _("Report assigned"),
    "report_comment": _("Review comment"),
    "report_create": _("Report started"),
    "report_open_addendum": _("Addendum started"),
    "report_submit": _("Report submitted"),
    "request_clarification": _("Clarification requested"),
    "thread_open": _("Question opened"),
    "thread_reply": _("Reply in a thread"),
    "thread_resolve": _("Thread resolved"),
}


def action_label(action: str) -> str:
    """The action in the reader's language; an action without a label shows as recorded.

    A review transition is recorded as "report_" + its ReviewAction and reads as that.
    """
    label = ACTION_LABELS.get(action)
    if label is None and action.startswith("report_"):
        from .review import ReviewAction

        step = action.removeprefix("report_")
        label = ReviewAction(step).label if step in ReviewAction.values else None
    return str(label) if label is not None else action


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    state = models.ForeignKey(MemberState, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(_("action"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object"), max_length=50, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def detail_items(self) -> list[tuple[str, Any]]:
        """The detail as shown: a PDF job's failure, recorded as a reason code and its figures, reads
        in the reader's language (a failure recorded before reasons were codes keeps its text)."""
        detail = dict(self.detail)
        if self.action == "pdf_job_failed" and "error" in detail:
            from .pdf import job_error_reason

            reason = job_error_reason(str(detail.pop("error")), detail.pop("error_args", None) or {})
            detail = {"reason": reason, **detail}
        return list(detail.items())

    @property
    def role_label(self) -> str:
        from .users import Role

        return str(Role(self.actor_role).label) if self.actor_role in Role.values else self.actor_role
