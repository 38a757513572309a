"""Pre-annotation runs survive their worker: batches queued again, given up after a limit.

The first tests build the state a killed worker leaves (a batch task RUNNING on a worker
never seen again) and run the recovery sweep in this process; the last ones kill a real
`manage.py db_worker` with SIGKILL in the middle of a run, on a migrated SQLite file and on
PostgreSQL, and let a fresh worker finish it with the real pipeline.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotations.labels import LabelIndex
from corpus.nlp.analysis import Analysis
from corpus.nlp.pipeline import model_identity
from preannotation.models import PreannotationFailure, PreannotationRun
from preannotation.predictions import prediction_layer_replace
from preannotation.services import preannotation_resume, preannotation_start
from preannotation.tasks import run_enqueue
from tests.factories import DocumentFactory
from tests.worker_processes import (  # noqa: F401 (fixtures)
    kill,
    migrated_sqlite_fixture,
    shared_database_fixture,
    wait_until,
)
from workers.recovery import recovery_sweep

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LEASE = timedelta(seconds=60)


@pytest.fixture
def documents(corpus):
    return [
        DocumentFactory(corpus=corpus, text=f"Report {n}: talks in Damascus.") for n in range(6)
    ]


def run_queued(corpus, capture, *, batch_size: int = 2) -> PreannotationRun:
    """A run whose batches were queued for the workers, as the page and the command do."""
    with capture(execute=True):
        run = preannotation_start(corpus=corpus)
        run_enqueue(run, batch_size=batch_size)
    run.refresh_from_db()
    return run


def batch_done(run: PreannotationRun, document) -> None:
    """Write a document's predictions as the run's batch does (no parser needed)."""
    prediction_layer_replace(
        document=document,
        analysis=Analysis(tokens=[], sentences=[], entities=[]),
        model=model_identity(run.pipeline),
        labels=LabelIndex.of(run.corpus.schema),
        run=run,
    )


def worker_killed(run: PreannotationRun) -> str:
    """Leave the state of a worker killed during the run's first batch; return that task's id.

    The first batch is RUNNING on a worker never seen since it claimed it, long ago; the
    other batches were done.
    """
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    first, others = tasks[0], tasks[1:]
    DBTaskResult.objects.filter(pk=first.pk).update(
        status="RUNNING", worker_ids=["worker-killed"], started_at=timezone.now() - 2 * LEASE
    )
    DBTaskResult.objects.filter(pk__in=[task.pk for task in others]).update(status="SUCCESSFUL")
    return str(first.pk)


def queued_documents() -> list[int]:
    ready = DBTaskResult.objects.filter(status="READY")
    return sorted(pk for task in ready for pk in task.args_kwargs["args"][1])


def test_a_run_whose_worker_died_has_what_is_left_queued_again(
    corpus, documents, django_capture_on_commit_callbacks
):
    run = run_queued(corpus, django_capture_on_commit_callbacks)
    assert (run.in_background, run.attempts) == (True, 1)
    killed = worker_killed(run)
    batch_done(run, documents[0])  # the killed batch wrote its first document
    for document in documents[2:]:
        batch_done(run, document)

    with django_capture_on_commit_callbacks(execute=True):
        done = recovery_sweep()

    assert done["preannotation.recovery.runs_recover"] == 1
    assert DBTaskResult.objects.get(pk=killed).status == "FAILED"
    assert queued_documents() == [documents[1].pk]
    run.refresh_from_db()
    assert (run.attempts, run.finished_at, run.processed) == (2, None, 5)


def test_a_killed_batch_is_queued_again_at_once_while_the_others_wait(
    corpus, documents, django_capture_on_commit_callbacks
):
    run = run_queued(corpus, django_capture_on_commit_callbacks)
    killed = worker_killed(run)
    DBTaskResult.objects.exclude(pk=killed).update(status="READY")  # not run yet
    batch_done(run, documents[0])

    recovery_sweep()

    assert DBTaskResult.objects.get(pk=killed).status == "FAILED"
    assert queued_documents() == sorted(d.pk for d in documents[1:])  # [1] again, [2:] waiting
    run.refresh_from_db()
    assert run.attempts == 2


def test_a_run_with_a_batch_still_queued_or_alive_is_left_alone(
    corpus, documents, django_capture_on_commit_callbacks
):
    run = run_queued(corpus, django_capture_on_commit_callbacks)

    recovery_sweep()

    run.refresh_from_db()
    assert run.attempts == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 3


def test_a_run_of_the_foreground_command_is_not_taken_over(corpus, documents):
    run = preannotation_start(corpus=corpus)  # `preannotate --now`: no task, not queued

    done = recovery_sweep()

    assert done["preannotation.recovery.runs_recover"] == 0
    assert not DBTaskResult.objects.exists()
    run.refresh_from_db()
    assert (run.in_background, run.attempts, run.finished_at) == (False, 0, None)


def test_a_run_is_given_up_after_preannotate_max_attempts_and_can_be_resumed(
    corpus, documents, django_capture_on_commit_callbacks
):
    run = run_queued(corpus, django_capture_on_commit_callbacks)
    PreannotationRun.objects.filter(pk=run.pk).update(attempts=settings.PREANNOTATE_MAX_ATTEMPTS)
    worker_killed(run)
    batch_done(run, documents[0])

    recovery_sweep()

    run.refresh_from_db()
    assert run.status == "done"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    failures = PreannotationFailure.objects.filter(run=run)
    assert sorted(failures.values_list("document", flat=True)) == [d.pk for d in documents[1:]]
    assert failures.first().message.startswith("Not pre-annotated: the worker stopped 3 times")

    with django_capture_on_commit_callbacks(execute=True):
        assert preannotation_resume(run=run) == 5
        run_enqueue(run)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.failed) == ("running", 1, 0)
    assert queued_documents() == [d.pk for d in documents[1:]]


def test_a_run_left_unfinished_with_nothing_to_do_is_finished(
    corpus, documents, django_capture_on_commit_callbacks
):
    run = run_queued(corpus, django_capture_on_commit_callbacks)
    worker_killed(run)
    for document in documents[:5]:
        batch_done(run, document)
    documents[5].delete()  # deleted while the run was going: it will never be done

    recovery_sweep()

    run.refresh_from_db()
    assert run.status == "done"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert Counter(run.layers.values_list("document", flat=True)) == Counter(
        d.pk for d in documents[:5]
    )


# -- kill -9 of a real worker ----------------------------------------------------------

DOCUMENTS = 240

SETUP_RUN = """
from corpus.models import Corpus
from corpus.services.schemas import schema_get_or_create
from preannotation.services import preannotation_start
from preannotation.tasks import run_enqueue
from tests.factories import DocumentFactory
corpus = Corpus.objects.create(
    slug="news", name="News", schema=schema_get_or_create(name_or_path="ace2005")
)
sentences = {sentences!r}
for n in range({documents}):
    DocumentFactory(corpus=corpus, text=f"Report {{n}}. {{sentences[n % len(sentences)]}}")
