"""Every URL of the project, for every role, with State A's objects and State B's.

The URL patterns come from the URL configuration itself; the expected answers from
tests/security/access_table.py. A pattern the table does not know fails the test.
Set ACCESS_TABLE_PRINT=1 to print what each URL answers now, in the table's notation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.security.access_table import ACCESS, ROLES, R
from tests.security.world import World, world  # noqa: F401  (fixture)


@dataclass(frozen=True)
class Pattern:
    name: str  # "ns:name", or "ns:?" when unnamed
    route: str  # the concatenated route, converters and regex groups still in it


def url_patterns() -> Iterator[Pattern]:
    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[Pattern]:  # type: ignore[type-arg]
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + _route(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = p.name or "?"
                yield Pattern(f"{namespace}:{name}".lstrip(":"), prefix + _route(p.pattern))

    return walk(get_resolver().url_patterns, "", "")


def _route(pattern: object) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return str(pattern._regex).lstrip("^").rstrip("$").replace("\\Z", "")
    return str(pattern)


def specs_for(name: str) -> list[tuple[str, R]]:
    """The table's entries for a URL name: its own, its "#variants", or its namespace's "ns:*"."""
    own = [(key, spec) for key, spec in ACCESS.items() if key == name or key.startswith(f"{name}#")]
    if own:
        return own
    spec = spec_for(name)
    return [(name, spec)] if spec else []


def spec_for(name: str) -> R | None:
    if name in ACCESS:
        return ACCESS[name]
    namespace = name.rsplit(":", 1)[0] if ":" in name else ""
    return ACCESS.get(f"{namespace}:*")


def fill(route: str, spec: R, tokens: dict[str, object]) -> str:
    def value(name: str) -> str:
        token = spec.kwargs.get(name, "=1")
        return token[1:] if token.startswith("=") else str(tokens[token])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = path.replace("\\", "")
    return "/" + path


def answer(response) -> object:  # type: ignore[no-untyped-def]
    if response.status_code in (301, 302):
        login = response["Location"].startswith(("/accounts/login/", "/admin/login/"))
        return "login" if login else "redirect"
    return response.status_code


NEVER_POST = {"account_logout", "admin:logout"}
NOTATION = {200: "2", "login": "L", "redirect": "R", 400: "B", 401: "U", 403: "F", 404: "4", 405: "M", 409: "C"}


class Clients:
    """A signed-in test client per role; a POST may sign a client out, so POSTs get fresh ones."""

    def __init__(self, users: dict[str, object]) -> None:
        self.users = users
        self._clients: dict[str, Client] = {}

    def __getitem__(self, role: str) -> Client:
        if role not in self._clients:
            client = Client()
            if role != "anon":
                client.force_login(self.users[role])  # type: ignore[arg-type]
            self._clients[role] = client
        return self._clients[role]

    def forget(self, role: str) -> None:
        self._clients.pop(role, None)


@pytest.fixture
def clients(focal_a, signatory_a, focal_b, secretariat, monitoring, committee) -> Clients:  # type: ignore[no-untyped-def]
    users = {"focal_a": focal_a, "sig_a": signatory_a, "focal_b": focal_b}
    users |= {"sec": secretariat, "mon": monitoring, "com": committee}
    return Clients(users)


def test_every_url_is_in_the_table():
    unknown = sorted({p.name for p in url_patterns() if spec_for(p.name) is None})
    assert not unknown, f"URLs missing from tests/security/access_table.py: {unknown}"


def test_access_matrix(world: World, clients: Clients) -> None:  # noqa: F811
    printing = os.environ.get("ACCESS_TABLE_PRINT") == "1"
    failures: list[str] = []
    seen: set[tuple[str, str]] = set()
    cases = [(pattern, key, spec) for pattern in url_patterns() for key, spec in specs_for(pattern.name)]
    for pattern, key, spec in cases:
        if (key, pattern.route) in seen:
            continue
        seen.add((key, pattern.route))
        path_a = fill(pattern.route, spec, world.tokens("A"))
        assert resolve(path_a.split("?")[0]).route is not None
        for method in ("get", "post"):
            if method == "post" and (spec.post is None if not printing else pattern.name in NEVER_POST):
                continue
            expected = spec.expected(method) if (spec.post or method == "get") else {}
            actual: dict[str, object] = {}
            for role in ROLES:
                if not printing and expected.get(role) is None:
                    continue
                response = getattr(clients[role], method)(path_a)
                if method == "post":
                    clients.forget(role)
                actual[role] = answer(response)
                if not printing and actual[role] != expected[role]:
                    failures.append(f"{method.upper()} {key} {path_a} as {role}: {actual[role]}, expected {expected[role]}")
            if printing:
                print(
                    f'    "{key}": {method} "{" ".join(NOTATION.get(actual[r], "?" + str(actual[r])) for r in ROLES)}"  {path_a}'
                )
        # Another State's objects answer like missing ones: focal_a / sig_a on B's == focal_b on A's.
        if spec.kwargs and any(not t.startswith("=") for t in spec.kwargs.values()) and not printing:
            path_b = fill(pattern.route, spec, world.tokens("B"))
            other = spec.expected("get")["focal_b"]
            for role in ("focal_a", "sig_a"):
                if other is None:
                    continue
                got = answer(clients[role].get(path_b))
                if got != other:
                    failures.append(f"GET {key} {path_b} (State B's) as {role}: {got}, expected {other}")
    assert not printing, "printed the table; unset ACCESS_TABLE_PRINT"
    assert not failures, "\n".join(failures)
