"""The Sanctions List pages' forms: the search, and the Secretariat's upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.filters import bootstrapify


class SanctionsSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Name (any form, any script) or reference"))
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("All entries")), ("listed", _("Listed")), ("not_listed", _("Delisted or removed"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class SanctionsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Consolidated List file (XML)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml", "class": "form-control"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.SANCTIONS_LIST_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB, the most a Sanctions List may weigh."),
                params={"limit": max(1, limit // (1024 * 1024))},
                code="too_large",
            )
        return upload
