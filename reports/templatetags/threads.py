"""The review conversations and the shared assessments as panels a report page includes with
one line (`{% report_threads report %}`, `{% report_assessments report %}`): the page's own
view stays as it is, and both sides (the Secretariat's review page, the State's report page)
show the same component, each with what its reader may see and do.

Thin wrappers: what each reader sees comes from reports.selectors.threads (`thread_panel`,
`assessment_panel`); these tags only add the forms."""

from __future__ import annotations

from typing import Any

from django import template

from reports.forms.threads import ThreadOpenForm, ThreadReplyForm
from reports.models import Report
from reports.selectors.threads import assessment_panel, thread_panel

register = template.Library()


@register.inclusion_tag("threads/_threads.html", takes_context=True)
def report_threads(context: template.Context, report: Report) -> dict[str, Any]:
    panel = thread_panel(user=context["request"].user, report=report)
    for thread in panel.threads:
        form = ThreadReplyForm(initial={"revision": thread.revision}, auto_id=f"id_t{thread.pk}_%s")
        if not panel.secretariat:
            del form.fields["internal"]  # internal notes are the Secretariat's
        thread.reply_form = form  # type: ignore[attr-defined]
    open_form = ThreadOpenForm(measures=panel.measures, rows=panel.rows, auto_id="id_thread_%s") if panel.can_open else None
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "threads": panel.threads,
        "open_count": panel.open_count,
        "secretariat": panel.secretariat,
        "back_office": panel.back_office,
        "open_form": open_form,
        "reply_url": "secretariat:thread_reply" if panel.secretariat else "delegation:thread_reply",
    }


@register.inclusion_tag("threads/_assessments.html", takes_context=True)
def report_assessments(context: template.Context, report: Report) -> dict[str, Any]:
    panel = assessment_panel(user=context["request"].user, report=report)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "assessments": panel.assessments,
        "secretariat": panel.secretariat,
        "delegation": panel.delegation,
        "can_share": panel.can_share,
        "can_finalise": panel.can_finalise,
    }
