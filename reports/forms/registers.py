"""Registers of events as formsets, a page of rows at a time: rows are added and removed in the browser.

Every row is validated on its own: the valid rows of a page are stored, a row with an
error is kept as typed (DraftInput) and shown again with the error beside the field.
A page's forms are numbered by their place in the register (page 3's first row is
"oil-100"), so a field's id names the same row on the page and in the review's links.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from reports.models import (
    CURRENCIES,
    AssetType,
    CaseKind,
    Commodity,
    Direction,
    InstitutionKind,
    PlaceKind,
    Provenance,
    QuantityUnit,
    Section,
)
from reports.selectors.sanctions import RefLookup
from reports.services.drafts import REGISTER_NEW_ROWS, REGISTER_PAGE_SIZE, RegisterRowInput, SectionInput
from reports.services.sanctions_refs import ref_problem
from reports.services.validation import list_ref_valid

from .widgets import fast_widget

# Forms one page may post: its stored rows and the rows added on it (the field limit's safety margin).
PAGE_MAX_FORMS = REGISTER_PAGE_SIZE + REGISTER_NEW_ROWS
CURRENCY_CHOICES = [("", "—"), *[(code, code) for code in CURRENCIES]]
# Countries are typed (with a list of suggestions on the page): 193 options in three selects a
# row made a 60-row register a 2.5 MB page that took seconds to render.
STATE_INPUT = {"list": "member-states", "autocomplete": "off", "dir": "auto"}  # a name in Arabic or a code
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
COUNT_MAX = 2_147_483_647


def _choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _text(label: Any, max_length: int, required: bool = True, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


def _normalize_ref(ref: str) -> str:
    ref = ref.strip()
    return "QD" + ref[2:3].lower() + ref[3:] if ref[:2].upper() == "QD" else ref


NOT_VALUES = ("row_id", "draft_key", "DELETE")  # a row's bookkeeping, not what it reports


class RegisterRowForm(forms.Form):
    row_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    # A new row kept as typed (it had errors) is named by this key until it can be stored.
    draft_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=17)
    date_fields: tuple[str, ...] = ()
    list_ref_fields: tuple[str, ...] = ()
    party_fields: tuple[str, ...] = ()
    suggest_fields: tuple[str, ...] = ()  # a party's name: Sanctions List entries suggested as it is typed

    def __init__(
        self,
        *args: Any,
        window: tuple[datetime.date, datetime.date],
        state_ids: dict[str, int] | None = None,
        state_names: dict[str, str] | None = None,
        ref_lookup: RefLookup | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.window = window
        # Shared by a page's forms: the list in force is read once, and only if a reference is typed.
        self.ref_lookup = ref_lookup if ref_lookup is not None else RefLookup()
        self.state_ids = state_ids or {}
        self.state_names = state_names or {}
        for name in self.date_fields:
            self.fields[name].widget.attrs.update({"min": window[0].isoformat(), "max": window[1].isoformat()})
        # Rendered without crispy's templates (a row has fifteen fields, a register hundreds of rows).
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            field.widget = fast_widget(widget)

    def rendered_fields(self) -> list[tuple[str, SafeString]]:
        """(grid column class, HTML) for each visible field but DELETE: rendered here, not by templates,
        because a register page holds hundreds of them."""
        result = []
        for bound in self.visible_fields():
            if bound.name == "DELETE":
                continue
            errors = format_html_join(
                "", '<div class="invalid-feedback d-block" id="{}_error">{}</div>', ((bound.auto_id, e) for e in bound.errors)
            )
            if not bound.errors and bound.name in (*self.list_ref_fields, *self.party_fields):
                errors = self._ref_notes(bound)
            widget_html = bound.as_widget()
            if bound.name in self.suggest_fields:
                widget_html = self._with_suggestions(bound)
            if isinstance(bound.field.widget, forms.CheckboxInput):
                html = format_html(
                    '<div class="form-check mt-4">{}<label class="form-check-label" for="{}">{}</label>{}</div>',
                    widget_html, bound.id_for_label, bound.label, errors,
                )  # fmt: skip
            else:
                mark = SafeString('<span class="required-mark" aria-hidden="true">*</span>') if bound.field.required else ""
                html = format_html(
                    '<label class="form-label small mb-0" for="{}">{}</label>{}{}{}',
                    bound.id_for_label, bound.label, mark, widget_html, errors,
                )  # fmt: skip
            wide = isinstance(bound.field.widget, forms.Textarea)
            result.append(("col-md-6 col-xl-4" if wide else "col-sm-6 col-lg-4 col-xl-3", html))
        return result

    def _with_suggestions(self, bound: forms.BoundField) -> SafeString:
        """The field asks for the closest Sanctions List entries as the delegate types (htmx,
        debounced); a suggestion's button puts its reference in the row (static/js/delegation.js)."""
        if bound.name in self.party_fields:
            target, mode = bound.auto_id, "line"  # "Name; QDe.115", one party a line
        else:
            target, mode = bound.auto_id.replace(f"-{bound.name}", "-list_ref"), "value"
        box = f"{bound.auto_id}_suggestions"
        attrs: dict[str, str | bool] = {
            "hx-get": reverse("delegation:sanctions_suggest"),
            "hx-trigger": "input changed delay:300ms",  # not keyup: input methods (Arabic) and paste send no keys
            "hx-target": f"#{box}",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            "hx-vals": json.dumps({"target": target, "mode": mode}),
            "aria-describedby": box,
            "autocomplete": "off",
        }
        return format_html(
            '{}<div id="{}" class="sanctions-suggestions" aria-live="polite"></div>', bound.as_widget(attrs=attrs), box
        )

    def ref_references(self, bound: forms.BoundField) -> list[str]:
        """The Sanctions List references a field holds now (typed or stored): one, or one a party line."""
        value = str(bound.value() or "")
        if bound.name in self.list_ref_fields:
            refs = [_normalize_ref(value)]
        else:
            refs = [_normalize_ref(line.rsplit(";", 1)[1]) for line in value.splitlines() if ";" in line]
        return [ref for ref in refs if ref and list_ref_valid(ref)]

    def _ref_notes(self, bound: forms.BoundField) -> SafeString:
        """What the list in force says of the references shown (a draft saved before an import too):
        an unknown one beside the field like an error, a delisted one as a warning."""
        notes = []
        for number, ref in enumerate(self.ref_references(bound)):
            problem = ref_problem(ref, self.ref_lookup)
            if problem is not None:
                css = "invalid-feedback d-block" if problem.blocking else "form-text text-warning-emphasis sanctions-ref-warning"
                notes.append((css, f"{bound.auto_id}_listref{number}", problem.message))
        return format_html_join("", '<div class="{}" id="{}">{}</div>', notes)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        earliest, latest = self.window
        for name in self.date_fields:
            value = cleaned.get(name)
            if value and not earliest <= value <= latest:
                self.add_error(
                    name,
                    _("The date must be between %(earliest)s and %(latest)s.")
                    % {"earliest": earliest.isoformat(), "latest": latest.isoformat()},
                )
        for name in self.list_ref_fields:
            value = _normalize_ref(cleaned.get(name) or "")
            if value and not list_ref_valid(value):
                self.add_error(name, _("A Sanctions List reference looks like QDi.123 or QDe.115."))
            elif value and (problem := ref_problem(value, self.ref_lookup)) and problem.blocking:
                self.add_error(name, problem.message)
            elif name in cleaned:
                cleaned[name] = value
        for name in self.party_fields:
            for number, line in enumerate((cleaned.get(name) or "").splitlines(), start=1):
                if ";" in line:
                    ref = _normalize_ref(line.rsplit(";", 1)[1])
                    if ref and not list_ref_valid(ref):
                        self.add_error(
                            name,
                            _('Line %(n)d: "%(ref)s" is not a Sanctions List reference (QDi.123 or QDe.115).')
                            % {"n": number, "ref": ref[:40]},
                        )
                    elif ref and (problem := ref_problem(ref, self.ref_lookup)) and problem.blocking:
                        self.add_error(name, _("Line %(n)d: %(problem)s") % {"n": number, "problem": problem.message})
        if "amount" in self.fields or "value" in self.fields:
            amount = cleaned.get("amount", cleaned.get("value"))
            if amount is not None and not cleaned.get("currency") and "currency" not in self.errors:
                self.add_error("currency", _("Give the currency of the amount."))
        return cleaned

    def row_values(self) -> dict[str, Any]:
        values = {name: value for name, value in self.cleaned_data.items() if name not in NOT_VALUES}
        for name, value in list(values.items()):
            if value is None and isinstance(self.fields[name], forms.CharField):
                values[name] = ""
        return values


