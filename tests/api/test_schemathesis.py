"""Fuzzing the live schema (schemathesis) as a delegation token and as a Secretariat token.

Bounded: a few examples per operation (hypothesis `max_examples`), about a minute in all on
a small CI machine. Every answer must be no 5xx, a documented status with a documented body
(problem+json included), and must hold no object of another State: the custom check below.
A fraction of the generated ids are replaced by real ones (France's report, Russia's report,
the cycle) so the fuzzer reaches real objects, not only 404s.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from reports.models import TokenScope
from reports.services.attachments import attachment_add
from reports.services.reports import report_submit_unchecked
from sanctions_portal.wsgi import application
from tests.api.conftest import token_for
from tests.delegation import OIL_ROW, draft_of
from tests.factories import make_report, open_cycle, signatory_of

pytestmark = pytest.mark.django_db


# The live schema, as the app serves it (no database needed to serve it). Loaded eagerly: the
# lazy fixture loader of schemathesis 4.32 trips over pytest 9 (Function._nodeid).
EXAMPLES = 6
# The coverage phase (hundreds of boundary cases an operation) is left out to keep CI to about a
# minute; the fuzzing phase generates EXAMPLES valid and invalid cases an operation.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}, "generation": {"max-examples": EXAMPLES}})
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():  # type: ignore[no-untyped-def]
    """The app is called directly (WSGI): the test's transaction must survive the end of each
    request, so the handlers that close connections are detached, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


ATTACHMENT_PATH = re.compile(r"^/api/v1/reports/\d+/attachments/(\d+)/$")


class Fuzz:
    """The world the fuzzer runs in, and the rule every answer must keep."""

    def __init__(
        self,
        *,
        own_state: str | None,
        allowed_reports: set[int],
        ids: list[int],
        allowed_attachments: set[int] | None = None,
        files: list[tuple[int, int]] | None = None,
        cycle_ids: list[int] | None = None,
    ) -> None:
        self.own_state = own_state
        self.allowed_reports = set(allowed_reports)
        self.ids = ids
        self.allowed_attachments = allowed_attachments or set()
        self.files = files or []  # (report, attachment) pairs to try, most telling first
        self.cycle_ids = cycle_ids or []
        self.rng = random.Random(2253)
        self.turn = 0

    def steer(self, case: Any) -> None:
        if "id" in (case.path_parameters or {}) and self.rng.random() < 0.6:
            case.path_parameters["id"] = self.rng.choice(self.ids)
        if "number" in (case.path_parameters or {}) and self.rng.random() < 0.5:
            case.path_parameters["number"] = 1
        if "aid" in (case.path_parameters or {}) and self.files and self.rng.random() < 0.9:
            # Each (report, file) pair in turn: the token's own, then others' files under its own report,
            # then others' files under their reports.
            report_id, attachment_id = self.files[self.turn % len(self.files)]
            self.turn += 1
            case.path_parameters["id"], case.path_parameters["aid"] = report_id, attachment_id
        if isinstance(case.body, dict) and "cycle" in case.body and self.cycle_ids and self.rng.random() < 0.6:
            case.body["cycle"] = self.rng.choice(self.cycle_ids)

    def no_other_state(self, ctx: Any, response: Any, case: Any) -> bool | None:
        if response.status_code >= 300:
            return None
        path = case.formatted_path
        for report_id in self.ids:
            if report_id not in self.allowed_reports and path.startswith(f"/api/v1/reports/{report_id}/"):
                raise AssertionError(f"{path} answered {response.status_code} for a report the token may not read")
        file = ATTACHMENT_PATH.match(path)
        if file and int(file[1]) not in self.allowed_attachments:
            raise AssertionError(f"{path} answered {response.status_code} for an attachment the token may not read")
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            return None  # a file
        if case.method == "POST" and path == "/api/v1/reports/" and response.status_code == 201:
            # A report the token just started: its own State's, readable from now on.
            if body.get("state") != self.own_state:
                raise AssertionError(f"{path}: started a report of {body.get('state')}")
            self.allowed_reports.add(body["id"])
        self._walk(body, path)
        return None

    def _walk(self, value: Any, path: str) -> None:
        if isinstance(value, dict):
            state = value.get("state")
            if self.own_state and isinstance(state, str) and "status" in value and state != self.own_state:
                raise AssertionError(f"{path}: a report of {state}")
            if "status" in value and "cycle_code" in value and value.get("id") not in self.allowed_reports:
                raise AssertionError(f"{path}: report {value.get('id')} is not the token's to read")
            if "sha256" in value and "download" in value and value.get("id") not in self.allowed_attachments:
                raise AssertionError(f"{path}: attachment {value.get('id')} is not the token's to read")
            for item in value.values():
                self._walk(item, path)
        elif isinstance(value, list):
            for item in value:
                self._walk(item, path)


