import pytest

from tests.pdf.world import World, build_world


@pytest.fixture
def world(reference) -> World:  # type: ignore[no-untyped-def]
    return build_world()
