"""The RQ task backend (TASK_BACKEND=rq): tasks reach Redis when their transaction commits, real
RQ workers run them, and a worker killed with SIGKILL is recovered from as on the database
backend: the sweep closes its job and the pre-annotation recoverer queues the rest again.

The RQ pass of `make test` runs these against the Redis database of REDIS_URL, which each test
flushes (tests/workers/conftest.py skips them elsewhere).
"""

import signal
import threading
from datetime import timedelta

import django_rq
import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_rq.backend import Job
from rq.registry import FinishedJobRegistry, StartedJobRegistry
from rq.utils import utcformat
from rq.worker import SimpleWorker

from tests.worker_processes import (  # noqa: F401 (fixtures)
    kill,
    migrated_sqlite_fixture,
    shared_database_fixture,
    wait_until,
)
from tests.workers.tasks import echo
from workers.recovery import recovery_sweep, task_alive
from workers.rq_worker import SupervisedRQWorker
from workers.selectors import tasks_waiting_for_a_worker

pytestmark = [pytest.mark.rq, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def redis_db():
    """The Redis database of REDIS_URL, empty for each test."""
    connection = django_rq.get_connection()
    connection.flushdb()
    yield connection
    connection.flushdb()


def queue():
    return django_rq.get_queue(job_class=Job)


def queued(capture, word: str = "hello") -> str:
    """Queue the `echo` test task as the app does, inside a transaction; return its id."""
    with capture(execute=True):
        return echo.enqueue(word).id


def job_started(job_id: str, *, worker: str, ago: timedelta = timedelta(0)) -> None:
    """Leave the job as a worker `worker` that took it `ago` and runs it leaves it in Redis."""
    rq_queue = queue()
    job = Job.fetch(job_id, connection=rq_queue.connection)
    rq_queue.remove(job)
    SimpleWorker([rq_queue], name=worker, connection=rq_queue.connection).prepare_execution(job)
    with rq_queue.connection.pipeline() as pipeline:
        job.prepare_for_execution(worker, pipeline)
        pipeline.hset(job.key, "started_at", utcformat(timezone.now() - ago))
        pipeline.execute()


def run_here() -> None:
    """Run every queued task in this process with the RQ worker, then return."""
    rq_queue = queue()
    SupervisedRQWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(
        burst=True, logging_level="WARNING"
    )


# -- in this process ---------------------------------------------------------------------


def test_a_task_queued_in_a_transaction_reaches_redis_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        result = echo.enqueue("committed")
        assert queue().count == 0  # not before the commit: no worker may start it yet
        with transaction.atomic():
            echo.enqueue("rolled back")
            transaction.set_rollback(True)

    assert queue().get_job_ids() == [result.id]
    run_here()
    assert default_task_backend.get_result(result.id).return_value == "committed"


@pytest.mark.parametrize(
    ("state", "worker_seen", "started", "alive"),
    [
        ("queued", None, None, True),
        ("running", timedelta(seconds=5), timedelta(hours=1), True),
        ("running", timedelta(minutes=5), timedelta(hours=1), False),
        ("running", None, timedelta(seconds=5), True),  # beat not written yet
        ("running", None, timedelta(minutes=5), False),
        ("finished", None, None, False),
    ],
)
def test_task_alive_while_queued_or_running_on_a_live_worker(
    django_capture_on_commit_callbacks, beat, state, worker_seen, started, alive
):
    task_id = queued(django_capture_on_commit_callbacks)
    if worker_seen is not None:
        beat("w1", ago=worker_seen)
    if state == "running":
        job_started(task_id, worker="w1", ago=started)
    if state == "finished":
        run_here()

    assert task_alive(task_id) is alive


def test_task_alive_is_false_for_unknown_or_malformed_ids():
    assert not task_alive("FQB99YLNejkRHTxcpnoFhMREQdwF9IeS")
    assert not task_alive("0b6a0f4e-0000-4000-8000-000000000000")
    assert not task_alive("not:a job id")


def test_sweep_closes_the_job_of_a_dead_worker_and_leaves_a_live_workers_job(
    django_capture_on_commit_callbacks, beat
):
    beat("dead", ago=timedelta(minutes=5))
    beat("alive", ago=timedelta(seconds=5))
    orphan = queued(django_capture_on_commit_callbacks, "orphan")
    working = queued(django_capture_on_commit_callbacks, "working")
    job_started(orphan, worker="dead", ago=timedelta(minutes=6))
    job_started(working, worker="alive", ago=timedelta(minutes=6))

    done = recovery_sweep()

    assert done["closed_tasks"] == 1
    result = default_task_backend.get_result(orphan)
    assert result.status == "FAILED"
    assert result.errors[-1].exception_class_path == "workers.recovery.WorkerStopped"
    assert "worker dead stopped while running this task" in result.errors[-1].traceback
    assert default_task_backend.get_result(working).status == "RUNNING"
    assert StartedJobRegistry(queue=queue()).get_job_ids(cleanup=False) == [working]
    assert recovery_sweep()["closed_tasks"] == 0


def test_tasks_waiting_count_jobs_queued_past_a_heartbeat_and_running_ones(
    django_capture_on_commit_callbacks,
):
    first, _, third = (queued(django_capture_on_commit_callbacks, str(n)) for n in range(3))
    job_started(third, worker="w1")
    later = timezone.now() + timedelta(minutes=2)

    assert tasks_waiting_for_a_worker() == 1  # just queued: only the running one waits
    assert tasks_waiting_for_a_worker(now=later) == 3
    assert tasks_waiting_for_a_worker(now=later, limit=1) == 1
    assert first in queue().get_job_ids()


def test_a_worker_stops_at_once_though_its_command_listener_read_the_unsubscribe_first():
    """The worker's thread listening for RQ's commands may read the reply to the worker's
    UNSUBSCRIBE before the worker tells it to stop (a busy machine schedules threads so):
    the worker still stops at once, not after the listener's next wait of up to 60 s."""
    rq_queue = queue()
    worker = SupervisedRQWorker([rq_queue], connection=rq_queue.connection, job_class=Job)
    worker.bootstrap(logging_level="WARNING")  # registered and listening, as before its loop
    listener, pubsub = worker.pubsub_thread, worker.pubsub
    send_unsubscribe = pubsub.unsubscribe

    def unsubscribe_read_by_the_listener_at_once(*args):
        sent = send_unsubscribe(*args)
        wait_until(lambda: not pubsub.subscribed)  # the listener handled the reply
        return sent

    pubsub.unsubscribe = unsubscribe_read_by_the_listener_at_once
    stopping = threading.Thread(target=worker.teardown, daemon=True)

    stopping.start()
    stopping.join(timeout=30)  # RQ's own teardown waited for the listener's 60 s

    assert not stopping.is_alive(), "the worker waited for its command listener"
    assert not listener.is_alive()
    assert pubsub.connection is None  # closed, back in the pool
    assert SupervisedRQWorker.all(connection=rq_queue.connection) == []  # registered its death


# -- real worker processes on a shared SQLite file ----------------------------------------

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
run_enqueue(run, batch_size={batch_size})
print(run.pk)
"""
SENTENCES = [
    "Troops attacked the village of Ain Larose in Idlib on Friday, killing 13 civilians.",
    "Kofi Annan met Bashar Assad in Damascus on Saturday for talks.",
    "A dozen army officers defected to a camp in Turkey, reports said.",
]
RUN = "SELECT processed, total, finished_at, attempts FROM annotations_preannotationrun"
LAYERS = (
    "SELECT count(*), count(DISTINCT document_id) FROM annotations_annotation "
    "WHERE kind = 'prediction' AND run_id = %s"
)


def run_queued(db, *, documents: int, batch_size: int) -> int:
    code = SETUP_RUN.format(sentences=SENTENCES, documents=documents, batch_size=batch_size)
    return int(db.shell(code))


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.django_db(transaction=True)
def test_workers_command_runs_rq_workers_that_preannotate_a_run(shared_database, monkeypatch):
    db = shared_database
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "1")
    run_id = run_queued(db, documents=12, batch_size=4)
    assert queue().count == 3

    supervisor = db.start("workers", "--processes", "2", "--verbosity", "0")
    wait_until(lambda: db.sql(RUN)[0][2] is not None, timeout=300)
    beats = "SELECT worker_id, tasks_run FROM workers_workerbeat"

    def both_workers_up_and_three_tasks_run() -> bool:
        # On a busy machine one worker may run all three while the other is still starting.
        rows = db.sql(beats)
        return len(rows) == 2 and sum(count for _, count in rows) == 3

    wait_until(both_workers_up_and_three_tasks_run)
    supervisor.send_signal(signal.SIGTERM)
    output, _ = supervisor.communicate(timeout=60)

    assert supervisor.returncode == 0, output
    processed, total, _, attempts = db.sql(RUN)[0]
    assert (processed, total, attempts) == (12, 12, 1)
    assert db.sql(LAYERS, (run_id,)) == [(12, 12)]
    workers = {worker_id for worker_id, _ in db.sql(beats)}
    assert len(workers) == 2
    finished = FinishedJobRegistry(queue=queue()).get_job_ids()
    results = [default_task_backend.get_result(task_id) for task_id in finished]
    assert [result.status for result in results] == ["SUCCESSFUL"] * 3
    assert {result.worker_ids[-1] for result in results} <= workers


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.django_db(transaction=True)
def test_a_run_whose_rq_worker_is_killed_is_finished_by_a_fresh_worker(
    shared_database, monkeypatch
):
    db = shared_database
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "1")
    documents = 240
    run_id = run_queued(db, documents=documents, batch_size=48)  # killed inside a batch
    alive = "from workers.recovery import task_alive; print(task_alive({!r}))"

    worker = db.start("rq_worker", "--verbosity", "0")
    wait_until(lambda: db.sql(RUN)[0][0] > 0)
    kill(worker)
    processed, total, finished_at, _ = db.sql(RUN)[0]
    assert (0 < processed < total, finished_at) == (True, None), "not killed mid-way"
    [killed] = StartedJobRegistry(queue=queue()).get_job_ids(cleanup=False)
    assert default_task_backend.get_result(killed).status == "RUNNING"
    assert db.shell(alive.format(killed)) == "True"  # its worker beat within the lease
    assert db.age_worker_beats() == 1
    assert db.shell(alive.format(killed)) == "False"

    swept = db.manage("recover")
    assert "closed_tasks: 1" in swept
    assert "preannotation.recovery.runs_recover: 1" in swept
    result = default_task_backend.get_result(killed)
    assert (result.status, result.errors[-1].exception_class_path) == (
        "FAILED",
        "workers.recovery.WorkerStopped",
    )
    db.manage("rq_worker", "--batch", "--verbosity", "0")

    processed, total, finished_at, attempts = db.sql(RUN)[0]
    assert (processed, total, attempts) == (documents, documents, 2)
    assert finished_at is not None
    assert db.sql(LAYERS, (run_id,)) == [(documents, documents)]
    assert db.value("SELECT count(*) FROM annotations_preannotationfailure") == 0
