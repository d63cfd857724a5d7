"""Attachments: upload to a draft, remove from a draft, download through the access gate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.forms.attachments import AttachmentForm
from reports.models import Section
from reports.selectors.access import get_attachment_for_user
from reports.selectors.delegation import get_draft_for_user
from reports.services import attachments as attachment_services
from reports.services.attachments import AttachmentRefused
from reports.services.reports import ReportError

from ..decorators import delegation_required
from ..files import attachment_response
from .base import DelegationRequest
from .editor import _section_context


@require_POST
@delegation_required
def attachment_upload(request: DelegationRequest, pk: int) -> HttpResponse:
    version = get_draft_for_user(request.user, pk)
    if not version.is_draft:
        return render(request, "delegation/frozen.html", {"version": version}, status=409)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachment_services.attachment_add(
                version=version,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            )
        except AttachmentRefused as refused:
            form.add_error("file", str(refused))
        except ReportError:
            return render(request, "delegation/frozen.html", {"version": version}, status=409)
        else:
            messages.success(request, _("Attached %(name)s.") % {"name": attachment.original_name})
            return redirect("delegation:editor", pk=version.pk, section=Section.ATTACHMENTS)
    context = _section_context(version, Section.ATTACHMENTS, None)
    context["attachment_form"] = form
    return render(request, "delegation/editor.html", context, status=400)


@require_POST
@delegation_required
def attachment_remove(request: DelegationRequest, pk: int, attachment_pk: int) -> HttpResponse:
    version = get_draft_for_user(request.user, pk)
    attachment = version.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        attachment_services.attachment_remove(attachment=attachment, actor=request.user)
    except ReportError:
        return render(request, "delegation/frozen.html", {"version": version}, status=409)
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
    return redirect("delegation:editor", pk=version.pk, section=Section.ATTACHMENTS)


@require_GET
@login_required
def attachment_download(request: DelegationRequest, pk: int) -> HttpResponseBase:
    return attachment_response(request, get_attachment_for_user(request.user, pk), reader=request.user)
