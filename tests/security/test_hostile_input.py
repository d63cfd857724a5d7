"""Bad input at scale (hypothesis): hostile values into the forms, the pages and the services.

No 500, and no partial write: a save either stores valid rows (every stored row passes its
model's field validation) or nothing, the draft's revision moves by at most one, and nothing
the portal stores makes PostgreSQL choke (NUL characters, NaN in JSON).
"""

from __future__ import annotations

import math
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import AuditEvent, ChecklistAnswer, ReportVersion
from reports.models.registers import CulturalSeizure, FrozenAsset, OilInterdiction, RansomCase, SuspiciousTransactionCount
from reports.services.audit import audit_log

NASTY = [
    "", " ", "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "-1", "0", "-0",
    "99999999999999999999999999999999", "0x10", "1,5", "١٢٣",  # Arabic-Indic digits
    "\u202eevil\u202c", "\u200f\u200e", "\u061c", "\ufeff", "\u0000", "a\x00b", "%00", "\r\n\r\n",
    "<script>alert(1)</script>", "'; DROP TABLE reports_report; --", "{{ 7*7 }}", "${7*7}",
    "0000-00-00", "9999-12-31", "10000-01-01", "1900-02-29", "2026-02-30", "-0001-01-01", "2026-13-01",
    "1970-01-01T00:00:00Z", "QDe.115", "QDi.999999999999", "../../etc/passwd", "☃" * 300, "𝕏" * 100,
]  # fmt: skip
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.isoformat()),
    st.just("x" * 1_000_000),  # 1 MB
)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.IGNORECASE)
REVISION = re.compile(r'name="revision"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="revision"')
REGISTERS = [OilInterdiction, FrozenAsset, CulturalSeizure, RansomCase, SuspiciousTransactionCount]


def editor_fields(client: Client, url: str) -> tuple[list[str], int]:
    html = client.get(url).content.decode()
    names = sorted({n for n in FIELD.findall(html) if n not in ("csrfmiddlewaretoken", "language", "next")})
    match = REVISION.search(html)
    return names, int(next(g for g in match.groups() if g)) if match else 0


def stored_rows_are_valid(version: ReportVersion) -> None:
    for model in [*REGISTERS, ChecklistAnswer]:
        for row in model.objects.filter(version=version):
            row.clean_fields()  # raises ValidationError on anything invalid that got stored
            for field in row._meta.concrete_fields:
                value = getattr(row, field.attname)
                if isinstance(value, float):
                    assert math.isfinite(value), (model.__name__, field.name)


@pytest.fixture
def draft(report_a):  # type: ignore[no-untyped-def]
    return report_a.versions.get(is_draft=True)


@pytest.mark.parametrize("section", ["checklist", "oil", "assets", "cultural", "ransom", "str", "settings"])
def test_the_editor_survives_hostile_values(client, focal_a, draft, section):
    client.force_login(focal_a)
    url = f"/delegation/drafts/{draft.pk}/{section}/"
    names, _ = editor_fields(client, url)
    if not names:
        pytest.skip(f"no form fields found on {url}")

    @SLOW
    @given(data=st.data())
    def run(data):  # type: ignore[no-untyped-def]
        _, revision = editor_fields(client, url)
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(len(names), 12), unique=True))
        payload = {name: data.draw(hostile) for name in chosen}
        payload["revision"] = str(revision)
        before = ReportVersion.objects.get(pk=draft.pk).revision
        events = AuditEvent.objects.count()
        response = client.post(url, payload)
        assert response.status_code < 500
        after = ReportVersion.objects.get(pk=draft.pk)
        assert after.is_draft and before <= after.revision <= before + 1
        assert AuditEvent.objects.count() - events <= 1
        stored_rows_are_valid(after)

    run()


@SLOW
@given(revision=hostile, section=hostile)
def test_garbage_revision_and_section_never_500(client, focal_a, draft, revision, section):
    client.force_login(focal_a)
    response = client.post(f"/delegation/drafts/{draft.pk}/checklist/", {"revision": revision, "x": section})
    assert response.status_code < 500


GET_PAGES = [
    "/delegation/", "/secretariat/", "/secretariat/reports/", "/secretariat/parties/", "/security/audit/",
    "/monitoring/", "/monitoring/jobs/table/", "/monitoring/summaries/", "/security/account/",
]  # fmt: skip
PARAMS = ["cycle", "group", "category", "state", "page", "q", "sort", "action", "actor", "date_from", "date_to",
          "measure", "area", "status", "kind", "format", "export", "section", "per_page", "o"]  # fmt: skip


@SLOW
@given(page=st.sampled_from(GET_PAGES), params=st.dictionaries(st.sampled_from(PARAMS), hostile, max_size=4))
def test_query_strings_never_500(client, secretariat, focal_a, page, params):
    user = focal_a if page.startswith("/delegation/") else secretariat
    client.force_login(user)
    response = client.get(page, params)
    assert response.status_code < 500, (page, params)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    detail=st.dictionaries(
        st.text(max_size=20),
        st.recursive(
            st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.text(max_size=50),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
            max_leaves=8,
        ),
        max_size=4,
    ),
    name=st.text(max_size=400),
)
def test_audit_log_stores_anything_a_service_passes(db, detail, name):
    event = audit_log(action="fuzz", actor_name=name, **{f"k{i}": v for i, v in enumerate(detail.values())})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "fuzz" and len(stored.actor_name) <= 150
    assert "\x00" not in stored.actor_name


def test_a_nul_character_is_refused_before_any_view(client, focal_a, draft, secretariat):
    client.force_login(focal_a)
    before = ReportVersion.objects.get(pk=draft.pk).revision
    response = client.post(f"/delegation/drafts/{draft.pk}/checklist/", {"revision": str(before), "note": "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert ReportVersion.objects.get(pk=draft.pk).revision == before
    client.force_login(secretariat)
    assert client.get("/security/audit/", {"actor": "\x00"}).status_code == 400
    assert client.get("/security/audit/", {"actor": "ok"}).status_code == 200
