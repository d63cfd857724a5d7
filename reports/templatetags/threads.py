"""The review conversations and the shared assessments as panels a report page includes with
one line (`{% report_threads report %}`, `{% report_assessments report %}`): the page's own
view stays as it is, and both sides (the Secretariat's review page, the State's report page)
show the same component, each with what its reader may see and do."""

from __future__ import annotations

from typing import Any

from django import template

from reports.forms.threads import ThreadOpenForm, ThreadReplyForm
from reports.models import AssessmentState, Report, Role, ThreadStatus
from reports.selectors.access import is_back_office, role_of
from reports.selectors.matrix import cycle_measures
from reports.selectors.threads import report_assessments as select_assessments
from reports.selectors.threads import report_threads as select_threads
from reports.selectors.threads import row_choices, thread_row
from reports.selectors.versions import row_fields
from reports.services.threads import may_reply

register = template.Library()


@register.inclusion_tag("threads/_threads.html", takes_context=True)
def report_threads(context: template.Context, report: Report) -> dict[str, Any]:
    user = context["request"].user
    secretariat = role_of(user) == Role.SECRETARIAT
    threads = select_threads(user=user, report=report)
    for thread in threads:
        row = thread_row(thread)
        thread.row_fields = row_fields(row[0], row[1]) if row else []  # type: ignore[attr-defined]
        current = report.current_version
        now = thread_row(thread, current) if row and current is not None and current.pk != thread.version_id else None
        # The same row in the version now under review (an addendum may have changed it).
        thread.row_now = row_fields(now[0], now[1]) if now and now[1] != row[1] else []  # type: ignore[attr-defined,index]
        thread.row_now_version = current.number if current is not None else None  # type: ignore[attr-defined]
        thread.can_reply = thread.status == ThreadStatus.OPEN and may_reply(thread, user)  # type: ignore[attr-defined]
        form = ThreadReplyForm(initial={"revision": thread.revision}, auto_id=f"id_t{thread.pk}_%s")
        if not secretariat:
            del form.fields["internal"]  # internal notes are the Secretariat's
        thread.reply_form = form  # type: ignore[attr-defined]
    open_form = None
    if secretariat and report.current_version_id:
        open_form = ThreadOpenForm(measures=list(cycle_measures(report.cycle)), rows=row_choices(report), auto_id="id_thread_%s")
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "threads": threads,
        "open_count": sum(1 for t in threads if t.status == ThreadStatus.OPEN),
        "secretariat": secretariat,
        "back_office": is_back_office(user),
        "open_form": open_form,
        "reply_url": "secretariat:thread_reply" if secretariat else "delegation:thread_reply",
    }


@register.inclusion_tag("threads/_assessments.html", takes_context=True)
def report_assessments(context: template.Context, report: Report) -> dict[str, Any]:
    user = context["request"].user
    assessments = select_assessments(user=user, report=report)
    delegation = role_of(user) in (Role.FOCAL_POINT, Role.SIGNATORY)
    for assessment in assessments:
        assessment.can_answer = delegation and assessment.state in (  # type: ignore[attr-defined]
            AssessmentState.SHARED,
            AssessmentState.AGREED,
            AssessmentState.DISPUTED,
        )
    states = {a.state for a in assessments}
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "assessments": assessments,
        "secretariat": role_of(user) == Role.SECRETARIAT,
        "delegation": delegation,
        "can_share": AssessmentState.DRAFT in states,
        "can_finalise": bool(states & {AssessmentState.SHARED, AssessmentState.AGREED, AssessmentState.DISPUTED}),
    }
