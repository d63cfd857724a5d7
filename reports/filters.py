"""Filters of the back-office tables.

Querysets are filtered with django-filter; lists computed by a selector (the status rows,
the matrix, the register) with plain forms whose fields validate the same way. A value
that is not a choice gives a form error beside the field and an empty table, never a 500.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reports.forms.widgets import fast_widget
from reports.models import Answer, MatchStatus, MeasureArea, RegionalGroup, Report, ReportingCycle, ReportStatus, Role, User
from reports.selectors.dashboard import Category
from reports.selectors.matrix import Flag

CATEGORY_CHOICES = [
    ("", _("All")),
    (Category.RECEIVED, _("Received")),
    (Category.ON_TIME, _("On time")),
    (Category.LATE, _("Late")),
    (Category.DRAFT, _("Draft only")),
    (Category.NOTHING, _("Nothing")),
    (Category.OVERDUE, _("Overdue")),
]
GROUP_CHOICES = [("", _("All groups")), *RegionalGroup.choices]
AREA_CHOICES = [("", _("All areas")), *MeasureArea.choices]
FLAG_CHOICES = [("", _("Any flag")), *Flag.CHOICES]
ANSWER_CHOICES = [("", _("Any answer")), *Answer.choices, ("unanswered", _("Not answered"))]
CLOSED_CHOICES = [("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))]


def bootstrapify(form: forms.Form) -> forms.Form:
    """Bootstrap classes on every widget (filter forms are rendered field by field).

    Plain selects of fixed choices and text inputs render in Python (reports.forms.widgets):
    the select templates, one per option, were a good part of every back-office page's fixed
    cost. Choices read from the database (the cycles) and other widgets keep Django's.
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control form-control-sm"
        if type(widget) in (forms.Select, forms.TextInput) and not isinstance(field, forms.ModelChoiceField):
            widget = field.widget = fast_widget(widget)
        widget.attrs["class"] = css
    return form


def periodic_cycles_qs() -> QuerySet[ReportingCycle]:
    return ReportingCycle.objects.filter(state__isnull=True).order_by("-due", "code")


class _ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices from one ordinary query. Django's iterator() opens a server-side cursor on
    PostgreSQL (DECLARE ... WITH HOLD), which cost more than the rest of the dashboard's queries
    together, for a list of a few dozen cycles."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class CycleChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoiceIterator


class CycleForm(forms.Form):
    cycle = CycleChoiceField(queryset=ReportingCycle.objects.none(), required=False, label=_("Reporting cycle"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = periodic_cycles_qs()  # type: ignore[attr-defined]
        bootstrapify(self)


class _Cleaned(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def values(self) -> dict[str, str]:
        """The cleaned values, or None when a field is invalid (the caller shows nothing)."""
        return {name: self.cleaned_data.get(name) or "" for name in self.fields} if self.is_valid() else {}


class StatusFilterForm(_Cleaned):
    category = forms.ChoiceField(choices=CATEGORY_CHOICES, required=False, label=_("Status"))
    group = forms.ChoiceField(choices=GROUP_CHOICES, required=False, label=_("Regional group"))


class MatrixFilterForm(_Cleaned):
    group = forms.ChoiceField(choices=GROUP_CHOICES, required=False, label=_("Regional group"))
    area = forms.ChoiceField(choices=AREA_CHOICES, required=False, label=_("Area"))
    flag = forms.ChoiceField(choices=FLAG_CHOICES, required=False, label=_("Flag"))
    answer = forms.ChoiceField(choices=ANSWER_CHOICES, required=False, label=_("State's answer"))


class RegisterFilterForm(_Cleaned):
    closed = forms.ChoiceField(choices=CLOSED_CHOICES, required=False, label=_("Follow-up"))
    group = forms.ChoiceField(choices=GROUP_CHOICES, required=False, label=_("Regional group"))
    area = forms.ChoiceField(choices=AREA_CHOICES, required=False, label=_("Area"))

    def __init__(self, *args: Any, section: str = "gaps", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if section != "gaps":  # only measures have an area; elsewhere the filter would do nothing
            del self.fields["area"]


class PartyFilterForm(_Cleaned):
    cycle = CycleChoiceField(queryset=ReportingCycle.objects.none(), required=False, label=_("Reporting cycle"))
    search = forms.CharField(required=False, max_length=100, label=_("Party name contains"))
    list_ref = forms.RegexField(
        regex=r"^QD[ieIE]\.[0-9]{1,4}$",
        required=False,
        max_length=10,
        label=_("Sanctions List reference"),
        error_messages={"invalid": _("A reference looks like QDi.123 or QDe.115.")},
    )
    state = forms.RegexField(
        regex=r"^[A-Za-z]{3}$",
        required=False,
        max_length=3,
        label=_("Reporting State (ISO3)"),
        error_messages={"invalid": _("Three letters, e.g. JOR.")},
    )
    closed = forms.ChoiceField(choices=CLOSED_CHOICES, required=False, label=_("Follow-up"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = periodic_cycles_qs()  # type: ignore[attr-defined]
        bootstrapify(self)


class ScreeningFilterForm(_Cleaned):
    """Screening matches: by status (blank: every status) and by list entry."""

    status = forms.ChoiceField(choices=[("", _("Every status")), *MatchStatus.choices], required=False, label=_("Status"))
    entry = forms.RegexField(
        regex=re.compile(r"^QD[IE]\.[0-9]{1,4}$", re.IGNORECASE),
        required=False,
        max_length=10,
        label=_("Sanctions List reference"),
        error_messages={"invalid": _("A reference looks like QDi.123 or QDe.115.")},
    )
    listed_after_report = forms.NullBooleanField(required=False, label=_("Listed after it was reported"))


class ReportFilter(django_filters.FilterSet):
    """The review queue: every submitted report the user may see."""

    q = django_filters.CharFilter(method="filter_q", label=_("State"), max_length=100)
    cycle = django_filters.ModelChoiceFilter(queryset=periodic_cycles_qs(), label=_("Reporting cycle"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    group = django_filters.ChoiceFilter(
        field_name="state__regional_group", choices=RegionalGroup.choices, label=_("Regional group")
    )
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(groups__name=Role.SECRETARIAT.value).order_by("username"),
        label=_("Assigned to"),
        null_label=_("Nobody"),
    )
    is_late = django_filters.BooleanFilter(label=_("Submitted late"))

    class Meta:
        model = Report
        fields = ["q", "cycle", "status", "group", "assigned_to", "is_late"]

    def filter_q(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        value = value.strip()
        return queryset.filter(Q(state__name__icontains=value) | Q(state__iso3__iexact=value[:3])) if value else queryset
