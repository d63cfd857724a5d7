"""What a draft's workbook holds: its sheets and their columns, taken from the editor's own forms.

A register sheet has the ID of the stored row, then one column per field of the register's row
form (reports.forms.registers); the checklist sheet has the measure's code and title, then the
fields of ChecklistAnswerForm. Headers, sheet names and choices are written in the workbook's
language and read back in any of the six.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from reports.forms.checklist import ChecklistAnswerForm
from reports.forms.registers import NOT_VALUES, REGISTER_FORMSETS
from reports.models import Section

ID = "row_id"
CODE = "code"
TITLE = "title"
# Field names whose values are Member States (a name in any UN language, or the ISO code).
STATE_FIELDS = ("origin", "destination")
STATES_FIELD = "transit"
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id, code, title, text, choice, date, decimal, int, bool, state, states
    field: forms.Field | None = None

    @property
    def choices(self) -> list[tuple[str, Any]]:
        if self.kind != "choice" or self.field is None:
            return []
        return [(str(value), label) for value, label in self.field.choices if value != ""]  # type: ignore[attr-defined]

    def header(self) -> str:
        """The header in the active language."""
        if self.kind == "id":
            return str(_("ID (do not change)"))
        if self.kind == "code":
            return str(_("Measure code"))
        if self.kind == "title":
            return str(_("Measure"))
        assert self.field is not None
        return str(self.field.label)


def _kind(name: str, field: forms.Field) -> str:
    if name in STATE_FIELDS:
        return "state"
    if name == STATES_FIELD:
        return "states"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.DecimalField):
        return "decimal"
    if isinstance(field, forms.IntegerField):
        return "int"
    if isinstance(field, forms.BooleanField):
        return "bool"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    return "text"


def form_class(section: str) -> type[forms.Form]:
    return ChecklistAnswerForm if section == Section.CHECKLIST else REGISTER_FORMSETS[section].form


@cache
def columns(section: str) -> tuple[Column, ...]:
    """The columns of a section's sheet, in order."""
    fields = form_class(section).base_fields
    values = tuple(Column(name, _kind(name, field), field) for name, field in fields.items() if name not in NOT_VALUES)
    if section == Section.CHECKLIST:
        return (Column(CODE, "code"), Column(TITLE, "title"), *values)
    return (Column(ID, "id"), *values)


def workbook_sections() -> list[str]:
    return [Section.CHECKLIST, *REGISTER_FORMSETS]


def sheet_title(section: str) -> str:
    """The section's sheet name in the active language (Excel: 31 characters, no []:*?/\\)."""
    return SHEET_NAME_BAD.sub(" ", str(Section(section).label))[:31].strip()


def _key(text: Any) -> str:
    return " ".join(str(text).replace("*", " ").split()).casefold()


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@cache
def _maps(section: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Header text -> column name, and per choice column, label -> value: every UN language."""
    headers: dict[str, str] = {}
    choice_values: dict[str, dict[str, str]] = {}
    for column in columns(section):
        headers[_key(column.name)] = column.name
    for language in languages():
        with translation.override(language):
            for column in columns(section):
                headers.setdefault(_key(column.header()), column.name)
                if column.kind == "choice":
                    mapping = choice_values.setdefault(column.name, {})
                    for value, label in column.choices:
                        mapping.setdefault(_key(value), value)
                        mapping.setdefault(_key(label), value)
    return headers, choice_values


def header_field(section: str, text: Any) -> str | None:
    """The column a header names, in any of the six languages (or by its field name); None if none."""
    return _maps(section)[0].get(_key(text))


def choice_value(section: str, name: str, text: str) -> str:
    """The stored value of a choice typed as its label in any language or as its code; else as typed."""
    return _maps(section)[1].get(name, {}).get(_key(text), text)


@cache
def section_of_sheet(title: str) -> str | None:
    """The section a sheet holds, by its name in any of the six languages."""
    for language in languages():
        with translation.override(language):
            for section in workbook_sections():
                if _key(sheet_title(section)) == _key(title):
                    return section
    return None


@cache
def yes_no() -> dict[str, bool]:
    """Yes and no in the six languages (and the usual spreadsheet spellings)."""
    words = {"1": True, "0": False, "true": True, "false": False, "x": True, "✓": True}
    for language in languages():
        with translation.override(language):
            words.setdefault(_key(_("Yes")), True)
            words.setdefault(_key(_("No")), False)
    return words


@cache
def is_instructions_sheet(title: str) -> bool:
    """Whether a sheet is the workbook's own instructions, in any of the six languages."""
    names = set()
    for language in languages():
        with translation.override(language):
            names.add(_key(_("Instructions")))
    return _key(title) in names
