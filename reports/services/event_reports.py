"""Event-triggered notifications: an oil interdiction opens a cycle of its own for the State."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.models import MemberState, Obligation, Report, ReportingCycle, User

from .audit import audit_log
from .reports import ReportError, report_get_or_create
from .validation import portal_today

OIL_INTERDICTION_OBLIGATION = "2199-oil-interdiction"


def event_label(event_date: datetime.date) -> dict[str, str]:
    """The notice's name in the six UN languages, from the translation catalogues."""
    labels = {}
    for key, language in (("ar", "ar"), ("zh", "zh-hans"), ("en", "en"), ("fr", "fr"), ("ru", "ru"), ("es", "es")):
        with translation.override(language):
            labels[key] = _("Oil interdiction of %(date)s") % {"date": date_format(event_date, "DATE_FORMAT")}
    return labels


@transaction.atomic
def event_report_open(
    *, state: MemberState, actor: User, event_date: datetime.date, today: datetime.date | None = None
) -> Report:
    """A cycle for this State and event (opens on the event date, due `due_days` later) and its report."""
    if not (actor.is_delegation and actor.state_id == state.pk):
        raise ReportError(_("Only the State's own delegation can report its interdictions."))
    obligation = Obligation.objects.select_related("resolution").get(code=OIL_INTERDICTION_OBLIGATION)
    today = today or portal_today()
    if event_date > today:
        raise ReportError(_("The interdiction cannot be dated in the future."))
    if event_date < obligation.resolution.adopted:
        raise ReportError(_("The interdiction cannot predate the resolution."))
    code = f"{obligation.code}-{state.iso3.lower()}-{event_date:%Y%m%d}-{secrets.token_hex(3)}"
    cycle = ReportingCycle.objects.create(
        obligation=obligation,
        code=code,
        label=event_label(event_date),
        opens=event_date,
        due=event_date + datetime.timedelta(days=obligation.due_days),
        state=state,
        event_date=event_date,
    )
    audit_log(action="event_cycle_open", actor=actor, state=state, obj=cycle, event_date=event_date)
    return report_get_or_create(state=state, cycle=cycle, actor=actor)
