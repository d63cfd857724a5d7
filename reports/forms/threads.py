"""Forms of the review conversations and of the State's answer to an assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import MESSAGE_MAX, Measure, Section, ThreadAnchor


class ThreadOpenForm(forms.Form):
    about = forms.ChoiceField(label=_("About"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX,
        label=_("Question to the State"),
        help_text=_("Shown to the State's delegation and e-mailed to it, unless it is an internal note."),
    )
    internal = forms.BooleanField(required=False, label=_("Internal note (never shown to the State)"))

    def __init__(self, *args: Any, measures: list[Measure], rows: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = {str(m.pk): m for m in measures}
        self.fields["about"].choices = [  # type: ignore[attr-defined]
            ("report", _("The whole report")),
            (_("Sections"), [(f"section:{value}", label) for value, label in Section.choices]),
            (_("Measures"), [(f"measure:{m.pk}", f"{m.code} {m.display_title}"[:90]) for m in measures]),
            *([(_("Register rows"), rows)] if rows else []),
        ]

    def anchor(self) -> dict[str, Any]:
        """The service's anchor arguments from the chosen "about" value."""
        kind, _sep, rest = self.cleaned_data["about"].partition(":")
        if kind == "section":
            return {"anchor": ThreadAnchor.SECTION, "section": rest}
        if kind == "measure":
            return {"anchor": ThreadAnchor.MEASURE, "measure": self.measures.get(rest)}
        if kind == "row":
            model, _sep, key = rest.partition(":")
            return {"anchor": ThreadAnchor.ROW, "row_model": model, "row_key": key}
        return {"anchor": ThreadAnchor.REPORT}


class ThreadReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        label=_("Your reply"),
        error_messages={"required": _("Write a message first: an empty message is not sent.")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    internal = forms.BooleanField(required=False, label=_("Internal note (never shown to the State)"))


class AssessmentAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("agree", _("I agree")), ("comment", _("I disagree, see my comment"))],
        widget=forms.RadioSelect,
        label=_("Your answer"),
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000, label=_("Comment"))