@pytest.fixture
def world(cycle, state_a, state_b, focal_fra, report_fra, report_rus, focal_rus, secretariat):  # type: ignore[no-untyped-def]
    cache.clear()  # a fresh per-token count
    draft = draft_of(report_fra)
    from reports.api.drafts import register_write

    register_write(version=draft, section="oil", actor=focal_fra, revision=draft.revision, rows=[OIL_ROW])
    fra_file = _attach(draft, focal_fra)
    # Russia has a submitted report (the Secretariat may read it and its file; France never).
    rus_file = _attach(draft_of(report_rus), focal_rus)
    report_submit_unchecked(report=report_rus, actor=signatory_of(report_rus.state))
    # Germany has a draft only: not even the Secretariat reads it or its file.
    german = make_report(state_b, cycle)
    deu_file = _attach(draft_of(german), german.versions.get().updated_by)
    fra, rus, deu = (report_fra.pk, fra_file.pk), (report_rus.pk, rus_file.pk), (german.pk, deu_file.pk)
    # A cycle France has not started yet (201), and the one it has (200).
    started = [cycle.pk, open_cycle("not-started-yet").pk]
    return {
        "delegation": (
            token_for(focal_fra, TokenScope.READ_WRITE_DRAFT),
            Fuzz(
                own_state="FRA",
                allowed_reports={report_fra.pk},
                ids=[report_fra.pk, report_rus.pk, german.pk],
                allowed_attachments={fra_file.pk},
                files=[fra, (fra[0], rus[1]), (fra[0], deu[1]), rus, deu, (rus[0], fra[1])],
                cycle_ids=started,
            ),
        ),
        "secretariat": (
            token_for(secretariat, TokenScope.READ),
            Fuzz(
                own_state=None,
                allowed_reports={report_rus.pk},
                ids=[report_rus.pk, german.pk, report_fra.pk, cycle.pk],
                allowed_attachments={rus_file.pk},
                files=[rus, (rus[0], fra[1]), (rus[0], deu[1]), fra, deu, (fra[0], rus[1])],
                cycle_ids=started,
            ),
        ),
    }


def _attach(version: Any, actor: Any) -> Any:
    upload = SimpleUploadedFile("law.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return attachment_add(version=version, actor=actor, upload=upload)


def _fuzz(case: Any, token: str, fuzz: Fuzz) -> None:
    fuzz.steer(case)
    # identity: the WSGI transport hands over the body as the app wrote it (GZipMiddleware would compress it).
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    response = case.call(headers=headers)
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        additional_checks=[fuzz.no_other_state],
        headers=headers,
    )


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_fuzz_as_delegation(case, world):  # type: ignore[no-untyped-def]
    _fuzz(case, *world["delegation"])


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_fuzz_as_secretariat(case, world):  # type: ignore[no-untyped-def]
    _fuzz(case, *world["secretariat"])


def test_the_state_check_can_fail():
    """The custom check is not an echo: another State's report, or an answer for a report the
    token may not read, fails it."""

    class Answer:
        status_code = 200
        content = b'{"results": [{"id": 7, "state": "RUS", "status": "draft", "cycle_code": "c"}]}'

    class Case:
        formatted_path = "/api/v1/reports/"
        method = "GET"

    fuzz = Fuzz(own_state="FRA", allowed_reports={5}, ids=[5, 7])
    with pytest.raises(AssertionError):
        fuzz.no_other_state(None, Answer(), Case())
    Case.formatted_path = "/api/v1/reports/7/draft/"
    Answer.content = b"{}"
    with pytest.raises(AssertionError):
        fuzz.no_other_state(None, Answer(), Case())
    Case.formatted_path = "/api/v1/reports/5/draft/"
    assert fuzz.no_other_state(None, Answer(), Case()) is None

    # Attachments: a file the token may not read, under its own report too, or one listed.
    fuzz = Fuzz(own_state="FRA", allowed_reports={5}, ids=[5, 7], allowed_attachments={11}, files=[(5, 11), (7, 12)])
    Case.formatted_path = "/api/v1/reports/5/attachments/12/"
    Answer.content = b"%PDF-1.4"
    with pytest.raises(AssertionError):
        fuzz.no_other_state(None, Answer(), Case())
    Case.formatted_path = "/api/v1/reports/5/attachments/11/"
    assert fuzz.no_other_state(None, Answer(), Case()) is None
    Case.formatted_path = "/api/v1/reports/5/attachments/"
    Answer.content = b'{"results": [{"id": 12, "sha256": "x", "download": "/api/v1/reports/5/attachments/12/"}]}'
    with pytest.raises(AssertionError):
        fuzz.no_other_state(None, Answer(), Case())

    # A report started by the token is its own State's, or the check fails.
    class Started:
        status_code = 201
        content = b'{"id": 9, "state": "RUS", "status": "draft", "cycle_code": "c"}'

    Case.formatted_path = "/api/v1/reports/"
    Case.method = "POST"
    with pytest.raises(AssertionError):
        fuzz.no_other_state(None, Started(), Case())
    Started.content = b'{"id": 9, "state": "FRA", "status": "draft", "cycle_code": "c"}'
    assert fuzz.no_other_state(None, Started(), Case()) is None and 9 in fuzz.allowed_reports
