"""Merging tagged PDFs (the compendium's parts) into one tagged, archival PDF, with pikepdf (qpdf).

Copying pages from one PDF into another keeps what the pages reference, but not the
document's structure tree (the tags a screen reader follows: /StructTreeRoot is reached from
the catalog, not from the pages), nor /Lang, /MarkInfo, the XMP metadata or the output intent.
Here each part's tree is grafted under one /Document element as a /Part, its /ParentTree
entries (which map a page's marked content to its structure elements) are renumbered for the
merged page order, the page numbers are laid over every page as a pagination artifact, and the
catalog gets the entries of a tagged PDF/A-2a file, its XMP rebuilt for the merged document.

qpdf copies objects in C++ and remembers, per source file, what it already copied: the pages
are copied once, and the structure elements that point at them find the copies. (The pypdf
merge this replaces spent half the compendium's rebuild in Python object copies.)

Nothing here reads the clock or draws random numbers: the same parts give the same bytes.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String
from weasyprint import __version__ as WEASYPRINT_VERSION
from weasyprint.pdf.metadata import DocumentMetadata

PRODUCER = f"WeasyPrint {WEASYPRINT_VERSION}"  # what the XMP says; the info dictionary must agree
ARTIFACT_BEGIN = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


@dataclass
class Bookmark:
    """An outline entry: a title at a page of the merged document (0-based), and its children."""

    title: str
    page: int
    children: list[Bookmark] = field(default_factory=list)
    is_open: bool = True


@dataclass
class Part:
    """One PDF to append; `import_outline` keeps its own bookmarks under `bookmark`."""

    content: bytes
    bookmark: Bookmark | None = None
    import_outline: bool = False


def merge_parts(
    parts: list[Part],
    *,
    extra_bookmarks: list[tuple[int, Bookmark]],
    page_numbers: bytes | None,
    lang: str,
    title: str,
    data_as_of: datetime.datetime,
) -> bytes:
    """Append the parts in order and return the merged, tagged PDF/A-2a file.

    `extra_bookmarks` are (position in the outline, bookmark) pairs added among the parts' own:
    position i puts the bookmark before the i-th part's bookmark. `page_numbers` is a PDF with
    one page per merged page, laid over each as a pagination artifact.
    """
    merger = TaggedMerger()
    outline: list[Bookmark] = []
    for part in parts:
        source = Pdf.open(io.BytesIO(part.content))
        start = len(merger.pdf.pages)
        merger.append(source)
        if part.bookmark is not None:
            bookmark = part.bookmark
            if part.import_outline:
                bookmark.children = _outline_of(source, offset=start)
            outline.append(bookmark)
    for position, bookmark in sorted(extra_bookmarks, key=lambda item: item[0], reverse=True):
        outline.insert(position, bookmark)
    if page_numbers is not None:
        merger.overlay_artifacts(Pdf.open(io.BytesIO(page_numbers)))
    merger.set_outline(outline)
    return merger.finish(lang=lang, title=title, data_as_of=data_as_of)


class TaggedMerger:
    """Append tagged PDFs one after the other, keeping every part's structure tree."""

    def __init__(self) -> None:
        self.pdf = Pdf.new()
        self._sources: list[Pdf] = []  # kept open: qpdf reads a foreign object's streams lazily
        self._parent_tree = Array()  # the merged /ParentTree's /Nums: key, value, key, value ...
        self._next_key = 0
        self._root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self._document = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=self._root, K=Array()))
        self._root.K = Array([self._document])
        self._first: Pdf | None = None

    def append(self, source: Pdf) -> None:
        self._sources.append(source)
        pdf = self.pdf
        start = len(pdf.pages)
        pdf.pages.extend(source.pages)  # copy_foreign under the hood: one object map per source
        if self._first is None:
            self._first = source
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            return  # an untagged part (none of ours): its pages stay, untagged
        offset = self._next_key
        for kid in _as_list(tree.get("/K")):
            # Detach the part's root before copying, so the copy does not drag it (and its parent
            # tree) along; the copied element is attached under the merged /Document.
            if "/P" in kid:
                del kid["/P"]
            element = pdf.copy_foreign(kid)
            if element.get("/S") == Name.Document:
                element.S = Name.Part
            element.P = self._document
            self._document.K.append(element)
        highest = -1
        # The whole parent tree in one qpdf call, through the same map: the elements copied above
        # are found, not duplicated; those WeasyPrint keeps out of the tree (running heads) are
        # copied here. Only its keys are renumbered, in Python.
        nums = pdf.copy_foreign(tree.ParentTree).get("/Nums", Array())
        merged = self._parent_tree
        for position in range(0, len(nums), 2):
            key = int(nums[position])
            highest = max(highest, key)
            merged.append(offset + key)
            merged.append(nums[position + 1])
        for number in range(start, len(pdf.pages)):
            page = pdf.pages[number].obj
            if "/StructParents" in page:
                page.StructParents = offset + int(page.StructParents)
            # (Link annotations would need the same for /StructParent; these documents have none.)
        self._next_key = offset + highest + 1

    def overlay_artifacts(self, overlay: Pdf) -> None:
        """Lay each page of `overlay` over the page of the same number, marked as an artifact
        (pagination), so that the tags' reading order does not take it for text."""
        pdf = self.pdf
        if len(overlay.pages) != len(pdf.pages):
            raise RuntimeError(f"{len(overlay.pages)} overlay pages for {len(pdf.pages)} pages")
        self._sources.append(overlay)
        for number, (page, source) in enumerate(zip(pdf.pages, overlay.pages, strict=True)):
            form = pdf.copy_foreign(source.as_form_xobject())
            # A name of our own (add_resource's prefix draws a random one: the bytes would differ),
            # unique per page: WeasyPrint's pages may share one /Resources dictionary.
            name = page.add_resource(form, Name.XObject, Name(f"/PortalPageNumber{number}"))
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(b"Q\nq\n" + ARTIFACT_BEGIN + bytes(name) + b" Do\nEMC\nQ\n"))

    def set_outline(self, bookmarks: list[Bookmark]) -> None:
        with self.pdf.open_outline() as outline:
            outline.root.extend(self._outline_item(b) for b in bookmarks)

    def _outline_item(self, bookmark: Bookmark) -> OutlineItem:
        item = OutlineItem(bookmark.title, bookmark.page)
        item.is_closed = not bookmark.is_open
        item.children.extend(self._outline_item(child) for child in bookmark.children)
        return item

    def finish(self, *, lang: str, title: str, data_as_of: datetime.datetime) -> bytes:
        """The catalog of a tagged PDF/A-2a document, with the dates of the data (not the clock)."""
        pdf = self.pdf
        self._root.ParentTree = pdf.make_indirect(Dictionary(Nums=self._parent_tree))
        self._root.ParentTreeNextKey = self._next_key
        catalog = pdf.Root
        catalog.StructTreeRoot = self._root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = String(lang)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        first = self._first.Root if self._first is not None else Dictionary()
        if "/OutputIntents" in first:  # the sRGB profile WeasyPrint embeds for PDF/A
            catalog.OutputIntents = _copy(pdf, first.OutputIntents)
        w3c = data_as_of.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        pdf_date = "D:" + data_as_of.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%SZ")
        metadata = DocumentMetadata(title=title, created=w3c, modified=w3c, lang=lang)
        xmp = (
            b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            + metadata.generate_rdf_metadata("a", 2, "A")
            + b'</x:xmpmeta>\n<?xpacket end="r"?>'
        )
        stream = pdf.make_stream(xmp)  # left uncompressed (qpdf does not compress /Metadata): archives read it as text
        stream.Type = Name.Metadata
        stream.Subtype = Name.XML
        catalog.Metadata = stream
        pdf.trailer.Info = pdf.make_indirect(
            Dictionary(Title=String(title), Producer=String(PRODUCER), CreationDate=String(pdf_date), ModDate=String(pdf_date))
        )
        buffer = io.BytesIO()
        # deterministic_id: the file identifier is a hash of the content, so the same parts give the same bytes.
        pdf.save(
            buffer,
            deterministic_id=True,
            fix_metadata_version=False,
            min_version="1.7",
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            # The parts' streams are compressed already: copy them as they are, never inflate
            # and deflate them again (qpdf's default would, at half the merge's cost).
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            recompress_flate=False,
        )
        for source in self._sources:
            source.close()
        return buffer.getvalue()


def _outline_of(source: Pdf, *, offset: int) -> list[Bookmark]:
    """A part's own bookmarks, their pages moved to where the part starts in the merged file."""
    pages: dict[tuple[int, int], int] = {page.obj.objgen: number for number, page in enumerate(source.pages)}

    def walk(items: Any) -> list[Bookmark]:
        found = []
        for item in items:
            destination = item.destination
            page = 0
            if isinstance(destination, pikepdf.Array) and len(destination) > 0:
                page = pages.get(destination[0].objgen, 0)
            found.append(Bookmark(str(item.title), offset + page, walk(item.children), is_open=not item.is_closed))
        return found

    with source.open_outline() as outline:
        return walk(outline.root)


def _copy(pdf: Pdf, value: Any) -> Any:
    """An object of another file, copied into `pdf` (qpdf copies indirect objects only)."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return Array([_copy(pdf, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return Dictionary({key: _copy(pdf, item) for key, item in value.items()})
    return value


def _as_list(kids: Any) -> list[Any]:
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]
