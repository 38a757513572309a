"""On PostgreSQL, sweeps racing in several workers close each dead task once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus

from tests.workers import tasks
from workers.recovery import recovery_sweep

COUNTING = "tests.workers.tasks.recoverer_counting"
SWEEPERS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_close_a_dead_workers_task_exactly_once(settings, task_row, beat):
    if connection.vendor != "postgresql":
        # Threads on the in-memory test database share one cache and fail at once instead of
        # waiting; on SQLite files, workers are processes and the write lock serialises sweeps.
        pytest.skip("row locks between threads: PostgreSQL only")
    settings.WORKER_RECOVERERS = [COUNTING]
    tasks.CALLS.clear()
    beat("dead", ago=timedelta(minutes=5))
    orphans = [
        task_row(TaskResultStatus.RUNNING, worker_id="dead", started=timedelta(minutes=6))
        for _ in range(3)
    ]
    start = threading.Barrier(SWEEPERS)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(10)
            results.append(recovery_sweep())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    sweepers = [threading.Thread(target=sweep) for _ in range(SWEEPERS)]
    for thread in sweepers:
        thread.start()
    for thread in sweepers:
        thread.join(30)

    assert errors == []
    assert len(results) == SWEEPERS
    assert sum(done.get("closed_tasks", 0) for done in results) == len(orphans)
    closed = [task_id for call in tasks.CALLS for task_id in call.closed_task_ids]
    assert sorted(closed) == sorted(str(row.pk) for row in orphans)
