"""Celery tasks, one module per area; Celery's autodiscovery imports this package.

Tasks are thin: they take ids, load, call a service, and retry on transient errors.
"""

from .assessments import assessments_shared_notify_task
from .common import ping
from .delegation import receipt_send_task
from .outbox import outbox_sweep_task
from .pdf import pdf_briefing_summaries, pdf_compendium_part, pdf_job_build, pdf_jobs_sweep_stale, pdf_parts_prune
from .reminders import overdue_notices_send_task, reminder_batch_run_task, reminders_send_due_task
from .review import clarification_send_task
from .sanctions import sanctions_list_fetch_task
from .screening import screening_run_task
from .security import account_attack_alert_task
from .threads import thread_notify_task

__all__ = [
    "account_attack_alert_task",
    "assessments_shared_notify_task",
    "clarification_send_task",
    "outbox_sweep_task",
    "overdue_notices_send_task",
    "pdf_briefing_summaries",
    "pdf_compendium_part",
    "pdf_job_build",
    "pdf_jobs_sweep_stale",
    "pdf_parts_prune",
    "ping",
    "receipt_send_task",
    "reminder_batch_run_task",
    "reminders_send_due_task",
    "sanctions_list_fetch_task",
    "screening_run_task",
    "thread_notify_task",
]
