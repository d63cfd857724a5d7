import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """allauth's per-address throttle and used TOTP codes live in the cache; start each test clean."""
    cache.clear()
    yield
    cache.clear()
