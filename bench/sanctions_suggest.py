"""Suggestions while a party's name is typed: time of `suggest()` over 1,000 entries / 5,000 name forms.

    python -m bench sanctions_suggest [--entries 1000] [--forms 5] [--queries 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python -m bench sanctions_suggest

Seeds a scratch database (SQLite under /tmp unless DATABASE_URL is set; its Sanctions List is
replaced at every run: never point it at real data) with one snapshot of made-up entries, each
with --forms name forms (name, Arabic-script form, aliases), then times `suggest(query)` for
--queries typed names (a third transliterated or truncated from an entry, a third in Arabic
script, a third unrelated): the first call (which loads the name forms into the process) and
the median and 95th percentile of the following ones. Target: under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

from bench.setup import django_on_scratch

SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench-sanctions-suggest"))
TARGET_MS = 50.0

LATIN = ["abd", "al", "rahman", "khalaf", "ubayd", "juday", "anizi", "tariq", "samir", "hamid", "yusuf", "omar", "khalid",
         "nadir", "ismail", "salim", "farid", "mustafa", "adnan", "yasin", "bakr", "karim", "walid", "faisal", "mahmud",
         "ibrahim", "said", "anwar", "hasan", "jamal", "nasir", "rashid", "zayd", "ziad", "murad", "bilal", "ahmad",
         "harun", "abbas", "layla", "munir", "trading", "exchange", "relief", "brigade", "fuel", "company", "front"]  # fmt: skip
ARABIC = ["عبد", "الرحمن", "خلف", "عبيد", "جدي", "العنزي", "طارق", "سمير", "حامد", "يوسف", "عمر", "خالد", "نادر",
          "إسماعيل", "سالم", "فريد", "مصطفى", "عدنان", "ياسين", "بكر", "كريم", "وليد", "فيصل", "محمود"]  # fmt: skip


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench sanctions_suggest")
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--forms", type=int, default=5, help="name forms per entry")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    django_on_scratch(SCRATCH)
    rng = random.Random(2253)
    names = seed(args.entries, args.forms, rng)
    run(names, args.queries, rng)


def seed(entries: int, forms: int, rng: random.Random) -> list[tuple[str, str]]:
    """A fresh snapshot of made-up entries; returns (reference, primary name) of each."""
    from django.db import transaction
    from django.utils import timezone

    from reports.models import SanctionsChange, SanctionsEntry, SanctionsName, SanctionsSnapshot
    from reports.services.sanctions_import import normalise_name

    with transaction.atomic():
        SanctionsChange.objects.all().delete()
        SanctionsName.objects.all().delete()
        SanctionsEntry.objects.all().delete()
        SanctionsSnapshot.objects.all().delete()
        snapshot = SanctionsSnapshot.objects.create(
            generated_at=timezone.now(), sha256="bench" * 12 + "0000", source="bench", entries_count=entries, is_current=True
        )
        made = []
        for i in range(entries):
            primary = " ".join(rng.sample(LATIN, rng.randint(3, 5))).upper()
            made.append(
                SanctionsEntry(
                    reference=f"QD{'ie'[i % 2]}.{i + 1}", kind="individual" if i % 2 == 0 else "entity",
                    primary_name=primary, content_hash="bench", first_snapshot=snapshot, last_snapshot=snapshot,
                )
            )  # fmt: skip
        SanctionsEntry.objects.bulk_create(made, batch_size=1000)
        rows = []
        for entry in made:
            texts = [(entry.primary_name, "primary", "good"), (" ".join(rng.sample(ARABIC, 4)), "original_script", "good")]
            while len(texts) < forms:
                texts.append((" ".join(rng.sample(LATIN, rng.randint(2, 4))).title(), "alias", rng.choice(["good", "low"])))
            rows += [SanctionsName(entry=entry, name=t, kind=k, quality=q, normalised=normalise_name(t)) for t, k, q in texts]
        SanctionsName.objects.bulk_create(rows, batch_size=2000)
    print(f"seeded {entries:,} entries, {len(rows):,} name forms")
    return [(e.reference, e.primary_name) for e in made]


def run(names: list[tuple[str, str]], count: int, rng: random.Random) -> None:
    from reports.services import sanctions_suggest
    from reports.services.sanctions_suggest import suggest

    queries = []
    for i in range(count):
        if i % 3 == 0:
            _ref, primary = rng.choice(names)
            parts = primary.lower().split()
            queries.append(" ".join(rng.sample(parts, max(2, len(parts) - 1))).replace("u", "ou"))
        elif i % 3 == 1:
            queries.append(" ".join(rng.sample(ARABIC, 2)))
        else:
            queries.append(rng.choice(["Blue Line Shipping", "Northern Star Cargo", "Tanker Co", "Zyx Qwv"]))
    sanctions_suggest._cache.clear()
    start = time.perf_counter()
    suggest(queries[0])
    first = (time.perf_counter() - start) * 1000
    wall, cpu = [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        suggest(query)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    forms = len(next(iter(sanctions_suggest._cache.values())).normalised)
    print(f"first call (loads the name forms) {first:.1f} ms; load average {os.getloadavg()[0]:.1f}")
    print(f"suggest() over {forms:,} name forms, {len(wall)} queries:")
    for label, times in (("wall", wall), ("cpu", cpu)):
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"  {label:<4} median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
    # On a shared machine the wall clock counts other processes' turns: the verdict reads CPU time.
    cpu_p95 = cpu[int(len(cpu) * 0.95) - 1]
    print(f"target {TARGET_MS:.0f} ms (p95 of CPU time): {'met' if cpu_p95 < TARGET_MS else 'MISSED'}")
