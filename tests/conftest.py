"""Shared fixtures: the reference data, and the personas of STYLE.md.

- focal_a / signatory_a: the delegation of State A (France)
- focal_b: a focal point of State B (Germany), who must get 404 on A's things
- secretariat, monitoring, committee: the back office and a Council expert
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction

from reports.models import Measure, MemberState, Obligation, ReportingCycle, Resolution, Role
from reports.services.reference_data import reference_data_load
from reports.services.roles import ROLE_PERMISSIONS, roles_ensure
from tests.factories import make_report, make_user, open_cycle
from tests.mfa import totp_give
from tests.parallel import WORKER_INDEX_ENV, serial_first_scheduling, worker_environments

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):  # type: ignore[no-untyped-def]
    """Each xdist worker its own Redis database (tests/parallel.py), before the worker starts."""
    for spec, env in zip(specs, worker_environments(os.environ.get("REDIS_URL", ""), len(specs)), strict=True):
        spec.env.update(env)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):  # type: ignore[no-untyped-def]
    """--dist load (xdist's default with -n), with the serial tests in one worker (tests/parallel.py)."""
    if config.getvalue("dist") in ("load", "loadgroup"):
        return serial_first_scheduling(config, log)
    return None


if os.environ.get("PYTEST_XDIST_WORKER") and WORKER_INDEX_ENV not in os.environ:
    raise pytest.UsageError("an xdist worker without its own Redis database: tests/conftest.py was not loaded first")


@pytest.fixture(autouse=True)
def _language_reset():  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in French must not leave the next
    test's assertions reading French."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The reference data, in the order of their foreign keys: what reference_data_load() writes.
REFERENCE_MODELS = (MemberState, Resolution, Obligation, Measure, ReportingCycle)
_reference_key = pytest.StashKey[tuple[object, dict[type, list[object]]]]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):  # type: ignore[no-untyped-def]
    """The test database with the 193 States, resolutions, measures, cycles and the roles, loaded
    once; its reference rows are kept to put back after each test that empties the tables."""
    with django_db_blocker.unblock():
        reference_data_load()
        roles_ensure()
        rows = {model: list(model._default_manager.order_by("pk")) for model in REFERENCE_MODELS}
    request.config.stash[_reference_key] = (django_db_blocker, rows)


def _reference_restore(rows: dict[type, list[object]]) -> None:
    """After a flush: the same rows (same keys) as the session loaded, and the roles."""
    with transaction.atomic():
        if any(model._default_manager.exists() for model in REFERENCE_MODELS):
            reference_data_load()  # not emptied after all: bring it up to date, as the files say
        else:
            for model in REFERENCE_MODELS:
                model._default_manager.bulk_create(rows[model])
            with connection.cursor() as cursor:  # sequences past the keys put back
                for statement in connection.ops.sequence_reset_sql(no_style(), list(REFERENCE_MODELS)):
                    cursor.execute(statement)
        roles_ensure()


def _empties_the_database(item: pytest.Item) -> bool:
    """A transactional test (pytest-django's rule): its database is flushed, every table emptied, when it ends."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args[:1] == (True,)
    ):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """After a transactional test has emptied the tables, the reference data goes back at once, so
    every test, whatever ran before it in this process (xdist does not keep pytest-django's order of
    plain tests first), starts from the database as the session set it up."""
    result = yield
    stashed = item.config.stash.get(_reference_key, None)
    if nextitem is not None and stashed is not None and _empties_the_database(item):
        blocker, rows = stashed
        with blocker.unblock():  # type: ignore[attr-defined]
            _reference_restore(rows)
    return result


@pytest.fixture
def reference(db):  # type: ignore[no-untyped-def]
    """The reference data and the roles (loaded for the session, put back after a transactional test)."""
    if not MemberState.objects.exists():
        reference_data_load()
    if Group.objects.filter(name__in=[role.value for role in ROLE_PERMISSIONS]).count() != len(ROLE_PERMISSIONS):
        roles_ensure()


@pytest.fixture
def state_a(reference) -> MemberState:  # type: ignore[no-untyped-def]
    return MemberState.objects.get(iso3="FRA")


@pytest.fixture
def state_b(reference) -> MemberState:  # type: ignore[no-untyped-def]
    return MemberState.objects.get(iso3="DEU")


@pytest.fixture
def cycle(reference) -> ReportingCycle:  # type: ignore[no-untyped-def]
    return open_cycle()


@pytest.fixture
def focal_a(state_a):  # type: ignore[no-untyped-def]
    return make_user(Role.FOCAL_POINT, state_a, "alice")


@pytest.fixture
def signatory_a(state_a):  # type: ignore[no-untyped-def]
    return totp_give(make_user(Role.SIGNATORY, state_a, "amira"))  # signatories must use MFA


@pytest.fixture
def focal_b(state_b):  # type: ignore[no-untyped-def]
    return make_user(Role.FOCAL_POINT, state_b, "bob")


@pytest.fixture
def secretariat(reference):  # type: ignore[no-untyped-def]
    return totp_give(make_user(Role.SECRETARIAT, None, "sofia"))  # MFA required


@pytest.fixture
def monitoring(reference):  # type: ignore[no-untyped-def]
    return totp_give(make_user(Role.MONITORING, None, "mateo"))  # MFA required


@pytest.fixture
def committee(reference):  # type: ignore[no-untyped-def]
    return make_user(Role.COMMITTEE, None, "chen")


@pytest.fixture
def report_a(state_a, cycle, focal_a):  # type: ignore[no-untyped-def]
    return make_report(state_a, cycle, focal_a)


@pytest.fixture
def report_b(state_b, cycle, focal_b):  # type: ignore[no-untyped-def]
    return make_report(state_b, cycle, focal_b)


@pytest.fixture
def redis_url() -> str:
    url = settings.REDIS_URL
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail("REDIS_URL is not set but PORTAL_REQUIRE_SERVICES=1")
        pytest.skip("REDIS_URL is not set: the integration tests need a real Redis broker")
    return url
