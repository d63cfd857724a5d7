"""The Committee's report list filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reports.models import RegionalGroup, ReportingCycle

from .monitoring import CycleChoiceField


class CommitteeFilterForm(forms.Form):
    cycle = CycleChoiceField(
        label=_("Reporting cycle"),
        queryset=ReportingCycle.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All cycles"),
        error_messages={"invalid_choice": _("Unknown reporting cycle.")},
    )
    group = forms.ChoiceField(
        label=_("Regional group"),
        choices=[("", _("All regional groups")), *RegionalGroup.choices],
        required=False,
        error_messages={"invalid_choice": _("Unknown regional group.")},
    )

    def __init__(self, *args: Any, cycles: QuerySet[ReportingCycle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]
