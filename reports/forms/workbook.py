"""The workbook page's two forms: download in a language, upload a filled workbook or a register's CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.forms.registers import REGISTER_FORMSETS
from reports.models import Section


class WorkbookDownloadForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language of the workbook"), choices=settings.LANGUAGES)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled workbook (.xlsx) or one register as CSV"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    register = forms.ChoiceField(label=_("Register of the CSV file"), required=False)

    def __init__(self, *args: Any, sections: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [  # type: ignore[attr-defined]
            ("", _("— for a CSV file only —")),
            *[(key, Section(key).label) for key in sections if key in REGISTER_FORMSETS],
        ]
