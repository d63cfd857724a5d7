"""Uploading an attachment: the checks on the content are the service's (reports.services.attachments)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import AttachmentKind


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, Word, Excel, PNG or JPEG; at most 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices, initial=AttachmentKind.OTHER)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
