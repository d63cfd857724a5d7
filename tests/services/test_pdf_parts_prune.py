"""Compendium parts are pruned by beat once nobody has written them for PDF_PARTS_KEEP_DAYS."""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.files.base import ContentFile

from reports.services.pdf_parts import PARTS_DIR
from reports.storage import private_storage
from reports.tasks import pdf_parts_prune


def _written_days_ago(path: str, days: int) -> None:
    when = (datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=days)).timestamp()
    os.utime(private_storage.path(path), (when, when))  # the storage's modified time is the file's


def test_beat_prunes_parts_older_than_the_setting_and_keeps_the_fresh_ones():
    old, fresh = f"{PARTS_DIR}/zz/old-part.pdf", f"{PARTS_DIR}/zz/fresh-part.pdf"
    private_storage.save(old, ContentFile(b"%PDF-old"))
    private_storage.save(fresh, ContentFile(b"%PDF-fresh"))
    _written_days_ago(old, settings.PDF_PARTS_KEEP_DAYS + 1)
    _written_days_ago(fresh, settings.PDF_PARTS_KEEP_DAYS - 1)
    try:
        assert pdf_parts_prune.apply().get() == 1
        assert not private_storage.exists(old)
        assert private_storage.exists(fresh)
    finally:
        for path in (old, fresh):
            if private_storage.exists(path):
                private_storage.delete(path)


def test_the_prune_is_scheduled():
    assert settings.CELERY_BEAT_SCHEDULE["pdf-parts-prune"]["task"] == "reports.pdf_parts_prune"
