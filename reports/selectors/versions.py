"""A report version as pages show it: every section as the State filed it, and what changed.

One structure (`ReportDisplay`) serves the Secretariat's review page, the delegation's version,
review and history pages and the Committee's reading view; the templates under
`templates/versions/` print it. The frozen content (reports.services.snapshot) is plain JSON: a
value this module does not expect (a list, a nested object, a field added later, a level per
section) still prints, as text (`render_value`), and still compares.

Which section may reach which reader is asked of the gate (`reports.selectors.access`), never
decided here.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reports.figures import number
from reports.models import (
    Answer,
    AttachmentKind,
    ChecklistAnswer,
    Confidentiality,
    CulturalSeizure,
    FrozenAsset,
    Measure,
    MeasureArea,
    MemberState,
    OilInterdiction,
    RansomCase,
    Report,
    ReportVersion,
    Section,
    SuspiciousTransactionCount,
    User,
)
from reports.models.i18n import pick
from reports.services.snapshot import REGISTERS

from .access import Audience, attachments_visible_to, audience_of, section_visible, versions_visible_to

MODELS: dict[str, type[models.Model]] = {
    "oil": OilInterdiction,
    "assets": FrozenAsset,
    "cultural": CulturalSeizure,
    "ransom": RansomCase,
    "str": SuspiciousTransactionCount,
}
SECTION_KEYS = (Section.CHECKLIST.value, *REGISTERS, Section.ATTACHMENTS.value)
CHECKLIST_FIELDS = ["answer", "legal_reference", "narrative", "evidence_location"]
ATTACHMENT_COLUMNS = [("name", _("File")), ("kind", _("Kind")), ("content_type", _("Type")), ("size", _("Bytes")), ("sha256", "SHA-256")]  # fmt: skip
ROW_LIMIT = 50  # register rows shown before "show all": a register can hold thousands
FOLD_AT = 300  # characters of a text shown before "show more"
DATE, NUMBER = "date", "number"
# A State's ISO 3166 alpha-3 code (or a list of them, the route): printed as the State's name in
# the reader's language, the code after it as a hint ("Türkiye (TUR)").
STATE = "state"
STATE_FIELDS = frozenset({"origin__iso3", "destination__iso3", "transit"})


# --- values as text -------------------------------------------------------------------------


def render_value(value: Any, choices: Mapping[Any, Any] | None = None, kind: str = "") -> str:
    """Any frozen JSON value as the reader should see it: choices in words, dates in the reader's
    language, figures as UN documents print them, lists joined, objects as "key: value" pairs.
    A value that does not parse prints as stored; nothing here raises on odd JSON."""
    choices = choices or {}
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(text for text in (render_value(v, choices, kind) for v in value) if text)
    if isinstance(value, dict):
        pairs = sorted(value.items(), key=lambda item: str(item[0]))
        return "; ".join(f"{key}: {render_value(v, choices, kind)}" for key, v in pairs)
    if kind == DATE:
        try:
            return date_format(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == NUMBER:
        try:
            return number(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    return str(value)


def _identity(value: Any) -> str:
    """A row's or value's identity for comparing: canonical JSON (lists and objects included)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


# --- the structure the templates print ----------------------------------------------------------


@dataclass
class Cell:
    text: str
    before: str | None = None  # the earlier version's text, when this cell changed

    @property
    def changed(self) -> bool:
        return self.before is not None

    @property
    def long(self) -> bool:
        return len(self.text) > FOLD_AT or len(self.before or "") > FOLD_AT


@dataclass
class Row:
    key: str  # stable within the page: the measure's code, or "<section>-<n>" (n counts from 1)
    cells: list[Cell]
    mark: str = ""  # "", "added", "removed", "changed"
    group: str = ""  # the checklist's area of measures
    download_pk: int | None = None  # an attachment the reader may download through the gate
    source: dict[str, Any] | None = None  # the row's data, made into cells only if the row is shown
    before_source: dict[str, Any] | None = None


@dataclass
class Column:
    name: str
    label: Any
    choices: dict[Any, Any] = field(default_factory=dict)
    kind: str = ""