run = preannotation_start(corpus=corpus)
run_enqueue(run, batch_size=48)  # six chunks of 8 per batch: killed inside one
print(run.pk)
"""
SENTENCES = [
    "Troops attacked the village of Ain Larose in Idlib on Friday, killing 13 civilians.",
    "Kofi Annan met Bashar Assad in Damascus on Saturday for talks.",
    "A dozen army officers defected to a camp in Turkey, reports said.",
]


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_is_finished_by_a_fresh_worker(shared_database):
    db = shared_database
    run_id = int(db.shell(SETUP_RUN.format(sentences=SENTENCES, documents=DOCUMENTS)))
    run = "SELECT processed, total, finished_at, attempts FROM annotations_preannotationrun"
    running = "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"

    worker = db.start("db_worker", "--no-reload")
    wait_until(lambda: db.sql(run)[0][0] > 0)
    kill(worker)
    processed, total, finished_at, _ = db.sql(run)[0]
    assert (0 < processed < total, finished_at) == (True, None), "not killed mid-way"
    [(killed_task,)] = db.sql(running)
    assert db.age_worker_beats() == 1

    swept = db.manage("recover")
    assert "closed_tasks: 1" in swept
    assert "preannotation.recovery.runs_recover: 1" in swept
    db.manage("db_worker", "--batch", "--no-reload")

    processed, total, finished_at, attempts = db.sql(run)[0]
    assert (processed, total, attempts) == (DOCUMENTS, DOCUMENTS, 2)
    assert finished_at is not None
    layers = (
        "SELECT count(*), count(DISTINCT document_id) FROM annotations_annotation "
        "WHERE kind = 'prediction' AND run_id = %s"
    )
    assert db.sql(layers, (run_id,)) == [(DOCUMENTS, DOCUMENTS)]
    assert db.value("SELECT count(*) FROM annotations_preannotationfailure") == 0
    assert db.task_status(str(killed_task)) == "FAILED"
