"""Forms of the review, assessment, follow-up and reminder actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import FollowUpKind, Measure, Rating, ReportingCycle, Role, Section, User
from reports.services.review import COMMENT_MAX

SECTION_CHOICES = [("", _("The whole report")), *Section.choices]


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Officer"), empty_label=_("Nobody"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            groups__name=Role.SECRETARIAT.value, is_active=True
        ).order_by("username")


class CommentForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=COMMENT_MAX, label=_("Comment")
    )


class ClarificationForm(forms.Form):
    section = forms.ChoiceField(choices=SECTION_CHOICES, required=False, label=_("Section"))
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX,
        label=_("What the State should clarify"),
        help_text=_("Shown to the State's delegation."),
    )


class NoteForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX, label=_("Internal note"))
    visible_to_state = forms.BooleanField(required=False, label=_("Show this note to the State"))


class AssessForm(forms.Form):
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), widget=forms.HiddenInput)
    rating = forms.ChoiceField(choices=[("", _("Not assessed yet: choose")), *Rating.choices], label=_("Assessment"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000, label=_("Note"))

    def __init__(self, *args: Any, measures: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures if measures is not None else Measure.objects.none()  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(choices=FollowUpKind.choices, widget=forms.HiddenInput)
    key = forms.CharField(max_length=200, widget=forms.HiddenInput)
    cycle = forms.ModelChoiceField(queryset=ReportingCycle.objects.all(), required=False, widget=forms.HiddenInput)
    state = forms.RegexField(regex=r"^[A-Z]{3}$", required=False, widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000, label=_("Note"))
    close = forms.BooleanField(required=False, label=_("Close this finding"))


class ReminderForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=ReportingCycle.objects.none(), label=_("Reporting cycle"))

    def __init__(self, *args: Any, cycles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles if cycles is not None else ReportingCycle.objects.none()  # type: ignore[attr-defined]
