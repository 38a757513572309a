"""A training outlives its worker: queued again when the worker died, given up after
TRAINING_MAX_ATTEMPTS, and never trained twice when the first task runs after all."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskContext
from django_tasks_db.models import DBTaskResult

from learning.models import ModelVersion
from learning.services import training_start
from learning.tasks import train_model, training_enqueue
from workers.models import WorkerBeat
from workers.recovery import recovery_sweep

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LEASE = timedelta(seconds=60)
RECOVERER = "learning.recovery.trainings_recover"


@pytest.fixture
def training(corpus, gold, django_capture_on_commit_callbacks) -> ModelVersion:
    """A version queued for training, as the models page or the API queue it."""
    with django_capture_on_commit_callbacks(execute=True):
        version = training_start(corpus=corpus)
        training_enqueue(version, activate_if_better=True)
    version.refresh_from_db()
    return version


def claimed_by(version: ModelVersion, worker: str, *, started: timedelta) -> None:
    """Mark the version's task RUNNING on `worker`, claimed `started` ago."""
    DBTaskResult.objects.filter(pk=version.task_id).update(
        status="RUNNING", worker_ids=[worker], started_at=timezone.now() - started
    )


def test_a_training_is_queued_with_its_task_and_its_choice(training):
    task = DBTaskResult.objects.get(pk=training.task_id)
    assert (task.status, task.args_kwargs["args"]) == ("READY", [training.pk, True])
    assert (training.attempts, training.activate_if_better) == (1, True)


def test_a_training_whose_worker_died_is_queued_again(training, django_capture_on_commit_callbacks):
    killed = training.task_id
    claimed_by(training, "worker-killed", started=2 * LEASE)
    ModelVersion.objects.filter(pk=training.pk).update(progress={"step": "learning", "done": 3})

    with django_capture_on_commit_callbacks(execute=True):
        done = recovery_sweep()

    assert done[RECOVERER] == 1
    training.refresh_from_db()
    assert (training.status, training.attempts, training.progress) == ("training", 2, {})
    assert DBTaskResult.objects.get(pk=killed).status == "FAILED"
    again = DBTaskResult.objects.get(pk=training.task_id)
    assert (again.status, again.args_kwargs["args"]) == ("READY", [training.pk, True])


def test_the_first_task_running_after_all_does_not_train_it_again(
    training, django_capture_on_commit_callbacks
):
    first = DBTaskResult.objects.get(pk=training.task_id)
    claimed_by(training, "worker-killed", started=2 * LEASE)
    with django_capture_on_commit_callbacks(execute=True):
        recovery_sweep()

    context = TaskContext(task_result=first.task_result)
    assert train_model.call(context, training.pk, True) == "superseded"
    training.refresh_from_db()
    assert (training.status, training.attempts) == ("training", 2)


def test_a_training_with_a_live_worker_is_left_alone(training, django_capture_on_commit_callbacks):
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id="worker-alive", pid=1, hostname="here", started_at=now, last_seen=now
    )
    claimed_by(training, "worker-alive", started=2 * LEASE)

    with django_capture_on_commit_callbacks(execute=True):
        assert recovery_sweep()[RECOVERER] == 0
    assert ModelVersion.objects.get(pk=training.pk).attempts == 1


def test_a_training_is_given_up_after_its_worker_stopped_twice_and_the_corpus_trains_again(
    training, corpus, settings, django_capture_on_commit_callbacks
):
    assert settings.TRAINING_MAX_ATTEMPTS == 2
    for _ in range(2):
        training.refresh_from_db()
        claimed_by(training, "worker-killed", started=2 * LEASE)
        with django_capture_on_commit_callbacks(execute=True):
            recovery_sweep()

    training.refresh_from_db()
    assert training.status == "failed"
    assert training.message.startswith("The worker stopped 2 times before this training")
    assert training.finished_at is not None
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert training_start(corpus=corpus).number == 2  # no longer "training already"


def test_a_training_queued_before_versions_kept_their_task_is_recovered_after_a_day(
    training, django_capture_on_commit_callbacks
):
    DBTaskResult.objects.filter(pk=training.task_id).delete()  # its task: nobody knows
    ModelVersion.objects.filter(pk=training.pk).update(task_id="")
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery_sweep()[RECOVERER] == 0  # it may still be queued behind others

    a_day_ago = timezone.now() - timedelta(days=1, minutes=1)
    ModelVersion.objects.filter(pk=training.pk).update(created_at=a_day_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery_sweep()[RECOVERER] == 1
    training.refresh_from_db()
    assert DBTaskResult.objects.get(pk=training.task_id).status == "READY"
