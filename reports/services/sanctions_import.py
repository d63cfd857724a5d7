"""Importing the ISIL (Da'esh) & Al-Qaida Sanctions List from the Council's Consolidated List XML.

One import is one transaction and one `SanctionsSnapshot`: either the whole file is taken and its
snapshot becomes current, or it is refused (`SanctionsListRefused`, with a reason in the reader's
language) and the snapshot in force stays so. The same file twice (same SHA-256) changes nothing.

Parsing is defusedxml's: no DTD, no entity declarations, no external references, so neither
entity expansion ("billion laughs") nor a network fetch can happen; a size cap applies before any
byte is parsed. Only this regime's entries (references starting "QD") are kept.

Counting, per reference, against the entries the portal already holds:
- added: a reference the portal has never seen;
- delisted: listed before, and now carries DELISTED_ON or is missing from the file ("removed");
- relisted: delisted or removed before, and listed again;
- amended: any other change of content (names, dates, nationality, details).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import (
    ChangeKind,
    EntryKind,
    NameKind,
    NameQuality,
    SanctionsChange,
    SanctionsEntry,
    SanctionsName,
    SanctionsSnapshot,
)
from reports.services.audit import audit_log
from reports.services.parties import normalize_party_name

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from reports.models import User

REGIME_PREFIX = "QD"
QUALITIES = {"good": NameQuality.GOOD, "low": NameQuality.LOW, "a.k.a.": NameQuality.AKA, "f.k.a.": NameQuality.FKA}


class SanctionsListRefused(Exception):
    """The file is not taken; `reason` says why (translatable), the snapshot in force stays."""

    def __init__(self, reason: str | Promise) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass
class ImportResult:
    snapshot: SanctionsSnapshot
    unchanged: bool = False  # the same file was imported before: nothing changed
    added: list[str] = field(default_factory=list)
    amended: list[str] = field(default_factory=list)
    delisted: list[str] = field(default_factory=list)
    relisted: list[str] = field(default_factory=list)
    skipped_other_regimes: int = 0


def normalise_name(name: str) -> str:
    """The normalised form stored beside each name (the screening module may refill it with its own)."""
    return normalize_party_name(name)[:500]


def max_bytes() -> int:
    return int(getattr(settings, "SANCTIONS_LIST_MAX_BYTES", 50 * 1024 * 1024))


def _too_large() -> SanctionsListRefused:
    return SanctionsListRefused(
        _("The file is larger than %(limit)d MB, the most a Sanctions List may weigh.")
        % {"limit": max(1, max_bytes() // (1024 * 1024))}
    )


def read_capped(stream: IO[bytes], *, declared_size: int | None = None) -> bytes:
    """Read a file or response, refusing as soon as it passes the cap (never more than cap + 1 bytes)."""
    limit = max_bytes()
    if declared_size is not None and declared_size > limit:
        raise _too_large()
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large()
    return b"".join(chunks)


def fetch_sanctions_list(url: str) -> bytes:
    """Download the list from an explicit http(s) URL, with a timeout and the size cap."""
    if not url.lower().startswith(("http://", "https://")):
        raise SanctionsListRefused(_("Only an http or https address can be fetched."))
    timeout = int(getattr(settings, "SANCTIONS_LIST_FETCH_TIMEOUT", 60))
    headers = {"User-Agent": "sanctions-portal/1", "Accept": "application/xml"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            length = response.headers.get("Content-Length")
            declared = int(length) if length and length.isdigit() else None
            return read_capped(response, declared_size=declared)
    except SanctionsListRefused:
        raise
    except (OSError, ValueError) as exc:
        raise SanctionsListRefused(_("The list could not be downloaded: %(error)s") % {"error": exc}) from exc


# --- parsing -------------------------------------------------------------------------------------


def _text(el: Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _record(el: Element) -> dict[str, str]:
    """A repeated block (date of birth, document, address ...) as its non-empty fields."""
    return {child.tag.lower(): _text(child) for child in el if _text(child)}


@dataclass
class ParsedEntry:
    reference: str
    dataid: str
    kind: str
    primary_name: str
    name_original_script: str
    listed_on: datetime.date | None
    delisted_on: datetime.date | None
    last_updated: datetime.date | None
    nationalities: list[str]
    details: dict[str, Any]
    names: list[tuple[str, str, str]]  # (name, kind, quality)

    @property
    def content_hash(self) -> str:
        content = {
            "kind": self.kind,
            "dataid": self.dataid,
            "primary_name": self.primary_name,
            "name_original_script": self.name_original_script,
            "listed_on": str(self.listed_on),
            "delisted_on": str(self.delisted_on),
            "last_updated": str(self.last_updated),
            "nationalities": self.nationalities,
            "details": self.details,
            "names": self.names,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _parse_entry(el: Element, kind: str, reference: str) -> ParsedEntry:
    prefix = "INDIVIDUAL" if kind == EntryKind.INDIVIDUAL else "ENTITY"
    parts = [_text(el.find(tag)) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    primary = " ".join(p for p in parts if p)
    original = _text(el.find("NAME_ORIGINAL_SCRIPT"))
    names: list[tuple[str, str, str]] = [(primary, NameKind.PRIMARY, NameQuality.GOOD)]
    if original:
        names.append((original, NameKind.ORIGINAL_SCRIPT, NameQuality.GOOD))
    for alias in el.findall(f"{prefix}_ALIAS"):
        quality = QUALITIES.get(_text(alias.find("QUALITY")).casefold(), NameQuality.NONE)
        for name in _text(alias.find("ALIAS_NAME")).split(";"):
            name = name.strip()
            if name and (name, NameKind.ALIAS, quality) not in names:
                names.append((name, NameKind.ALIAS, quality))
    updated = [d for d in (_date(_text(v)) for v in el.findall("LAST_DAY_UPDATED/VALUE")) if d]
    details: dict[str, Any] = {
        "list_type": _text(el.find("UN_LIST_TYPE")),
        "comments": _text(el.find("COMMENTS1")),
        "titles": [_text(v) for v in el.findall("TITLE/VALUE") if _text(v)],
        "designations": [_text(v) for v in el.findall("DESIGNATION/VALUE") if _text(v)],
        "addresses": [r for r in (_record(a) for a in el.findall(f"{prefix}_ADDRESS")) if r],
    }
    if kind == EntryKind.INDIVIDUAL:
        details["dates_of_birth"] = [r for r in (_record(d) for d in el.findall("INDIVIDUAL_DATE_OF_BIRTH")) if r]
        details["places_of_birth"] = [r for r in (_record(p) for p in el.findall("INDIVIDUAL_PLACE_OF_BIRTH")) if r]
        details["documents"] = [r for r in (_record(d) for d in el.findall("INDIVIDUAL_DOCUMENT")) if r]
    details = {key: value for key, value in details.items() if value}
    return ParsedEntry(
        reference=reference,
        dataid=_text(el.find("DATAID"))[:20],
        kind=kind,
        primary_name=primary[:500],
        name_original_script=original[:500],
        listed_on=_date(_text(el.find("LISTED_ON"))),
        delisted_on=_date(_text(el.find("DELISTED_ON"))),
        last_updated=max(updated) if updated else None,
        nationalities=[_text(v) for v in el.findall("NATIONALITY/VALUE") if _text(v)],
        details=details,
        names=[(n[:500], k, q) for n, k, q in names],
    )


def _entries(root: Element) -> Iterator[tuple[Element, str]]:
    for el in root.findall("INDIVIDUALS/INDIVIDUAL"):
        yield el, EntryKind.INDIVIDUAL
    for el in root.findall("ENTITIES/ENTITY"):
        yield el, EntryKind.ENTITY


@dataclass
class ParsedList:
    generated_at: datetime.datetime
    entries: dict[str, ParsedEntry]
    skipped: int


def parse_sanctions_list(data: bytes) -> ParsedList:
    """Parse and check the whole file; refuse (SanctionsListRefused) with the first reason found."""
    if len(data) > max_bytes():
        raise _too_large()
    if not data.strip():
        raise SanctionsListRefused(_("The file is empty."))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SanctionsListRefused(
            _("The file declares a document type, entities or external references, which a Sanctions List never does.")
        ) from exc
    except (ParseError, ValueError) as exc:
        raise SanctionsListRefused(
            _("The file is not well-formed XML (broken or cut short): %(error)s") % {"error": exc}
        ) from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise SanctionsListRefused(
            _("This is not a Consolidated List: the root element is <%(tag)s>, not <CONSOLIDATED_LIST>.")
            % {"tag": str(root.tag)[:80]}
        )
    generated = root.get("dateGenerated", "").strip()
    try:
        generated_at = datetime.datetime.fromisoformat(generated)
    except ValueError as exc:
        raise SanctionsListRefused(_("The list does not say when it was generated (dateGenerated).")) from exc
    if timezone.is_naive(generated_at):
        generated_at = generated_at.replace(tzinfo=datetime.UTC)
    entries: dict[str, ParsedEntry] = {}
    seen: set[str] = set()
    skipped = 0
    for position, (el, kind) in enumerate(_entries(root), start=1):
        reference = _text(el.find("REFERENCE_NUMBER"))
        if not reference:
            raise SanctionsListRefused(
                _("Entry %(position)d (data id %(dataid)s) has no REFERENCE_NUMBER.")
                % {"position": position, "dataid": _text(el.find("DATAID")) or "?"}
            )
        if reference in seen:
            raise SanctionsListRefused(_("The reference %(reference)s appears twice.") % {"reference": reference[:40]})
        seen.add(reference)
        if not reference.startswith(REGIME_PREFIX):
            skipped += 1
            continue
        if len(reference) > 20:
            raise SanctionsListRefused(_("The reference %(reference)s is too long.") % {"reference": reference[:40]})
        entry = _parse_entry(el, kind, reference)
        if not entry.primary_name:
            raise SanctionsListRefused(_("The entry %(reference)s has no name.") % {"reference": reference})
        entries[reference] = entry
    if not entries:
        raise SanctionsListRefused(_("The file holds no entry of the ISIL (Da'esh) & Al-Qaida Sanctions List."))
    return ParsedList(generated_at=generated_at, entries=entries, skipped=skipped)


# --- importing ------------------------------------------------------------------------------------


def import_sanctions_list(data: bytes, *, source: str, user: User | None = None) -> ImportResult:
    """Take a Consolidated List file as the new current snapshot (or refuse it, changing nothing)."""
    sha256 = hashlib.sha256(data).hexdigest()
    existing = SanctionsSnapshot.objects.filter(sha256=sha256).first()
    if existing is not None:
        return ImportResult(snapshot=existing, unchanged=True)
    parsed = parse_sanctions_list(data)
    try:
        with transaction.atomic():
            return _import(parsed, sha256=sha256, source=source, user=user)
    except IntegrityError as exc:
        # Two imports at once: the unique SHA-256 or the one-current constraint stopped the second.
        raise SanctionsListRefused(_("Another import ran at the same time; try again.")) from exc


def _import(parsed: ParsedList, *, sha256: str, source: str, user: User | None) -> ImportResult:
    previous = SanctionsSnapshot.objects.select_for_update().filter(is_current=True).first()
    if previous is not None and parsed.generated_at < previous.generated_at:
        # An older file would silently undo listings; the Secretariat imports the newer one instead.
        raise SanctionsListRefused(
            _("This list was generated on %(file)s, before the list in force (%(current)s).")
            % {"file": f"{parsed.generated_at:%Y-%m-%d %H:%M %z}", "current": f"{previous.generated_at:%Y-%m-%d %H:%M %z}"}
        )
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    snapshot = SanctionsSnapshot.objects.create(
        generated_at=parsed.generated_at,
        sha256=sha256,
        source=source[:500],
        imported_by=user if user is not None and user.pk else None,
        entries_count=len(parsed.entries),
        is_current=True,
    )
    result = ImportResult(snapshot=snapshot, skipped_other_regimes=parsed.skipped)
    known = {e.reference: e for e in SanctionsEntry.objects.all()}
    changes: list[SanctionsChange] = []
    to_create: list[SanctionsEntry] = []
    to_update: list[SanctionsEntry] = []
    renamed: list[tuple[SanctionsEntry, ParsedEntry]] = []  # entries whose name forms are (re)written
    rewritten: list[int] = []  # known entries whose content changed: their old name forms go
    for reference, item in parsed.entries.items():
        old = known.get(reference)
        if old is None:
            entry = SanctionsEntry(reference=reference, first_snapshot=snapshot, last_snapshot=snapshot)
            _fill(entry, item)
            to_create.append(entry)
            result.added.append(reference)
            renamed.append((entry, item))
            continue
        was_listed = previous is not None and old.last_snapshot_id == previous.pk and old.delisted_on is None
        now_listed = item.delisted_on is None
        kind = None
        detail: dict[str, Any] = {}
        if was_listed and not now_listed:
            kind, detail = ChangeKind.DELISTED, {"delisted_on": str(item.delisted_on)}
            result.delisted.append(reference)
        elif not was_listed and now_listed:
            kind = ChangeKind.RELISTED
            result.relisted.append(reference)
        elif old.content_hash != item.content_hash:
            kind, detail = ChangeKind.AMENDED, {"fields": _changed_fields(old, item)}
            result.amended.append(reference)
        if old.content_hash != item.content_hash:
            _fill(old, item)
            renamed.append((old, item))
            rewritten.append(old.pk)
        old.last_snapshot = snapshot
        to_update.append(old)
        if kind is not None:
            changes.append(SanctionsChange(snapshot=snapshot, entry=old, change=kind, detail=detail))
    if previous is not None:
        for reference, old in known.items():
            if reference not in parsed.entries and old.last_snapshot_id == previous.pk and old.delisted_on is None:
                changes.append(
                    SanctionsChange(snapshot=snapshot, entry=old, change=ChangeKind.DELISTED, detail={"removed": True})
                )
                result.delisted.append(reference)
    SanctionsEntry.objects.bulk_create(to_create)
    SanctionsEntry.objects.bulk_update(to_update, [*_FIELDS, "last_snapshot"], batch_size=500)
    changes += [SanctionsChange(snapshot=snapshot, entry=e, change=ChangeKind.ADDED) for e in to_create]
    SanctionsChange.objects.bulk_create(changes)
    SanctionsName.objects.filter(entry_id__in=rewritten).delete()
    SanctionsName.objects.bulk_create(
        SanctionsName(entry=entry, name=name, kind=kind, quality=quality, normalised=normalise_name(name))
        for entry, item in renamed
        for name, kind, quality in item.names
    )
    snapshot.added, snapshot.amended = len(result.added), len(result.amended)
    snapshot.delisted, snapshot.relisted = len(result.delisted), len(result.relisted)
    snapshot.save(update_fields=["added", "amended", "delisted", "relisted"])
    audit_log(
        action="sanctions_list_imported",
        actor=user,
        obj=snapshot,
        actor_name="" if user else "system",
        source=source[:500],
        sha256=sha256,
        generated_at=parsed.generated_at.isoformat(),
        added=snapshot.added,
        amended=snapshot.amended,
        delisted=snapshot.delisted,
        relisted=snapshot.relisted,
        entries=snapshot.entries_count,
    )
    # Every named party is screened against the new list in the background (issue 11, item 6).
    from reports.services.screening.runs import screening_run_request

    screening_run_request(snapshot=snapshot, user=user)
    return result


_FIELDS = [
    "dataid",
    "kind",
    "primary_name",
    "name_original_script",
    "listed_on",
    "delisted_on",
    "last_updated",
    "nationalities",
    "details",
    "content_hash",
]


def _fill(entry: SanctionsEntry, item: ParsedEntry) -> None:
    entry.dataid = item.dataid
    entry.kind = item.kind
    entry.primary_name = item.primary_name
    entry.name_original_script = item.name_original_script
    entry.listed_on = item.listed_on
    entry.delisted_on = item.delisted_on
    entry.last_updated = item.last_updated
    entry.nationalities = item.nationalities
    entry.details = item.details
    entry.content_hash = item.content_hash


def _changed_fields(old: SanctionsEntry, item: ParsedEntry) -> list[str]:
    """Which parts of an entry an amendment touched (names compared as a set, in the entry's detail)."""
    changed = [
        name
        for name in ("primary_name", "name_original_script", "listed_on", "last_updated", "nationalities", "details")
        if getattr(old, name) != getattr(item, name)
    ]
    old_names = {(n.name, n.kind, n.quality) for n in old.names.all()}
    if old_names != set(item.names):
        changed.append("names")
    return changed
