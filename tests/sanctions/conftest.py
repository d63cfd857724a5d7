from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "reports" / "fixtures" / "sanctions"
DEMO_1 = FIXTURES / "consolidated-demo-1.xml"
DEMO_2 = FIXTURES / "consolidated-demo-2.xml"


@pytest.fixture
def demo_1_bytes() -> bytes:
    return DEMO_1.read_bytes()


@pytest.fixture
def demo_2_bytes() -> bytes:
    return DEMO_2.read_bytes()


@pytest.fixture
def listed(db, demo_1_bytes):  # type: ignore[no-untyped-def]
    """The made-up list, first snapshot, in force."""
    from reports.services.sanctions_import import import_sanctions_list

    return import_sanctions_list(demo_1_bytes, source="test demo-1").snapshot
