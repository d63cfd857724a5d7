"""The API's endpoints: thin, like the pages' views. Every State-scoped lookup goes through the
access gate (reports.selectors.access); every figure comes from the selector its page uses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from reports.clock import portal_today
from reports.filters import MatrixFilterForm, PartyFilterForm, ScreeningFilterForm, StatusFilterForm
from reports.models import (
    TRANSIT_PREFETCH,
    Answer,
    ApiToken,
    MatchStatus,
    Obligation,
    OilInterdiction,
    Report,
    ReportingCycle,
    ReportStatus,
)
from reports.selectors import noncompliance as nc
from reports.selectors.access import get_attachment_for_user, get_report_for_user, report_attachments, versions_visible_to
from reports.selectors.dashboard import cycle_status_summary, filter_states
from reports.selectors.delegation import delegation_cycles, get_delegation_report
from reports.selectors.matrix import Flag, implementation_matrix
from reports.selectors.screening import screening_counts, screening_matches, screening_reporters_attach
from reports.services.attachments import EXTENSIONS as ATTACHMENT_TYPES
from reports.services.audit import audit_log
from reports.services.carry_over import NothingToCarryOver
from reports.services.drafts import REGISTER_MODELS, draft_pending, register_pending_rows
from reports.services.reports import CycleNotOpen, report_draft, report_open
from reports.services.validation import sections_for
from reports.tables import ASSESSMENT_STATE_SHORT
from reports.views.files import attachment_response

from . import serializers as s
from .drafts import checklist_write, register_write
from .pagination import IdCursorPagination, ListCursor, RowCursorPagination, ScreeningCursor
from .permissions import BackOfficeOnly, DelegationOnly, DelegationOrBackOffice, TokenRequired
from .problems import CONTENT_TYPE

PROBLEMS = dict.fromkeys((400, 401, 403, 404, 429), s.ProblemSerializer)
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class PortalAPIView(APIView):
    """Every request made with a token is one audit event (who, which token, what, the answer).
    The per-token rate limit (API_TOKEN_RATE) bounds how many it can write. No OPTIONS metadata:
    the schema describes every endpoint."""

    metadata_class = None

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        if isinstance(token, ApiToken):
            audit_log(
                action="api_request",
                actor=token.user,
                obj=token,
                request=request._request,
                method=request.method,
                path=request.path[:300],
                status=response.status_code,
            )
        return response


def _int_or_404(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exceptions.NotFound() from None
    if not 0 < number < 2**62:
        raise exceptions.NotFound()
    return number


def _cycle(pk: Any) -> ReportingCycle:
    try:
        return ReportingCycle.objects.select_related("obligation__resolution", "state").get(pk=_int_or_404(pk))
    except ReportingCycle.DoesNotExist:
        raise exceptions.NotFound() from None


def _filters(form: Any) -> dict[str, Any]:
    """A filter form of the pages, bound to the query; its errors are the problem's field errors."""
    if not form.is_valid():
        raise exceptions.ValidationError(
            {name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()}
        )
    return {name: form.cleaned_data.get(name) or "" for name in form.fields}


# --- reference and the delegation's own -----------------------------------------------------


class ObligationList(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]

    @extend_schema(summary="Reporting obligations", responses={200: s.ObligationSerializer(many=True), **PROBLEMS})
    def get(self, request: Request) -> Response:
        obligations = Obligation.objects.select_related("resolution").order_by("resolution__number", "code")
        return Response(s.ObligationSerializer(obligations, many=True).data)


