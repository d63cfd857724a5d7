"""The Council documents, rendered for real and read back with pypdf (poppler only renders a page to an image)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from reports.models import Distribution, JobStatus, PdfKind
from reports.pdf.documents import DocumentRequest, profiles_html, summary_html
from reports.pdf.render import render_pdf
from reports.services.pdf_jobs import pdf_job_request
from tests.pdf.world import PARTY, TODAY, pdf_text


def build(kind: str, world, distribution: str = Distribution.GENERAL, state=None) -> tuple[bytes, object]:  # type: ignore[no-untyped-def]
    job = pdf_job_request(
        actor=None, kind=kind, distribution=distribution, cycle=world.cycle, state=state, today=TODAY, enqueue=False
    )
    from reports.services.pdf_jobs import pdf_job_run

    pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        return handle.read(), job


def test_general_summary_figures_match_the_database(world):
    content, job = build(PdfKind.SUMMARY, world)
    text = pdf_text(content)
    flat = re.sub(r"\s+", " ", text)
    assert f"S/AC.37/2026/NOTE.{world.cycle.pk}" in text
    assert "Distr.: General" in text
    # 193 expected, 3 received (FRA and SAU on time, DEU late), CHN a draft only.
    assert re.search(r"All States 193 3 1\.6 % 2 1 1 189", flat), flat[:2000]
    assert "Germany (10)" in flat  # late, with days late
    # Oil: 1200 (FRA) + 300 (DEU) barrels of crude from 2 States; the draft's 9999 never counts.
    assert re.search(r"Crude oil barrels 1500 2 2", flat)
    assert "9999" not in flat and "Draft-only Party" not in flat
    # Assets: FRA's 5000 EUR is in; DEU's 7777 USD is Secretariat-only and left out of a general summary.
    assert re.search(r"EUR 5000 1 1", flat)
    assert "7777" not in flat
    # The party both FRA and DEU name.
    assert re.search(r"Crescent Tanker Logistics \(fictitious\) — 2 2", flat)
    assert job.pages == len(PdfReader(__import__("io").BytesIO(content)).pages)
    assert job.data_as_of is not None


def test_internal_summary_includes_secretariat_only_sections(world):
    content, _job = build(PdfKind.SUMMARY, world, distribution=Distribution.INTERNAL)
    flat = re.sub(r"\s+", " ", pdf_text(content))
    assert "Distr.: Internal" in flat
    assert re.search(r"USD 7777 1 1", flat)
    assert "9999" not in flat  # never drafts, not even restricted


def test_same_data_gives_the_same_document(world):
    first, job1 = build(PdfKind.SUMMARY, world)
    second, job2 = build(PdfKind.SUMMARY, world)
    assert job1.pk != job2.pk
    assert job1.sha256 == job2.sha256 and first == second
    assert job1.data_as_of == job2.data_as_of
    info = PdfReader(__import__("io").BytesIO(first)).metadata
    assert info is not None and info["/CreationDate"].startswith("D:" + job1.data_as_of.strftime("%Y%m%d"))


def test_profile_shows_arabic_and_chinese_names_with_real_glyphs(world, tmp_path: Path):
    content, _job = build(PdfKind.PROFILE, world, state=world.sau)
    text = pdf_text(content, layout=False)
    assert "المملكة العربية السعودية" in text  # shaped Arabic, extracted in logical order
    assert "沙特阿拉伯" in text
    fonts = set()
    for page in PdfReader(__import__("io").BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Noto-Naskh-Arabic" in f or "Noto-Sans-Arabic" in f for f in fonts), fonts
    assert any("Noto-Sans-CJK" in f for f in fonts), fonts
    # And a page renders to an image (looked at by hand: tests/pdf/README in the closing note).
    (tmp_path / "profile.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "profile.pdf"), str(tmp_path / "page")], check=True
    )
    assert any(p.stat().st_size > 5000 for p in tmp_path.glob("page*.png"))


def test_profile_checklist_and_registers_come_from_the_submitted_version(world):
    content, _job = build(PdfKind.PROFILE, world, state=world.fra, distribution=Distribution.INTERNAL)
    flat = re.sub(r"\s+", " ", pdf_text(content))
    assert "S/AC.37/2026/PROFILE/FRA" in flat
    assert "Code pénal, art." in flat  # the legal reference (the column may wrap "421-2-2")
    # Figures as the summary prints them: thousands apart (a narrow no-break space, which the
    # text extraction may drop), no trailing ".00".
    assert re.search(r"1\s?200 barrels", flat) and re.search(r"5\s?000 EUR", flat) and "5000.00" not in flat
    html = profiles_html(DocumentRequest(kind=PdfKind.PROFILE, distribution=Distribution.INTERNAL, today=TODAY), [world.fra]).html
    assert "1\u202f200" in html and "5\u202f000 EUR" in html
    assert "Secretariat’s assessment of measures" in flat  # restricted only


def test_general_profile_leaves_out_secretariat_only_sections(world):
    content, _job = build(PdfKind.PROFILE, world, state=world.deu)
    flat = re.sub(r"\s+", " ", pdf_text(content))
    assert "300 barrels" in flat
    assert "7777" not in flat and "Al-Nusrah" not in flat
    assert "Secretariat’s assessment" not in flat


def test_state_text_cannot_make_the_renderer_fetch_files_or_urls(world):
    request = DocumentRequest(
        kind=PdfKind.PROFILE, distribution=Distribution.INTERNAL, today=TODAY, cycle=world.cycle, state=world.deu
    )
    html = profiles_html(request, [world.deu]).html
    assert "<img src=" not in html and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    pdf = render_pdf(html)
    assert pdf.refused_urls == []  # escaped: nothing was even asked for
    text = pdf_text(pdf.content)
    assert '<img src="file:///etc/passwd">' in text  # shown as the text the State typed
    assert "root:" not in text
    assert not _images(pdf.content)


def test_fetcher_refuses_local_files_and_remote_urls_even_in_raw_html():
    html = '<html><body><p>x</p><img src="file:///etc/passwd"><img src="http://203.0.113.7/t.png"><link rel="stylesheet" href="https://evil.example/a.css"><img src="../../../../etc/passwd"></body></html>'
    pdf = render_pdf(html)
    assert "file:///etc/passwd" in pdf.refused_urls
    assert "http://203.0.113.7/t.png" in pdf.refused_urls
    assert "https://evil.example/a.css" in pdf.refused_urls
    assert not _images(pdf.content)
    assert "root:" not in pdf_text(pdf.content)


def test_summary_charts_are_inline_svg_not_fetched(world):
    request = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, today=TODAY, cycle=world.cycle)
    html = summary_html(request).html
    assert html.count("<svg") >= 3 and "<script" not in html
    pdf = render_pdf(html)
    assert pdf.refused_urls == []
    # Plain mode: pypdf's layout mode leaves out text drawn inside form XObjects (the charts).
    assert "Reporting rate by regional group" in pdf_text(pdf.content, layout=False)


def _images(content: bytes) -> list[str]:
    found = []
    for page in PdfReader(__import__("io").BytesIO(content)).pages:
        xobjects = page["/Resources"].get("/XObject") if "/Resources" in page else None
        for name, obj in (xobjects or {}).items():
            if obj.get_object().get("/Subtype") == "/Image":
                found.append(name)
    return found


def test_compendium_has_summary_toc_bookmarks_and_every_state(world, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 60
    content, job = build(PdfKind.COMPENDIUM, world)
    reader = PdfReader(__import__("io").BytesIO(content))
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Summary for the Council", "Contents", "State profiles"]
    profiles = outline[-1]
    assert isinstance(profiles, list) and len(profiles) == 193
    france = next(item for item in profiles if item.title == "France (FRA)")
    page = reader.get_destination_page_number(france)
    assert "ISO 3166 code: FRA" in pdf_text_page(content, page + 1)
    assert "ISO 3166 code: FRA" not in pdf_text_page(content, page)
    toc = re.sub(r"\s+", " ", pdf_text(content))
    assert re.search(rf"France \(FRA\) {page + 1}\b", toc) or re.search(rf"{page + 1} France \(FRA\)", toc)
    assert job.pages == len(reader.pages)
    assert "9999" not in toc
    # Not a random file identifier: derived from the request and the data (same data, same bytes).
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1] and len(reader.trailer["/ID"][0]) == 16


def test_compendium_pages_are_numbered_in_order_across_its_parts(world, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 50  # the summary, then four chunks of profiles, rendered apart
    content, job = build(PdfKind.COMPENDIUM, world)
    assert job.params["parts"] == 5
    reader = PdfReader(io.BytesIO(content))
    total = len(reader.pages)
    # Each page's footer carries its own number in the whole document (not the part's, not a State's name).
    numbers = [re.findall(r"\b(\d+) / (\d+)\b", page.extract_text()) for page in reader.pages]
    assert numbers == [[(str(n), str(total))] for n in range(1, total + 1)]
    # The contents and the page numbers agree: France's profile is on the page the contents give.
    france = next(item for item in reader.outline[-1] if item.title == "France (FRA)")
    page = reader.get_destination_page_number(france)
    assert f"{page + 1} / {total}" in reader.pages[page].extract_text()
    assert re.search(rf"France \(FRA\) {page + 1}\b", re.sub(r"\s+", " ", pdf_text(content)))


def test_arabic_compendium_is_bookmarked_and_numbered_in_arabic_whatever_the_worker_speaks(world, settings):
    settings.PDF_COMPENDIUM_CHUNK_SIZE = 100
    job = pdf_job_request(actor=None, kind=PdfKind.COMPENDIUM, cycle=world.cycle, today=TODAY, language="ar", enqueue=False)
    from reports.services.pdf_jobs import pdf_job_run

    with translation.override("en"):  # the worker's own language
        pdf_job_run(job_id=job.pk, attempt=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    with translation.override("ar"):
        expected = [_("Summary for the Council"), _("Contents"), _("State profiles")]
        title = _("Compendium of State profiles")
    assert expected != ["Summary for the Council", "Contents", "State profiles"]
    assert [item.title for item in reader.outline if not isinstance(item, list)] == expected
    assert reader.metadata is not None and reader.metadata.title.startswith(title)
    total = len(reader.pages)
    # "7 / 200", which a right-to-left line shows (and pypdf reads) as "200 / 7".
    numbers = [re.findall(r"\b(\d+) / (\d+)\b", page.extract_text()) for page in reader.pages]
    assert [[(int(a), int(b)) for b, a in found] for found in numbers] == [[(n, total)] for n in range(1, total + 1)]


def pdf_text_page(content: bytes, page: int) -> str:
    return pdf_text(content, layout=False, page=page)


def test_arabic_edition_is_right_to_left_with_its_charts_drawn_in_html(world):
    job = pdf_job_request(actor=None, kind=PdfKind.SUMMARY, cycle=world.cycle, today=TODAY, language="ar", enqueue=False)
    assert job.params["language"] == "ar"
    request = DocumentRequest(
        kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, today=TODAY, cycle=world.cycle, language="ar"
    )
    html = summary_html(request).html
    # No SVG (WeasyPrint would draw its Arabic glyph by glyph), but the same three charts in HTML.
    assert 'dir="rtl"' in html and "<svg" not in html
    assert html.count('<figure class="bar-chart">') == 3
    # All States: 2 on time, 1 late, 1 draft only, 189 nothing of 193: the percentages the SVG chart draws.
    all_states = re.search(r'class="bar-chart-track">(.*?)</div>', html)
    assert all_states is not None
    assert re.findall(r'series-(\d)" style="width: ([\d.]+)%"', all_states.group(1)) == [
        ("1", "1.000"), ("2", "0.500"), ("3", "0.500"), ("4", "97.900")
    ]  # fmt: skip
    content = render_pdf(html).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "مجلس الأمن" in text  # "Security Council", shaped and extracted in logical order
    with translation.override("ar"):
        titles = [
            _("Reporting rate by regional group (% of States)"),
            _("States by reporting status"),
            _("Parties named most often (number of States naming them)"),
        ]
        legend = [_("On time"), _("Late"), _("Draft only"), _("Nothing")]
        left_out = _("The charts are left out of this language edition; the tables give the same figures.")
    assert titles[0] != "Reporting rate by regional group (% of States)"  # the Arabic translation is there
    for title in titles:
        assert title.split(" (")[0] in text, title  # (pypdf turns the brackets of a right-to-left line round)
    for label in legend:
        assert label in text, label
    assert left_out not in text
    # The status chart prints its counts beside the bars: 2 on time, 1 late, 1 draft only, 189 nothing.
    status = text[text.index(titles[1]) :]
    assert [re.search(rf"{re.escape(label)}\s*(\d+)", status).group(1) for label in legend] == ["2", "1", "1", "189"]  # type: ignore[union-attr]


def test_arabic_edition_prints_figures_in_order(world):
    request = DocumentRequest(
        kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, today=TODAY, cycle=world.cycle, language="ar"
    )
    content = render_pdf(summary_html(request).html).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # 1 500 barrels of crude and 5 000 EUR frozen: a thin space let the bidi algorithm print "500 1".
    assert re.search(r"1\s500", text) and re.search(r"5\s000", text), text


def test_language_is_one_of_the_portal_languages():
    from reports.services.pdf_jobs import _portal_language

    assert _portal_language("zh-hans") == "zh-hans"
    assert _portal_language("zh") == "zh-hans"
    assert _portal_language("fr-ca") == "fr"
    assert _portal_language("xx") == "en" and _portal_language("") == "en"


def test_hostile_party_names_stay_text_in_the_html_charts():
    from reports.pdf.bar_charts import named_parties_chart, render

    html = render(named_parties_chart([('<script>alert(1)</script>"><img src=x onerror=alert(2)>', 3)]))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img" in html


def test_the_arabic_running_head_keeps_the_cycle_code_in_order(world):
    """In a right-to-left line "2368-implementation-2025" printed as "implementation-2025-2368";
    the running head (a CSS string, no markup) isolates the code with U+2066 ... U+2069."""
    code = world.cycle.code
    for language, isolated in (("ar", True), ("en", False)):
        request = DocumentRequest(kind=PdfKind.SUMMARY, distribution=Distribution.GENERAL, today=TODAY, language=language, cycle=world.cycle)  # fmt: skip
        running = re.search(r'data-running="([^"]*)"', summary_html(request).html)
        assert running, "the summary has no running head"
        assert (f"\u2066{code}\u2069" in running.group(1)) is isolated, running.group(1)
        assert code in running.group(1)


def test_latin_text_in_the_arabic_profile_is_isolated(world):
    """ "Code pénal, art. 421-2-2" in an Arabic table printed its comma at the wrong end, and a
    reference broken over two lines moved its hyphen: both are isolated, in Arabic only."""
    html = {}
    for language in ("ar", "en"):
        request = DocumentRequest(kind=PdfKind.PROFILE, distribution=Distribution.GENERAL, today=TODAY, language=language, cycle=world.cycle)  # fmt: skip
        html[language] = profiles_html(request, [world.fra]).html
    reference = world.fra.reports.get(cycle=world.cycle).current_version.reference
    assert f"\u2066{reference}\u2069" in html["ar"]
    assert "\u2068Code pénal, art. 421-2-2\u2069" in html["ar"]
    assert "\u2068" + PARTY in html["ar"]
    assert not any(mark in html["en"] for mark in "\u2066\u2068\u2069")
    assert reference in html["en"] and "Code pénal, art. 421-2-2" in html["en"]
