"""Markup that keeps pages usable on a phone and in every language (the browser walk in
tests/e2e/test_phone_layout.py checks the same pages by their rendered width)."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from tests.delegation import OIL_ROW, draft_of, formset_post
from tests.secretariat.fixtures import TODAY, build_world

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=datetime.UTC)
SCROLL_BOXES = {"table-responsive", "sec-matrix-wrap"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tables(HTMLParser):
    """Every <table> and whether an element around it scrolls sideways."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # (tag, is a scroll box)
        self.tables: list[tuple[str, bool]] = []  # (how to name it, inside a scroll box)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "table":
            name = attributes.get("data-testid") or attributes.get("class") or "table"
            self.tables.append((name, any(scrolls for _tag, scrolls in self.open)))
        self.open.append((tag, bool(classes & SCROLL_BOXES)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return


def tables_that_widen_the_page(html: str) -> list[str]:
    parser = _Tables()
    parser.feed(html)
    assert parser.tables, "the page has no table"
    return [name for name, inside in parser.tables if not inside]


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def test_back_office_tables_scroll_in_their_own_box(world, secretariat, client):  # type: ignore[no-untyped-def]
    """django-tables2's tables (registers, review queue, States by status, parties) and the
    hand-written ones: on a phone each scrolls sideways inside a .table-responsive."""
    client.force_login(secretariat)
    cycle = world.cycle.pk
    urls = [
        reverse("secretariat:status", args=[cycle]),
        *[reverse("secretariat:register_section", args=[cycle, s]) for s in ("overdue", "incomplete", "gaps", "inconsistencies")],
        reverse("secretariat:parties"),
        reverse("secretariat:reports"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert tables_that_widen_the_page(response.content.decode()) == [], url


def test_dashboard_and_state_page_tables_scroll_in_their_own_box(world, secretariat, client):  # type: ignore[no-untyped-def]
    """The dashboard's overdue and trend tables, the State page's four tables."""
    client.force_login(secretariat)
    for url in (reverse("secretariat:dashboard"), reverse("secretariat:state", args=["JOR"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert tables_that_widen_the_page(response.content.decode()) == [], url


def test_dashboard_percentages_keep_the_sign_beside_the_number(world, secretariat, client):  # type: ignore[no-untyped-def]
    """In a narrow tile or column "38,9 %" wrapped its "%" onto a line of its own."""
    client.force_login(secretariat)
    html = client.get(reverse("secretariat:dashboard")).content.decode()
    assert "&nbsp;%<" in html
    assert not re.search(r"\d %<", html), re.search(r".{60}\d %<", html)


def test_register_rows_remove_box_is_a_bootstrap_checkbox(client, focal_a, report_a):  # type: ignore[no-untyped-def]
    """The "Remove this row" box had been a bare browser checkbox stuck to its label (the formset
    adds the DELETE field after the form gave its widgets their classes)."""
    client.force_login(focal_a)
    draft = draft_of(report_a)
    url = reverse("delegation:editor", args=[draft.pk, "oil"])
    bad = {**OIL_ROW, "quantity": "-5"}
    response = client.post(url, formset_post("oil", [{**OIL_ROW, "DELETE": "on"}, bad], revision=draft.revision), follow=True)
    html = response.content.decode()
    boxes = re.findall(r"<input[^>]*name=\"oil-[^\"]*-DELETE\"[^>]*>", html)
    assert boxes, "the register shows its rows and the empty row's template"
    assert all('class="form-check-input"' in box for box in boxes), boxes
    # The new row marked for removal was never stored: it is gone; the row with an error is shown
    # as typed, not marked (and the empty row's template follows it).
    assert len(boxes) == 2 and "oil-0-DELETE" in boxes[0] and "__prefix__" in boxes[1], boxes
    assert not any("checked" in box for box in boxes), boxes


def test_account_page_keeps_badges_apart_from_their_labels(client, secretariat):  # type: ignore[no-untyped-def]
    """In Russian "…аутентификация)Включено": the status badge touched its label; the sign-in
    table scrolls in its own box."""
    client.force_login(secretariat)
    html = client.get(reverse("security:account")).content.decode()
    items = re.findall(r'<li class="list-group-item[^"]*"', html)
    assert items and all("gap-" in item for item in items), items
    assert tables_that_widen_the_page(html) == []
