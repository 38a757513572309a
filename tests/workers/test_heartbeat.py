"""A worker's heartbeat records who runs what, and holds back sweeps after a long lock."""

import os
from datetime import timedelta

import pytest
from django_tasks_db.compat import TaskResultStatus

from workers import locking
from workers.heartbeat import Heartbeat
from workers.models import WorkerBeat

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def no_lock_seen(monkeypatch):
    monkeypatch.setitem(locking._state, "last_lock_error", None)


def test_beat_records_the_worker_its_process_and_its_task(no_lock_seen):
    heartbeat = Heartbeat(worker_id="w-1")
    heartbeat.beat()
    first = WorkerBeat.objects.get(worker_id="w-1")
    heartbeat.task_id, heartbeat.tasks_run = "abc", 3

    heartbeat.beat()

    beat = WorkerBeat.objects.get(worker_id="w-1")
    assert (beat.pid, beat.task_id, beat.tasks_run) == (os.getpid(), "abc", 3)
    assert beat.started_at == first.started_at
    assert beat.last_seen >= first.last_seen


def test_sweep_waits_a_lease_after_this_process_met_a_locked_database(task_row, beat, caplog):
    # After a long lock every beat is stale, live workers' included: closing their tasks
    # at once would cut them off; a lease later, live workers have beaten again.
    beat("quiet", ago=timedelta(minutes=5))
    row = task_row(TaskResultStatus.RUNNING, worker_id="quiet", started=timedelta(minutes=6))
    locking.note_lock_error()
    try:
        Heartbeat(worker_id="sweeper").sweep_once()
    finally:
        locking._state["last_lock_error"] = None

    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING
    assert "Recovery sweep deferred" in caplog.text

    Heartbeat(worker_id="sweeper").sweep_once()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
