"""The audit page's filter form; the account page's API token form."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.models import MemberState, TokenScope
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


class ApiTokenForm(forms.Form):
    """A new personal API token: a name, a scope, an expiry (required; at most API_TOKEN_MAX_DAYS away)."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the ministry's case system.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires = forms.DateField(label=_("Expires on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args: Any, today: datetime.date, role_may_write: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["expires"].initial = today + datetime.timedelta(days=90)
        self.fields["expires"].widget.attrs.update(
            {"min": (today + datetime.timedelta(days=1)).isoformat(), "max": self._latest().isoformat()}
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if not role_may_write:
            # Only a delegation writes drafts: anyone else gets a read token.
            self.fields["scope"].choices = [(TokenScope.READ, TokenScope.READ.label)]  # type: ignore[attr-defined]

    def _latest(self) -> datetime.date:
        return self.today + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)

    def clean_expires(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["expires"]
        if value <= self.today:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if value > self._latest():
            raise forms.ValidationError(_("A token lasts at most %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS})
        return value
