"""The Secretariat's back office (the Monitoring Team may read it; only the Secretariat acts).

Views are thin: they validate the query string or form, call one selector or service, and
render or redirect. Reports are reached only through reports.selectors.access.
"""

from .dashboard import dashboard, status_list
from .matrix import matrix, matrix_cell
from .register import followup, parties, register
from .reminders import reminder_batch_detail, reminders, reminders_send, states_unreachable
from .review import report_action, report_assess, report_detail, reports
from .sanctions import sanctions_entry, sanctions_list, sanctions_snapshots, sanctions_upload
from .screening import screening, screening_decide, screening_rerun
from .states import state_detail, state_remind

__all__ = [
    "dashboard",
    "followup",
    "matrix",
    "matrix_cell",
    "parties",
    "register",
    "reminder_batch_detail",
    "reminders",
    "reminders_send",
    "report_action",
    "report_assess",
    "report_detail",
    "reports",
    "sanctions_entry",
    "sanctions_list",
    "sanctions_snapshots",
    "sanctions_upload",
    "screening",
    "screening_decide",
    "screening_rerun",
    "state_detail",
    "state_remind",
    "states_unreachable",
    "status_list",
]