@dataclass
class SectionView:
    key: str
    label: Any
    columns: list[Any] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    total: int = 0  # rows in the version shown (not counting removed ones)
    listed: int = 0  # rows listed, on every page (removed ones included; only the changes on the history page)
    hidden: int = 0  # rows on the section's other pages
    hidden_changes: int = 0  # of those, how many are marked
    page: int = 1  # the page of rows shown (`ROW_LIMIT` a page)
    page_count: int = 1
    first: int = 0  # the position of the first and last row shown (from 1)
    last: int = 0
    level: Any = ""  # the section's own confidentiality, where it differs from the report's
    level_before: Any = None  # the earlier version's, when it changed
    restricted: bool = False  # the reader may not see this section: no rows, a plain note instead
    compared: bool = False  # rows are marked against an earlier version

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row.mark) + self.hidden_changes

    @property
    def groups(self) -> bool:
        return any(row.group for row in self.rows)


@dataclass
class ReportDisplay:
    sections: list[SectionView]
    facts: list[Row]  # the version's settings (confidentiality, note) with their changes
    previous_number: int | None = None
    only_changes: bool = False

    @property
    def changes(self) -> int:
        return sum(s.changes for s in self.sections) + sum(1 for f in self.facts if f.mark)

    def section(self, key: str) -> SectionView | None:
        return next((s for s in self.sections if s.key == key), None)


# --- columns ------------------------------------------------------------------------------


def _kind(model_field: Any) -> str:
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.DecimalField | models.IntegerField):
        return NUMBER
    return ""


def known_columns(key: str) -> list[Column]:
    if key == Section.CHECKLIST:
        return [
            Column(
                name,
                getattr(ChecklistAnswer._meta.get_field(name), "verbose_name", name),
                dict(Answer.choices) if name == "answer" else {},
            )
            for name in CHECKLIST_FIELDS
        ]
    if key == Section.ATTACHMENTS:
        return [
            Column(name, label, dict(AttachmentKind.choices) if name == "kind" else {}, NUMBER if name == "size" else "")
            for name, label in ATTACHMENT_COLUMNS
        ]
    if key not in MODELS:
        return []
    model = MODELS[key]
    columns = []
    for name in [*REGISTERS[key][1], *(["transit"] if key == "oil" else [])]:
        model_field = model._meta.get_field(name.split("__")[0])
        choices = dict(getattr(model_field, "choices", None) or {})
        kind = STATE if name in STATE_FIELDS else _kind(model_field) if "__" not in name else ""
        columns.append(Column(name, getattr(model_field, "verbose_name", name), choices, kind))
    return columns


def _columns(key: str, rows: Iterable[dict[str, Any]], states: Mapping[str, str] | None = None) -> list[Column]:
    """The section's known columns, then any field a version holds that this code does not know.
    `states`: ISO3 -> the State's label, for the columns that hold States."""
    columns = known_columns(key)
    for column in columns:
        if column.kind == STATE and states:
            column.choices = dict(states)
    names = {c.name for c in columns} | ({"measure"} if key == Section.CHECKLIST else set())
    extra = sorted({str(name) for row in rows for name in row} - names)
    return columns + [Column(name, name) for name in extra]


def row_state_codes(rows: Iterable[Any]) -> set[str]:
    """The ISO3 codes register rows name (origin, destination, the route), whatever JSON they hold."""
    codes: set[str] = set()
    for row in rows:
        if not isinstance(row, dict):
            continue
        for name in STATE_FIELDS:
            value = row.get(name)
            for code in value if isinstance(value, list) else [value]:
                if isinstance(code, str) and len(code) == 3:
                    codes.add(code)
    return codes


def state_codes(*contents: Any) -> set[str]:
    """The ISO3 codes the registers of these version contents name."""
    return row_state_codes(
        row for content in contents if isinstance(content, dict) for key in MODELS for row in _rows(content.get(key))
    )


def state_labels(codes: Iterable[str]) -> dict[str, str]:
    """ISO3 -> "Name (ISO3)", the name in the active language (one query; none for no code).
    A code the reference data does not hold is left out (it prints as stored)."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    rows = MemberState.objects.filter(iso3__in=codes).order_by().values_list("iso3", "name", "names")
    return {iso3: f"{pick(names) or name} ({iso3})" for iso3, name, names in rows}


def _rows(value: Any) -> list[dict[str, Any]]:
    """A section's rows as dicts, whatever JSON the section holds."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, dict) else {"value": item} for item in items]


