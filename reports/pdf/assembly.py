"""Merging tagged PDFs (the compendium's parts) into one tagged, archival PDF.

pypdf's PdfWriter.append copies pages and what they reference, but not the document's
structure tree (the tags a screen reader follows: /StructTreeRoot is reached from the
catalog, not from the pages), nor /Lang, /MarkInfo, the XMP metadata or the output intent:
a merged compendium read "Tagged: no". Here each part's tree is grafted under one
/Document element as a /Part, its /ParentTree entries (which map a page's marked content to
its structure elements) are renumbered for the merged page order, and the catalog gets the
entries of a tagged PDF/A-2a file, its XMP rebuilt for the merged document.

Nothing here reads the clock or draws random numbers: the same parts give the same bytes.
"""

from __future__ import annotations

import datetime
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from weasyprint import __version__ as WEASYPRINT_VERSION
from weasyprint.pdf.metadata import DocumentMetadata

PRODUCER = f"WeasyPrint {WEASYPRINT_VERSION}"  # what the XMP says; the info dictionary must agree


class TaggedMerger:
    """Append tagged PDFs one after the other, keeping every part's structure tree."""

    def __init__(self) -> None:
        self.writer = PdfWriter()
        self.writer.pdf_header = b"%PDF-1.7"
        self._parent_tree = ArrayObject()  # the merged /ParentTree's /Nums: key, value, key, value ...
        self._next_key = 0
        self._root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self._root_ref = self.writer._add_object(self._root)
        self._document = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Document"),
                NameObject("/P"): self._root_ref,
                NameObject("/K"): ArrayObject(),
            }
        )
        self._document_ref = self.writer._add_object(self._document)
        self._root[NameObject("/K")] = ArrayObject([self._document_ref])
        self._first: PdfReader | None = None

    def append(self, reader: PdfReader, *, outline_item: str | None = None, import_outline: bool = False) -> None:
        start = len(self.writer.pages)
        self.writer.append(reader, outline_item=outline_item, import_outline=import_outline)
        if self._first is None:
            self._first = reader
        catalog: Any = reader.trailer["/Root"]
        tree: Any = catalog.get("/StructTreeRoot")
        if tree is None:
            return  # an untagged part (none of ours): its pages stay, untagged
        tree = tree.get_object()
        # The part's own root stands for the merged root while its tree is copied, so the copy
        # points at ours instead of dragging a second root (and its parent tree) along.
        translated = self.writer._id_translated.setdefault(id(reader), {})
        translated[tree.indirect_reference.idnum] = self._root_ref.idnum
        offset = self._next_key
        for kid in _as_list(tree.get("/K")):
            element = kid.clone(self.writer)  # pages already copied: /Pg points at the merged pages
            node = element.get_object()
            if node.get("/S") == "/Document":
                node[NameObject("/S")] = NameObject("/Part")
            node[NameObject("/P")] = self._document_ref
            kids: Any = self._document["/K"]
            kids.append(element)
        highest = -1
        nums: Any = tree["/ParentTree"].get_object().get("/Nums", ArrayObject())
        for position in range(0, len(nums), 2):
            key = int(nums[position])
            highest = max(highest, key)
            value = nums[position + 1]
            self._parent_tree.append(NumberObject(offset + key))
            # Cloned through the same table: the elements copied above are found, not duplicated;
            # those WeasyPrint keeps out of the tree (running heads) are copied here.
            self._parent_tree.append(value.clone(self.writer))
        # pypdf leaves /StructParents out of the pages it copies (it drops the tree): put it back,
        # renumbered. (Link annotations would need the same for /StructParent; these documents
        # have none.)
        for number, source in enumerate(reader.pages, start=start):
            if "/StructParents" in source:
                page = self.writer.pages[number]
                page[NameObject("/StructParents")] = NumberObject(offset + int(source["/StructParents"]))  # type: ignore[call-overload]
        self._next_key = offset + highest + 1

    def finish(self, *, lang: str, title: str, data_as_of: datetime.datetime) -> PdfWriter:
        """The catalog of a tagged PDF/A-2a document, with the dates of the data (not the clock)."""
        writer = self.writer
        parent_tree = DictionaryObject({NameObject("/Nums"): self._parent_tree})
        self._root[NameObject("/ParentTree")] = writer._add_object(parent_tree)
        self._root[NameObject("/ParentTreeNextKey")] = NumberObject(self._next_key)
        catalog = writer._root_object
        catalog[NameObject("/StructTreeRoot")] = self._root_ref
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        catalog[NameObject("/Lang")] = TextStringObject(lang)
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
        first: Any = self._first.trailer["/Root"] if self._first is not None else {}
        if "/OutputIntents" in first:  # the sRGB profile WeasyPrint embeds for PDF/A
            catalog[NameObject("/OutputIntents")] = first["/OutputIntents"].clone(writer)
        w3c = data_as_of.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        pdf_date = "D:" + data_as_of.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%SZ")
        metadata = DocumentMetadata(title=title, created=w3c, modified=w3c, lang=lang)
        xmp = (
            b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            + metadata.generate_rdf_metadata("a", 2, "A")
            + b'</x:xmpmeta>\n<?xpacket end="r"?>'
        )
        stream = DecodedStreamObject()
        stream.set_data(xmp)  # left uncompressed: archives read it as text
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        catalog[NameObject("/Metadata")] = writer._add_object(stream)
        writer.add_metadata({"/Title": title, "/Producer": PRODUCER, "/CreationDate": pdf_date, "/ModDate": pdf_date})
        return writer


def mark_as_artifact(page: Any) -> None:
    """Wrap a page's content in an /Artifact sequence: laid over a tagged page (the merged
    compendium's page numbers), it is pagination, not text for the reading order."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    stream = DecodedStreamObject()
    stream.set_data(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n" + data + b"\nEMC\n")
    page[NameObject("/Contents")] = stream  # only read again by merge_page, so it may stay direct


def _as_list(kids: Any) -> list[Any]:
    if kids is None:
        return []
    kids_object = kids.get_object()
    return list(kids_object) if isinstance(kids_object, ArrayObject) else [kids]
