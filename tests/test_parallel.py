"""The parallel run's arrangements (tests/parallel.py): a Redis database per worker, and the serial
tests together in one worker while the others share the rest, none lost."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tests.parallel import SERIAL_PATHS, WORKER_INDEX_ENV, redis_url_for_worker, serial_first_scheduling, worker_environments


def test_each_worker_gets_the_next_redis_database():
    assert redis_url_for_worker("redis://127.0.0.1:6379/10", 0) == "redis://127.0.0.1:6379/10"
    assert redis_url_for_worker("redis://127.0.0.1:6379/10", 1) == "redis://127.0.0.1:6379/11"
    assert redis_url_for_worker("redis://127.0.0.1:6379", 1) == "redis://127.0.0.1:6379/1"
    assert (
        redis_url_for_worker("rediss://:secret@cache:6380/0?ssl_cert_reqs=none", 1)
        == "rediss://:secret@cache:6380/1?ssl_cert_reqs=none"
    )
    with pytest.raises(pytest.UsageError, match="database 16"):
        redis_url_for_worker("redis://127.0.0.1:6379/15", 1)


def test_without_redis_a_worker_gets_only_its_index():
    assert worker_environments("", 2) == [{WORKER_INDEX_ENV: "0"}, {WORKER_INDEX_ENV: "1"}]
    assert [env["REDIS_URL"] for env in worker_environments("redis://h:6379/0", 2)] == ["redis://h:6379/0", "redis://h:6379/1"]


class Node:
    """What the scheduler sees of a worker: the tests sent to it, and whether it was told to stop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[int] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.extend(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


def run(collection: list[str], workers: int = 2) -> dict[str, list[int]]:
    """Schedule the collection on fake workers and run it to the end, each worker taking its
    oldest pending test in turn, as xdist's workers do."""
    options = {"tx": [f"{workers}*popen"], "maxschedchunk": None}
    config = SimpleNamespace(getvalue=options.get, getoption=options.get)
    quiet = SimpleNamespace(loadsched=lambda *words: None)
    scheduler = serial_first_scheduling(config, quiet)  # type: ignore[arg-type]
    nodes = [Node(f"gw{i}") for i in range(workers)]
    for node in nodes:
        scheduler.add_node(node)
    for node in nodes:
        scheduler.add_node_collection(node, collection)
    scheduler.schedule()
    ran: dict[str, list[int]] = {node.name: [] for node in nodes}
    while any(scheduler.node2pending[node] for node in nodes):
        for node in nodes:
            if scheduler.node2pending[node]:
                index = scheduler.node2pending[node][0]
                ran[node.name].append(index)
                scheduler.mark_test_complete(node, index, duration=1.0)
    return ran


def test_the_serial_tests_run_in_one_worker_first_and_no_test_is_lost():
    plain = [f"tests/views/test_page.py::test_{i}" for i in range(200)]
    shared = ["tests/api/test_schemathesis.py::test_fuzz"] * 24  # generated tests that share a node id
    journeys = [f"{SERIAL_PATHS[0]}test_journey.py::test_{i}[chromium]" for i in range(30)]
    collection = plain[:100] + shared + journeys + plain[100:] + ["tests/integration/test_pdf_worker.py::test_kill"]
    serial = {i for i, nodeid in enumerate(collection) if nodeid.startswith(SERIAL_PATHS)}
    assert len(serial) == 31

    ran = run(collection)
    assert sorted(ran["gw0"] + ran["gw1"]) == list(range(len(collection)))  # each test once
    assert ran["gw0"][: len(serial)] == sorted(serial)  # all of them, first, one after the other
    assert not serial & set(ran["gw1"])
    assert abs(len(ran["gw0"]) - len(ran["gw1"])) < 60  # the other worker took the rest meanwhile


def test_with_one_worker_everything_runs_in_it():
    collection = [f"{SERIAL_PATHS[0]}test_journey.py::test_a", "tests/views/test_page.py::test_b"]
    assert sorted(run(collection, workers=1)["gw0"]) == [0, 1]


@pytest.mark.django_db
def test_what_goes_back_after_a_transactional_test_is_all_the_reference_load_writes(reference):
    """tests/conftest.py puts REFERENCE_MODELS' rows back after a flush instead of loading the
    files again: a table the load writes and the list forgets would stay empty."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.services.reference_data import reference_data_load
    from tests.conftest import REFERENCE_MODELS

    with CaptureQueriesContext(connection) as queries:
        reference_data_load()
    written = set()
    for query in queries.captured_queries:
        found = re.match(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', query["sql"], re.IGNORECASE)
        if found:
            written.add(found.group(1))
    assert written, "the load wrote nothing: the check would prove nothing"
    assert written <= {model._meta.db_table for model in REFERENCE_MODELS}, written
