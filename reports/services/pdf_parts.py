"""The compendium's parts, kept and found again by the data they were built from.

A part (the summary, a chunk of State profiles, the table of contents, the page numbers) is
stored through the private storage (reports.storage) as ``pdf/parts/<key>.pdf`` with ``<key>.json`` (its
page count and where each State starts), written last so that its presence means the part is
whole. The key is a SHA-256 of everything the part's bytes depend on:

- what was asked: the part's kind, cycle, distribution, language and reporting date;
- the data: for a chunk, each State (names, group) and each of its reports (status, dates,
  days late, the current version's id, content hash, reference and confidentiality), and the
  latest review event or assessment on them; for the summary, the cycle's latest change;
- the reference data every document prints (States, cycles, resolutions, measures);
- the code: the templates, the stylesheet, the modules that shape a document, the language's
  compiled catalogue, the WeasyPrint version and the PDF variant.

So a compendium rebuilt after one State's amendment renders that State's chunk and the summary
again and takes every other part as it is; rendering the same HTML gives the same bytes, so the
result is the same file as a build from nothing. Parts are shared by every job that asks for the
same thing; ``pdf_parts_prune`` removes those written more than a given time ago (one still
needed is rendered again).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max

from reports.models import Measure, MeasureAssessment, MemberState, Report, ReportingCycle, Resolution, ReviewEvent
from reports.pdf.documents import DocumentRequest
from reports.pdf.render import PDF_VARIANT
from reports.storage import private_storage

PARTS_DIR = "pdf/parts"
# Bump when something that shapes a part changes outside the files hashed below.
PART_FORMAT = 1
_CODE_PATHS = (
    "templates/pdf",
    "static/css/pdf.css",
    "reports/pdf",
    "reports/selectors",
    "reports/templatetags",
    "reports/models",
    "reports/charts.py",
    "reports/figures.py",
    "reports/services/pdf_parts.py",
    "reports/services/pdf_jobs.py",
    "reports/services/pdf_compendium.py",
)


@dataclass
class StoredPart:
    key: str
    pages: int
    entries: list[tuple[str, str, int]]  # (ISO3, name, page within the part, 0-based)


# --- keys -----------------------------------------------------------------------------------------


@functools.cache
def code_version(language: str) -> str:
    """The hash of the code, templates and catalogue a part in this language is made with."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(f"{PART_FORMAT}|{weasyprint.__version__}|{PDF_VARIANT}".encode())
    files: list[Path] = []
    for relative in _CODE_PATHS:
        path = root / relative
        files += (
            sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".css"))
            if path.is_dir()
            else [path]
        )
    files += sorted((root / "locale").glob(f"{language.replace('-', '_')}*/LC_MESSAGES/django.mo"))
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def reference_digest() -> str:
    """What every document prints from the reference data (names, labels, paragraphs, dates)."""
    digest = hashlib.sha256()
    for model in (MemberState, ReportingCycle, Resolution, Measure):
        for row in model.objects.order_by("pk").values_list():
            digest.update(_dumps(row).encode())
        digest.update(b"|")
    return digest.hexdigest()


def _request_fields(request: DocumentRequest) -> list[Any]:
    return [request.kind, request.distribution, request.language, request.today.isoformat(), request.cycle and request.cycle.pk]


def summary_part_key(request: DocumentRequest, *, reference: str) -> str:
    from reports.selectors.council import cycle_data_as_of

    assert request.cycle is not None
    reports = Report.objects.filter(cycle=request.cycle)
    return _key(
        "summary",
        request,
        reference,
        cycle_data_as_of(cycle=request.cycle),
        list(reports.order_by("pk").values_list(*_REPORT_FIELDS)),
    )