class OilInterdictionForm(RegisterRowForm):
    date_fields = ("date",)
    party_fields = ("parties",)
    suggest_fields = ("parties",)

    date = forms.DateField(label=_("Date of interdiction"), widget=DATE_WIDGET)
    place = _text(_("Place (port or border crossing)"), 200)
    place_kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices, initial=PlaceKind.BORDER)
    commodity = forms.ChoiceField(label=_("Commodity"), choices=_choices(Commodity.choices))
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=3, min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=_choices(QuantityUnit.choices))
    value = forms.DecimalField(label=_("Estimated value"), required=False, max_digits=18, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=_choices(Direction.choices))
    origin = forms.CharField(
        label=_("Country of origin (name or ISO code)"), required=False, max_length=200, widget=forms.TextInput(attrs=STATE_INPUT)
    )
    transit = forms.CharField(
        label=_("Countries of transit (names or ISO codes, separated by commas)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={**STATE_INPUT, "multiple": True}),
    )
    destination = forms.CharField(
        label=_("Country of destination (name or ISO code)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=STATE_INPUT),
    )
    parties = _text(_("Parties involved: one a line, optionally followed by ; QDe.115"), 5000, False, rows=2)
    proceedings = _text(_("Proceedings"), 5000, False, rows=2)
    outcome = _text(_("Outcome of proceedings"), 5000, False, rows=2)

    def _state(self, value: str) -> str:
        """An ISO 3166 alpha-3 code or a State's name, as the State's code; ValidationError otherwise."""
        text = " ".join(value.split()).casefold()
        if not text:
            return ""
        code = text.upper() if text.upper() in self.state_ids else self.state_names.get(text)
        if code is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a Member State: type its name or its three-letter code, for example IRQ."),
                params={"value": value[:50]},
            )
        return code

    def clean_origin(self) -> str:
        return self._state(self.cleaned_data.get("origin") or "")

    def clean_destination(self) -> str:
        return self._state(self.cleaned_data.get("destination") or "")

    def clean_transit(self) -> list[str]:
        parts = [part.strip() for part in re.split(r"[,;\n،，、]+", self.cleaned_data.get("transit") or "") if part.strip()]
        if len(parts) > 30:
            raise forms.ValidationError(_("At most 30 countries of transit."))
        codes = []
        for part in parts:
            code = self._state(part)
            if code not in codes:
                codes.append(code)
        return codes

    def row_values(self) -> dict[str, Any]:
        values = super().row_values()
        values["origin_id"] = self.state_ids.get(values.pop("origin") or "")
        values["destination_id"] = self.state_ids.get(values.pop("destination") or "")
        values["transit"] = [self.state_ids[iso3] for iso3 in values.pop("transit") or [] if iso3 in self.state_ids]
        return values


class FrozenAssetForm(RegisterRowForm):
    date_fields = ("date_frozen",)
    list_ref_fields = ("list_ref",)
    suggest_fields = ("listed_party",)

    listed_party = _text(_("Listed party"), 300)
    list_ref = forms.CharField(label=_("Sanctions List reference"), max_length=10, required=False)
    asset_type = forms.ChoiceField(label=_("Asset type"), choices=_choices(AssetType.choices))
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    date_frozen = forms.DateField(label=_("Date frozen"), widget=DATE_WIDGET)
    institution_kind = forms.ChoiceField(label=_("Kind of institution"), choices=_choices(InstitutionKind.choices))


class CulturalSeizureForm(RegisterRowForm):
    date_fields = ("date",)
    party_fields = ("parties",)
    suggest_fields = ("parties",)

    date = forms.DateField(label=_("Date of seizure"), widget=DATE_WIDGET)
    description = _text(_("Description"), 5000, rows=2)
    provenance = forms.ChoiceField(label=_("Provenance"), choices=_choices(Provenance.choices))
    count = forms.IntegerField(label=_("Number of items"), min_value=0, max_value=COUNT_MAX)
    returned = forms.BooleanField(label=_("Returned"), required=False)
    parties = _text(_("Parties involved: one a line, optionally followed by ; QDe.115"), 5000, False, rows=2)


class RansomCaseForm(RegisterRowForm):
    date_fields = ("date",)
    list_ref_fields = ("list_ref",)

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(CaseKind.choices))
    description = _text(_("Description"), 5000, rows=2)
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=18, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, required=False)
    prevented = forms.BooleanField(label=_("Payment prevented"), required=False)
    list_ref = forms.CharField(label=_("Sanctions List reference"), max_length=10, required=False)


