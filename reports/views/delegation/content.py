"""Frozen content (the JSON of reports.services.snapshot) as tables a template can print."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
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
    OilInterdiction,
    RansomCase,
    Section,
    SuspiciousTransactionCount,
)
from reports.selectors.delegation import SectionDiff
from reports.services.snapshot import REGISTERS

MODELS: dict[str, Any] = {
    "oil": OilInterdiction,
    "assets": FrozenAsset,
    "cultural": CulturalSeizure,
    "ransom": RansomCase,
    "str": SuspiciousTransactionCount,
}
CHECKLIST_FIELDS = ["answer", "legal_reference", "narrative", "evidence_location"]
ATTACHMENT_COLUMNS = [("name", _("File")), ("kind", _("Kind")), ("content_type", _("Type")), ("size", _("Bytes")), ("sha256", "SHA-256")]  # fmt: skip
# How a frozen value prints: dates in the reader's language, figures as UN documents print them.
DATE, NUMBER = "date", "number"
Column = tuple[str, Any, dict[str, Any], str]


@dataclass
class Table:
    key: str
    label: Any
    columns: list[Any]
    rows: list[list[str]] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # per row: "", "added", "removed", "changed"
    level: Any = ""  # the section's own confidentiality, where it differs from the report's
    restricted: bool = False  # the reader may not see this section: no rows, a plain note instead

    @property
    def marked_rows(self) -> list[tuple[str, list[str]]]:
        return list(zip(self.marks, self.rows, strict=True))


def _kind(model_field: Any) -> str:
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.DecimalField | models.IntegerField):
        return NUMBER
    return ""


def _columns(key: str) -> list[Column]:
    if key == "checklist":
        return [
            (
                name,
                getattr(ChecklistAnswer._meta.get_field(name), "verbose_name", name),
                dict(Answer.choices) if name == "answer" else {},
                "",
            )
            for name in CHECKLIST_FIELDS
        ]
    if key == "attachments":
        return [
            (name, label, dict(AttachmentKind.choices) if name == "kind" else {}, NUMBER if name == "size" else "")
            for name, label in ATTACHMENT_COLUMNS
        ]
    model = MODELS[key]
    names = list(REGISTERS[key][1]) + (["transit"] if key == "oil" else [])
    columns = []
    for name in names:
        model_field = model._meta.get_field(name.split("__")[0])
        choices = dict(model_field.choices) if getattr(model_field, "choices", None) else {}
        kind = _kind(model_field) if "__" not in name else ""
        columns.append((name, getattr(model_field, "verbose_name", name), choices, kind))
    return columns


def _cell(value: Any, choices: dict[str, Any], kind: str = "") -> str:
    """One frozen value as the reader should see it; a value that does not parse prints as stored."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value is None or value == "":
        return ""
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
    return str(choices.get(value, value))


def content_tables(content: dict[str, Any], measures: dict[str, Measure]) -> list[Table]:
    tables = []
    for key in ("checklist", *REGISTERS, "attachments"):
        if key not in content:
            continue
        columns = _columns(key)
        labels = [c[1] for c in columns]
        if key == "checklist":
            labels = [_("Measure"), *labels]
        table = Table(key, Section(key).label, labels)
        override = content.get("report", {}).get("section_confidentiality", {}).get(key)
        if override:
            table.level = dict(Confidentiality.choices).get(override, override)
        for row in content.get(key, []):
            cells = [_cell(row.get(name), choices, kind) for name, _label, choices, kind in columns]
            if key == "checklist":
                measure = measures.get(row["measure"])
                cells = [f"{row['measure']} {measure.display_title if measure else ''}".strip(), *cells]
            table.rows.append(cells)
            table.marks.append("")
        tables.append(table)
    return tables


def diff_tables(diff: list[SectionDiff], measures: dict[str, Measure]) -> list[Table]:
    """Changed rows show "before → after" in the changed cells; added and removed rows show whole."""
    tables = []
    for section in diff:
        if section.key == "report":
            table = Table("report", _("Confidentiality and note"), [_("What"), _("Before"), _("After")])
            for change in section.changes:
                name = change.fields[0]
                table.rows.append([name, _cell((change.before or {}).get(name), dict(Confidentiality.choices)),
                                   _cell((change.after or {}).get(name), dict(Confidentiality.choices))])  # fmt: skip
                table.marks.append("changed")
            tables.append(table)
            continue
        columns = _columns(section.key)
        labels = [c[1] for c in columns]
        if section.key == "checklist":
            labels = [_("Measure"), *labels]
        table = Table(section.key, Section(section.key).label, labels)
        for change in section.changes:
            cells = []
            for name, _label, choices, kind in columns:
                before = _cell((change.before or {}).get(name), choices, kind)
                after = _cell((change.after or {}).get(name), choices, kind)
                if change.kind == "changed" and name in change.fields:
                    cells.append(f"{before} → {after}")
                else:
                    cells.append(after if change.after is not None else before)
            if section.key == "checklist":
                code = (change.after or change.before or {}).get("measure", "")
                measure = measures.get(code)
                cells = [f"{code} {measure.display_title if measure else ''}".strip(), *cells]
            table.rows.append(cells)
            table.marks.append(change.kind)
        tables.append(table)
    return tables
