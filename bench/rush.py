"""The deadline rush: every signatory signs in, edits, reviews and submits at once.

`python -m bench rush [--states 193] [--web-workers 3] [--concurrency 64] [--modes distinct,proxy]`

The bench makes a database of its own (DATABASE_URL's server, database `<name>_rush`, dropped
and created), seeds one open cycle per mode with a complete draft for each State and a signatory
(password + TOTP) per State and mode, and starts gunicorn (TRUSTED_PROXY_COUNT=1, as the README's
production layout) and one Celery worker on REDIS_URL (its database is emptied: queues and the
rate-limit counters). Then, per mode, a bounded client (httpx + asyncio, at most --concurrency
signatories in flight) plays each signatory: sign in (password, then the TOTP code), open the
editor, save the checklist, open the review page, submit. Modes:

- distinct: each signatory from its own address (X-Forwarded-For written by the trusted proxy);
- proxy: every request from ONE address (a ministry's NAT, a shared proxy): no answer may be 429.

It prints throughput, p50/p95 per step, answers by status, the time of the same number of
password checks alone (the floor: PBKDF2 is most of a sign-in's cost), then checks the database
with its own queries: one frozen version per State, each hash recomputed from the stored content,
and every receipt e-mail handed to the mail backend exactly once (counted in the worker's output,
the console backend's copy of each message, and in EmailDelivery).

The machine's cores are shared with whatever else runs: the figures say so with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("login_page", "password", "totp", "editor", "save", "review", "submit")
PASSWORD = "rush-pass-2253-long-enough"
TARGET_SECONDS = 60


@dataclass
class Signatory:
    username: str
    secret: str
    report_id: int
    revision: int
    address: str


@dataclass
class Outcome:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: Counter[str] = field(default_factory=Counter)  # "step status"
    submitted: int = 0
    requests: int = 0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench rush")
    parser.add_argument("--states", type=int, default=193, help="how many States file (the first N by ISO code)")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=64, help="signatories in flight at once (the client's bound)")
    parser.add_argument("--modes", default="distinct,proxy", help="distinct (one address each), proxy (one address for all)")
    parser.add_argument("--database", default="", help="database name (default: DATABASE_URL's name + _rush)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds the client waits for one answer")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if set(modes) - {"distinct", "proxy"}:
        sys.exit(f"bench rush: unknown mode in {args.modes!r}; use distinct, proxy")
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        sys.exit("bench rush: set DATABASE_URL (PostgreSQL: the bench creates a database beside it) and REDIS_URL")
    parsed = urlparse(database_url)
    name = args.database or f"{parsed.path.lstrip('/') or 'portal'}_rush"
    if not re.fullmatch(r"[a-z0-9_]{1,60}", name):
        sys.exit(f"bench rush: {name!r} is not a plain database name")
    _database_recreate(parsed, name)
    rush_url = urlunparse(parsed._replace(path=f"/{name}"))
    scratch = Path(tempfile.mkdtemp(prefix="bench-rush-"))
    os.environ.update(
        DATABASE_URL=rush_url,
        DJANGO_SETTINGS_MODULE="sanctions_portal.settings.base",  # the real password hasher, not the tests' MD5
        CELERY_TASK_ALWAYS_EAGER="0",
        TRUSTED_PROXY_COUNT="1",
        PORTAL_VAR_DIR=str(scratch / "var"),
        PRIVATE_MEDIA_ROOT=str(scratch / "private"),
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    for variable in ("STORAGE_URL", "EMAIL_URL", "EMAIL_HOST"):
        os.environ.pop(variable, None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from sanctions_portal.celery import app

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    worlds = {mode: _seed(mode=mode, states=args.states) for mode in modes}
    seeded = time.perf_counter() - started
    floor = _password_floor(args.states)
    print(
        f"bench rush: {args.states} States, modes {', '.join(modes)}; database {name}; seeded in "
        f"{seeded:.1f} s; {os.cpu_count()} CPUs shared with other work "
        f"(load {os.getloadavg()[0]:.1f}): figures are noisy"
    )
    print(
        f"floor: {args.states} password checks alone take {floor:.1f} s in one process "
        f"({floor / min(args.web_workers, os.cpu_count() or 1):.1f} s spread over "
        f"{min(args.web_workers, os.cpu_count() or 1)} cores)"
    )
    cache.clear()  # REDIS_URL's database: allauth's rate-limit counters of an earlier run
    app.control.purge()
    processes = _start(scratch=scratch, web_workers=args.web_workers)
    failed = False
    try:
        base = f"http://127.0.0.1:{processes.port}"
        for mode in modes:
            outcome, seconds = asyncio.run(_rush(base, worlds[mode], concurrency=args.concurrency, timeout=args.timeout))
            failed |= _report(mode, outcome, seconds, len(worlds[mode]))
        failed |= _verify(worlds, scratch / "worker.log")
    finally:
        processes.stop()
    shutil.rmtree(scratch, ignore_errors=True)
    if failed:
        sys.exit(1)


# --- set-up --------------------------------------------------------------------------------------


def _database_recreate(parsed: Any, name: str) -> None:
    import psycopg

    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _seed(*, mode: str, states: int) -> list[Signatory]:
    """An open cycle, and for each State a draft with every checklist row answered (nothing blocks
    the submission) and a signatory with a password and a TOTP authenticator."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from reports.clock import portal_today
    from reports.models import Answer, ChecklistAnswer, MemberState, Obligation, ReportingCycle, ReportVersion, Role, User
    from reports.selectors.matrix import cycle_measures
    from reports.services.mfa import demo_totp_secret, totp_authenticator_ensure
    from reports.services.reference_data import reference_data_load
    from reports.services.reports import report_get_or_create
    from reports.services.roles import roles_ensure

    if MemberState.objects.count() < 193:
        reference_data_load()
    group = roles_ensure()[Role.SIGNATORY]
    today = portal_today()
    cycle, _ = ReportingCycle.objects.get_or_create(
        code=f"rush-{mode}",
        defaults={
            "obligation": Obligation.objects.get(code="committee-periodic-update"),
            "opens": today - datetime.timedelta(days=100),
            "due": today + datetime.timedelta(days=1),
            "label": {"en": f"Deadline rush ({mode})"},
        },
    )
    measures = list(cycle_measures(cycle))
    password = make_password(PASSWORD)  # one hash for all: seeding 386 PBKDF2 hashes would take minutes
    signatories = []
    with transaction.atomic():
        for index, state in enumerate(MemberState.objects.order_by("iso3")[:states]):
            username = f"rush-{mode}-{state.iso3.lower()}"
            user = User.objects.create(username=username, state=state, email=f"{username}@rush.example", password=password)
            user.groups.add(group)
            secret = demo_totp_secret(username)
            totp_authenticator_ensure(user=user, secret=secret)
            report = report_get_or_create(state=state, cycle=cycle, actor=user)
            draft = ReportVersion.objects.get(report=report, is_draft=True)
            ChecklistAnswer.objects.bulk_create(
                [
                    ChecklistAnswer(version=draft, measure=m, answer=Answer.IN_PLACE, legal_reference=f"Act {index}, art. {n}")
                    for n, m in enumerate(measures, start=1)
                ]
            )
            # distinct: each its own client address; proxy: all behind one address (a ministry's NAT)
            address = f"10.{index // 250}.{index % 250}.7" if mode == "distinct" else "198.51.100.9"
            signatories.append(Signatory(username, secret, report.pk, draft.revision, address))
    _MEASURES[mode] = [m.pk for m in measures]
    return signatories


