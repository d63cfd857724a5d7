import pytest

from reports.services.reference_data import reference_data_load

pytestmark = pytest.mark.integration


def test_task_round_trip_through_real_worker_and_redis(celery_worker_real):
    from reports.tasks import ping

    reference_data_load()
    result = ping.delay()
    assert result.get(timeout=30) == {"pong": "ok", "states": 193}
