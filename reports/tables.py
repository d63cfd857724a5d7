"""Back-office tables (django-tables2): sortable, paginated, each one exportable.

Rows are querysets (the review queue) or a selector's dataclasses (status, register), so
the table never runs queries of its own per row.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_tables2.utils import signature as _signature

from reports.figures import number
from reports.html import escaped_join
from reports.models import Commodity, OilInterdiction, QuantityUnit, RegionalGroup, ReportStatus

_GROUPS = dict(RegionalGroup.choices)
_STATUSES = dict(ReportStatus.choices)
_COMMODITIES = dict(Commodity.choices)
_UNITS = dict(QuantityUnit.choices)
_ROLES = {
    role: getattr(OilInterdiction._meta.get_field(role), "verbose_name", role) for role in ("origin", "destination", "transit")
}

CATEGORY_LABELS = {
    "on_time": _("On time"),
    "late": _("Late"),
    "draft": _("Draft only"),
    "nothing": _("Nothing"),
}


@lru_cache(maxsize=64)
def _url_parts(name: str, arity: int, prefix: str) -> tuple[str, ...]:
    marks = [f"__portal_arg{i}__" for i in range(arity)]
    url = reverse(name, args=marks)
    parts = []
    for mark in marks:
        head, url = url.split(mark, 1)
        parts.append(head)
    return (*parts, url)


def row_url(name: str, *args: object) -> str:
    """reverse(name, args=args) for the many rows of a table: the URL is resolved once per
    process (and script prefix), then filled in. The arguments are ids and ISO codes."""
    parts = _url_parts(name, len(args), get_script_prefix())
    out = [parts[0]]
    for arg, part in zip(args, parts[1:], strict=True):
        out.append(quote(str(arg), safe=""))
        out.append(part)
    return "".join(out)


def _state_link(iso3: str, name: str) -> str:
    return format_html(
        '<a href="{}">{}</a> <span class="text-body-secondary small">{}</span>',
        row_url("secretariat:state", iso3),
        name,
        iso3,
    )


@lru_cache(maxsize=512)
def _state_code_link(iso3: str, prefix: str) -> str:
    """A link to the State's page labelled with its code (prefix: the script prefix, for the cache)."""
    return format_html('<a href="{}">{}</a>', row_url("secretariat:state", iso3), iso3)


def status_badge(status: str) -> str:
    if not status:
        return "—"
    return format_html('<span class="badge sec-status sec-status-{}">{}</span>', status, _STATUSES.get(status, status))


class BaseTable(tables.Table):
    # What an empty table says (django-tables2's empty_text); each table names what it lacks.
    empty_message: Any = _("Nothing to show for these filters.")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle sec-table"}
        template_name = "django_tables2/bootstrap5.html"
        per_page = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_text", self.empty_message)
        super().__init__(*args, **kwargs)


_CELL_CONTEXT = Context(autoescape=True)  # what {{ cell }} in django-tables2's template sees