def profile_part_keys(request: DocumentRequest, chunks: list[list[int]], *, reference: str) -> list[str]:
    """One key per chunk of State ids, from three queries whatever the number of chunks."""
    ids = [pk for chunk in chunks for pk in chunk]
    reports: dict[int, list[Any]] = {pk: [] for pk in ids}
    for row in Report.objects.filter(state_id__in=ids).order_by("pk").values_list("state_id", *_REPORT_FIELDS):
        reports[row[0]].append(row[1:])
    stamps: dict[int, list[Any]] = {pk: [] for pk in ids}
    for model, field in ((ReviewEvent, "created_at"), (MeasureAssessment, "assessed_at")):
        rows = model.objects.filter(report__state_id__in=ids).values("report__state_id").annotate(at=Max(field)).order_by()
        for row in rows:
            stamps[row["report__state_id"]].append((model.__name__, row["at"]))
    return [
        _key("profiles", request, reference, [(pk, reports[pk], sorted(stamps[pk], key=str)) for pk in chunk]) for chunk in chunks
    ]


def html_part_key(request: DocumentRequest, name: str, html: str) -> str:
    """For the small parts made from the others (contents, page numbers): the HTML itself."""
    return _key(name, request, "", hashlib.sha256(html.encode()).hexdigest())


_REPORT_FIELDS = (
    "pk",
    "cycle_id",
    "status",
    "first_submitted_at",
    "is_late",
    "days_late",
    "updated_at",
    "current_version_id",
    "current_version__content_sha256",
    "current_version__reference",
    "current_version__confidentiality",
    "current_version__section_confidentiality",
    "current_version__updated_at",
)


def _key(name: str, request: DocumentRequest, reference: str, *data: Any) -> str:
    payload = _dumps([name, _request_fields(request), code_version(request.language), reference, *data])
    return hashlib.sha256(payload.encode()).hexdigest()


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_plain, sort_keys=True, ensure_ascii=True)


def _plain(value: Any) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


# --- storage --------------------------------------------------------------------------------------


def _base(key: str) -> str:
    return f"{PARTS_DIR}/{key[:2]}/{key}"


def part_get(key: str) -> StoredPart | None:
    """The stored part, if it is whole (its .json is written after its .pdf)."""
    name = _base(key) + ".json"
    if not private_storage.exists(name):
        return None
    with private_storage.open(name) as handle:
        data = json.load(handle)
    return StoredPart(key=key, pages=data["pages"], entries=[tuple(e) for e in data["entries"]])  # type: ignore[misc]


def part_content(key: str) -> bytes:
    with private_storage.open(_base(key) + ".pdf") as handle:
        return handle.read()


def part_put(*, key: str, content: bytes, pages: int, entries: Iterable[tuple[str, str, int]] = ()) -> StoredPart:
    """Store a part. Two workers storing the same key store the same bytes: the first one stays."""
    base = _base(key)
    for suffix, data in ((".pdf", content), (".json", json.dumps({"pages": pages, "entries": list(entries)}).encode())):
        name = base + suffix
        if private_storage.exists(name):
            continue
        saved = private_storage.save(name, ContentFile(data))
        if saved != name:  # someone else stored it meanwhile (the storage renamed ours)
            private_storage.delete(saved)
    found = part_get(key)
    assert found is not None
    return found


def pdf_parts_prune(*, older_than: datetime.timedelta) -> int:
    """Delete the parts written more than ``older_than`` ago."""
    from django.utils import timezone

    limit = timezone.now() - older_than
    removed = 0
    try:  # not exists(): in an S3 store a "folder" is a prefix, never an object of its own
        directories, _files = private_storage.listdir(PARTS_DIR)
    except FileNotFoundError:  # a local folder before the first part
        return 0
    for directory in directories:
        _dirs, files = private_storage.listdir(f"{PARTS_DIR}/{directory}")
        for name in files:
            path = f"{PARTS_DIR}/{directory}/{name}"
            if private_storage.get_modified_time(path) < limit:
                private_storage.delete(path)
                removed += 1
    return removed