class SuspiciousTransactionCountForm(RegisterRowForm):
    date_fields = ("period_start", "period_end")

    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)
    count = forms.IntegerField(label=_("Reports to the financial intelligence unit"), min_value=0, max_value=COUNT_MAX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class BaseRegisterFormSet(BaseFormSet):  # type: ignore[type-arg]
    """One page of a register: its forms are numbered from `offset`, the page's first row's place."""

    def __init__(self, *args: Any, offset: int = 0, form_data: dict[int, Any] | None = None, **kwargs: Any) -> None:
        self.offset = offset
        # Forms of an unbound page that show input kept as typed: form index -> that data.
        self.form_data = form_data or {}
        super().__init__(*args, **kwargs)

    def add_prefix(self, index: Any) -> str:
        return super().add_prefix(index + self.offset if isinstance(index, int) else index)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index in self.form_data:
            kwargs["data"] = self.form_data[index]
        return kwargs

    def too_many_rows(self) -> bool:
        return self.management_form.is_valid() and int(self.management_form.cleaned_data["TOTAL_FORMS"] or 0) > PAGE_MAX_FORMS

    def section_input(self, section: str, raw: dict[str, list[str]]) -> SectionInput | None:
        """None when the formset's own bookkeeping is missing or forged: then nothing is touched."""
        if not self.management_form.is_valid() or self.non_form_errors():
            # Missing bookkeeping or more rows than a page takes: a forged or broken post.
            return None
        data = SectionInput(section=section, raw=raw)
        for form in self.forms:
            row = RegisterRowInput(
                key=form.prefix, row_id=_int(form["row_id"].value()), draft_key=str(form["draft_key"].value() or "")
            )
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                row.delete = True
            elif form.empty_permitted and not form.has_changed():
                continue
            elif form.is_valid():
                row.values = form.row_values()
            else:
                data.error_count += 1
            if not row.delete:
                # As typed: kept if the row has errors (or a full register cannot take it).
                for name in form.fields:
                    if name not in NOT_VALUES and raw.get(form.add_prefix(name)):
                        row.raw[name] = [str(value) for value in raw[form.add_prefix(name)]]
            data.register_rows.append(row)
        return data


def _int(value: Any) -> int | None:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


def _formset(form: type[RegisterRowForm]) -> type[BaseRegisterFormSet]:
    return formset_factory(  # type: ignore[return-value]
        form,
        formset=BaseRegisterFormSet,
        extra=0,
        can_delete=True,
        max_num=PAGE_MAX_FORMS,
        validate_max=True,
        absolute_max=PAGE_MAX_FORMS,
    )


REGISTER_FORMSETS: dict[str, type[BaseRegisterFormSet]] = {
    Section.OIL: _formset(OilInterdictionForm),
    Section.ASSETS: _formset(FrozenAssetForm),
    Section.CULTURAL: _formset(CulturalSeizureForm),
    Section.RANSOM: _formset(RansomCaseForm),
    Section.STR: _formset(SuspiciousTransactionCountForm),
}