_MEASURES: dict[str, list[int]] = {}


def _password_floor(count: int) -> float:
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(PASSWORD)
    started = time.perf_counter()
    for _ in range(count):
        assert check_password(PASSWORD, encoded)
    return time.perf_counter() - started


@dataclass
class _Processes:
    port: int
    web: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _start(*, scratch: Path, web_workers: int) -> _Processes:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bin_dir = Path(sys.executable).parent
    web = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "sanctions_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(web_workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=(scratch / "web.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [
            str(bin_dir / "celery"),
            "-A",
            "sanctions_portal",
            "worker",
            "-Q",
            "celery",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            f"rush-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=(scratch / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    processes = _Processes(port, web, worker)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return processes
        except httpx.HTTPError:
            pass
        if web.poll() is not None:
            break
        time.sleep(0.3)
    processes.stop()
    sys.exit("bench rush: gunicorn did not answer /healthz:\n" + (scratch / "web.log").read_text()[-3000:])


# --- the client ------------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def _rush(base: str, signatories: list[Signatory], *, concurrency: int, timeout: float) -> tuple[Outcome, float]:
    import httpx

    outcome = Outcome()
    gate = asyncio.Semaphore(concurrency)

    async def one(signatory: Signatory) -> None:
        async with gate:  # at most `concurrency` signatories in flight, each with its own cookies
            headers = {"X-Forwarded-For": signatory.address}  # what the trusted proxy appends
            async with httpx.AsyncClient(base_url=base, timeout=timeout, headers=headers) as client:
                try:
                    await _journey(client, signatory, outcome)
                except httpx.HTTPError as error:
                    outcome.unexpected[f"transport {type(error).__name__}"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(s) for s in signatories))
    return outcome, time.perf_counter() - started


