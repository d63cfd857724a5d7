"""Running the suite in several processes (pytest-xdist, `make test`): what keeps them apart.

- Each worker process has its own test database (pytest-django adds _gw0, _gw1 ... to its name;
  on SQLite each has its own in-memory database) and its own Redis database: REDIS_URL's number
  plus the worker's index, put in the worker's environment by the controller before the worker
  starts, so Django's settings (read before any conftest) and every child process see it. One
  worker's Celery workers, queue purges and cache never touch another's.
- The tests of SERIAL_PATHS all go, first, to one worker, which runs them one after the other
  while the other workers share the rest: the browser journeys (never two Chromiums at once on a
  small machine) and the tests that start processes of their own (Celery workers rendering PDFs,
  a fresh clone's virtualenv and `make test`).

The scheduler is xdist's `--dist load` (tests handed out by index, a few at a time) with that one
change. xdist's own `--dist loadgroup` is not used: it groups through a node id suffix that
pytest 9 no longer lets a plugin set, and it keys tests by node id, which loses tests that share
one (schemathesis's generated tests do).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

WORKER_INDEX_ENV = "PORTAL_TEST_WORKER_INDEX"
REDIS_DATABASES = 16  # redis-server's default `databases`
SERIAL_PATHS = (
    "tests/e2e/",
    "tests/integration/test_pdf_worker.py::",
    "tests/storage/test_two_workers.py::",
    "tests/test_fresh_clone.py::test_a_clean_clone_passes_make_test_with_a_fresh_virtualenv",
)


def redis_url_for_worker(url: str, index: int) -> str:
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + index
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"REDIS_URL={url} with {index + 1} test workers needs Redis database {number}: "
            "use a lower database number in REDIS_URL, or fewer workers (-n)"
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


def worker_environments(redis_url: str, count: int) -> list[dict[str, str]]:
    """The variables each worker process starts with."""
    environments = []
    for index in range(count):
        env = {WORKER_INDEX_ENV: str(index)}
        if redis_url:
            env["REDIS_URL"] = redis_url_for_worker(redis_url, index)
        environments.append(env)
    return environments


def serial_first_scheduling(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScheduling

    class SerialFirstScheduling(LoadScheduling):
        """--dist load, except that the serial tests go together, first, to the first worker,
        which gets nothing else until at most one of them is left."""

        serial: frozenset[int] = frozenset()

        def schedule(self) -> None:
            if self.collection is not None or len(self.nodes) < 2:
                super().schedule()  # a later call (a worker added), or one worker
                return
            if not self._check_nodes_have_same_collection():
                self.log("**Different tests collected, aborting run**")
                return
            collection = next(iter(self.node2collection.values()))
            self.serial = frozenset(i for i, nodeid in enumerate(collection) if nodeid.startswith(SERIAL_PATHS))
            if not self.serial:
                super().schedule()
                return
            self.collection = collection
            self.pending[:] = [i for i in range(len(collection)) if i not in self.serial]
            if self.maxschedchunk is None:
                self.maxschedchunk = len(collection)
            first, *others = self.nodes
            block = sorted(self.serial)
            self.node2pending[first].extend(block)
            first.send_runtest_some(block)
            chunk = max(min(len(self.pending) // len(others) // 4, self.maxschedchunk), 2)
            for node in others:
                self._send_tests(node, chunk)
            if not self.pending:
                for node in self.nodes:
                    node.shutdown()

        def check_schedule(self, node: Any, duration: float = 0) -> None:
            # A worker runs a test once it knows the next one: give the serial worker more only
            # when one serial test is left.
            if self.pending and sum(index in self.serial for index in self.node2pending[node]) >= 2:
                return
            super().check_schedule(node, duration)

    return SerialFirstScheduling(config, log)
