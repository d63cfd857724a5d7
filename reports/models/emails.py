"""A ledger of e-mails sent once per key, so a retried or redelivered task sends nothing twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.Model):
    key = models.CharField(
        _("key"), max_length=300, unique=True, help_text=_("What was sent to whom, e.g. receipt:<version>:<address>.")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return self.key
