"""Files a State attaches: stored under generated names outside the web root."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reports.storage import get_private_storage

from .reports import ReportVersion


def attachment_path(instance: Attachment, filename: str) -> str:
    # The original name is kept in a field and never used as a path.
    return f"attachments/{instance.version.report.state_id}/{uuid.uuid4().hex}"


class AttachmentKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    NOTE_VERBALE = "note_verbale", _("Note verbale")
    OTHER = "other", _("Other document")


class Attachment(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200, storage=get_private_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("type found in the content"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    description = models.CharField(_("description"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
            models.CheckConstraint(condition=Q(size__lte=20 * 1024 * 1024), name="attachment_at_most_20mb"),
        ]

    def __str__(self) -> str:
        return self.original_name
