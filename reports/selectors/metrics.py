"""What /metrics reports, read from the database, the broker and the request counters.

Each figure is a (name, help, type, [(labels, value)]) family; reports.views.metrics writes
them in the Prometheus text format. Every source may fail on its own: a failed source is
reported as portal_metrics_source_up{source=...} 0 instead of failing the scrape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import CharField, Exists, Min, OuterRef, Value
from django.db.models.functions import Concat
from django.utils import timezone

from reports.models import EmailDelivery, JobStatus, PdfJob, ReportVersion
from reports.observability import request_counts

# The Redis transport keeps a queue's messages in a list named after the queue, and messages of
# priority 3, 6 and 9 in lists named "<queue>\x06\x16<priority>" (kombu's default priority steps).
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


@dataclass
class Family:
    name: str
    help: str
    type: str  # "gauge" or "counter"
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)


def metrics_collect() -> list[Family]:
    families: list[Family] = []
    up = Family("portal_metrics_source_up", "1 if the source of these figures answered this scrape.", "gauge")
    for source, collect in (("requests", _requests), ("queues", _queues), ("database", _database)):
        try:
            families.extend(collect())
            up.samples.append(({"source": source}, 1))
        except Exception:  # noqa: BLE001 - one source down must not hide the others
            up.samples.append(({"source": source}, 0))
    families.append(up)
    return families


def _requests() -> list[Family]:
    counts = request_counts()
    family = Family(
        "portal_http_requests_total", "HTTP responses by status class, all processes since the counter began.", "counter"
    )
    for label in ("1xx", "2xx", "3xx", "4xx", "5xx"):
        family.samples.append(({"status": label}, counts.get(label, 0)))
    return [family]


def celery_queue_names() -> list[str]:
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            names.add(route["queue"])
    return sorted(names)


def _queues() -> list[Family]:
    """Messages waiting in each Celery queue (Redis only: LLEN of the queue's lists)."""
    redis_url = getattr(settings, "REDIS_URL", "")
    if not redis_url:
        return []
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
    family = Family("portal_celery_queue_length", "Messages waiting in a Celery queue (not yet taken by a worker).", "gauge")
    try:
        for queue in celery_queue_names():
            pipe = client.pipeline()
            for suffix in _PRIORITY_SUFFIXES:
                pipe.llen(queue + suffix)
            family.samples.append(({"queue": queue}, sum(pipe.execute())))
    finally:
        client.close()
    return [family]


def _age_seconds(oldest: Any, now: Any) -> float:
    return round((now - oldest).total_seconds(), 3) if oldest is not None else 0.0


def _database() -> list[Family]:
    now = timezone.now()
    families = []
    jobs = PdfJob.objects.filter(status=JobStatus.QUEUED).aggregate(oldest=Min("created_at"))
    queued = PdfJob.objects.filter(status=JobStatus.QUEUED).count()
    running = PdfJob.objects.filter(status=JobStatus.RUNNING).count()
    families.append(
        Family(
            "portal_pdf_jobs",
            "PDF jobs by state (queued: waiting for a worker).",
            "gauge",
            [({"status": "queued"}, queued), ({"status": "running"}, running)],
        )
    )
    families.append(
        Family(
            "portal_pdf_job_oldest_queued_age_seconds",
            "Age of the oldest PDF job still waiting for a worker; 0 when none waits.",
            "gauge",
            [({}, _age_seconds(jobs["oldest"], now))],
        )
    )
    # The transactional outbox (reports.OutboxMessage) is being added on another branch: report it
    # when the model exists, and say nothing of it otherwise.
    outbox: Any = apps.all_models["reports"].get("outboxmessage")
    if outbox is not None:
        unsent = outbox.objects.filter(sent_at__isnull=True).aggregate(oldest=Min("created_at"))
        families.append(
            Family(
                "portal_outbox_oldest_unsent_age_seconds",
                "Age of the oldest outbox message not yet handed to the queue; 0 when none waits.",
                "gauge",
                [({}, _age_seconds(unsent["oldest"], now))],
            )
        )
        families.append(
            Family(
                "portal_outbox_unsent",
                "Outbox messages not yet handed to the queue.",
                "gauge",
                [({}, outbox.objects.filter(sent_at__isnull=True).count())],
            )
        )
    # A receipt is pending while a submitted version has no receipt e-mail in the delivery ledger
    # (reports.services.receipts keys each one "receipt:<version>:<address>").
    receipt_sent = EmailDelivery.objects.filter(
        key__startswith=Concat(Value("receipt:"), OuterRef("pk"), Value(":"), output_field=CharField())
    )
    pending = ReportVersion.objects.filter(is_draft=False).exclude(Exists(receipt_sent)).count()
    families.append(
        Family(
            "portal_receipts_pending", "Submitted versions whose receipt e-mail has gone to no one yet.", "gauge", [({}, pending)]
        )
    )
    families.append(
        Family(
            "portal_email_deliveries_total",
            "E-mails sent once-only (rows of the delivery ledger).",
            "counter",
            [({}, EmailDelivery.objects.count())],
        )
    )
    return families
