"""Following up a finding of the non-compliance register, and closing it with a note."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import FollowUp, FollowUpKind, MemberState, ReportingCycle, Role, User

from .audit import audit_log
from .reports import ReportError

NOTE_MAX = 10000


@transaction.atomic
def followup_update(
    *,
    kind: str,
    key: str,
    actor: User,
    note: str,
    close: bool,
    cycle: ReportingCycle | None = None,
    state: MemberState | None = None,
) -> FollowUp:
    """Write the note of a finding; close it (a note is then required) or reopen it."""
    if actor.role != Role.SECRETARIAT:
        raise ReportError(_("Only a Secretariat officer can follow up findings."))
    if kind not in FollowUpKind.values:
        raise ReportError(_("Unknown kind of finding."))
    key = (key or "").strip()
    if not key or len(key) > 200:
        raise ReportError(_("Unknown finding."))
    note = (note or "").strip()
    if close and not note:
        raise ReportError(_("Say why the finding is closed."))
    if len(note) > NOTE_MAX:
        raise ReportError(_("The note is longer than %(max)d characters.") % {"max": NOTE_MAX})
    follow_up, created = FollowUp.objects.select_for_update().get_or_create(
        kind=kind,
        key=key,
        defaults={"cycle": cycle, "state": state, "updated_by": actor, "note": note, "is_closed": close},
    )
    was_closed = False if created else follow_up.is_closed
    if not created:
        follow_up.note = note
        follow_up.is_closed = close
        follow_up.updated_by = actor
        follow_up.save(update_fields=["note", "is_closed", "updated_by", "updated_at"])
    audit_log(
        action="followup_close" if close else ("followup_reopen" if was_closed else "followup_note"),
        actor=actor,
        state=state,
        obj=follow_up,
        kind=kind,
        key=key,
        note=note,
    )
    return follow_up
