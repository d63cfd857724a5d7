"""The implementation checklist: one small form per measure, prefixed with the measure's id."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Answer, ChecklistAnswer, Measure, Section
from reports.services.drafts import SectionInput


class AnswerBoundField(forms.BoundField):
    """The answer is described by its measure's title, and still by Django's own help text and
    error ids: an aria-describedby set on the widget would silence the link to the error message."""

    @property
    def aria_describedby(self) -> str:
        assert isinstance(self.form, ChecklistAnswerForm)
        own = super().aria_describedby
        return " ".join(filter(None, [f"measure-{self.form.measure.pk}-title", own]))


class ChecklistAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=[("", _("Not answered yet")), *Answer.choices], required=False)
    legal_reference = forms.CharField(label=_("Legal reference (act, article)"), max_length=500, required=False)
    narrative = forms.CharField(label=_("Narrative"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_location = forms.CharField(label=_("Where the attachments show it"), max_length=500, required=False)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs["prefix"] = f"m{measure.pk}"
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["answer"].bound_field_class = AnswerBoundField

    def was_posted(self) -> bool:
        return any(self.add_prefix(name) in self.data for name in self.fields)


def checklist_forms(
    *, measures: list[Measure], answers: dict[int, ChecklistAnswer], data: Any = None
) -> list[ChecklistAnswerForm]:
    result = []
    for measure in measures:
        answer = answers.get(measure.pk)
        initial = (
            {
                "answer": answer.answer,
                "legal_reference": answer.legal_reference,
                "narrative": answer.narrative,
                "evidence_location": answer.evidence_location,
            }
            if answer
            else {}
        )
        result.append(ChecklistAnswerForm(data, measure=measure, initial=initial))
    return result


def checklist_input(forms_: list[ChecklistAnswerForm], raw: dict[str, list[str]]) -> SectionInput:
    """Valid answers are stored; an invalid one leaves the stored answer as it was."""
    data = SectionInput(section=Section.CHECKLIST, raw=raw)
    for form in forms_:
        if not form.was_posted():
            continue
        if form.is_valid():
            data.rows.append({"measure_id": form.measure.pk, **form.cleaned_data})
        else:
            data.error_count += 1
    return data
