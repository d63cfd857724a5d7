"""The request form for Council documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Distribution, DocumentLanguage, MemberState, PdfKind, ReportingCycle
from reports.selectors.access import audiences_requestable_by

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from reports.models import User

ALL_LANGUAGES = "all"


class StateChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: MemberState) -> str:  # type: ignore[override]
        return f"{obj.display_name} ({obj.iso3})"


class CycleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ReportingCycle) -> str:  # type: ignore[override]
        return obj.display_label


class PdfRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"),
        choices=[(k.value, k.label) for k in (PdfKind.SUMMARY, PdfKind.PROFILE, PdfKind.COMPENDIUM)],
        initial=PdfKind.SUMMARY,
    )
    cycle = CycleChoiceField(
        label=_("Reporting cycle"),
        queryset=ReportingCycle.objects.none(),
        required=False,
        help_text=_("Required for a summary and a compendium; for a profile, the cycle whose report it details."),
    )
    state = StateChoiceField(
        label=_("State (for a profile)"),
        queryset=MemberState.objects.order_by("sort_key"),
        to_field_name="iso3",
        required=False,
        error_messages={"invalid_choice": _("Unknown State.")},
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=Distribution.choices,
        initial=Distribution.GENERAL,
        help_text=_(
            "General is public: only what States marked “may be published”, and who reported when. Restricted is for "
            "the Committee: adds what States marked “Committee members only”. Internal is for the Secretariat and the "
            "Monitoring Team: everything."
        ),
        error_messages={"invalid_choice": _("Unknown distribution, or one you may not ask for.")},
    )

    language = forms.ChoiceField(
        label=_("Language"),
        choices=[*DocumentLanguage.choices, (ALL_LANGUAGES, _("All six languages"))],
        required=False,
        error_messages={"invalid_choice": _("Unknown language: choose one of the six official languages.")},
        help_text=_("All six languages: one version in each, built from the same data."),
    )

    def __init__(
        self,
        *args: Any,
        user: User | AnonymousUser | None = None,
        interface_language: str = DocumentLanguage.EN,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # only the distributions this user may ask for (access gate)
            allowed = set(audiences_requestable_by(user))
            distribution = cast(forms.ChoiceField, self.fields["distribution"])
            distribution.choices = [(value, label) for value, label in Distribution.choices if value in allowed]
        # The reader's own language unless they choose another; "zh-hans" as the portal spells it.
        self.interface_language = interface_language if interface_language in DocumentLanguage.values else DocumentLanguage.EN
        self.fields["language"].initial = self.interface_language
        cycle_field = cast(CycleChoiceField, self.fields["cycle"])
        cycle_field.queryset = ReportingCycle.objects.filter(state__isnull=True).order_by("-due", "code")
        cycle_field.error_messages["invalid_choice"] = _("Unknown reporting cycle.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Generate the PDF")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (PdfKind.SUMMARY, PdfKind.COMPENDIUM) and not data.get("cycle") and "cycle" not in self.errors:
            self.add_error("cycle", _("Choose the reporting cycle."))
        if kind == PdfKind.PROFILE and not data.get("state") and "state" not in self.errors:
            self.add_error("state", _("Choose the State."))
        if "language" not in self.errors and not data.get("language"):
            data["language"] = self.interface_language  # a post without the field (older pages, scripts)
        return data
