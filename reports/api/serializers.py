"""What the API answers, and the envelopes it accepts.

Output serializers are read-only descriptions of what the selectors return (they drive the
OpenAPI schema). Draft input is deliberately NOT validated here: rows and answers go to the
editor's own forms (reports.forms), so the API refuses and keeps exactly what the editor does.
The register input serializers below only describe the fields for the schema.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.forms.registers import NOT_VALUES, PAGE_MAX_FORMS, REGISTER_FORMSETS
from reports.models import Answer, ObligationKind, ReportStatus, Section

REGISTER_SECTIONS: list[str] = [Section.OIL, Section.ASSETS, Section.CULTURAL, Section.RANSOM, Section.STR]


class ProblemErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """RFC 9457 problem details, with the field errors."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    errors = ProblemErrorSerializer(many=True)
    current_revision = serializers.IntegerField(required=False, help_text=_("On a conflict (409): the draft's revision now."))


class ObligationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    code = serializers.CharField()
    resolution = serializers.IntegerField(source="resolution.number")
    paragraph = serializers.CharField()
    paragraph_confirmed = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField(source="display_title")
    due_days = serializers.IntegerField()
    period_months = serializers.IntegerField(allow_null=True)


class CycleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField(source="display_label")
    obligation = serializers.CharField(source="obligation.code")
    opens = serializers.DateField()
    due = serializers.DateField()
    state = serializers.CharField(source="state.iso3", allow_null=True, default=None)
    event_date = serializers.DateField(allow_null=True)


class DelegationCycleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A cycle the State owes (delegation_cycles), with its report if it has one."""

    cycle = CycleSerializer()
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)
    submitted = serializers.BooleanField(source="is_submitted")
    overdue = serializers.BooleanField(source="is_overdue")
    days_left = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    state = serializers.CharField(source="state.iso3")
    cycle = serializers.IntegerField(source="cycle_id")
    cycle_code = serializers.CharField(source="cycle.code")
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    current_version = serializers.IntegerField(source="current_version.number", allow_null=True, default=None)
    first_submitted_at = serializers.DateTimeField(allow_null=True)
    is_late = serializers.BooleanField()
    days_late = serializers.IntegerField()


class VersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    is_draft = serializers.BooleanField()
    revision = serializers.IntegerField()
    reference = serializers.CharField()
    confidentiality = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    is_late = serializers.BooleanField()
    content_sha256 = serializers.CharField(help_text=_("SHA-256 of the frozen content (empty for the draft)."))


class VersionDetailSerializer(VersionSerializer):
    content = serializers.JSONField(allow_null=True, help_text=_("The frozen content, exactly as submitted."))


class DraftSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    report = serializers.IntegerField(source="report_id")
    number = serializers.IntegerField()
    revision = serializers.IntegerField(help_text=_("Send it back with every write: a stale one gets 409."))
    sections = serializers.ListField(child=serializers.CharField())
    kept_with_errors = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Per section: entries kept as typed because they have errors.")
    )


# --- the checklist -------------------------------------------------------------------------


class ChecklistAnswerOutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    measure = serializers.CharField(help_text=_("The measure's code."))
    measure_id = serializers.IntegerField()
    title = serializers.CharField()
    required = serializers.BooleanField()
    answer = serializers.ChoiceField(choices=[("", ""), *Answer.choices])
    answer_label = serializers.CharField()
    legal_reference = serializers.CharField()
    narrative = serializers.CharField()
    evidence_location = serializers.CharField()
    kept_as_typed = serializers.DictField(
        child=serializers.CharField(), allow_null=True, help_text=_("Input with errors kept from an earlier save.")
    )


class ChecklistOutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revision = serializers.IntegerField()
    answers = ChecklistAnswerOutSerializer(many=True)


class ChecklistAnswerInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Described for the schema; the values are validated by the editor's ChecklistAnswerForm."""

    measure = serializers.CharField(help_text=_("The measure's code, e.g. OIL-1."))
    answer = serializers.CharField(required=False, allow_blank=True, help_text=_("in_place, partial, not_in_place, na or empty."))
    legal_reference = serializers.CharField(required=False, allow_blank=True)
    narrative = serializers.CharField(required=False, allow_blank=True)
    evidence_location = serializers.CharField(required=False, allow_blank=True)


class ChecklistInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revision = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    answers = ChecklistAnswerInSerializer(many=True, max_length=500)


class SaveErrorSerializer(ProblemErrorSerializer):
    pass


class ChecklistSavedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revision = serializers.IntegerField()
    saved = serializers.IntegerField(help_text=_("Answers stored."))
    error_count = serializers.IntegerField(help_text=_("Answers kept as typed because they have errors."))
    errors = SaveErrorSerializer(many=True)


# --- registers -----------------------------------------------------------------------------


def _choice_keys(field: forms.ChoiceField) -> str:
    return ", ".join(str(key) for key, _label in list(field.choices) if key)  # type: ignore[arg-type]


