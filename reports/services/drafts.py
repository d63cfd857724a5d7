"""Saving drafts: section by section, always possible, never a silent overwrite.

Every save carries the draft's revision as the editor last saw it. The save bumps the
revision only if it still matches (one conditional UPDATE), so of two people saving at once
the second is told of the conflict instead of overwriting the first. A stale revision is a
conflict only if the same section was saved since (DraftSectionSave): two people working on
different sections do not stop each other. A frozen version is never touched: the same
UPDATE only matches drafts.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import (
    TRANSIT_PREFETCH,
    ChecklistAnswer,
    Confidentiality,
    CulturalSeizure,
    DraftInput,
    DraftSectionSave,
    FrozenAsset,
    OilInterdiction,
    OilInterdictionTransit,
    PartyMention,
    RansomCase,
    ReportVersion,
    Section,
    SuspiciousTransactionCount,
    User,
)

from .audit import audit_log
from .parties import party_mentions
from .reports import ReportError

REGISTER_MODELS: dict[str, type[Any]] = {
    Section.OIL: OilInterdiction,
    Section.ASSETS: FrozenAsset,
    Section.CULTURAL: CulturalSeizure,
    Section.RANSOM: RansomCase,
    Section.STR: SuspiciousTransactionCount,
}
# Raw input is kept as typed, whole. A value longer than its field allows is refused before it
# gets here (reports.forms.limits, in the editor view); this ceiling, above every field's own
# limit (the longest is the 20,000-character narrative), refuses anything else that long.
RAW_VALUE_LIMIT = 25_000
# A register is edited a page at a time: the page shows REGISTER_PAGE_SIZE stored rows and posts
# only them (and at most REGISTER_NEW_ROWS rows added on it), so a save costs the same in a
# register of 30 rows or of 20,000, and never nears the request's field limit
# (DATA_UPLOAD_MAX_NUMBER_FIELDS: 150 rows of ~19 fields are under 3,000 fields).
REGISTER_PAGE_SIZE = 50
REGISTER_NEW_ROWS = 100
REGISTER_MAX_ROWS = 20_000
# How a row added on a page and not storable yet is named until it is (see RegisterRowInput).
DRAFT_KEY_RE = re.compile(r"^n[0-9a-f]{16}$")


class VersionFrozen(ReportError):
    """The version has been submitted: it can never change."""


class DraftValueTooLong(ReportError):
    """A value is longer than any field takes: nothing is saved (it is never cut)."""


class DraftConflict(ReportError):
    """Someone saved the draft since the editor was opened."""

    def __init__(self, current_revision: int) -> None:
        super().__init__(_("The draft was saved by someone else since you opened it."))
        self.current_revision = current_revision


@dataclass
class SectionInput:
    """A section's input after validation: what can be stored, and what must be kept as typed."""

    section: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, list[str]] = field(default_factory=dict)
    error_count: int = 0
    # draft_save fills row_ids with the id of each register row it stored, by its form's prefix
    # (e.g. "oil-3"), so that the editor names the stored rows at the next save.
    row_ids: dict[str, int] = field(default_factory=dict)
    # A register page's rows (registers only): draft_save updates, creates and deletes these rows
    # and no others, and keeps those with errors as typed beside the other pages' (draft_keys
    # tells the page the name each new row with errors is kept under).
    register_rows: list[RegisterRowInput] = field(default_factory=list)
    draft_keys: dict[str, str] = field(default_factory=dict)
    # Rows kept as typed in the format of the whole-register editor (before pages), converted by
    # the caller, which knows the forms; None when there is nothing in that format.
    legacy_pending: list[dict[str, Any]] | None = None
    # New rows a full register could not take (kept as typed with the others).
    refused_full: int = 0


