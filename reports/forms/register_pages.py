"""A register's editor page: one page of stored rows, with the rows kept as typed that belong on it.

A register of any size opens and saves at the cost of one page: the page's stored rows are a
slice of the register (position, id), its forms are numbered by their place in the register,
and the rows with errors kept as typed (DraftInput, an entry per row) are shown where they were
typed: a stored row's correction in place of the row, a new row below the row it was added after
(or on the last page when that row is gone).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from reports.models import ReportVersion
from reports.services.drafts import (
    REGISTER_MAX_ROWS,
    REGISTER_PAGE_SIZE,
    register_page_of,
    register_row_numbers,
)

from .registers import NOT_VALUES, PAGE_MAX_FORMS, REGISTER_FORMSETS, BaseRegisterFormSet

FULL_MESSAGE = _(
    "The register holds %(max)s rows, as many as a register may: this row is kept as you typed it but not saved. "
    "Remove rows you no longer need, or report the rest in an addendum."
)


@dataclass
class RegisterPage:
    formset: BaseRegisterFormSet
    number: int
    num_pages: int
    count: int
    # Pages (other than this one) that hold rows kept with errors.
    pages_with_errors: list[int] = field(default_factory=list)

    @property
    def first(self) -> int:
        return (self.number - 1) * REGISTER_PAGE_SIZE + 1 if self.count else 0

    @property
    def last(self) -> int:
        return min(self.count, self.number * REGISTER_PAGE_SIZE)

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers to link, None where a run of pages is left out (1 … 4 5 6 … 60)."""
        near = {1, 2, self.num_pages - 1, self.num_pages, *range(self.number - 2, self.number + 3)}
        links: list[int | None] = []
        for n in range(1, self.num_pages + 1):
            if n in near:
                links.append(n)
            elif links and links[-1] is not None:
                links.append(None)
        return links

    @property
    def max_forms(self) -> int:
        return PAGE_MAX_FORMS

    @property
    def max_rows(self) -> int:
        return REGISTER_MAX_ROWS


def page_number(value: Any) -> int:
    """The page a request names (1 when it names none or nonsense); never beyond a full register."""
    try:
        number = int(str(value or "1"))
    except ValueError:
        return 1
    return min(max(number, 1), math.ceil(REGISTER_MAX_ROWS / REGISTER_PAGE_SIZE) + 1)


def register_page(
    *,
    section: str,
    version: ReportVersion,
    rows: QuerySet[Any],
    number: int,
    data: QueryDict | None,
    pending: list[dict[str, Any]],
    initial_of: Callable[[Any], dict[str, Any]],
    form_kwargs: dict[str, Any],
) -> RegisterPage:
    """The page `number` of a register: bound to `data` when it was posted, else its stored rows
    (a slice of `rows`, the register in order) with the `pending` rows kept as typed in place."""
    formset_class = REGISTER_FORMSETS[section]
    offset = (number - 1) * REGISTER_PAGE_SIZE
    if data is not None:
        formset = formset_class(data, prefix=section, offset=offset, form_kwargs=form_kwargs)
        return RegisterPage(formset=formset, number=number, num_pages=number, count=0)

    count = rows.count()
    num_pages = max(1, math.ceil(count / REGISTER_PAGE_SIZE))
    number = min(number, num_pages)
    offset = (number - 1) * REGISTER_PAGE_SIZE
    stored = list(rows[offset : offset + REGISTER_PAGE_SIZE])
    on_page = {row.pk for row in stored}

    by_row: dict[int, dict[str, Any]] = {}
    below: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for entry in pending:
        if entry.get("row_id"):
            by_row[int(entry["row_id"])] = entry
        else:
            below[entry.get("after")].append(entry)
    # Rows kept as typed whose place is not on this page: where are they? (one query)
    elsewhere = {pk for pk in [*by_row, *(k for k in below if k)] if pk not in on_page}
    numbers = register_row_numbers(version=version, section=section, row_ids=sorted(elsewhere)) if elsewhere else {}
    gone = elsewhere - set(numbers)

    items: list[tuple[dict[str, Any], dict[str, Any] | None]] = []  # (initial, entry kept as typed)
    for row in stored:
        items.append((initial_of(row), by_row.get(row.pk)))
        items.extend(({}, entry) for entry in below.get(row.pk, []))
    if number == num_pages:
        # Rows kept as typed whose row or anchor is gone (or that were typed in an empty register).
        items.extend(({}, {**by_row[pk], "row_id": None}) for pk in sorted(gone) if pk in by_row)
        items.extend(({}, entry) for anchor in [None, *sorted(gone)] for entry in below.get(anchor, []))
    items = items[:PAGE_MAX_FORMS]

    form_data: dict[int, QueryDict] = {}
    for index, (_initial, kept) in enumerate(items):
        if kept is None:
            continue
        prefix = f"{section}-{offset + index}"
        query = QueryDict(mutable=True)
        for name, values in (kept.get("values") or {}).items():
            if name not in NOT_VALUES:
                query.setlist(f"{prefix}-{name}", [str(value) for value in values])
        if kept.get("row_id"):
            query[f"{prefix}-row_id"] = str(kept["row_id"])
        else:
            query[f"{prefix}-draft_key"] = str(kept.get("key", ""))
        form_data[index] = query
    formset = formset_class(
        initial=[initial for initial, _entry in items],
        prefix=section,
        offset=offset,
        form_data=form_data,
        form_kwargs=form_kwargs,
    )
    for index, (_initial, kept) in enumerate(items):
        if kept and kept.get("full"):
            form = formset.forms[index]
            if form.is_valid():
                form.add_error(None, FULL_MESSAGE % {"max": f"{REGISTER_MAX_ROWS:,}"})

    pages = {register_page_of(n) for n in numbers.values()}
    if gone or below.get(None):
        pages.add(num_pages)
    pages.discard(number)
    return RegisterPage(formset=formset, number=number, num_pages=num_pages, count=count, pages_with_errors=sorted(pages))


def legacy_pending_rows(section: str, data: dict[str, Any], form_kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows kept as typed by the whole-register editor (a flat post: "oil-3-date": [...]), as entries.

    That editor kept the whole section's input; only its rows that do not validate are kept."""
    formset_class = REGISTER_FORMSETS[section]
    groups: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for key, values in data.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == section and parts[1].isdigit():
            groups[int(parts[1])][parts[2]] = [str(value) for value in values]
    entries = []
    after: int | None = None
    for index in sorted(groups):
        fields = groups[index]
        if fields.get("DELETE"):
            continue
        query = QueryDict(mutable=True)
        for name, values in fields.items():
            query.setlist(f"x-{name}", values)
        form = formset_class.form(query, prefix="x", **form_kwargs)
        row_id = fields.get("row_id", [""])[0]
        row_id_int = int(row_id) if row_id.isdigit() else None
        if form.is_valid():
            after = row_id_int or after
            continue
        values = {name: v for name, v in fields.items() if name not in NOT_VALUES}
        key = f"r{row_id_int}" if row_id_int else f"n{index:016x}"
        entries.append(
            {"key": key, "row_id": row_id_int, "after": None if row_id_int else after, "values": values, "full": False}
        )
    return entries