def row_fields(key: str, row: dict[str, Any], states: Mapping[str, str] | None = None) -> list[tuple[Any, str]]:
    """One row of a section as (label, text) pairs, only the fields the State filled (a thread
    about a register row shows it so: it reads on a phone too). `states`: `state_labels`."""
    pairs = []
    for column in _columns(key, [row], states):
        text = render_value(row.get(column.name), column.choices, column.kind)
        if text not in ("", None):
            pairs.append((column.label, text))
    return pairs


def row_changes(key: str, before: dict[str, Any], after: dict[str, Any], states: Mapping[str, str] | None = None) -> list[tuple[Any, Cell]]:  # fmt: skip
    """What changed between two versions of one row, as (label, cell) pairs whose cell holds the
    text before and after (a thread shows an addendum's change to the row it asked about so)."""
    columns = _columns(key, [before, after], states)
    return [(column.label, cell) for column, cell in zip(columns, _cells(after, columns, before), strict=True) if cell.changed]


# --- the display ---------------------------------------------------------------------------


def _pair_rows(rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]]) -> tuple[list[tuple[str, dict[str, Any], dict[str, Any] | None]], list[dict[str, Any]]]:  # fmt: skip
    """Register rows have no identity across versions: identical rows match first, the rest pair
    in order (changed), the surplus is added or removed. Linear in the rows (a register can hold
    thousands). Returns the new version's rows in order with their mark and earlier row, and the
    removed rows."""
    left_a = Counter(_identity(row) for row in rows_a)
    marks: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    unmatched_b: list[int] = []
    for row in rows_b:
        ident = _identity(row)
        if left_a[ident] > 0:
            left_a[ident] -= 1
            marks.append(("", row, None))
        else:
            unmatched_b.append(len(marks))
            marks.append(("added", row, None))
    left_b = Counter(_identity(row) for row in rows_b)
    unmatched_a = []
    for row in rows_a:
        ident = _identity(row)
        if left_b[ident] > 0:
            left_b[ident] -= 1
        else:
            unmatched_a.append(row)
    for index, before in zip(unmatched_b, unmatched_a, strict=False):
        marks[index] = ("changed", marks[index][1], before)
    return marks, unmatched_a[len(unmatched_b) :]


def _cells(row: dict[str, Any], columns: list[Column], before: dict[str, Any] | None) -> list[Cell]:
    cells = []
    for column in columns:
        text = render_value(row.get(column.name), column.choices, column.kind)
        cell = Cell(text)
        if before is not None and _identity(before.get(column.name)) != _identity(row.get(column.name)):
            cell.before = render_value(before.get(column.name), column.choices, column.kind)
        cells.append(cell)
    return cells


def _checklist_rows(
    rows_a: list[dict[str, Any]] | None, rows_b: list[dict[str, Any]], columns: list[Column], measures: Mapping[str, Measure]
) -> list[Row]:
    """Answers match by measure; grouped by area in the order of the areas."""
    by_code_a = {str(row.get("measure", "")): row for row in rows_a or []}
    codes_b = {str(row.get("measure", "")) for row in rows_b}
    areas = dict(MeasureArea.choices)
    order = [*MeasureArea.values, ""]
    result: list[tuple[int, int, Row]] = []

    def add(row: dict[str, Any], mark: str, before: dict[str, Any] | None, index: int) -> None:
        code = str(row.get("measure", ""))
        measure = measures.get(code)
        area = measure.area if measure else ""
        title = f"{code} {measure.display_title}".strip() if measure else code
        cells = [Cell(title), *_cells(row, columns, before)]
        group = str(areas.get(area, area)) if area else ""
        result.append((order.index(area) if area in order else len(order), index, Row(code, cells, mark, group)))

    for index, row in enumerate(rows_b):
        code = str(row.get("measure", ""))
        if rows_a is None:
            add(row, "", None, index)
            continue
        before = by_code_a.get(code)
        if before is None:
            add(row, "added", None, index)
        elif _identity(before) != _identity(row):
            add(row, "changed", before, index)
        else:
            add(row, "", None, index)
    for index, row in enumerate(rows_a or []):
        if str(row.get("measure", "")) not in codes_b:
            add(row, "removed", None, len(rows_b) + index)
    return [row for _area, _index, row in sorted(result, key=lambda item: (item[0], item[1]))]


