"""Forms around a report: confidentiality, the review before submitting, an event notification, the diff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Confidentiality, Section
from reports.services.drafts import SectionInput


class ConfidentialityForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality of the report"), choices=Confidentiality.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note on this version (for example what an addendum changes)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, sections: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"section_{section}"] = forms.ChoiceField(
                label=Section(section).label,
                choices=[("", _("Same as the report")), *Confidentiality.choices],
                required=False,
            )

    def section_input(self, raw: dict[str, list[str]]) -> SectionInput:
        data = SectionInput(section="settings", raw=raw)
        if not self.is_valid():
            data.error_count = len(self.errors)
            return data
        data.settings = {
            "confidentiality": self.cleaned_data["confidentiality"],
            "note": self.cleaned_data["note"],
            "section_confidentiality": {
                section: self.cleaned_data[f"section_{section}"]
                for section in self.sections
                if self.cleaned_data.get(f"section_{section}")
            },
        }
        return data


class SubmitForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)
    acknowledge = forms.BooleanField(label=_("I have read the warnings above and confirm the report as it is."), required=False)


class EventReportForm(forms.Form):
    event_date = forms.DateField(
        label=_("Date of the interdiction"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(label=_("From version"), coerce=int)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), str(n)) for n in numbers]
        self.fields["a"].choices = choices  # type: ignore[attr-defined]
        self.fields["b"].choices = choices  # type: ignore[attr-defined]
