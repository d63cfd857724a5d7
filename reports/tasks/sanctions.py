"""The daily fetch of the Sanctions List (beat runs it only when SANCTIONS_LIST_URL is set)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from reports.services.sanctions_import import SanctionsListRefused, fetch_sanctions_list, import_sanctions_list

logger = logging.getLogger(__name__)


# No retry: a failed download is logged and tomorrow's run tries again.
@shared_task(name="reports.sanctions_list_fetch")
def sanctions_list_fetch_task(url: str | None = None) -> str:
    """Fetch and import the list; a refused file leaves the snapshot in force and is logged.

    Idempotent: the same file twice changes nothing (same SHA-256).
    """
    url = url or settings.SANCTIONS_LIST_URL
    if not url:
        return "off"
    try:
        result = import_sanctions_list(fetch_sanctions_list(url), source=url)
    except SanctionsListRefused as exc:
        logger.warning("Sanctions List from %s refused: %s", url, exc)
        return "refused"
    if result.unchanged:
        return "unchanged"
    logger.info(
        "Sanctions List imported from %s: %d added, %d amended, %d delisted",
        url,
        len(result.added),
        len(result.amended),
        len(result.delisted),
    )
    return "imported"
