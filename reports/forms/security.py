"""The audit page's filter form."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import MemberState
from reports.models.audit import action_label
from reports.selectors.audit import AuditFilter


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    state = forms.ModelChoiceField(
        label=_("Member State"),
        required=False,
        queryset=MemberState.objects.order_by("sort_key"),
        to_field_name="iso3",
        empty_label=_("All States"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *((a, action_label(a)) for a in actions)]  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-lg-auto g-2 align-items-end portal-audit-filter"
        self.helper.add_input(Submit("", _("Filter"), css_class="btn-primary"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            actor=(data.get("actor") or "").strip(),
            action=data.get("action") or "",
            state=data.get("state"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
