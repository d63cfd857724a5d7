"""The sweep: every link each demo user can reach, replayed as another State's user and as a visitor.

Each demo user signs in and crawls the portal from the home page (links, htmx URLs and GET
forms' actions; bounded per URL name). The URLs found are then replayed:
- as a delegation user of another State: unless that user reaches the same URL on their own
  (the dashboard, the account pages), the answer must be 404 (or 403 / 405);
- as an anonymous visitor: a redirect to the login page (or 404 / 405), never a page.
Nothing of another State comes back.

Replayed: every URL name, with every value of each of its arguments and query parameters at
least once (every report, State, cycle, measure a page links to, in every kind of URL that names
it), not every combination of them: the back office's matrix alone links to each of its
thousands of (report, measure) cells, which replayed one by one took minutes.
"""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from reports.models import User

LINK = re.compile(r'(?:href|hx-get|action|src)="(/[^"]*)"')
SKIP_PREFIXES = ("/static/", "/accounts/logout/", "/admin/logout/")
# Pages meant for everyone (signed in or not): the login and password-reset pages, languages, health,
# and the API's reference (its schema and Swagger UI describe the endpoints and carry no data; the
# endpoints themselves answer 401 without a token: tests/security/access_table.py, "api:*").
PUBLIC_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/api/v1/docs/", "/api/v1/schema/")
PER_NAME = 4  # pages fetched per URL name: enough to see every kind of link, bounded
MAX_PAGES = 150


def crawl(client: Client) -> set[str]:
    seen: set[str] = set()
    per_name: Counter[str] = Counter()
    queue = deque(["/"])
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if url.endswith(".pdf") or "/download" in url or "/attachments/" in url:
            continue  # files: replayed, not read for links
        per_name[name] += 1
        if per_name[name] > PER_NAME:
            continue
        response = client.get(url, follow=url == "/")  # "/" sends each role to its landing page
        fetched += 1
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = html.unescape(link).split("#")[0]
            if link and not link.startswith(SKIP_PREFIXES) and link not in seen:
                queue.append(link)
    return seen


def replayed(urls: set[str]) -> list[str]:
    """The URLs to replay: each one that brings a URL name, or a value of one of its arguments or
    query parameters, not seen in the URLs before it (sorted, so the choice is the same every run)."""
    covered: set[tuple[str, ...]] = set()
    chosen = []
    for url in sorted(urls):
        parts = urlsplit(url)
        try:
            match = resolve(parts.path)
        except Resolver404:
            chosen.append(url)
            continue
        name = match.view_name
        keys = {(name,)}
        keys |= {(name, "arg", str(i), str(value)) for i, value in enumerate(match.args)}
        keys |= {(name, "kwarg", key, str(value)) for key, value in match.kwargs.items()}
        keys |= {(name, "query", key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)}
        if not keys <= covered:
            covered |= keys
            chosen.append(url)
    return chosen


def test_the_replay_keeps_every_name_and_every_value():
    urls = {
        "/secretariat/",
        "/secretariat/?cycle=2",
        *(f"/secretariat/reports/{report}/measures/{measure}/" for report in (11, 12, 13) for measure in (7, 8)),
        *(f"/secretariat/reports/{report}/" for report in (11, 12, 13)),
        "/nowhere-known/",
    }
    chosen = replayed(urls)
    cells = [url for url in chosen if "/measures/" in url]
    assert {url.split("/")[3] for url in cells} == {"11", "12", "13"}  # every report's cells
    assert {url.split("/")[5] for url in cells} == {"7", "8"}  # every measure
    assert len(cells) < 6  # not every combination
    assert {"/secretariat/", "/secretariat/?cycle=2", "/nowhere-known/"} <= set(chosen)
    assert {f"/secretariat/reports/{report}/" for report in (11, 12, 13)} <= set(chosen)


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def demo(reference):  # type: ignore[no-untyped-def]
    from reports.services.demo import demo_seed

    demo_seed()


def test_nothing_of_another_state_comes_back(demo):
    users = ["secretariat", "monitoring", "committee", "focal-fra", "signatory-fra", "focal-irq", "signatory-jor"]
    crawls = {username: crawl(as_user(username)) for username in users}
    for username, urls in crawls.items():
        assert len(urls) > 3, f"{username} reached almost nothing: {urls}"
    # Who replays whose links: a delegation of another State, and a visitor.
    replay_as = {
        "secretariat": "focal-fra", "monitoring": "focal-irq", "committee": "signatory-jor",
        "focal-fra": "focal-irq", "signatory-fra": "signatory-jor", "focal-irq": "focal-fra", "signatory-jor": "signatory-fra",
    }  # fmt: skip
    leaks: list[str] = []
    anonymous = Client()
    for owner, urls in crawls.items():
        other = replay_as[owner]
        other_client = as_user(other)
        for url in replayed(urls):
            if url.startswith(PUBLIC_PREFIXES) or url == "/":
                continue
            if url not in crawls[other]:
                got = other_client.get(url)
                if got.status_code not in (403, 404, 405):
                    leaks.append(f"{other} got {got.status_code} for {owner}'s {url}")
            got = anonymous.get(url)
            to_login = got.status_code == 302 and got["Location"].startswith(("/accounts/login/", "/admin/login/"))
            if not (to_login or got.status_code in (403, 404, 405)):
                leaks.append(f"anonymous got {got.status_code} for {owner}'s {url}")
    assert not leaks, "\n".join(leaks)