class FastTable(BaseTable):
    """A table whose rows (dataclasses, not model instances) are rendered in Python.

    django-tables2 renders each cell through its template, re-reading the render method's
    signature and re-computing the column's attributes cell by cell: with fifty rows that was
    most of a register page. Here the header, sorting and pagination stay django-tables2's
    (templates/secretariat/partials/table.html extends its Bootstrap 5 template), and the
    <tbody> comes from body_html: the same cells (render_<column> methods, column defaults,
    the value localised and escaped as {{ cell }} would be), signatures read once per table.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not through Meta: django-tables2 reads only the Meta written in a table's own body.
        kwargs.setdefault("template_name", "secretariat/partials/table.html")
        super().__init__(*args, **kwargs)

    def _cell_renderers(self) -> list[tuple[Any, str, Any, Any]]:
        renderers = []
        for bound in self.columns:
            column = bound.column
            args, catch_all = _signature(bound.render)
            accessor = str(bound.accessor)
            simple = "." not in accessor and "__" not in accessor
            renderers.append((bound, accessor if simple else tables.A(accessor), (tuple(args), bool(catch_all)), column))
        return renderers

    def body_html(self) -> str:
        renderers = self._cell_renderers()
        if not renderers:
            return ""
        # One format string per row: the cells' attributes are fixed per column (escaped by
        # django-tables2's as_html), the cells themselves go in as arguments.
        row_format = '<tr class="{}">' + "".join(
            "<td " + bound.attrs["td"].as_html().replace("{", "{{").replace("}", "}}") + ">{}</td>" for bound, *_ in renderers
        )
        row_format += "</tr>"
        booleans: dict[tuple[str, bool], str] = {}  # a yes/no cell depends on the value only
        rows = []
        for row in self.paginated_rows:
            record = row.record
            cells = []
            for bound, accessor, (args, catch_all), column in renderers:
                if bound.link:  # not used by these tables; django-tables2's own path keeps it right
                    cells.append(row.get_cell(bound.name))
                    continue
                try:
                    value = getattr(record, accessor) if isinstance(accessor, str) else accessor.resolve(record)
                except (AttributeError, KeyError, IndexError, TypeError, ValueError):  # as django-tables2: unreadable is empty
                    value = None
                if value in column.empty_values:
                    cells.append(bound.default)
                    continue
                if type(value) is bool and type(column) is tables.BooleanColumn and bound.render == column.render:
                    cached = booleans.get((bound.name, value))
                    if cached is None:
                        cached = booleans[(bound.name, value)] = bound.render(value=value, record=record, bound_column=bound)
                    cells.append(cached)
                    continue
                offered = {
                    "value": value,
                    "record": record,
                    "column": column,
                    "bound_column": bound,
                    "bound_row": row,
                    "table": self,
                }
                if catch_all:
                    cells.append(bound.render(**offered))
                else:
                    cells.append(bound.render(**{name: offered[name] for name in args if name in offered}))
            rows.append(
                format_html(
                    row_format,
                    row.get_even_odd_css_class(),
                    *(render_value_in_context(cell, _CELL_CONTEXT) for cell in cells),
                )
            )
        if not rows and self.empty_text:
            return format_html('<tr><td colspan="{}">{}</td></tr>', len(renderers), self.empty_text)
        return escaped_join(rows, "\n")


class StatusTable(FastTable):
    empty_message = _("No State matches these filters.")
    name = tables.Column(verbose_name=_("State"))
    regional_group = tables.Column(verbose_name=_("Regional group"))
    category = tables.Column(verbose_name=_("Position"))
    status = tables.Column(verbose_name=_("Report status"))
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("First submitted"), format="Y-m-d H:i", attrs={"td": {"class": "text-nowrap"}}
    )
    days_late = tables.Column(verbose_name=_("Days late"), attrs={"td": {"class": "text-end"}})

    def render_name(self, record: Any) -> str:
        return _state_link(record.iso3, record.name)

    def render_regional_group(self, value: str) -> str:
        return str(_GROUPS.get(value, value))

    def render_category(self, record: Any) -> str:
        label = CATEGORY_LABELS.get(record.category, record.category)
        overdue = format_html(' <span class="badge sec-flag-overdue">{}</span>', _("Overdue")) if record.is_overdue else ""
        return format_html('<span class="badge sec-cat sec-cat-{}">{}</span>{}', record.category, label, overdue)

    def render_status(self, record: Any) -> str:
        if record.report_id:
            return format_html(
                '<a href="{}">{}</a>', row_url("secretariat:report", record.report_id), status_badge(record.status)
            )
        return status_badge(record.status) if record.status else "—"


class ReportTable(BaseTable):
    empty_message = _("No report matches these filters.")
    state = tables.Column(verbose_name=_("State"), order_by=("state__sort_key",))
    cycle = tables.Column(verbose_name=_("Reporting cycle"), order_by=("cycle__due",))
    status = tables.Column(verbose_name=_("Status"))
    version = tables.Column(verbose_name=_("Version"), accessor="current_version__number", orderable=False)
    first_submitted_at = tables.DateTimeColumn(
        verbose_name=_("First submitted"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}}
    )
    days_late = tables.Column(verbose_name=_("Days late"), attrs={"td": {"class": "text-end"}})
    assigned_to = tables.Column(verbose_name=_("Assigned to"), order_by=("assigned_to__username",))
    # Open questions to the State (issue 12): annotated by the queue's queryset (open_thread_count_q).
    open_threads = tables.Column(
        verbose_name=_("Open threads"), empty_values=(), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    review = tables.Column(verbose_name=_("Review"), accessor="pk", orderable=False)

    def render_state(self, record: Any) -> str:
        return _state_link(record.state.iso3, record.state.display_name)

    def render_cycle(self, record: Any) -> str:
        return format_html("<bdi>{}</bdi>", record.cycle.code)

    def render_status(self, record: Any) -> str:
        # The code, not the label django-tables2 passes as value (the badge's colour is by code).
        return status_badge(record.status)

    def render_assigned_to(self, value: Any) -> str:
        return value.get_username()

    def render_open_threads(self, record: Any) -> str:
        count = getattr(record, "open_threads", 0) or 0
        if not count:
            return "0"
        return format_html('<span class="badge text-bg-warning" data-testid="open-threads">{}</span>', count)

    def render_review(self, value: int) -> str:
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
            row_url("secretariat:report", value),
            pgettext("verb", "Open"),
        )


class _FindingTable(FastTable):
    """A register table: each finding has its follow-up state, and (for the Secretariat) a small
    form to write a note and close it. Built in Python: a template per cell cost 3 ms a row."""

    follow_up = tables.Column(verbose_name=_("Follow-up"), orderable=False, accessor="key", empty_values=())
    can_follow_up = False

    def _follow_up_parts(self) -> dict[str, str]:
        """What every follow-up cell of this table shares, translated and escaped once
        (format_html passes what is already safe straight through)."""
        parts = getattr(self, "_fu_parts", None)
        if parts is None:
            from django.middleware.csrf import get_token
            from django.utils.translation import gettext

            request = getattr(self, "request", None)
            texts = {
                "open": gettext("Open"),
                "closed": gettext("Closed"),
                "edit": gettext("Reopen or edit"),
                "note_close": gettext("Note / close"),
                "note": gettext("Note"),
                "close": gettext("Close with this note"),
                "save": gettext("Save"),
                "action": reverse("secretariat:followup"),
                "token": get_token(request) if request is not None else "",
                "next": request.get_full_path() if request is not None else "",
            }
            parts = {name: conditional_escape(text) for name, text in texts.items()}
            self._fu_parts = parts
        return parts

    def render_follow_up(self, record: Any) -> str:
        t = self._follow_up_parts()
        fu = record.follow_up
        closed = bool(fu and fu.is_closed)
        html = format_html(
            '<span class="badge {}">{}</span>', "sec-closed" if closed else "sec-open", t["closed"] if closed else t["open"]
        )
        if fu and fu.note:
            note = fu.note[:140] + ("…" if len(fu.note) > 140 else "")
            html += format_html(
                '<div class="small sec-note">{} <span class="text-body-secondary">— {}, {}</span></div>',
                note,
                fu.updated_by.get_username(),
                fu.updated_at.date().isoformat(),
            )
        if self.can_follow_up and t["token"]:
            form = t.get("form")
            if form is None:
                # The form's fixed parts (labels, token, addresses) escaped once per table; a row
                # fills in only its own values, each escaped by format_html.
                fixed = {name: str(t[name]) for name in ("action", "token", "next", "note", "close", "save")}
                form = t["form"] = (
                    '<details class="sec-followup"><summary class="small">{edit}</summary>'
                    '<form method="post" action="{action}" class="mt-1">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                    '<input type="hidden" name="kind" value="{{kind}}"><input type="hidden" name="key" value="{{key}}">'
                    '<input type="hidden" name="cycle" value="{{cycle}}"><input type="hidden" name="state" value="{{state}}">'
                    '<input type="hidden" name="next" value="{next}">'
                    '<label class="visually-hidden" for="{{ident}}">{note}</label>'
                    '<textarea class="form-control form-control-sm" rows="2" maxlength="10000" name="note" id="{{ident}}">'
                    "{{text}}</textarea>"
                    '<div class="form-check small"><input class="form-check-input" type="checkbox" name="close" value="on"'
                    ' id="{{ident}}-c"{{checked}}><label class="form-check-label" for="{{ident}}-c">{close}</label></div>'
                    '<button type="submit" class="btn btn-sm btn-outline-primary mt-1">{save}</button></form></details>'
                ).format(edit="{edit}", **{k: v.replace("{", "{{").replace("}", "}}") for k, v in fixed.items()})
            html += format_html(
                form,
                edit=t["edit"] if closed else t["note_close"],
                kind=record.kind,
                key=record.key,
                cycle=record.cycle_id or "",
                state=getattr(record, "iso3", "") or getattr(record, "other_iso3", ""),
                ident=f"fu-{record.kind}-{abs(hash(record.key)) % 10**10}",
                text=fu.note if fu else "",
                checked="" if closed else " checked",
            )
        return html


class OverdueTable(_FindingTable):
    empty_message = _("No State is overdue for this cycle.")
    name = tables.Column(verbose_name=_("State"))
    regional_group = tables.Column(verbose_name=_("Regional group"))
    has_draft = tables.BooleanColumn(verbose_name=_("Draft started"), yesno=(_("yes"), _("no")))
    days_late = tables.Column(verbose_name=_("Days late"), attrs={"td": {"class": "text-end"}})

    def render_name(self, record: Any) -> str:
        return _state_link(record.iso3, record.name)

    def render_regional_group(self, value: str) -> str:
        return str(_GROUPS.get(value, value))


class IncompleteTable(_FindingTable):
    empty_message = _("No report leaves a required checklist row unanswered.")
    name = tables.Column(verbose_name=_("State"))
    version_number = tables.Column(verbose_name=_("Version"))
    unanswered_count = tables.Column(verbose_name=_("Required rows unanswered"), attrs={"td": {"class": "text-end"}})
    unanswered = tables.Column(verbose_name=_("Measures"), orderable=False)

    def render_name(self, record: Any) -> str:
        return _state_link(record.iso3, record.name)

    def render_version_number(self, record: Any) -> str:
        return format_html('<a href="{}">v{}</a>', row_url("secretariat:report", record.report_id), record.version_number)

    def render_unanswered(self, value: list[str]) -> str:
        return " ".join(value)


class GapTable(_FindingTable):
    empty_message = _("No measure is reported or assessed as not in place.")
    name = tables.Column(verbose_name=_("State"))
    measure_code = tables.Column(verbose_name=_("Measure"))
    answer_label = tables.Column(verbose_name=_("State's answer"), order_by=("answer",))
    rating_label = tables.Column(verbose_name=_("Secretariat's assessment"), order_by=("rating",))

    def render_name(self, record: Any) -> str:
        return _state_link(record.iso3, record.name)

    def render_measure_code(self, record: Any) -> str:
        url = row_url("secretariat:cell", record.report_id, record.measure_id)
        return format_html('<a href="{}">{}</a> <span class="small">{}</span>', url, record.measure_code, record.measure_title)


class NamedPartyTable(_FindingTable):
    empty_message = _("No party is named in the reports received.")
    name = tables.Column(verbose_name=_("Party named"))
    reports = tables.Column(verbose_name=_("Reports"), attrs={"td": {"class": "text-end"}})
    states = tables.Column(verbose_name=_("Reporting States"), orderable=False)
    list_refs = tables.Column(verbose_name=_("Sanctions List"), orderable=False)
    entry_reference = tables.Column(verbose_name=_("Confirmed list entry"), orderable=False)
    commodities = tables.Column(verbose_name=_("Commodities"), orderable=False)
    quantity_text = tables.Column(verbose_name=_("Total quantity"), orderable=False)
    value_text = tables.Column(verbose_name=_("Total value"), orderable=False)
    cultural_items = tables.Column(verbose_name=_("Cultural items"), attrs={"td": {"class": "text-end"}})

    def render_quantity_text(self, record: Any) -> str:
        return "; ".join(f"{number(q)} {_UNITS.get(unit, unit)}" for unit, q in sorted(record.quantity.items()))

    def render_value_text(self, record: Any) -> str:
        return "; ".join(f"{number(v)} {currency}" for currency, v in sorted(record.value.items()))

    def render_states(self, value: list[str]) -> str:
        # A party can be named by 193 States: each State's link is made once per process.
        prefix = get_script_prefix()
        return format_html_join(" ", "{}", ((_state_code_link(iso, prefix),) for iso in value))

    def render_list_refs(self, value: list[str]) -> str:
        return " ".join(value) or "—"

    def render_entry_reference(self, value: str, record: Any) -> str:
        """The entry a Monitoring Team expert confirmed (screening), and its list status."""
        status = (
            _("delisted %(day)s") % {"day": date_format(record.delisted_on, "SHORT_DATE_FORMAT")}
            if record.delisted_on
            else _("listed %(day)s") % {"day": date_format(record.listed_on, "SHORT_DATE_FORMAT")}
            if record.listed_on
            else _("listed")
        )
        return format_html(
            '<span dir="ltr">{}</span> <bdi>{}</bdi> <span class="small text-body-secondary">({})</span>',
            value,
            record.entry_name,
            status,
        )

    def render_commodities(self, value: list[str]) -> str:
        return ", ".join(str(_COMMODITIES.get(c, c)) for c in value) or "—"


class ListedPartyTable(_FindingTable):
    name = tables.Column(verbose_name=_("Party named"))
    entry_reference = tables.Column(verbose_name=_("Sanctions List entry"))
    listed_on = tables.Column(verbose_name=_("Listed on"))
    first_reported = tables.Column(verbose_name=_("First reported"))
    states = tables.Column(verbose_name=_("Reporting States"), orderable=False)
    status = tables.Column(verbose_name=_("Screening"), orderable=False)

    def render_entry_reference(self, value: str, record: Any) -> str:
        return format_html(
            '<a href="{}" dir="ltr">{}</a> <bdi>{}</bdi>',
            reverse("secretariat:sanctions_entry", args=[value]),
            value,
            record.entry_name,
        )

    def render_states(self, value: list[str]) -> str:
        prefix = get_script_prefix()
        return format_html_join(" ", "{}", ((_state_code_link(iso, prefix),) for iso in value))

    def render_status(self, value: str, record: Any) -> str:
        if value == "confirmed":
            return str(_("Confirmed by the Monitoring Team"))
        return format_html("{} ({})", _("Candidate, to review"), f"{record.score:.1f}")


class ListRefTable(FastTable):
    empty_message = _("No Sanctions List reference is cited in the reports received.")
    list_ref = tables.Column(verbose_name=_("Sanctions List reference"))
    reports = tables.Column(verbose_name=_("Reports"), attrs={"td": {"class": "text-end"}})
    names = tables.Column(verbose_name=_("Names used"), orderable=False)
    states = tables.Column(verbose_name=_("Reporting States"), orderable=False)

    def render_names(self, value: list[str]) -> str:
        return " · ".join(value)

    def render_states(self, value: list[str]) -> str:
        return " ".join(value)


class InconsistencyTable(_FindingTable):
    empty_message = _("No inconsistency between reports.")
    reporter_name = tables.Column(verbose_name=_("Reporting State"))
    other_name = tables.Column(verbose_name=_("State named"))
    interdictions = tables.Column(verbose_name=_("Interdictions"), attrs={"td": {"class": "text-end"}})
    roles = tables.Column(verbose_name=_("Named as"), orderable=False)
    silence = tables.Column(verbose_name=_("Other State's report"))

    def render_reporter_name(self, record: Any) -> str:
        return format_html(
            '{} <a class="small" href="{}">{}</a>',
            _state_link(record.reporter_iso3, record.reporter_name),
            row_url("secretariat:report", record.reporter_report_id),
            _("report"),
        )

    def render_other_name(self, record: Any) -> str:
        return _state_link(record.other_iso3, record.other_name)

    def render_roles(self, value: list[str]) -> str:
        # "country of destination": the register's own field names, in the reader's language.
        return ", ".join(str(_ROLES.get(role, role)) for role in value)

    def render_silence(self, record: Any) -> str:
        if record.other_report_id:
            return format_html('<a href="{}">{}</a>', row_url("secretariat:report", record.other_report_id), record.silence_label)
        return record.silence_label


def _assessment_state_short() -> dict[str, Any]:
    from django.utils.translation import pgettext_lazy

    return {
        "draft": pgettext_lazy("assessment state", "draft"),
        "shared": pgettext_lazy("assessment state", "shared"),
        "agreed": pgettext_lazy("assessment state", "agreed"),
        "disputed": pgettext_lazy("assessment state", "disputed"),
        "final": pgettext_lazy("assessment state", "final"),
    }


ASSESSMENT_STATE_SHORT = _assessment_state_short()


def matrix_body(matrix: Any) -> str:
    """The matrix's <tbody> rows, built in Python: ~3,000 cells through the template engine (or
    through lazy translations, one per cell) cost ten times more than the query behind them.
    Labels are translated and escaped once per page; every row and cell is put together by
    format_html / format_html_join, which escape whatever is not already safe."""
    from django.utils.translation import gettext

    from reports.models import Answer, Rating
    from reports.selectors.matrix import Flag

    answers = {value: conditional_escape(str(label)) for value, label in Answer.choices}
    answers[""] = conditional_escape(gettext("No answer"))
    ratings = {value: conditional_escape(str(label)) for value, label in Rating.choices}
    ratings[""] = conditional_escape(gettext("Not assessed"))
    flags = {
        code: (conditional_escape(str(Flag.LABELS[code])), conditional_escape(str(Flag.SHORT[code]))) for code in Flag.LABELS
    }
    # Where the assessment stands with the State, after the rating ("Implemented · agreed").
    states = {value: conditional_escape(str(label)) for value, label in ASSESSMENT_STATE_SHORT.items()}
    states[""] = conditional_escape("")
    no_report, draft_only = gettext("No report received"), gettext("Draft only: no report received")
    # Everything repeated across cells is escaped once here (format_html passes safe strings through).
    flag_codes = {code: conditional_escape(code) for code in Flag.LABELS}
    answer_classes = {value: conditional_escape(value or "none") for value in answers}
    rated, unrated = conditional_escape(""), conditional_escape(" text-body-secondary")
    heads: dict[tuple[str, int], str] = {}
    ends: dict[int, str] = {}
    layers: dict[tuple[str, str, str, str], str] = {}

    def _cell_head(c: Any) -> str:
        return format_html(
            '<td class="sec-cell sec-cell-{}" data-measure="{}"><a class="sec-cell-link" href="',
            flag_codes[c.flag],
            int(c.measure_id),
        )

    def _layers(c: Any) -> str:
        answer = c.answer if c.answer in answers else ""
        rating = c.rating if c.rating in ratings else ""
        state = c.assessment_state if rating and c.assessment_state in states else ""
        return format_html(
            '<span class="sec-layer sec-answer sec-answer-{}">{}</span><span class="sec-layer sec-rating{}">{}{}</span>'
            '<span class="sec-layer"><span class="sec-flag sec-flag-{}" title="{}">{}</span></span></a></td>',
            answer_classes[answer],
            answers[answer],
            rated if rating else unrated,
            ratings[rating],
            format_html(' <span class="sec-astate sec-astate-{}" data-astate="{}">· {}</span>', state, state, states[state])
            if state
            else "",
            flag_codes[c.flag],
            *flags[c.flag],
        )

    width = len(matrix.measures)
    rows = []
    for row in matrix.rows:
        state = format_html('<a href="{}">{}</a>', row_url("secretariat:state", row.iso3), row.name)
        if not row.version_number:
            cells = format_html(
                '<td class="sec-cell sec-cell-no_report" colspan="{}"><span class="sec-flag sec-flag-no_report">{}</span></td>',
                width,
                draft_only if row.status else no_report,
            )
        else:
            state = format_html(
                '{} <a class="small" href="{}">v{}</a>',
                state,
                row_url("secretariat:report", row.report_id),
                int(row.version_number),
            )
            base = conditional_escape(row_url("secretariat:cell", row.report_id, 0)[: -len("0/")])
            # A cell is four escaped pieces: its opening (flag, measure), the report's address,
            # the measure's part of it, and its three layers (answer, rating, flag), each piece
            # built by format_html once per page and reused; escaped_join keeps what is safe as it is.
            cells = escaped_join(
                piece
                for c in row.cells
                for piece in (
                    heads.get((c.flag, c.measure_id)) or heads.setdefault((c.flag, c.measure_id), _cell_head(c)),
                    base,
                    ends.get(c.measure_id) or ends.setdefault(c.measure_id, format_html('{}/">', int(c.measure_id))),
                    layers.get((c.flag, c.answer, c.rating, c.assessment_state))
                    or layers.setdefault((c.flag, c.answer, c.rating, c.assessment_state), _layers(c)),
                )
            )
        rows.append(
            format_html('<tr data-state="{}"><th scope="row" class="sec-matrix-state">{}</th>{}</tr>', row.iso3, state, cells)
        )
    return escaped_join(rows, "\n")
