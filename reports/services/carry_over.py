"""Starting a draft from the State's last report: its answers, legal references and narratives.

Registers and attachments are not copied (they report events of another period). Each answer
copied is marked "carried over" until the delegate confirms it or edits it (the editor's save
clears the mark of an answer whose values change: reports.services.drafts._save_checklist).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.models import ChecklistAnswer, ReportVersion, Section, User
from reports.selectors.carry_over import carry_over_source
from reports.selectors.matrix import cycle_measures

from .audit import audit_log
from .drafts import CARRIED_FIELDS, SectionInput, draft_save
from .reports import ReportError


class NothingToCarryOver(ReportError):
    """The State has no submitted report to start from."""


def draft_carry_over(*, version: ReportVersion, actor: User, revision: int) -> int:
    """Copy the last report's answers into the draft's unanswered measures; returns how many.

    Raises NothingToCarryOver when there is no report to start from; DraftConflict like any save."""
    source = carry_over_source(version)
    if source is None:
        raise NothingToCarryOver(_("Your State has no submitted report to start from."))
    measure_ids = set(cycle_measures(version.report.cycle).values_list("pk", flat=True))
    filled = {
        answer.measure_id
        for answer in ChecklistAnswer.objects.filter(version=version)
        if any(getattr(answer, name) for name in CARRIED_FIELDS)
    }
    rows = [
        {
            "measure_id": answer.measure_id,
            "answer": answer.answer,
            "legal_reference": answer.legal_reference,
            "narrative": answer.narrative,
            "evidence_location": "",  # it points into the old report's attachments
            "carried_over": True,
        }
        for answer in ChecklistAnswer.objects.filter(version=source, measure_id__in=measure_ids).exclude(measure_id__in=filled)
        if answer.answer or answer.legal_reference or answer.narrative
    ]
    if not rows:
        return 0
    draft_save(version=version, actor=actor, revision=revision, data=SectionInput(section=Section.CHECKLIST, rows=rows))
    audit_log(
        action="draft_carry_over", actor=actor, state=version.report.state, obj=version, source=source.pk, answers=len(rows)
    )
    return len(rows)


def answer_confirm(*, version: ReportVersion, actor: User, measure_id: int) -> bool:
    """The delegate confirms a carried-over answer as it stands: it is no longer marked.

    A mark, not content: the draft's revision does not move (an open editor page stays current)."""
    if not version.is_draft:
        raise ReportError(_("This version has been submitted and can no longer change."))
    done = ChecklistAnswer.objects.filter(
        version=version, version__is_draft=True, measure_id=measure_id, carried_over=True
    ).update(carried_over=False)
    if done:
        audit_log(action="answer_confirm", actor=actor, state=version.report.state, obj=version, measure=measure_id)
    return bool(done)
