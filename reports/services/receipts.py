"""The receipt a State gets for each submitted version: an e-mail and a PDF."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reports.models import AuditEvent, EmailDelivery, ReportVersion, User
from reports.pdf.render import RenderedPdf, render_pdf
from reports.storage import private_storage

from .audit import audit_log
from .emails import email_send_once


def receipt_context(version: ReportVersion) -> dict[str, Any]:
    report = version.report
    content = version.content or {}
    return {
        "version": version,
        "report": report,
        "state": report.state,
        "cycle": report.cycle,
        "counts": {
            "checklist": len(content.get("checklist", [])),
            "oil": len(content.get("oil", [])),
            "assets": len(content.get("assets", [])),
            "cultural": len(content.get("cultural", [])),
            "ransom": len(content.get("ransom", [])),
            "str": len(content.get("str", [])),
            "attachments": len(content.get("attachments", [])),
        },
        "report_path": reverse("delegation:report", args=[report.pk]),
    }


def receipt_send(*, version: ReportVersion) -> int:
    """E-mail the receipt to every active user of the State, each in their own language.

    Idempotent, as a task sent through the outbox must be (it may arrive twice): each address
    is mailed once (EmailDelivery), and the receipt is audited once per version, by whichever
    run finishes first; a run that finds it audited sends nothing. Returns the messages this run sent.
    """
    if version.is_draft or _receipt_audited(version):
        return 0
    context = receipt_context(version)
    sent = 0
    users = User.objects.filter(state_id=version.report.state_id, is_active=True).exclude(email="").order_by("pk")
    for user in users:
        sent += email_send_once(
            key=f"receipt:{version.pk}:{user.email}",
            name="receipt",
            to=user.email,
            context=context,
            language=user.preferred_language or None,
        )
    with transaction.atomic():
        # The version's row lock makes two runs that both got here (the sweep and the first
        # dispatch, say) take turns: the second finds the event and writes none.
        ReportVersion.objects.select_for_update().filter(pk=version.pk).first()
        if not _receipt_audited(version):
            recipients = EmailDelivery.objects.filter(key__startswith=f"receipt:{version.pk}:").count()
            audit_log(action="receipt_send", state=version.report.state, obj=version, recipients=recipients, actor_name="system")
    return sent


def _receipt_audited(version: ReportVersion) -> bool:
    return AuditEvent.objects.filter(action="receipt_send", object_type="ReportVersion", object_id=str(version.pk)).exists()


def receipt_pdf(*, version: ReportVersion) -> RenderedPdf:
    return render_pdf(render_to_string("pdf/receipt.html", receipt_context(version)))


def receipt_file(*, version: ReportVersion) -> bytes:
    """The receipt PDF in the current language, as first issued: rendered once, kept in the
    private store, and read back from there afterwards (on any host), so a receipt does not change
    when the templates do. Two first downloads at once render the same bytes; the first stored stays."""
    language = translation.get_language() or "en"
    name = f"receipts/{version.report.state.iso3}/{version.report_id}-v{version.number}-{version.pk}.{language}.pdf"
    if not private_storage.exists(name):
        saved = private_storage.save(name, ContentFile(receipt_pdf(version=version).content))
        if saved != name:  # someone stored it meanwhile (the store renamed ours)
            private_storage.delete(saved)
    with private_storage.open(name, "rb") as handle:
        return handle.read()
