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
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import (
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
from .parties import normalize_party_name, parse_parties
from .reports import ReportError

REGISTER_MODELS: dict[str, type[Any]] = {
    Section.OIL: OilInterdiction,
    Section.ASSETS: FrozenAsset,
    Section.CULTURAL: CulturalSeizure,
    Section.RANSOM: RansomCase,
    Section.STR: SuspiciousTransactionCount,
}
# Raw input is kept as typed, but not without limit: a value longer than any field allows
# is cut here (the form has already told the user it is too long).
RAW_VALUE_LIMIT = 25_000


class VersionFrozen(ReportError):
    """The version has been submitted: it can never change."""


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
    keep_ids: set[int] = field(default_factory=set)
    settings: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, list[str]] = field(default_factory=dict)
    error_count: int = 0
    # A register's valid rows are stored anew at every save: row_keys names each of `rows` by its
    # form (e.g. "oil-3"), and draft_save fills row_ids with the id each one got, so that the
    # editor (and the input kept as typed) name the stored rows at the next save.
    row_keys: list[str] = field(default_factory=list)
    row_ids: dict[str, int] = field(default_factory=dict)


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
    if data.section not in (Section.CHECKLIST, Section.ATTACHMENTS, "settings", *REGISTER_MODELS):
        raise ReportError(_("Unknown section."))
    now = now or timezone.now()
    updated = ReportVersion.objects.filter(pk=version.pk, is_draft=True, revision=revision).update(
        revision=F("revision") + 1, updated_by=actor, updated_at=now
    )
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
        updated = ReportVersion.objects.filter(pk=version.pk, is_draft=True, revision=revision).update(
            revision=F("revision") + 1, updated_by=actor, updated_at=now
        )
        if not updated:
            raise DraftConflict(revision)
    DraftSectionSave.objects.update_or_create(
        version=version, section=data.section, defaults={"revision": revision + 1, "editor": editor}
    )

    if data.section == Section.CHECKLIST:
        _save_checklist(version, data)
    elif data.section == "settings":
        _save_settings(version, data)
    else:
        _save_register(version, data)

    if data.error_count:
        raw = {key: [value[:RAW_VALUE_LIMIT] for value in values] for key, values in data.raw.items()}
        for key, row_id in data.row_ids.items():
            raw[f"{key}-row_id"] = [str(row_id)]
        DraftInput.objects.update_or_create(
            version=version,
            section=data.section,
            defaults={"data": raw, "error_count": data.error_count, "updated_by": actor},
        )
    else:
        DraftInput.objects.filter(version=version, section=data.section).delete()
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


def _save_checklist(version: ReportVersion, data: SectionInput) -> None:
    measure_ids = [row["measure_id"] for row in data.rows]
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


def _save_register(version: ReportVersion, data: SectionInput) -> None:
    """Replace the section's rows with the valid ones; rows whose correction failed stay as they were."""
    model = REGISTER_MODELS[data.section]
    model.objects.filter(version=version).exclude(pk__in=data.keep_ids).delete()
    transits: list[list[int]] = []
    objs = []
    for position, row in enumerate(data.rows):
        values = dict(row)
        transits.append(values.pop("transit", []))
        objs.append(model(version=version, position=position, **values))
    created = model.objects.bulk_create(objs)
    data.row_ids = {key: obj.pk for key, obj in zip(data.row_keys, created, strict=False)}
    if data.section == Section.OIL:
        OilInterdictionTransit.objects.bulk_create(
            OilInterdictionTransit(oilinterdiction_id=obj.pk, memberstate_id=state_id, position=position)
            for obj, state_ids in zip(created, transits, strict=True)
            for position, state_id in enumerate(state_ids)
        )
    if data.section in (Section.OIL, Section.CULTURAL):
        link = "interdiction" if data.section == Section.OIL else "seizure"
        PartyMention.objects.bulk_create(
            PartyMention(version=version, name=name, normalized_name=normalize_party_name(name), list_ref=ref, **{link: obj})
            for obj in created
            for name, ref in parse_parties(obj.parties)
        )


def draft_pending(*, version: ReportVersion, section: str) -> DraftInput | None:
    return DraftInput.objects.filter(version=version, section=section).first()