async def _journey(client: Any, signatory: Signatory, outcome: Outcome) -> None:
    from reports.services.mfa import totp_code

    mode = signatory.username.split("-")[1]

    async def step(name: str, method: str, url: str, expect: int, **kwargs: Any) -> Any:
        started = time.perf_counter()
        response = await client.request(method, url, **kwargs)
        outcome.timings[name].append(time.perf_counter() - started)
        outcome.statuses[response.status_code] += 1
        outcome.requests += 1
        if response.status_code != expect:
            outcome.unexpected[f"{name} {response.status_code}"] += 1
            return None
        return response

    def token(response: Any) -> str:
        found = _CSRF.search(response.text)
        return found.group(1) if found else client.cookies.get("csrftoken", "")

    page = await step("login_page", "GET", "/accounts/login/", 200)
    if page is None:
        return
    login = await step(
        "password",
        "POST",
        "/accounts/login/",
        302,
        data={"login": signatory.username, "password": PASSWORD, "csrfmiddlewaretoken": token(page)},
    )
    if login is None or "/2fa/authenticate" not in login.headers.get("location", ""):
        if login is not None:
            outcome.unexpected["password: no second-factor step"] += 1
        return
    second = await client.get(login.headers["location"])
    outcome.requests += 1
    outcome.statuses[second.status_code] += 1
    done = await step(
        "totp",
        "POST",
        login.headers["location"],
        302,
        data={"code": totp_code(signatory.secret), "csrfmiddlewaretoken": token(second)},
    )
    if done is None:
        return
    editor = await step("editor", "GET", f"/delegation/reports/{signatory.report_id}/edit/", 302)
    if editor is None:
        return
    section = await step("editor", "GET", editor.headers["location"], 200)
    if section is None:
        return
    data: dict[str, str] = {"revision": str(signatory.revision), "csrfmiddlewaretoken": token(section)}
    for n, pk in enumerate(_MEASURES[mode], start=1):
        data |= {
            f"m{pk}-answer": "in_place",
            f"m{pk}-legal_reference": f"Act {signatory.report_id}, art. {n}",
            f"m{pk}-narrative": "Confirmed on the due date.",
            f"m{pk}-evidence_location": "",
        }
    saved = await step("save", "POST", editor.headers["location"], 302, data=data)
    if saved is None:
        return
    review = await step("review", "GET", f"/delegation/reports/{signatory.report_id}/review/", 200)
    if review is None:
        return
    submitted = await step(
        "submit",
        "POST",
        f"/delegation/reports/{signatory.report_id}/review/",
        302,
        data={"revision": str(signatory.revision + 1), "acknowledge": "on", "csrfmiddlewaretoken": token(review)},
    )
    if submitted is not None:
        outcome.submitted += 1


# --- results ---------------------------------------------------------------------------------------


