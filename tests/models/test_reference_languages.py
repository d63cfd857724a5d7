"""Reference data reads in the six UN languages: every label in the fixture files, and every
label the loader puts in the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reports.models import Measure, MemberState, Obligation, ReportingCycle, Resolution
from reports.models.i18n import UN_LANGUAGES
from reports.services.reference_data import FIXTURES

FILES = ("measures.json", "resolutions.json", "cycles.json", "member_states.json")


def _label_dicts(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dict keyed by a language code, wherever it sits (titles, guidance, names, labels ...)."""
    if isinstance(node, dict):
        if set(node) & set(UN_LANGUAGES):
            yield where, node
            return
        for key, value in node.items():
            yield from _label_dicts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            code = value.get("code") or value.get("iso3") or value.get("number") if isinstance(value, dict) else None
            yield from _label_dicts(value, f"{where}[{code or index}]")


def _fixture(name: str) -> Any:
    return json.loads((Path(FIXTURES) / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_every_label_in_the_fixture_has_a_text_in_each_un_language(name):
    found = list(_label_dicts(_fixture(name), name))
    assert found, f"{name} holds no labels"
    gaps = [
        f"{where}: {lang}"
        for where, labels in found
        for lang in UN_LANGUAGES
        if not isinstance(labels.get(lang), str) or not labels[lang].strip()
    ]
    assert not gaps, "missing or empty:\n" + "\n".join(gaps)
    strays = [f"{where}: {sorted(set(labels) - set(UN_LANGUAGES))}" for where, labels in found if set(labels) - set(UN_LANGUAGES)]
    assert not strays, "keys that are not UN languages:\n" + "\n".join(strays)


def test_the_labels_that_pages_show_are_the_ones_checked():
    # The walk above would pass on a file that lost its labels; hold the known fields to it.
    measures = _fixture("measures.json")
    assert len(measures) == 42 and all(m["title"] and m["guidance"] for m in measures)
    for resolution in _fixture("resolutions.json"):
        assert resolution["title"] and resolution["summary"]
        assert all(o["title"] and o["description"] for o in resolution["obligations"])
    assert all(c["label"] for c in _fixture("cycles.json"))
    assert all(s["names"] for s in _fixture("member_states.json"))


def test_a_translation_is_not_a_copy_of_the_english(reference):
    for code, guidance in Measure.objects.values_list("code", "guidance"):
        others = [guidance[lang] for lang in UN_LANGUAGES if lang != "en"]
        assert guidance["en"] not in others, code


def test_every_loaded_label_reads_in_each_un_language(reference):
    # Tests make cycles of their own (labelled in English only); only the reference cycles count.
    cycles = [c["code"] for c in _fixture("cycles.json")]
    tables = [
        (Measure.objects.all(), ("title", "guidance")),
        (Resolution.objects.all(), ("title", "summary")),
        (Obligation.objects.all(), ("title", "description")),
        (ReportingCycle.objects.filter(code__in=cycles), ("label",)),
        (MemberState.objects.all(), ("names",)),
    ]
    for rows, fields in tables:
        assert rows.exists()
        for row in rows:
            for field in fields:
                labels = getattr(row, field)
                missing = [lang for lang in UN_LANGUAGES if not (labels.get(lang) or "").strip()]
                assert not missing, (type(row).__name__, str(row), field, missing)