def _out_field(field: forms.Field) -> serializers.Field:  # type: ignore[type-arg]
    label = str(field.label or "")
    if isinstance(field, forms.DateField):
        return serializers.DateField(label=label, allow_null=True)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(max_digits=20, decimal_places=3, label=label, allow_null=True)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(label=label, allow_null=True)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(label=label)
    if isinstance(field, forms.ChoiceField):
        return serializers.CharField(label=label, help_text=_choice_keys(field))
    return serializers.CharField(label=label)


def _in_field(field: forms.Field) -> serializers.Field:  # type: ignore[type-arg]
    label = str(field.label or "")
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(label=label, required=False)
    if isinstance(field, forms.ChoiceField):
        return serializers.CharField(label=label, required=False, allow_blank=True, help_text=_choice_keys(field))
    return serializers.CharField(label=label, required=False, allow_blank=True, allow_null=True)


def register_fields(section: str) -> list[str]:
    return [name for name in REGISTER_FORMSETS[section].form.base_fields if name not in NOT_VALUES]


def _register_serializer(section: str, *, out: bool) -> type[serializers.Serializer]:  # type: ignore[type-arg]
    form = REGISTER_FORMSETS[section].form
    attrs: dict[str, Any] = {}
    for name in register_fields(section):
        field = form.base_fields[name]
        if name == "transit":
            child = serializers.CharField()
            attrs[name] = serializers.ListField(child=child, label=str(field.label)) if out else _in_field(field)
        elif name in ("origin", "destination"):
            attrs[name] = serializers.CharField(label=str(field.label)) if out else _in_field(field)
        else:
            attrs[name] = _out_field(field) if out else _in_field(field)
    if out:
        attrs["id"] = serializers.IntegerField()
    else:
        attrs["id"] = serializers.IntegerField(required=False, allow_null=True, help_text=_("The stored row this row replaces."))
        attrs["delete"] = serializers.BooleanField(required=False, help_text=_("Remove the stored row `id`."))
        attrs["draft_key"] = serializers.CharField(
            required=False, allow_blank=True, help_text=_("The key under which an earlier save kept this row as typed.")
        )
    name = f"{section.capitalize()}Row{'Out' if out else 'In'}"
    return type(name, (serializers.Serializer,), attrs)


REGISTER_OUT = {section: _register_serializer(section, out=True) for section in REGISTER_SECTIONS}
REGISTER_IN = {section: _register_serializer(section, out=False) for section in REGISTER_SECTIONS}


class KeptRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text=_("Send it back as draft_key to replace this row once corrected."))
    row_id = serializers.IntegerField(allow_null=True)
    values = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class RegisterSavedRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    index = serializers.IntegerField()
    id = serializers.IntegerField(allow_null=True, help_text=_("The stored row (null when it was kept as typed)."))
    draft_key = serializers.CharField(allow_blank=True)
    deleted = serializers.BooleanField()
    errors = SaveErrorSerializer(many=True)


class RegisterSavedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    revision = serializers.IntegerField()
    error_count = serializers.IntegerField()
    rows = RegisterSavedRowSerializer(many=True)
    errors = SaveErrorSerializer(many=True)


def register_in_envelope(section: str) -> type[serializers.Serializer]:  # type: ignore[type-arg]
    attrs = {
        "revision": serializers.IntegerField(min_value=0, max_value=2**31 - 1),
        "rows": REGISTER_IN[section](many=True, max_length=PAGE_MAX_FORMS),
    }
    return type(f"{section.capitalize()}RegisterWrite", (serializers.Serializer,), attrs)


def register_out_page(section: str) -> type[serializers.Serializer]:  # type: ignore[type-arg]
    attrs = {
        "revision": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": REGISTER_OUT[section](many=True),
        "kept_with_errors": KeptRowSerializer(many=True),
    }
    return type(f"{section.capitalize()}RegisterPage", (serializers.Serializer,), attrs)


# --- the back office -----------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    drafts_only = serializers.IntegerField()
    nothing = serializers.IntegerField()
    overdue = serializers.IntegerField()
    reporting_rate = serializers.FloatField()
    on_time_rate = serializers.FloatField()


class GroupCountsSerializer(CountsSerializer):
    code = serializers.CharField()
    label = serializers.CharField()


class StateStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    iso3 = serializers.CharField()
    name = serializers.CharField()
    regional_group = serializers.CharField()
    category = serializers.CharField()
    report = serializers.IntegerField(source="report_id", allow_null=True)
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    days_late = serializers.IntegerField()
    is_overdue = serializers.BooleanField()


class StatusPageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    cycle = CycleSerializer()
    totals = CountsSerializer()
    groups = GroupCountsSerializer(many=True)
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = StateStatusSerializer(many=True)


class MeasureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    area = serializers.CharField()
    required = serializers.BooleanField()
    title = serializers.CharField()


class CellSerializer(serializers.Serializer):  # type: ignore[type-arg]
    measure = serializers.IntegerField(source="measure_id")
    answer = serializers.CharField()
    answer_label = serializers.CharField()
    has_legal_reference = serializers.BooleanField()
    rating = serializers.CharField()
    assessment_state = serializers.CharField(
        help_text=_(
            "Where the assessment stands with the State (draft, shared, agreed, disputed, final); empty without a rating."
        )
    )
    assessment_state_label = serializers.CharField()
    flag = serializers.CharField()
    flag_label = serializers.CharField()


class MatrixRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    iso3 = serializers.CharField()
    name = serializers.CharField()
    regional_group = serializers.CharField()
    report = serializers.IntegerField(source="report_id", allow_null=True)
    version = serializers.IntegerField(source="version_number", allow_null=True)
    status = serializers.CharField()
    cells = CellSerializer(many=True)


class MatrixPageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    cycle = CycleSerializer()
    measures = MeasureSerializer(many=True)
    flag_counts = serializers.DictField(child=serializers.IntegerField())
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = MatrixRowSerializer(many=True)


class NamedPartySerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    normalized_name = serializers.CharField()
    reports = serializers.IntegerField()
    mentions = serializers.IntegerField()
    states = serializers.ListField(child=serializers.CharField())
    list_refs = serializers.ListField(child=serializers.CharField())
    commodities = serializers.ListField(child=serializers.CharField())
    quantity = serializers.DictField(child=serializers.DecimalField(max_digits=30, decimal_places=3))
    value = serializers.DictField(child=serializers.DecimalField(max_digits=30, decimal_places=2))
    cultural_items = serializers.IntegerField()


class InconsistencySerializer(serializers.Serializer):  # type: ignore[type-arg]
    reporter = serializers.CharField(source="reporter_iso3")
    reporter_name = serializers.CharField()
    reporter_report = serializers.IntegerField(source="reporter_report_id")
    other = serializers.CharField(source="other_iso3")
    other_name = serializers.CharField()
    other_report = serializers.IntegerField(source="other_report_id", allow_null=True)
    silence = serializers.CharField()
    silence_label = serializers.CharField()
    interdictions = serializers.IntegerField()
    roles = serializers.ListField(child=serializers.CharField())


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:  # type: ignore[type-arg]
    attrs = {
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": item(many=True),
    }
    return type(name, (serializers.Serializer,), attrs)


# --- Sanctions List screening (back office) -------------------------------------------------


class ListEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    reference = serializers.CharField()
    kind = serializers.CharField()
    primary_name = serializers.CharField()
    name_original_script = serializers.CharField()
    listed_on = serializers.DateField(allow_null=True)
    delisted_on = serializers.DateField(allow_null=True)


class MatchedFormSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    score = serializers.FloatField()


class ReporterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    report = serializers.IntegerField(source="report_id")
    state = serializers.CharField(source="iso3")
    state_name = serializers.CharField(source="state")
    cycle = serializers.CharField()
    cycle_label = serializers.CharField()


class ScreeningMatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A similarity between a reported party and a list entry: a candidate until a Monitoring Team
    expert confirms or dismisses it; never a finding by itself."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("The party's name as reported."))
    normalized_name = serializers.CharField(
        source="name_key", help_text=_("The named-party register's key (/api/v1/parties/ `normalized_name`).")
    )
    entry = ListEntrySerializer()
    score = serializers.FloatField()
    forms = serializers.SerializerMethodField()
    listed_after_report = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    decided_by = serializers.CharField(source="decided_by.get_username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    snapshot = serializers.IntegerField(source="snapshot_id", help_text=_("The list snapshot last screened against."))
    reports = ReporterSerializer(
        source="reporters", many=True, help_text=_("The reports whose current version names the party (/api/v1/reports/{id}/).")
    )

    @extend_schema_field(MatchedFormSerializer(many=True))
    def get_forms(self, match: Any) -> list[dict[str, Any]]:
        forms = match.forms if isinstance(match.forms, list) else []
        return [{"name": str(f.get("name", "")), "score": float(f.get("score", 0))} for f in forms if isinstance(f, dict)]


class ScreeningPageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=_("Matches per status, as the page's tabs."))
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ScreeningMatchSerializer(many=True)


# --- starting a report; a report's attachments (delegation) ---------------------------------


class ReportOpenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """POST /reports/: start the State's report for a cycle (the dashboard's "Start the report")."""

    cycle = serializers.IntegerField(
        min_value=1, max_value=2**62, help_text=_("A cycle open to the token's State (GET /my/cycles/).")
    )
    carry_over = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Start the new draft from the State's last submitted report (its answers, legal references and "
            "narratives, each marked as carried over). Only when this request starts the report."
        ),
    )


class ReportOpenedSerializer(ReportSerializer):
    created = serializers.BooleanField(help_text=_("False when the report had been started before (answered as it is)."))
    carried_over = serializers.IntegerField(help_text=_("Answers copied from the last report."))


class AttachmentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    report = serializers.IntegerField(source="version.report_id")
    version = serializers.IntegerField(source="version.number", help_text=_("The version that holds it."))
    is_draft = serializers.BooleanField(source="version.is_draft")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField(help_text=_("The type read from the content when it was attached."))
    size = serializers.IntegerField(help_text=_("In bytes."))
    sha256 = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    description = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField(help_text=_("The path that streams the file (with the same token)."))

    @extend_schema_field(OpenApiTypes.STR)
    def get_download(self, attachment: Any) -> str:
        return reverse("api:report_attachment", args=[attachment.version.report_id, attachment.pk])