def _register_rows(key: str, rows_a: list[dict[str, Any]] | None, rows_b: list[dict[str, Any]]) -> list[Row]:
    """The rows marked, without their cells yet (a register can hold thousands; a page shows 50)."""
    if rows_a is None:
        return [Row(f"{key}-{n}", [], source=row) for n, row in enumerate(rows_b, start=1)]
    marked, removed = _pair_rows(rows_a, rows_b)
    shown = [
        Row(f"{key}-{n}", [], mark, source=row, before_source=before) for n, (mark, row, before) in enumerate(marked, start=1)
    ]
    return shown + [Row(f"{key}-removed-{n}", [], "removed", source=row) for n, row in enumerate(removed, start=1)]


def _level_label(level: Any) -> str:
    return render_value(level, dict(Confidentiality.choices))


def _facts(meta_a: dict[str, Any] | None, meta_b: dict[str, Any], *, with_note: bool) -> list[Row]:
    """The version's own settings: its confidentiality, each section's level, its note."""
    levels_a = (meta_a or {}).get("section_confidentiality") or {}
    levels_b = meta_b.get("section_confidentiality") or {}
    levels_a = levels_a if isinstance(levels_a, dict) else {"": levels_a}
    levels_b = levels_b if isinstance(levels_b, dict) else {"": levels_b}
    section_labels = dict(Section.choices)
    items: list[tuple[str, Any, Any, Any]] = [
        ("confidentiality", _("Confidentiality"), (meta_a or {}).get("confidentiality"), meta_b.get("confidentiality"))
    ]
    for key in sorted({*levels_a, *levels_b}, key=str):
        label = _("Confidentiality of “%(section)s”") % {"section": section_labels.get(key, key)}
        items.append((f"level-{key}", label, levels_a.get(key), levels_b.get(key)))
    if with_note:
        items.append(("note", _("Note on this version"), (meta_a or {}).get("note"), meta_b.get("note")))
    rows = []
    for key, label, before, after in items:
        if before in (None, "") and after in (None, "") and key != "confidentiality":
            continue
        choices = {} if key == "note" else dict(Confidentiality.choices)
        cell = Cell(render_value(after, choices))
        mark = ""
        if meta_a is not None and _identity(before) != _identity(after):
            cell.before = render_value(before, choices)
            mark = "removed" if after in (None, "") else "added" if before in (None, "") else "changed"
        rows.append(Row(key, [Cell(str(label)), cell], mark))
    return rows


