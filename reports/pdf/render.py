"""Rendering HTML to PDF with WeasyPrint, safely.

The renderer may read only the project's own static files (stylesheets, fonts, images).
Text a State typed can never make it read a local file or reach the network: every other
URL is refused and recorded, and the document is rendered without it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

logger = logging.getLogger(__name__)

STATIC_BASE = "https://portal-static.invalid/static/"

# Every document comes out tagged (a structure tree: headings, paragraphs, tables with their
# header cells, in the HTML's logical order, so Arabic reads right to left; /Lang from
# <html lang>) and archival. WeasyPrint 70 takes one variant per document: "pdf/a-2a" is PDF/A-2
# at level A, the accessible level, for which it writes the same tags as "pdf/ua-1"
# (pdf/tags.py) plus the sRGB output intent and the PDF/A identification. It cannot declare
# PDF/UA-1 at the same time (Kozea/WeasyPrint#2783). PDF/A-2 rather than 3: nothing is
# attached, and archives accept A-2 most widely.
PDF_VARIANT = "pdf/a-2a"


class StaticOnlyFetcher(URLFetcher):
    """A URL fetcher that serves the project's static files and nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["https"], allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(STATIC_BASE):
            relative = url.removeprefix(STATIC_BASE).split("?", 1)[0].split("#", 1)[0]
            found = finders.find(relative) if relative and ".." not in relative.split("/") else None
            if found:
                path = Path(str(found)).resolve()
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})
        self.refused.append(url[:200])
        logger.warning("PDF renderer refused to fetch %s", url[:200])
        raise URLFetchingError(f"refused: {url[:200]}")


@dataclass
class RenderedPdf:
    content: bytes
    sha256: str
    pages: int
    refused_urls: list[str] = field(default_factory=list)
    # Top-level bookmarks (label, 0-based page index): where each State's profile starts.
    bookmarks: list[tuple[str, int]] = field(default_factory=list)


def render_pdf(html: str, *, identifier: str | None = None, tagged: bool = True) -> RenderedPdf:
    """Render HTML to PDF bytes.

    WeasyPrint's output is byte-for-byte deterministic for the same HTML once the document
    carries fixed dates (``<meta name="dcterms.created">``, taken from the data's own time,
    never the clock) and a fixed file identifier (``identifier``, derived from what the
    document is and the data it was built from).
    """
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render()
    options: dict[str, Any] = {"pdf_variant": PDF_VARIANT} if tagged else {}
    if identifier:
        options["pdf_identifier"] = hashlib.md5(identifier.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")
    content = document.write_pdf(**options)
    assert content is not None
    bookmarks = [(label, target[0]) for label, target, _children, _state in document.make_bookmark_tree()]
    return RenderedPdf(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=len(document.pages),
        refused_urls=fetcher.refused,
        bookmarks=bookmarks,
    )


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
    }.get(path.suffix.lower(), "application/octet-stream")