def _report(mode: str, outcome: Outcome, seconds: float, states: int) -> bool:
    print(
        f"\n[{mode}] {outcome.submitted}/{states} submitted in {seconds:.1f} s "
        f"({'within' if seconds <= TARGET_SECONDS else 'OVER'} {TARGET_SECONDS} s); {outcome.requests} requests, "
        f"{outcome.requests / seconds:.1f} requests/s; load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'step':<12}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name in STEPS:
        values = sorted(outcome.timings.get(name, []))
        if values:
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            print(
                f"{name:<12}{len(values):>7}{statistics.median(values) * 1000:>10.0f}{p95 * 1000:>10.0f}{values[-1] * 1000:>10.0f}"
            )
    print("answers by status: " + ", ".join(f"{code}: {n}" for code, n in sorted(outcome.statuses.items())))
    if outcome.unexpected:
        print("unexpected: " + ", ".join(f"{what}: {n}" for what, n in outcome.unexpected.most_common()))
    throttled = outcome.statuses.get(429, 0)
    if throttled:
        print(f"FAILED: {throttled} answers 429 (Too Many Requests)")
    return bool(throttled or outcome.unexpected or outcome.submitted != states)


def _verify(worlds: dict[str, list[Signatory]], worker_log: Path) -> bool:
    """The database and the mail, checked with their own queries (not the portal's selectors)."""
    from django.db import connection

    from reports.services.snapshot import canonical_json  # the documented hash input; recomputed here

    failed = False
    report_ids = [s.report_id for world in worlds.values() for s in world]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, count(v.id), min(v.id) FROM reports_report r LEFT JOIN reports_reportversion v "
            "ON v.report_id = r.id AND NOT v.is_draft WHERE r.id = ANY(%s) GROUP BY r.id",
            [report_ids],
        )
        frozen = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT v.id, v.content, v.content_sha256, r.state_id FROM reports_reportversion v "
            "JOIN reports_report r ON r.id = v.report_id WHERE NOT v.is_draft AND r.id = ANY(%s)",
            [report_ids],
        )
        versions = cursor.fetchall()
    one_each = sum(1 for count, _ in frozen.values() if count == 1)
    print(f"\nverify: {one_each}/{len(report_ids)} reports have exactly one frozen version")
    failed |= one_each != len(report_ids)
    wrong = 0
    for _pk, content, stored, _state in versions:
        content = json.loads(content) if isinstance(content, str) else content
        wrong += hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest() != stored
    print(f"verify: {len(versions) - wrong}/{len(versions)} content hashes recomputed and equal")
    failed |= wrong > 0

    # Receipts: every user of the State, once per version, handed to the mail backend once.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, u.email FROM reports_reportversion v JOIN reports_report r ON r.id = v.report_id "
            "JOIN reports_user u ON u.state_id = r.state_id AND u.is_active AND u.email <> '' "
            "WHERE NOT v.is_draft AND r.id = ANY(%s)",
            [report_ids],
        )
        expected = {f"receipt:{pk}:{email}" for pk, email in cursor.fetchall()}
    # The worker mails while the rush goes on and after: wait while it makes progress.
    stalled_at, seen = time.monotonic(), -1
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM reports_emaildelivery WHERE key LIKE 'receipt:%%'")
            delivered = [row[0] for row in cursor.fetchall()]
        if len(delivered) != seen:
            stalled_at, seen = time.monotonic(), len(delivered)
        if len(delivered) >= len(expected) or time.monotonic() - stalled_at > 60:
            break
        time.sleep(1)
    # The console backend prints each message; the worker logs it (a "To:" line per message).
    sent = Counter(re.findall(r"(?:^|\s)To: (\S+@\S+)\s*$", worker_log.read_text(errors="replace"), flags=re.MULTILINE))
    recipients = Counter(key.rsplit(":", 1)[1] for key in expected)
    twice = sum(1 for address, n in sent.items() if n > recipients.get(address, 0))
    missing = sum(1 for address, n in recipients.items() if sent.get(address, 0) < n)
    print(
        f"verify: receipts {len(set(delivered) & expected)}/{len(expected)} recorded (EmailDelivery), "
        f"{sum(sent.values())} messages in the mail backend's output; {missing} addresses short, "
        f"{twice} addresses mailed more than once"
    )
    failed |= set(delivered) != expected or missing > 0 or twice > 0
    print("verdict: " + ("FAILED" if failed else "ok"))
    return failed
