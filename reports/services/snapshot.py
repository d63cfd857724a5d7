"""The canonical content of a report version: what is frozen, hashed and compared."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from reports.models import OilInterdictionTransit, ReportVersion

REGISTERS = {
    "oil": ("oilinterdiction_rows", ["date", "place", "place_kind", "commodity", "quantity", "unit", "value", "currency",
                                     "direction", "origin__iso3", "destination__iso3", "parties", "proceedings", "outcome"]),
    "assets": ("frozenasset_rows", ["listed_party", "list_ref", "asset_type", "amount", "currency", "date_frozen",
                                    "institution_kind"]),
    "cultural": ("culturalseizure_rows", ["date", "description", "provenance", "count", "returned", "parties"]),
    "ransom": ("ransomcase_rows", ["date", "kind", "description", "amount", "currency", "prevented", "list_ref"]),
    "str": ("suspicioustransactioncount_rows", ["period_start", "period_end", "count"]),
}  # fmt: skip


def version_content(version: ReportVersion) -> dict[str, Any]:
    """A plain, ordered dict of everything the State reported in this version."""
    content: dict[str, Any] = {
        "report": {
            "state": version.report.state.iso3,
            "cycle": version.report.cycle.code,
            "version": version.number,
            "confidentiality": version.confidentiality,
            "section_confidentiality": dict(sorted(version.section_confidentiality.items())),
            "note": version.note,
        },
        "checklist": [
            {
                "measure": measure_code,
                "answer": answer,
                "legal_reference": legal_reference,
                "narrative": narrative,
                "evidence_location": evidence_location,
            }
            for measure_code, answer, legal_reference, narrative, evidence_location in version.answers.order_by(
                "measure__code"
            ).values_list("measure__code", "answer", "legal_reference", "narrative", "evidence_location")
        ],
    }
    for key, (related, fields) in REGISTERS.items():
        rows = getattr(version, related).order_by("position", "id").values("id", *fields)
        content[key] = [{field: _plain(value) for field, value in row.items()} for row in rows]
    if content["oil"]:
        # The route in the order the State gave it (versions frozen before 0009 stored it sorted).
        transit: dict[int, list[str]] = {}
        for row_id, iso3 in OilInterdictionTransit.objects.filter(oilinterdiction__version=version).values_list(
            "oilinterdiction_id", "memberstate__iso3"
        ):
            transit.setdefault(row_id, []).append(iso3)
        for row in content["oil"]:
            row["transit"] = transit.get(row["id"], [])
    for key in REGISTERS:
        for row in content[key]:
            del row["id"]
    content["attachments"] = [
        {"name": name, "sha256": sha, "size": size, "kind": kind, "content_type": ctype}
        for name, sha, size, kind, ctype in version.attachments.order_by("uploaded_at", "id").values_list(
            "original_name", "sha256", "size", "kind", "content_type"
        )
    ]
    return content


def content_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
