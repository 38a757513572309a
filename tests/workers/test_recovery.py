"""The recovery sweep closes the task rows of dead workers and lets recoverers resume work."""

from datetime import timedelta

import pytest
from django_tasks_db.compat import TaskResultStatus

from tests.commands import command
from tests.workers import tasks
from workers.models import WorkerBeat
from workers.recovery import recovery_sweep, task_alive

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

COUNTING = "tests.workers.tasks.recoverer_counting"
BROKEN = "tests.workers.tasks.recoverer_broken"


@pytest.fixture(autouse=True)
def _no_recoverer_calls():
    tasks.CALLS.clear()


def test_sweep_closes_the_task_of_a_dead_worker_and_leaves_a_live_workers_task(task_row, beat):
    beat("dead", ago=timedelta(minutes=5))
    beat("alive", ago=timedelta(seconds=5))
    orphan = task_row(TaskResultStatus.RUNNING, worker_id="dead", started=timedelta(minutes=6))
    working = task_row(TaskResultStatus.RUNNING, worker_id="alive", started=timedelta(minutes=6))

    done = recovery_sweep()

    assert done["closed_tasks"] == 1
    orphan.refresh_from_db()
    working.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED
    assert orphan.finished_at is not None
    assert orphan.exception_class_path == "workers.recovery.WorkerStopped"
    assert "worker dead stopped while running this task" in orphan.traceback
    assert orphan.task_result.errors[0].traceback == orphan.traceback
    assert working.status == TaskResultStatus.RUNNING


def test_sweep_closes_a_task_whose_worker_never_beat_only_after_the_lease(task_row):
    old = task_row(TaskResultStatus.RUNNING, worker_id="bare", started=timedelta(minutes=2))
    new = task_row(TaskResultStatus.RUNNING, worker_id="bare2", started=timedelta(seconds=5))

    recovery_sweep()

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == TaskResultStatus.FAILED
    assert "never seen" in old.traceback
    assert new.status == TaskResultStatus.RUNNING


def test_a_second_sweep_closes_nothing_more(task_row, beat):
    beat("dead", ago=timedelta(minutes=5))
    task_row(TaskResultStatus.RUNNING, worker_id="dead", started=timedelta(minutes=6))

    assert recovery_sweep()["closed_tasks"] == 1
    assert recovery_sweep()["closed_tasks"] == 0


@pytest.mark.parametrize(
    ("status", "worker_seen", "started", "alive"),
    [
        (TaskResultStatus.READY, None, None, True),
        (TaskResultStatus.RUNNING, timedelta(seconds=5), timedelta(hours=1), True),
        (TaskResultStatus.RUNNING, timedelta(minutes=5), timedelta(hours=1), False),
        (TaskResultStatus.RUNNING, None, timedelta(seconds=5), True),  # beat not written yet
        (TaskResultStatus.RUNNING, None, timedelta(minutes=5), False),
        (TaskResultStatus.SUCCESSFUL, timedelta(seconds=5), timedelta(minutes=1), False),
        (TaskResultStatus.FAILED, timedelta(seconds=5), timedelta(minutes=1), False),
    ],
)
def test_task_alive_while_queued_or_running_on_a_live_worker(
    task_row, beat, status, worker_seen, started, alive
):
    if worker_seen is not None:
        beat("w1", ago=worker_seen)
    row = task_row(status, worker_id="w1" if started else "", started=started)

    assert task_alive(str(row.pk)) is alive


def test_task_alive_takes_the_lease_it_is_given(task_row, beat):
    beat("w1", ago=timedelta(seconds=30))
    row = task_row(TaskResultStatus.RUNNING, worker_id="w1", started=timedelta(minutes=1))

    assert task_alive(str(row.pk), lease=timedelta(seconds=60))
    assert not task_alive(str(row.pk), lease=timedelta(seconds=10))


def test_task_alive_is_false_for_unknown_or_malformed_ids():
    assert not task_alive("0b6a0f4e-0000-4000-8000-000000000000")
    assert not task_alive("not-a-uuid")


def test_a_broken_recoverer_is_rolled_back_and_the_sweep_goes_on(settings, task_row, beat):
    settings.WORKER_RECOVERERS = [BROKEN, COUNTING]
    beat("dead", ago=timedelta(minutes=5))
    orphan = task_row(TaskResultStatus.RUNNING, worker_id="dead", started=timedelta(minutes=6))

    done = recovery_sweep()

    assert done == {
        "closed_tasks": 1,
        BROKEN: 0,
        "failed_recoverers": 1,
        COUNTING: 1,
        "forgotten_beats": 0,
    }
    assert [call.closed_task_ids for call in tasks.CALLS] == [frozenset({str(orphan.pk)})]
    assert tasks.CALLS[0].lease == timedelta(seconds=60)
    assert not WorkerBeat.objects.filter(worker_id="written-by-a-broken-recoverer").exists()
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED


def test_a_recoverer_that_cannot_be_imported_does_not_stop_the_sweep(settings):
    settings.WORKER_RECOVERERS = ["tests.workers.tasks.no_such_recoverer", COUNTING]

    done = recovery_sweep()

    assert done["failed_recoverers"] == 1
    assert len(tasks.CALLS) == 1


def test_sweep_forgets_beats_older_than_a_day(beat):
    beat("long-gone", ago=timedelta(days=2))
    beat("yesterday", ago=timedelta(hours=20))

    assert recovery_sweep()["forgotten_beats"] == 1
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["yesterday"]


def test_recover_command_prints_what_the_sweep_did(task_row, beat):
    beat("dead", ago=timedelta(minutes=5))
    task_row(TaskResultStatus.RUNNING, worker_id="dead", started=timedelta(minutes=6))

    printed = command("recover")

    assert "closed_tasks: 1" in printed.splitlines()