@dataclass
class RegisterRowInput:
    """One row of a posted register page, as its form left it.

    `key` is the form's prefix ("oil-2512"), by which the answer names the row; `row_id` the stored
    row it edits (None for a row added on the page); `values` what to store (None when the row has
    errors: then `raw`, its fields as typed, is kept instead); `draft_key` names a new row with
    errors that was kept as typed by an earlier save of the page.
    """

    key: str
    row_id: int | None = None
    values: dict[str, Any] | None = None
    raw: dict[str, list[str]] = field(default_factory=dict)
    delete: bool = False
    draft_key: str = ""


@transaction.atomic
def draft_save(
    *,
    version: ReportVersion,
    actor: User,
    revision: int,
    data: SectionInput,
    autosave: bool = False,
    editor: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Store a section of a draft; returns the new revision.

    Raises VersionFrozen for a submitted version and DraftConflict when `revision` is stale:
    when the section was saved since, unless that last save came from the same editor page
    (`editor`, a token per page load), whose newer input supersedes its own earlier save.
    """
    editor = editor[:64]
    _refuse_long_values([data])
    if data.section not in (Section.CHECKLIST, Section.ATTACHMENTS, "settings", *REGISTER_MODELS):
        raise ReportError(_("Unknown section."))
    now = now or timezone.now()
    updated = _bump_revision(version, revision, actor, now)
    if not updated:
        current = ReportVersion.objects.filter(pk=version.pk).values("is_draft", "revision").first()
        if current is None or not current["is_draft"]:
            raise VersionFrozen(_("This version has been submitted and can no longer change."))
        last = DraftSectionSave.objects.filter(version=version, section=data.section, revision__gt=revision).first()
        if last is not None and not (editor and last.editor == editor):
            raise DraftConflict(current["revision"])
        # Only other sections were saved since, or this section only by this same page (the
        # mark is the section's latest save: had anyone else saved it after, the mark would be
        # theirs): this save collides with nothing and goes on top.
        revision = current["revision"]
        updated = _bump_revision(version, revision, actor, now)
        if not updated:
            raise DraftConflict(revision)
    _store_section(version, data, actor, editor=editor, revision=revision)
    audit_log(
        action="draft_autosave" if autosave else "draft_save",
        actor=actor,
        state=version.report.state,
        obj=version,
        section=data.section,
        revision=revision + 1,
        errors=data.error_count,
    )
    return revision + 1


def _refuse_long_values(sections: list[SectionInput]) -> None:
    if any(len(value) > RAW_VALUE_LIMIT for data in sections for values in data.raw.values() for value in values):
        raise DraftValueTooLong(
            _("An entry is longer than %(limit)d characters: nothing was saved. Shorten it and save again.")
            % {"limit": RAW_VALUE_LIMIT}
        )


def _bump_revision(version: ReportVersion, revision: int, actor: User, now: datetime.datetime) -> int:
    """Move the draft's revision on by one if it is still `revision`; the number of rows moved (0 or 1)."""
    return ReportVersion.objects.filter(pk=version.pk, is_draft=True, revision=revision).update(
        revision=F("revision") + 1, updated_by=actor, updated_at=now
    )


@transaction.atomic
def draft_save_sections(
    *,
    version: ReportVersion,
    actor: User,
    revision: int,
    sections: list[SectionInput],
    action: str = "draft_import",
    now: datetime.datetime | None = None,
) -> int:
    """Store several sections at once (a workbook's import) and move the revision once.

    Strict where draft_save is lenient: `revision` must be the draft's current one (the import was
    checked against it), else DraftConflict. Each section goes through the editor's own path.
    """
    _refuse_long_values(sections)
    if any(data.section not in (Section.CHECKLIST, *REGISTER_MODELS) for data in sections):
        raise ReportError(_("Unknown section."))
    now = now or timezone.now()
    updated = _bump_revision(version, revision, actor, now)
    if not updated:
        current = ReportVersion.objects.filter(pk=version.pk).values("is_draft", "revision").first()
        if current is None or not current["is_draft"]:
            raise VersionFrozen(_("This version has been submitted and can no longer change."))
        raise DraftConflict(current["revision"])
    for data in sections:
        _store_section(version, data, actor, editor="", revision=revision)
    audit_log(
        action=action,
        actor=actor,
        state=version.report.state,
        obj=version,
        sections=[data.section for data in sections],
        revision=revision + 1,
        errors=sum(data.error_count for data in sections),
    )
    return revision + 1


def _store_section(version: ReportVersion, data: SectionInput, actor: User, *, editor: str, revision: int) -> None:
    """Store one section once the revision has moved (from `revision` to `revision + 1`)."""
    mark = DraftSectionSave.objects.filter(version=version, section=data.section).first()
    created_by_page = dict(mark.new_rows) if mark is not None and editor and mark.editor == editor else {}
    new_rows = created_by_page if data.section in REGISTER_MODELS else {}

    if data.section == Section.CHECKLIST:
        _save_checklist(version, data)
    elif data.section == "settings":
        _save_settings(version, data)
    else:
        new_rows = _save_register_page(version, data, actor, created_by_page=created_by_page)
    DraftSectionSave.objects.update_or_create(
        version=version,
        section=data.section,
        defaults={"revision": revision + 1, "editor": editor, "new_rows": new_rows if editor else {}},
    )

    if data.section in REGISTER_MODELS:
        pass  # the register page keeps its rows with errors itself, beside the other pages'
    elif data.error_count:
        raw = {key: list(values) for key, values in data.raw.items()}
        for key, row_id in data.row_ids.items():
            raw[f"{key}-row_id"] = [str(row_id)]
        DraftInput.objects.update_or_create(
            version=version,
            section=data.section,
            defaults={"data": raw, "error_count": data.error_count, "updated_by": actor},
        )
    else:
        DraftInput.objects.filter(version=version, section=data.section).delete()


# What a checklist answer carried over from the last report holds: it stays "carried over" while a
# save leaves these as they were (the editor posts every answer), and stops being so once one changes.
CARRIED_FIELDS = ("answer", "legal_reference", "narrative", "evidence_location")


def _save_checklist(version: ReportVersion, data: SectionInput) -> None:
    measure_ids = [row["measure_id"] for row in data.rows]
    carried = {
        answer.measure_id: answer
        for answer in ChecklistAnswer.objects.filter(version=version, measure_id__in=measure_ids, carried_over=True)
    }
    for row in data.rows:
        before = carried.get(row["measure_id"])
        if "carried_over" not in row and before is not None:
            row["carried_over"] = all(getattr(before, name) == row.get(name, "") for name in CARRIED_FIELDS)
    ChecklistAnswer.objects.filter(version=version, measure_id__in=measure_ids).delete()
    ChecklistAnswer.objects.bulk_create(ChecklistAnswer(version=version, **row) for row in data.rows)


def _save_settings(version: ReportVersion, data: SectionInput) -> None:
    values = data.settings
    if not values:
        return  # the form had errors: what was stored stays, what was typed is kept apart
    level = values.get("confidentiality")
    if level in Confidentiality.values:
        version.confidentiality = level
    overrides = values.get("section_confidentiality", {})
    version.section_confidentiality = {
        key: value for key, value in overrides.items() if key in Section.values and value in Confidentiality.values
    }
    version.note = str(values.get("note", ""))[:5000]
    version.save(update_fields=["confidentiality", "section_confidentiality", "note"])


def _save_register_page(
    version: ReportVersion, data: SectionInput, actor: User, *, created_by_page: dict[str, int]
) -> dict[str, int]:
    """Store a register page: its changed rows are updated, its new rows created, its removed rows
    deleted; rows with errors keep their stored version and are kept as typed. Rows of other pages
    are not touched, so the cost follows the page, not the register.

    `created_by_page` names the rows earlier saves from the same page created, by the key the page
    gave each new row: a new row posted again before the page learnt its id edits that row.
    Returns the same, with the rows this save created."""
    model = REGISTER_MODELS[data.section]
    for row in data.register_rows:
        if not row.row_id and DRAFT_KEY_RE.match(row.draft_key) and row.draft_key in created_by_page:
            row.row_id = created_by_page[row.draft_key]
    posted_ids = [row.row_id for row in data.register_rows if row.row_id]
    stored_rows = model.objects.filter(version=version, pk__in=posted_ids)
    if model is OilInterdiction:
        stored_rows = stored_rows.prefetch_related(TRANSIT_PREFETCH)
    stored = {row.pk: row for row in stored_rows}

    doomed = [row.row_id for row in data.register_rows if row.delete and row.row_id in stored]
    if doomed:
        model.objects.filter(version=version, pk__in=doomed).delete()

    changed: list[Any] = []
    transits: dict[int, list[int]] = {}
    new: list[tuple[RegisterRowInput, int]] = []  # (row, position)
    anchor: Any = None  # the stored row above, whose place a new row takes (after it: ids grow)
    tail: int | None = None
    for row in data.register_rows:
        existing = stored.get(row.row_id or 0)
        if existing is not None:
            anchor = existing
        if row.delete or row.values is None:
            continue
        values = dict(row.values)
        transit = values.pop("transit", None)
        if existing is not None:
            if _differs(existing, values, transit):
                for name, value in values.items():
                    setattr(existing, name, value)
                changed.append(existing)
                if transit is not None:
                    transits[existing.pk] = transit
            data.row_ids[row.key] = existing.pk
            continue
        if anchor is not None:
            position = anchor.position
        else:
            if tail is None:
                top = model.objects.filter(version=version).aggregate(top=Max("position"))["top"]
                tail = 0 if top is None else top + 1
            position = tail
            tail += 1
        new.append((row, position))

    if changed:
        fields = sorted({name for row in data.register_rows if row.values for name in row.values} - {"transit"})
        model.objects.bulk_update(changed, fields)
    refused: list[RegisterRowInput] = []
    if new:
        room = max(0, REGISTER_MAX_ROWS - model.objects.filter(version=version).count())
        new, refused = new[:room], [row for row, _position in new[room:]]
    created = []
    for row, position in new:
        values = dict(row.values or {})
        transit = values.pop("transit", None)
        created.append(model(version=version, position=position, **values))
    created = model.objects.bulk_create(created)
    created_by_page = dict(created_by_page)
    for (row, _position), obj in zip(new, created, strict=True):
        data.row_ids[row.key] = obj.pk
        if DRAFT_KEY_RE.match(row.draft_key):
            created_by_page[row.draft_key] = obj.pk
        transit = (row.values or {}).get("transit")
        if transit is not None:
            transits[obj.pk] = transit
    data.refused_full = len(refused)
    data.error_count += len(refused)

    written = [*changed, *created]
    if data.section == Section.OIL and written:
        _oil_transit_write(transits)
    if data.section in (Section.OIL, Section.CULTURAL) and written:
        link = "interdiction" if data.section == Section.OIL else "seizure"
        PartyMention.objects.filter(**{f"{link}_id__in": [obj.pk for obj in changed]}).delete()
        PartyMention.objects.bulk_create(mention for obj in written for mention in party_mentions(version=version, row=obj))
    _keep_register_rows(version, data, actor, stored=stored, refused=refused)
    return created_by_page


def _differs(row: Any, values: dict[str, Any], transit: list[int] | None) -> bool:
    """Whether a stored row differs from valid input (a false alarm only costs a write)."""
    if any(getattr(row, name) != value for name, value in values.items()):
        return True
    return transit is not None and [state.pk for state in row.transit_route] != transit


def _oil_transit_write(transits: dict[int, list[int]]) -> None:
    """The countries of transit of the oil rows just written (row id -> State ids, in order)."""
    OilInterdictionTransit.objects.filter(oilinterdiction_id__in=list(transits)).delete()
    OilInterdictionTransit.objects.bulk_create(
        OilInterdictionTransit(oilinterdiction_id=row_id, memberstate_id=state_id, position=position)
        for row_id, state_ids in transits.items()
        for position, state_id in enumerate(state_ids)
    )


def _keep_register_rows(
    version: ReportVersion, data: SectionInput, actor: User, *, stored: dict[int, Any], refused: list[RegisterRowInput]
) -> None:
    """Rows with errors on the page are kept as typed beside those of the other pages (DraftInput).

    The register's DraftInput holds {"rows": [entry, ...]}, an entry per row with errors:
    {"key", "row_id" (the stored row it corrects, or None), "after" (for a new row: the stored row
    it was typed below), "values" (field -> values as typed), "full" (a new row the full register
    refused)}. A save replaces the entries of the rows it posted and keeps every other one.
    """
    pending = DraftInput.objects.select_for_update().filter(version=version, section=data.section).first()
    if pending is None:
        entries: list[dict[str, Any]] = []
    elif data.legacy_pending is not None and "rows" not in pending.data:
        entries = list(data.legacy_pending)
    else:
        entries = list(pending.data.get("rows", []))
    posted = {f"r{row.row_id}" for row in data.register_rows if row.row_id}
    posted |= {row.draft_key for row in data.register_rows if row.draft_key}
    entries = [entry for entry in entries if entry.get("key") not in posted]

    refused_keys = {id(row) for row in refused}
    after: int | None = None
    for row in data.register_rows:
        row_id = data.row_ids.get(row.key) or (row.row_id if row.row_id in stored else None)
        if row.delete:
            continue
        if row.values is not None and id(row) not in refused_keys:
            after = row_id
            continue
        if row.row_id in stored:
            key = f"r{row.row_id}"
        else:
            key = row.draft_key if DRAFT_KEY_RE.match(row.draft_key) else "n" + secrets.token_hex(8)
            data.draft_keys[row.key] = key
        values = {name: [value[:RAW_VALUE_LIMIT] for value in raw] for name, raw in row.raw.items()}
        entries.append(
            {
                "key": key,
                "row_id": row.row_id if row.row_id in stored else None,
                "after": None if row.row_id in stored else after,
                "values": values,
                "full": id(row) in refused_keys,
            }
        )
        if row.row_id in stored:
            after = row.row_id
    if entries:
        DraftInput.objects.update_or_create(
            version=version,
            section=data.section,
            defaults={"data": {"rows": entries}, "error_count": len(entries), "updated_by": actor},
        )
    elif pending is not None:
        pending.delete()


def register_pending_rows(pending: DraftInput | None) -> list[dict[str, Any]] | None:
    """A register's rows kept as typed (entries as _keep_register_rows writes them); None when the
    input was kept by the whole-register editor (a flat form post, converted by the forms)."""
    if pending is None:
        return []
    rows = pending.data.get("rows")
    return rows if isinstance(rows, list) else None


def register_rows_ordered(*, version: ReportVersion, section: str) -> QuerySet[Any]:
    """A register's stored rows in the order the editor pages and the validation number them."""
    return REGISTER_MODELS[section].objects.filter(version=version).order_by("position", "id")


def register_row_numbers(*, version: ReportVersion, section: str, row_ids: list[int]) -> dict[int, int]:
    """The 0-based place in the register of each of these rows (one query, whatever their number)."""
    if not row_ids:
        return {}
    # The rows are numbered over the whole register first, then picked (a WHERE beside the window
    # function would number the picked rows among themselves).
    table = connection.ops.quote_name(REGISTER_MODELS[section]._meta.db_table)
    marks = ", ".join(["%s"] * len(row_ids))
    query = (
        f"SELECT id, n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY position, id) AS n FROM {table} "  # noqa: S608
        f"WHERE version_id = %s) numbered WHERE id IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [version.pk, *row_ids])
        return {pk: number - 1 for pk, number in cursor.fetchall()}


def register_page_of(index: int) -> int:
    """The editor page (1-based) that shows the register row at this 0-based place."""
    return index // REGISTER_PAGE_SIZE + 1


def draft_pending(*, version: ReportVersion, section: str) -> DraftInput | None:
    return DraftInput.objects.filter(version=version, section=section).first()
