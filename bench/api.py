"""The machine API at full size: status of all 193 States and the matrix, against the pages' own selectors.

    python -m bench api [--repeat 15] [--keep] [--rows 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python -m bench api

Seeds the same scratch database as `bench backoffice` (its seed(): 193 States, 8 cycles, the
measure catalogue answered, register rows; SQLite under /tmp unless DATABASE_URL is set; the
database is emptied and rebuilt: never point it at real data). Then times, through the Django
test client with a Secretariat officer's token, GET /api/v1/cycles/<id>/status/ (all 193 States
on one page) and GET /api/v1/cycles/<id>/matrix/ (all rows on one page), next to the selector
each page calls (cycle_status_summary, implementation_matrix) called directly: the API's cost
over the work itself is token check, throttle, audit row, serialisation and JSON. Target:
within 3x. Medians of --repeat runs after a warm-up; the machine is shared, figures are noisy.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.backoffice import REGISTER_ROWS, SCRATCH
from bench.setup import django_on_scratch

TARGET = 3.0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse the seeded scratch database if it is there")
    parser.add_argument("--rows", type=int, default=REGISTER_ROWS, help="register rows to seed")
    args = parser.parse_args(argv)
    # the benchmark measures work, not the limit
    django_on_scratch(SCRATCH, keep=args.keep, env={"API_TOKEN_RATE": "100000/min"})
    from bench.backoffice import seed
    from reports.models import Report

    if not (args.keep and Report.objects.exists()):
        seeded = time.perf_counter()
        counts = seed(rows=args.rows)
        print(f"seeded in {time.perf_counter() - seeded:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    run(args.repeat)


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(repeat: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.clock import portal_today
    from reports.models import ReportingCycle, TokenScope, User
    from reports.selectors.dashboard import cycle_status_summary
    from reports.selectors.matrix import implementation_matrix
    from reports.services.api_tokens import api_token_create

    cache.clear()
    cycle = ReportingCycle.objects.filter(code__startswith="bench-").order_by("-due").first()
    assert cycle is not None
    officer = User.objects.get(username="bench-officer")
    _token, secret = api_token_create(
        user=officer, name="bench", scope=TokenScope.READ, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def api(path: str) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(path, {"page_size": 500})
            assert response.status_code == 200, response.content[:500]
            return response

        return call

    cases = [
        (
            "status (193 States)",
            api(f"/api/v1/cycles/{cycle.pk}/status/"),
            lambda: cycle_status_summary(cycle=cycle, today=portal_today()),
        ),
        ("matrix", api(f"/api/v1/cycles/{cycle.pk}/matrix/"), lambda: implementation_matrix(user=officer, cycle=cycle)),
    ]
    # The fixed cost of any API request (middleware, token check, throttle, the audit row): the
    # smallest endpoint, as bench/backoffice.py measures an empty page.
    floor = _median(lambda: client.get("/api/v1/obligations/"), repeat)
    print(f"floor (GET /api/v1/obligations/): {floor * 1000:.1f} ms")
    print(
        f"{'endpoint':<22} {'API ms':>9} {'selector ms':>12} {'ratio':>6} {'net ratio':>9} {'queries':>8} {'rows':>5}"
        f"  verdict (target {TARGET:g}x)"
    )
    for name, through_api, selector in cases:
        api_time = _median(through_api, repeat)
        selector_time = _median(selector, repeat)
        with CaptureQueriesContext(connection) as captured:
            body = through_api().json()
        ratio = api_time / selector_time if selector_time else float("inf")
        net = max(api_time - floor, 0.0) / selector_time if selector_time else float("inf")
        verdict = "met" if ratio <= TARGET else ("met net of the floor" if net <= TARGET else "MISSED")
        print(
            f"{name:<22} {api_time * 1000:>9.1f} {selector_time * 1000:>12.1f} {ratio:>6.2f} {net:>9.2f} "
            f"{len(captured):>8} {len(body['results']):>5}  {verdict}"
        )
