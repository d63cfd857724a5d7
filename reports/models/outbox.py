"""The transactional outbox: background work a request causes, written in the request's transaction.

A row is the promise of a Celery task. It commits (or rolls back) with the change that caused
it, is handed to the broker once the transaction commits, and is handed again by a periodic
sweep while it is not marked sent (reports.services.outbox). Tasks may therefore arrive twice:
every task sent through the outbox is idempotent.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    key = models.CharField(
        _("key"), max_length=300, unique=True, help_text=_("One message per key, e.g. receipt_send:<version>.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent"),
        ]

    def __str__(self) -> str:
        return self.key