def content_display(
    *,
    content: dict[str, Any],
    previous: dict[str, Any] | None = None,
    visible: Callable[[str], bool] = lambda key: True,
    previously_visible: Callable[[str], bool] = lambda key: True,
    measures: Mapping[str, Measure] | None = None,
    downloads: Mapping[tuple[str, str], int] | None = None,
    pages: Mapping[str, int] | None = None,
    row_limit: int | None = ROW_LIMIT,
    only_changes: bool = False,
    with_note: bool = True,
    states: Mapping[str, str] | None = None,
) -> ReportDisplay:
    """Every section of `content` (frozen or a draft's), marked against `previous` when given.

    `visible(key)` / `previously_visible(key)`: whether the reader may see the section in this /
    the earlier version (ask the gate); a section the reader could not see earlier is shown
    without marks rather than compared with nothing. `pages`: the page of rows to show per
    section (`row_limit` rows a page; a page past the end shows the last). `only_changes`: keep the marked rows only (the history page).
    `downloads`: (file name, SHA-256) → the attachment the reader may download. `states`: ISO3 →
    the State's label (`state_labels`); a code missing from it prints as stored."""
    content = content if isinstance(content, dict) else {}
    meta: dict[str, Any] = content["report"] if isinstance(content.get("report"), dict) else {}
    previous_meta: dict[str, Any] | None = None
    if previous is not None:
        previous = previous if isinstance(previous, dict) else {}
        previous_meta = previous["report"] if isinstance(previous.get("report"), dict) else {}
    measures = measures if measures is not None else {}
    pages = pages or {}
    downloads = downloads or {}
    overrides = meta.get("section_confidentiality") or {}
    overrides = overrides if isinstance(overrides, dict) else {}
    previous_overrides = (previous_meta or {}).get("section_confidentiality") or {}
    previous_overrides = previous_overrides if isinstance(previous_overrides, dict) else {}
    extra_keys = sorted(k for k in {*content, *(previous or {})} if k not in (*SECTION_KEYS, "report"))
    sections = []
    for key in (*SECTION_KEYS, *extra_keys):
        if key not in content and (previous is None or key not in previous) and key in extra_keys:
            continue
        label = Section(key).label if key in SECTION_KEYS else key.replace("_", " ").capitalize()
        section = SectionView(key, label)
        if overrides.get(key):
            section.level = _level_label(overrides.get(key))
        if previous is not None and _identity(previous_overrides.get(key)) != _identity(overrides.get(key)):
            section.level_before = _level_label(previous_overrides.get(key)) or _("as the report")
            section.level = section.level or _("as the report")
        if not visible(key):
            section.restricted = True
            sections.append(section)
            continue
        rows_b = _rows(content.get(key))
        compare = previous is not None and previously_visible(key)
        rows_a = _rows(previous.get(key)) if compare and previous is not None else None
        section.compared = compare
        columns = _columns(key, [*rows_b, *(rows_a or [])], states)
        section.columns = [_("Measure"), *[c.label for c in columns]] if key == Section.CHECKLIST else [c.label for c in columns]
        if key == Section.CHECKLIST:
            rows = _checklist_rows(rows_a, rows_b, columns, measures)
        else:
            rows = _register_rows(key, rows_a, rows_b)
        if only_changes:
            rows = [row for row in rows if row.mark]
        section.total, section.listed = len(rows_b), len(rows)
        if row_limit is not None and len(rows) > row_limit:
            section.page_count = -(-len(rows) // row_limit)
            section.page = min(max(pages.get(key, 1), 1), section.page_count)
            start = (section.page - 1) * row_limit
            section.hidden = len(rows) - len(rows[start : start + row_limit])
            section.hidden_changes = sum(1 for i, row in enumerate(rows) if row.mark and not start <= i < start + row_limit)
            section.first, rows = start + 1, rows[start : start + row_limit]
            section.last = start + len(rows)
        for row in rows:
            if row.source is not None:
                row.cells = _cells(row.source, columns, row.before_source)
                if key == Section.ATTACHMENTS and row.mark != "removed":
                    row.download_pk = downloads.get((str(row.source.get("name", "")), str(row.source.get("sha256", ""))))
        section.rows = rows
        sections.append(section)
    facts = _facts(previous_meta if previous is not None else None, meta, with_note=with_note)
    if only_changes:
        facts = [row for row in facts if row.mark]
    return ReportDisplay(sections, facts, only_changes=only_changes)


def version_display(
    *,
    user: User,
    version: ReportVersion,
    previous: ReportVersion | None = None,
    content: dict[str, Any] | None = None,
    pages: Mapping[str, int] | None = None,
    row_limit: int | None = ROW_LIMIT,
    only_changes: bool = False,
) -> ReportDisplay:
    """The display of `version` (or of `content`, a draft's) for `user`, against `previous`.

    Three queries whatever the size: the measures, the attachments the user may download, the
    names of the States the registers name (the contents are on the versions). Who sees which
    section: the gate."""
    content = content if content is not None else (version.content or {})
    before = (previous.content or {}) if previous is not None else None
    codes = {str(row.get("measure", "")) for c in (content, before or {}) for row in _rows(c.get("checklist"))}
    measures = {m.code: m for m in Measure.objects.filter(code__in=codes)} if codes else {}
    downloads: dict[tuple[str, str], int] = {}
    if section_visible(user, version, Section.ATTACHMENTS):
        downloads = {
            (name, sha): pk
            for pk, name, sha in attachments_visible_to(user).filter(version=version).values_list("pk", "original_name", "sha256")
        }
    # Internal readers (the back office, the State's own delegation) see everything the version
    # holds, a field this code does not know included; anyone else only the known sections.
    internal = audience_of(user, state_id=version.report.state_id) == Audience.INTERNAL
    display = content_display(
        content=content,
        previous=before,
        visible=lambda key: section_visible(user, version, key) if key in Section.values else internal,
        previously_visible=lambda key: previous is None or key not in Section.values or section_visible(user, previous, key),
        measures=measures,
        downloads=downloads,
        pages=pages,
        row_limit=row_limit,
        only_changes=only_changes,
        # The note is the State's word to the Secretariat; the Committee reads the report itself.
        with_note=internal,
        states=state_labels(state_codes(content, before or {})),
    )
    display.previous_number = previous.number if previous is not None else None
    return display


@dataclass
class VersionChoice:
    versions: list[ReportVersion]  # the frozen versions the reader may open, oldest first (no content loaded)
    version: ReportVersion  # the one asked for, its content loaded
    previous: ReportVersion | None  # the reader's version before it, its content loaded


def version_choice(*, user: User, report: Report, number: Any = None) -> VersionChoice:
    """The version `number` (default: the current one) among those the gate lets `user` see, and
    the one before it that the user may see too. Two queries. A bad or hidden number is 404."""
    versions = list(
        versions_visible_to(user)
        .filter(report=report, is_draft=False)
        .select_related("submitted_by")
        .defer("content")
        .order_by("number")
    )
    if number in (None, ""):
        chosen = next((v for v in versions if v.pk == report.current_version_id), versions[-1] if versions else None)
    else:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            raise Http404 from None
        chosen = next((v for v in versions if v.number == wanted), None)
    if chosen is None:
        raise Http404
    earlier = [v for v in versions if v.number < chosen.number]
    previous = earlier[-1] if earlier else None
    contents = dict(
        ReportVersion.objects.filter(pk__in=[v.pk for v in (chosen, previous) if v is not None]).values_list("pk", "content")
    )
    for v in (chosen, previous):
        if v is not None:
            v.content = contents.get(v.pk)
            v.report = report
    return VersionChoice(versions, chosen, previous)


PAGE_PARAM = "rows-"  # ?rows-oil=3: the third page of the oil interdictions


def row_pages(params: Mapping[str, Any]) -> dict[str, int]:
    """The page of rows asked for each section (`?rows-oil=3`); anything that is not a page is page 1."""
    pages = {}
    for key in SECTION_KEYS:
        value = str(params.get(PAGE_PARAM + key, ""))
        if value.isdigit() and len(value) < 7:
            pages[key] = int(value)
    return pages


def query_without_pages(params: Any) -> str:
    """The page's query string without the row pages (the pager adds its own)."""
    kept = params.copy()
    for name in list(kept):
        if name.startswith(PAGE_PARAM):
            kept.pop(name)
    return str(kept.urlencode())


# --- the changes alone, as data (tests, exports) ---------------------------------------------


@dataclass
class RowChange:
    kind: str  # added / removed / changed
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: list[str] = field(default_factory=list)


@dataclass
class SectionDiff:
    key: str
    changes: list[RowChange]


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [k for k in {**before, **after} if _identity(before.get(k)) != _identity(after.get(k))]


def content_diff(a: dict[str, Any], b: dict[str, Any]) -> list[SectionDiff]:
    """What changed between two frozen contents, section by section: the version's settings
    ("report"), checklist answers matched by measure, register rows paired as `_pair_rows` does."""
    meta_a = a.get("report") if isinstance(a.get("report"), dict) else {}
    meta_b = b.get("report") if isinstance(b.get("report"), dict) else {}
    assert isinstance(meta_a, dict) and isinstance(meta_b, dict)
    result = [
        SectionDiff(
            "report",
            [
                RowChange("changed", {k: meta_a.get(k)}, {k: meta_b.get(k)}, [k])
                for k in ("confidentiality", "section_confidentiality", "note")
                if _identity(meta_a.get(k)) != _identity(meta_b.get(k))
            ],
        )
    ]
    answers_a = {str(row.get("measure", "")): row for row in _rows(a.get("checklist"))}
    answers_b = {str(row.get("measure", "")): row for row in _rows(b.get("checklist"))}
    changes = []
    for code in sorted(set(answers_a) | set(answers_b)):
        before, after = answers_a.get(code), answers_b.get(code)
        if before is None:
            changes.append(RowChange("added", None, after))
        elif after is None:
            changes.append(RowChange("removed", before, None))
        elif _identity(before) != _identity(after):
            changes.append(RowChange("changed", before, after, _changed_fields(before, after)))
    result.append(SectionDiff("checklist", changes))
    for key in (*REGISTERS, Section.ATTACHMENTS.value):
        marked, removed = _pair_rows(_rows(a.get(key)), _rows(b.get(key)))
        changes = [
            RowChange("changed", before, row, _changed_fields(before, row)) for mark, row, before in marked if before is not None
        ]
        changes += [RowChange("removed", row, None) for row in removed]
        changes += [RowChange("added", None, row) for mark, row, before in marked if mark == "added"]
        result.append(SectionDiff(key, changes))
    return result
