"""Reading a PDF's structure tree (the tags assistive technology follows) with pypdf."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class Structure:
    lang: str | None
    marked: bool
    tags: Counter[str] = field(default_factory=Counter)
    order: list[str] = field(default_factory=list)  # element types, depth first, as a reader meets them
    pages_with_tags: set[int] = field(default_factory=set)
    pdfa: str = ""  # "2A" from the XMP's pdfaid:part and pdfaid:conformance
    tagged_pages: int = 0  # pages that say which structure elements their content belongs to
    # Pages whose /ParentTree entry lists elements of another page (a merge that renumbered wrong).
    misplaced: list[int] = field(default_factory=list)


def structure_of(content: bytes) -> Structure:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    lang = str(root["/Lang"]) if "/Lang" in root else None
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info and mark_info.get_object().get("/Marked"))
    structure = Structure(lang=lang, marked=marked)
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}  # type: ignore[union-attr]
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        _walk(tree.get_object().get("/K"), structure, page_numbers)
    structure.tagged_pages = sum(1 for page in reader.pages if "/StructParents" in page)
    if tree is not None:
        nums = tree.get_object()["/ParentTree"].get_object().get("/Nums", [])
        entries = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
        for number, page in enumerate(reader.pages):
            if "/StructParents" not in page:
                continue
            entry = entries.get(int(page["/StructParents"]))
            elements = list(entry) if isinstance(entry, ArrayObject) else [entry]
            for element in elements:
                element = element.get_object() if element is not None else None
                if element is None or ("/Pg" in element and page_numbers.get(element.raw_get("/Pg").idnum) != number):
                    structure.misplaced.append(number)
                    break
    metadata = reader.xmp_metadata
    if metadata is not None:
        part = metadata.get_element("", "http://www.aiim.org/pdfa/ns/id/", "part")
        conformance = metadata.get_element("", "http://www.aiim.org/pdfa/ns/id/", "conformance")
        structure.pdfa = "".join(str(node.nodeValue) for node in [*part, *conformance])
    return structure


def _walk(kids: Any, structure: Structure, pages: dict[int, int]) -> None:
    if kids is None:
        return
    kids = kids.get_object()
    if not isinstance(kids, ArrayObject):
        kids = [kids]
    for kid in kids:
        element = kid.get_object()
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            continue
        tag = str(element["/S"])[1:]
        structure.tags[tag] += 1
        structure.order.append(tag)
        if "/Pg" in element:
            structure.pages_with_tags.add(pages.get(element.raw_get("/Pg").idnum, -1))
        _walk(element.get("/K"), structure, pages)
