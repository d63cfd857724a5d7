"""Long typed text wraps without quadratic layout (issue 14): the stylesheet never makes every
character a break opportunity, and long words get <wbr> break opportunities. (How long a
20,000-character narrative takes is measured by bench/pdf_text.py, not here.)"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import engines

from reports.templatetags.wrapping import EVERY, LONG, break_long_words

TEXT_RULES = re.compile(r"([^{}]*)\{([^{}]*)\}")


def test_a_long_unbroken_string_gets_a_break_opportunity_every_few_characters():
    token = "QDe115ISIL" * 2000  # 20,000 characters, no space
    html = break_long_words(token)
    pieces = html.split("<wbr>")
    assert "".join(pieces) == token
    assert len(pieces) == 20000 // EVERY and {len(p) for p in pieces} == {EVERY}


def test_ordinary_words_are_left_alone_and_only_the_long_one_is_cut():
    text = "Act No. 88/2023, art. 23 " + "x" * (LONG + 1)
    assert break_long_words("Act No. 88/2023, art. 23") == "Act No. 88/2023, art. 23"
    assert break_long_words("y" * LONG) == "y" * LONG
    assert break_long_words(text) == "Act No. 88/2023, art. 23 " + "x" * EVERY + "<wbr>" + "x" * (LONG + 1 - EVERY)


def test_typed_markup_is_escaped_before_the_breaks_go_in():
    hostile = '<img src="file:///etc/passwd"> ' + "&" * 40
    html = engines["django"].from_string("{% load wrapping %}{{ v|breakable|linebreaksbr }}").render({"v": hostile + "\nnext"})
    assert "<img" not in html and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "&amp;" * EVERY + "<wbr>" + "&amp;" * 20 in html  # never inside an entity
    assert html.endswith("<br>next")


def test_a_combining_mark_stays_with_its_letter():
    arabic = "\u0628\u064e" * 30  # beh with a fatha: 60 characters, marks on every other one
    pieces = break_long_words(arabic).split("<wbr>")
    assert len(pieces) > 1 and all(not "\u064b" <= p[0] <= "\u065f" for p in pieces)
    assert "".join(pieces) == arabic


def test_the_pdf_stylesheets_never_wrap_text_anywhere():
    sources = [Path(settings.BASE_DIR, "static/css/pdf.css").read_text()]
    sources += [p.read_text() for p in Path(settings.BASE_DIR, "templates/pdf").glob("*.html")]
    for source in sources:
        css = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
        for _selector, body in TEXT_RULES.findall(css):
            assert not re.search(r"overflow-wrap\s*:\s*anywhere|word-wrap\s*:\s*anywhere", body), body
    pdf_css = re.sub(r"/\*.*?\*/", "", sources[0], flags=re.DOTALL)
    narrative = re.search(r"\.narrative\s*\{([^}]*)\}", pdf_css)
    assert narrative and re.search(r"overflow-wrap\s*:\s*break-word", narrative.group(1))


def test_every_typed_text_in_the_profile_goes_through_the_filter():
    template = Path(settings.BASE_DIR, "templates/pdf/profile.html").read_text()
    for field in ("a.narrative", "a.legal_reference", "row.place", "row.parties", "row.description", "row.listed_party",
                  "a.note", "e.comment"):  # fmt: skip
        assert re.search(re.escape(field) + r"\|breakable", template), field
