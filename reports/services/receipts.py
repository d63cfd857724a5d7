"""The receipt a State gets for each submitted version: an e-mail and a PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from reports.models import ReportVersion, User
from reports.pdf.render import RenderedPdf, render_pdf

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
    """E-mail the receipt to every active user of the State, each in their own language."""
    if version.is_draft:
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
    audit_log(action="receipt_send", state=version.report.state, obj=version, recipients=sent, actor_name="system")
    return sent


def receipt_pdf(*, version: ReportVersion) -> RenderedPdf:
    return render_pdf(render_to_string("pdf/receipt.html", receipt_context(version)))
