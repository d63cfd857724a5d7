"""The portal clock: business dates are New York days, wherever the server runs.

Due dates, days late, reminders, the back office, documents, exports and demo data all ask
this module what day it is, so a report submitted at 21:00 in New York on its due day is on
time everywhere (UTC already says tomorrow). Stored times stay UTC; only the *day* is local.
The zone is the setting PORTAL_TIME_ZONE (UN Headquarters: America/New_York).
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def portal_zone() -> ZoneInfo:
    return _zone(settings.PORTAL_TIME_ZONE)


def portal_day(dt: datetime.datetime) -> datetime.date:
    """The New York day of an aware moment (a naive one is refused: stored times are UTC)."""
    if timezone.is_naive(dt):
        raise ValueError("portal_day() needs an aware datetime; stored times are UTC.")
    return dt.astimezone(portal_zone()).date()


def portal_today() -> datetime.date:
    """Today in New York: the day every business date is counted from."""
    return portal_day(timezone.now())
