"""Sending e-mail: one helper, templates as triples (healthchecks' hc/lib/emails.py).

templates/emails/<name>-subject.txt, <name>-body.txt and <name>-body.html.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def email_send(*, name: str, to: Sequence[str], context: dict[str, Any], language: str | None = None) -> int:
    """Render the triple `name` and send it; returns the number of messages sent (0 or 1)."""
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    context = {"base_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    message.attach_alternative(html, "text/html")
    return message.send()


def email_send_once(*, key: str, name: str, to: str, context: dict[str, Any], language: str | None = None) -> int:
    """Send to one address unless a message with this key was already sent; returns 0 or 1.

    The key is claimed and the message sent in one transaction: a task that is retried or
    delivered twice finds the claim and sends nothing, and a send that fails releases the
    claim for the retry (the reminders work the same way, with ReminderLog as the claim).
    """
    from reports.models import EmailDelivery

    with transaction.atomic():
        _delivery, created = EmailDelivery.objects.get_or_create(key=key[:300])
        if not created:
            return 0
        return email_send(name=name, to=[to], context=context, language=language)


def email_send_each_once(
    *,
    key: str,
    name: str,
    recipients: Iterable[tuple[str, str]],
    context: Mapping[str, Any] | Callable[[str], Mapping[str, Any]],
) -> int:
    """Send the triple `name` once to each (address, preferred language): keys `<key>:<address>`,
    each in the recipient's language (the portal's default for one it does not offer). `context`
    may be a function of that language, for what is put into words before the templates render.
    Returns how many were sent by this call (a retry sends only to the addresses not yet served)."""
    languages = dict(settings.LANGUAGES)
    sent = 0
    for address, language in recipients:
        lang = language if language in languages else None
        values = context(lang or settings.LANGUAGE_CODE) if callable(context) else context
        sent += email_send_once(key=f"{key}:{address}", name=name, to=address, context=dict(values), language=lang)
    return sent