class OwnCycleList(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOnly]

    @extend_schema(
        summary="The cycles the token's State owes",
        description="Every cycle that has opened for the State, with its report; the ones still to report first.",
        responses={200: s.DelegationCycleSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        rows = delegation_cycles(state=request.user.state, today=portal_today())
        return Response(s.DelegationCycleSerializer(rows, many=True).data)


class CycleList(PortalAPIView):
    permission_classes = [TokenRequired, BackOfficeOnly]

    @extend_schema(summary="All reporting cycles (back office)", responses={200: s.CycleSerializer(many=True), **PROBLEMS})
    def get(self, request: Request) -> Response:
        cycles = ReportingCycle.objects.select_related("obligation", "state").order_by("-due", "code")
        return Response(s.CycleSerializer(cycles, many=True).data)


# --- reports and versions -------------------------------------------------------------------


class ReportList(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]

    @extend_schema(
        operation_id="reports_list",
        summary="Reports the token may read",
        description="A delegation: its own State's reports, drafts included. The back office: every report submitted at least once.",
        parameters=[
            OpenApiParameter("cycle", OpenApiTypes.INT, description="Only this cycle's reports."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.page_of(s.ReportSerializer, "ReportPage"), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        from reports.selectors.access import reports_visible_to

        reports: QuerySet[Report] = reports_visible_to(request.user).select_related("state", "cycle", "current_version")
        if "cycle" in request.query_params:
            reports = reports.filter(cycle_id=_int_or_404(request.query_params["cycle"]))
        status = request.query_params.get("status")
        if status:
            if status not in ReportStatus.values:
                raise exceptions.ValidationError({"status": [_("Unknown status.")]})
            reports = reports.filter(status=status)
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(reports, request, view=self)
        return paginator.get_paginated_response(s.ReportSerializer(page, many=True).data)

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [TokenRequired(), DelegationOnly()]  # starting a report is the delegation's
        return super().get_permissions()

    @extend_schema(
        operation_id="reports_create",
        summary="Start the State's report for a cycle",
        description=(
            "As the dashboard's \"Start the report\": only in a cycle open to the token's State (GET /my/cycles/), "
            "with its open draft. **201** with the new report; if the State's report for that cycle was started "
            "before, **200** with it as it is (nothing else changes: the page, too, continues the report started). "
            "`carry_over: true` starts the new draft from the last submitted report, as the checklist's \"Start "
            'from the last report"; with no report to start from, 400 and nothing is started. A delegation '
            "token with the read_write_draft scope."
        ),
        request=s.ReportOpenSerializer,
        responses={201: s.ReportOpenedSerializer, 200: s.ReportOpenedSerializer, **PROBLEMS},
    )
    def post(self, request: Request) -> Response:
        data = s.ReportOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            opened = report_open(
                state=request.user.state,
                cycle_id=data.validated_data["cycle"],
                actor=request.user,
                carry_over=data.validated_data["carry_over"],
            )
        except CycleNotOpen as refused:
            raise exceptions.ValidationError({"cycle": [str(refused)]}) from None
        except NothingToCarryOver as refused:
            raise exceptions.ValidationError({"carry_over": [str(refused)]}) from None
        body = {**s.ReportSerializer(opened.report).data, "created": opened.created, "carried_over": opened.carried_over}
        location = reverse("api:report", args=[opened.report.pk])
        return Response(body, status=201 if opened.created else 200, headers={"Location": location})


class ReportDetail(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]

    @extend_schema(summary="A report", parameters=[ID], responses={200: s.ReportSerializer, **PROBLEMS})
    def get(self, request: Request, pk: str) -> Response:
        return Response(s.ReportSerializer(get_report_for_user(request.user, _int_or_404(pk))).data)


class VersionList(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]

    @extend_schema(summary="A report's versions", parameters=[ID], responses={200: s.VersionSerializer(many=True), **PROBLEMS})
    def get(self, request: Request, pk: str) -> Response:
        report = get_report_for_user(request.user, _int_or_404(pk))
        versions = versions_visible_to(request.user).filter(report=report).defer("content").order_by("number")
        return Response(s.VersionSerializer(versions, many=True).data)


class VersionDetail(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]

    @extend_schema(
        summary="A submitted version: its frozen content and SHA-256",
        parameters=[ID, OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: s.VersionDetailSerializer, **PROBLEMS},
    )
    def get(self, request: Request, pk: str, number: str) -> Response:
        report = get_report_for_user(request.user, _int_or_404(pk))
        version = versions_visible_to(request.user).filter(report=report, number=_int_or_404(number), is_draft=False).first()
        if version is None:
            raise exceptions.NotFound()
        return Response(s.VersionDetailSerializer(version).data)


# --- the open draft -------------------------------------------------------------------------


def _draft(request: Request, pk: str, section: str | None = None) -> Any:
    report = get_delegation_report(request.user, _int_or_404(pk))
    draft = report_draft(report)
    if draft is None:
        raise exceptions.NotFound(_("This report has no open draft."))
    draft.report = report
    if section is not None and section not in sections_for(report.cycle):
        raise exceptions.NotFound(_("This cycle's report has no such section."))
    return draft


def _envelope(request: Request, key: str) -> tuple[int, list[dict[str, Any]]]:
    """{"revision": n, key: [objects]} or a 400 naming what is wrong."""
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    if _has_nul(data):
        # PostgreSQL stores no NUL character, not even in the input kept as typed: refused whole,
        # as the pages refuse it (reports.middleware.RejectNulCharactersMiddleware).
        raise exceptions.ValidationError(
            {"non_field_errors": [_("The request contained a NUL character and was refused. Nothing was saved.")]}
        )
    errors: dict[str, list[str]] = {}
    revision = data.get("revision")
    if isinstance(revision, bool) or not isinstance(revision, int) or not 0 <= revision < 2**31:
        errors["revision"] = [_("Send the draft's revision as you last read it (a whole number).")]
    items = data.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        errors[key] = [_("Send a list of objects.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return revision, items  # type: ignore[return-value]


def _has_nul(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 20:
        return True  # nothing the API takes nests this deep
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


class DraftDetail(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOnly]

    @extend_schema(summary="The report's open draft", parameters=[ID], responses={200: s.DraftSerializer, **PROBLEMS})
    def get(self, request: Request, pk: str) -> Response:
        draft = _draft(request, pk)
        kept = dict(draft.pending_inputs.values_list("section", "error_count"))
        body = {
            "id": draft.pk,
            "report_id": draft.report_id,
            "number": draft.number,
            "revision": draft.revision,
            "sections": [x for x in sections_for(draft.report.cycle) if x != "attachments"],
            "kept_with_errors": kept,
        }
        return Response(s.DraftSerializer(body).data)


class DraftChecklist(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOnly]

    @extend_schema(
        summary="The draft's checklist answers", parameters=[ID], responses={200: s.ChecklistOutSerializer, **PROBLEMS}
    )
    def get(self, request: Request, pk: str) -> Response:
        from reports.selectors.matrix import cycle_measures

        draft = _draft(request, pk, "checklist")
        answers = {a.measure_id: a for a in draft.answers.all()}
        pending = draft_pending(version=draft, section="checklist")
        kept: dict[int, dict[str, str]] = {}
        for key, values in (pending.data if pending else {}).items():
            head, _sep, name = key.partition("-")
            if head.startswith("m") and head[1:].isdigit() and values:
                kept.setdefault(int(head[1:]), {})[name] = str(values[-1])
        labels = dict(Answer.choices)
        rows = []
        for measure in cycle_measures(draft.report.cycle):
            answer = answers.get(measure.pk)
            given = answer.answer if answer else ""
            rows.append(
                {
                    "measure": measure.code,
                    "measure_id": measure.pk,
                    "title": measure.display_title,
                    "required": measure.required,
                    "answer": given,
                    "answer_label": str(labels.get(given, "")),
                    "legal_reference": answer.legal_reference if answer else "",
                    "narrative": answer.narrative if answer else "",
                    "evidence_location": answer.evidence_location if answer else "",
                    "kept_as_typed": kept.get(measure.pk),
                }
            )
        return Response(s.ChecklistOutSerializer({"revision": draft.revision, "answers": rows}).data)

    @extend_schema(
        summary="Write checklist answers",
        description=(
            "Validated by the editor's own form. Valid answers are stored; an answer with errors is kept as "
            "typed (as in the editor) and listed in `errors`, and the stored answer stays. A stale `revision` "
            "(this section saved by someone else since) gets 409 with `current_revision`."
        ),
        parameters=[ID],
        request=s.ChecklistInSerializer,
        responses={200: s.ChecklistSavedSerializer, 409: s.ProblemSerializer, **PROBLEMS},
    )
    def put(self, request: Request, pk: str) -> Response:
        draft = _draft(request, pk, "checklist")
        revision, answers = _envelope(request, "answers")
        return Response(checklist_write(version=draft, actor=request.user, revision=revision, answers=answers))


def _row_out(row: Any, fields: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {"id": row.pk}
    for name in fields:
        if name in ("origin", "destination"):
            related = getattr(row, name)
            values[name] = related.iso3 if related else ""
        elif name == "transit":
            values[name] = [state.iso3 for state in row.transit_route]
        else:
            values[name] = getattr(row, name)
    return values


def register_view(section: str) -> type[PortalAPIView]:
    fields = s.register_fields(section)
    page_serializer = s.register_out_page(section)
    label = section

    class RegisterView(PortalAPIView):
        permission_classes = [TokenRequired, DelegationOnly]

        @extend_schema(
            summary=f"The draft's {label} register",
            parameters=[ID, OpenApiParameter("cursor", OpenApiTypes.STR), OpenApiParameter("page_size", OpenApiTypes.INT)],
            responses={200: page_serializer, **PROBLEMS},
        )
        def get(self, request: Request, pk: str) -> Response:
            draft = _draft(request, pk, section)
            rows = REGISTER_MODELS[section].objects.filter(version=draft)
            if REGISTER_MODELS[section] is OilInterdiction:
                rows = rows.select_related("origin", "destination").prefetch_related(TRANSIT_PREFETCH)
            paginator = RowCursorPagination()
            page = paginator.paginate_queryset(rows, request, view=self)
            kept = register_pending_rows(draft_pending(version=draft, section=section)) or []
            body = {
                "revision": draft.revision,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [_row_out(row, fields) for row in page or []],
                "kept_with_errors": [
                    {"key": e.get("key", ""), "row_id": e.get("row_id"), "values": e.get("values", {})} for e in kept
                ],
            }
            return Response(page_serializer(body).data)

        @extend_schema(
            summary=f"Add, change or remove {label} rows",
            description=(
                "At most 150 rows a request, each complete (as the editor posts a row). A row with `id` replaces "
                "that stored row, `delete: true` removes it, a row without `id` is added. Validated by the "
                "editor's own form: valid rows are stored, a row with errors is kept as typed (listed in "
                "`errors`, and under `draft_key`). A stale `revision` (this register saved by someone else "
                "since) gets 409 with `current_revision`."
            ),
            parameters=[ID],
            request=s.register_in_envelope(section),
            responses={200: s.RegisterSavedSerializer, 409: s.ProblemSerializer, **PROBLEMS},
        )
        def post(self, request: Request, pk: str) -> Response:
            draft = _draft(request, pk, section)
            revision, rows = _envelope(request, "rows")
            return Response(register_write(version=draft, section=section, actor=request.user, revision=revision, rows=rows))

    RegisterView.__name__ = f"{section.capitalize()}RegisterView"
    RegisterView.__qualname__ = RegisterView.__name__
    return RegisterView


REGISTER_VIEWS = {section: register_view(section) for section in s.REGISTER_SECTIONS}


# --- the back office ------------------------------------------------------------------------


class CycleStatus(PortalAPIView):
    permission_classes = [TokenRequired, BackOfficeOnly]

    @extend_schema(
        summary="Reporting status of every expected State for a cycle",
        description="The dashboard's figures (cycle_status_summary), filtered as the status page filters.",
        parameters=[
            ID,
            OpenApiParameter("category", OpenApiTypes.STR, enum=["on_time", "late", "draft", "nothing", "overdue", "received"]),
            OpenApiParameter("group", OpenApiTypes.STR),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.StatusPageSerializer, **PROBLEMS},
    )
    def get(self, request: Request, pk: str) -> Response:
        cycle = _cycle(pk)
        values = _filters(StatusFilterForm(request.query_params))
        summary = cycle_status_summary(cycle=cycle, today=portal_today())
        rows = filter_states(summary, category=values["category"], group=values["group"])
        page, nxt, prev = ListCursor(200).paginate(rows, request)
        body = {
            "cycle": s.CycleSerializer(cycle).data,
            "totals": _counts(summary),
            "groups": [{"code": g.code, "label": str(g.label), **_counts(g)} for g in summary.groups],
            "next": nxt,
            "previous": prev,
            # Plain dicts, not a serializer per row (StatusPageSerializer describes them): 193 rows
            # through DRF fields cost more than computing them (bench/api.py).
            "results": [
                {
                    "iso3": row.iso3,
                    "name": row.name,
                    "regional_group": row.regional_group,
                    "category": row.category,
                    "report": row.report_id,
                    "status": row.status,
                    "submitted_at": row.submitted_at.isoformat().replace("+00:00", "Z") if row.submitted_at else None,
                    "days_late": row.days_late,
                    "is_overdue": row.is_overdue,
                }
                for row in page
            ],
        }
        return Response(body)


class CycleMatrix(PortalAPIView):
    permission_classes = [TokenRequired, BackOfficeOnly]

    @extend_schema(
        summary="The implementation matrix of a cycle",
        description="States x measures, the three layers apart (answer, assessment, flag), as the matrix page.",
        parameters=[
            ID,
            OpenApiParameter("group", OpenApiTypes.STR),
            OpenApiParameter("area", OpenApiTypes.STR),
            OpenApiParameter("flag", OpenApiTypes.STR),
            OpenApiParameter("answer", OpenApiTypes.STR),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.MatrixPageSerializer, **PROBLEMS},
    )
    def get(self, request: Request, pk: str) -> Response:
        cycle = _cycle(pk)
        values = _filters(MatrixFilterForm(request.query_params))
        matrix = implementation_matrix(user=request.user, cycle=cycle, **values)
        page, nxt, prev = ListCursor(200).paginate(matrix.rows, request)
        # Plain dicts (MatrixPageSerializer describes them): thousands of cells through DRF fields
        # cost several times the matrix itself (bench/api.py). Labels are put into words once.
        flags = {key: str(label) for key, label in Flag.LABELS.items()}
        answers = {"": "", **{key: str(label) for key, label in Answer.choices}}
        states = {key: str(label) for key, label in ASSESSMENT_STATE_SHORT.items()}
        body = {
            "cycle": s.CycleSerializer(cycle).data,
            "measures": [
                {"id": m.pk, "code": m.code, "area": m.area, "required": m.required, "title": m.display_title}
                for m in matrix.measures
            ],
            "flag_counts": matrix.flag_counts(),
            "next": nxt,
            "previous": prev,
            "results": [
                {
                    "iso3": row.iso3,
                    "name": row.name,
                    "regional_group": row.regional_group,
                    "report": row.report_id,
                    "version": row.version_number,
                    "status": row.status,
                    "cells": [
                        {
                            "measure": c.measure_id,
                            "answer": c.answer,
                            "answer_label": answers.get(c.answer, c.answer),
                            "has_legal_reference": c.has_legal_reference,
                            "rating": c.rating,
                            "assessment_state": c.assessment_state if c.rating else "",
                            "assessment_state_label": states.get(c.assessment_state, "") if c.rating else "",
                            "flag": c.flag,
                            "flag_label": flags[c.flag],
                        }
                        for c in row.cells
                    ],
                }
                for row in page
            ],
        }
        return Response(body)


def _counts(counts: Any) -> dict[str, Any]:
    fields = ("expected", "received", "on_time", "late", "drafts_only", "nothing", "overdue", "reporting_rate", "on_time_rate")
    return {name: getattr(counts, name) for name in fields}


class NamedParties(PortalAPIView):
    permission_classes = [TokenRequired, BackOfficeOnly]

    @extend_schema(
        summary="Parties named in interdiction and seizure registers",
        description="Reported, not established: allegations until the Committee acts.",
        parameters=[
            OpenApiParameter("cycle", OpenApiTypes.INT),
            OpenApiParameter("search", OpenApiTypes.STR),
            OpenApiParameter("list_ref", OpenApiTypes.STR),
            OpenApiParameter("state", OpenApiTypes.STR),
            OpenApiParameter("closed", OpenApiTypes.STR),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.page_of(s.NamedPartySerializer, "NamedPartyPage"), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        form = PartyFilterForm(request.query_params)
        if not form.is_valid():
            _filters(form)
        values = form.cleaned_data
        rows = nc.named_parties(
            user=request.user,
            cycle=values.get("cycle"),
            search=values.get("search") or "",
            list_ref=values.get("list_ref") or "",
            state=values.get("state") or "",
            details=False,
        )
        rows = nc.filter_open(rows, values.get("closed") or "")
        page, nxt, prev = ListCursor(100).paginate(rows, request)
        nc.party_details_fill(page)
        return Response({"next": nxt, "previous": prev, "results": s.NamedPartySerializer(page, many=True).data})


class Inconsistencies(PortalAPIView):
    permission_classes = [TokenRequired, BackOfficeOnly]

    @extend_schema(
        summary="Inconsistencies across a cycle's reports",
        description="State A reports a cargo with State B as origin, destination or transit; B's report is silent.",
        parameters=[ID, OpenApiParameter("cursor", OpenApiTypes.STR), OpenApiParameter("page_size", OpenApiTypes.INT)],
        responses={200: s.page_of(s.InconsistencySerializer, "InconsistencyPage"), **PROBLEMS},
    )
    def get(self, request: Request, pk: str) -> Response:
        cycle = _cycle(pk)
        rows = nc.inconsistencies(user=request.user, cycle=cycle)
        page, nxt, prev = ListCursor(200).paginate(rows, request)
        return Response({"next": nxt, "previous": prev, "results": s.InconsistencySerializer(page, many=True).data})


# --- Sanctions List screening (back office) -------------------------------------------------


class ScreeningMatches(PortalAPIView):
    permission_classes = [TokenRequired, BackOfficeOnly]

    @extend_schema(
        summary="Named parties screened against the Sanctions List",
        description=(
            "The screening page's matches (a reported name and a list entry, with the score and the name forms "
            "that matched), every status unless `status` is given; `counts` are the page's tabs. A candidate is a "
            "similarity, not a finding: only a Monitoring Team expert's confirmation makes it one."
        ),
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=["", *MatchStatus.values]),
            OpenApiParameter("entry", OpenApiTypes.STR, description="A list reference, e.g. QDi.901"),
            OpenApiParameter("listed_after_report", OpenApiTypes.BOOL),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.ScreeningPageSerializer, **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        form = ScreeningFilterForm(request.query_params)
        _filters(form)
        values = form.cleaned_data
        matches = screening_matches(
            status=values.get("status") or "",
            entry=values.get("entry") or "",
            listed_after_report=values.get("listed_after_report"),
        )
        paginator = ScreeningCursor()
        page = screening_reporters_attach(
            user=request.user, matches=paginator.paginate_queryset(matches, request, view=self) or []
        )
        body = {
            "counts": screening_counts(),
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": s.ScreeningMatchSerializer(page, many=True).data,
        }
        return Response(body)


# --- a report's attachments (the pages' gate and headers) -----------------------------------


class AnyMediaRenderer(JSONRenderer):
    """A file endpoint answers its file whatever the client accepts (`Accept: application/pdf`
    included); its errors are still problem+json (the exception handler says so)."""

    media_type = "*/*"


class AttachmentList(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]

    @extend_schema(
        operation_id="reports_attachments_list",
        summary="A report's attachments",
        description=(
            "The attachments of the report's versions the token's user may read, through the pages' gate "
            "(attachments_visible_to): a delegation, its own State's, drafts included; the back office, the "
            "versions submitted. `download` streams each file."
        ),
        parameters=[
            ID,
            OpenApiParameter("version", OpenApiTypes.INT, description="Only this version's attachments."),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.page_of(s.AttachmentSerializer, "AttachmentPage"), **PROBLEMS},
    )
    def get(self, request: Request, pk: str) -> Response:
        report = get_report_for_user(request.user, _int_or_404(pk))
        attachments = report_attachments(request.user, report)
        number = request.query_params.get("version")
        if number is not None:
            if not number.isdigit() or not 0 < int(number) < 2**31:
                raise exceptions.ValidationError({"version": [_("Send a version number (1, 2 ...).")]})
            attachments = attachments.filter(version__number=int(number))
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(attachments, request, view=self)
        return paginator.get_paginated_response(s.AttachmentSerializer(page, many=True).data)


class AttachmentFile(PortalAPIView):
    permission_classes = [TokenRequired, DelegationOrBackOffice]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, AnyMediaRenderer]

    @extend_schema(
        operation_id="reports_attachments_file",
        summary="An attachment's file",
        description=(
            "Streams the file through the same gate and with the same headers as the page's download: "
            "`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, `Cache-Control: no-store`. "
            "Never a public or signed address. An attachment of another report, or one the token may not read, is 404."
        ),
        parameters=[ID, OpenApiParameter("aid", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={
            **{(200, media): OpenApiTypes.BINARY for media in sorted(ATTACHMENT_TYPES)},
            **{(code, CONTENT_TYPE): s.ProblemSerializer for code in PROBLEMS},
        },
    )
    def get(self, request: Request, pk: str, aid: str) -> HttpResponseBase:
        report = get_report_for_user(request.user, _int_or_404(pk))
        attachment = get_attachment_for_user(request.user, _int_or_404(aid))
        if attachment.version.report_id != report.pk:
            raise exceptions.NotFound()
        return attachment_response(request._request, attachment, reader=request.user)
