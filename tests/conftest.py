"""Shared fixtures: the reference data, and the personas of STYLE.md.

- focal_a / signatory_a: the delegation of State A (France)
- focal_b: a focal point of State B (Germany), who must get 404 on A's things
- secretariat, monitoring, committee: the back office and a Council expert
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from reports.models import MemberState, ReportingCycle, Role
from reports.services.reference_data import reference_data_load
from reports.services.roles import roles_ensure
from tests.factories import make_report, make_user, open_cycle
from tests.mfa import totp_give

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _language_reset():  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in French must not leave the next
    test's assertions reading French."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        reference_data_load()
        roles_ensure()


@pytest.fixture
def reference(db):  # type: ignore[no-untyped-def]
    """The reference data; reloaded if a transactional test emptied the tables."""
    if not MemberState.objects.exists():
        reference_data_load()
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
