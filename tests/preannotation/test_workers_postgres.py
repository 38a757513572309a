"""Real worker processes on PostgreSQL: two at once, and one killed in the middle of a batch.

The workers are `manage.py db_worker` subprocesses on the test database, so these tests
need committed data (`transaction=True`) and a real server.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from annotations.models import Annotation
from corpus.models import Corpus
from corpus.services.schemas import schema_get_or_create
from preannotation.services import preannotation_resume, preannotation_start
from preannotation.tasks import run_enqueue
from tests.factories import DocumentFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
SENTENCES = [
    "Troops attacked the village of Ain Larose in Idlib on Friday, killing 13 civilians.",
    "Kofi Annan met Bashar Assad in Damascus on Saturday for talks.",
    "A dozen army officers defected to a camp in Turkey, reports said.",
]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (the second pass of `make test`)")


@pytest.fixture
def news(postgres):
    corpus = Corpus.objects.create(
        slug="news", name="News", schema=schema_get_or_create(name_or_path="ace2005")
    )
    for n in range(12):
        DocumentFactory(corpus=corpus, text=f"Report {n}. {SENTENCES[n % 3]}")
    return corpus


def worker() -> subprocess.Popen:
    """Start `manage.py db_worker --batch` on the test database."""
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def wait_until(condition: Callable[[], bool], *, timeout: float = 120) -> None:
    """Poll `condition` until it holds (the worker is another process: no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_two_workers_process_each_document_exactly_once(news):
    run = preannotation_start(corpus=news)
    run_enqueue(run, batch_size=1)
    run_enqueue(run, batch_size=1)  # every batch queued twice, as a hasty resume would
    assert DBTaskResult.objects.count() == 24

    with _connect() as blocker, _connect(autocommit=True) as observer:
        # Hold the run's row until each worker waits on it with a batch of its own, so
        # both take part however fast the first one starts.
        blocker.execute(
            "SELECT id FROM annotations_preannotationrun WHERE id = %s FOR UPDATE", [run.pk]
        )
        first, second = worker(), worker()
        wait_until(lambda: _waiting_on_lock(observer) == 2)
        blocker.rollback()
    finish(first), finish(second)

    run.refresh_from_db()
    assert (run.processed, run.total, run.status) == (12, 12, "done")
    for document in news.documents.all():
        assert Annotation.objects.filter(document=document, kind="prediction").count() == 1
        assert Annotation.objects.filter(document=document, run=run).count() == 1
    results = DBTaskResult.objects.all()
    assert {result.status for result in results} == {"SUCCESSFUL"}
    assert sum(result.return_value for result in results) == 12
    assert len({worker_id for result in results for worker_id in result.worker_ids}) == 2


def test_worker_killed_mid_batch_leaves_no_half_layer_and_resumes(news):
    run = preannotation_start(corpus=news)
    run_enqueue(run, batch_size=12)
    with _connect() as blocker, _connect(autocommit=True) as observer:
        # Hold the run's row: the worker writes the first document's layer, spans and
        # events, then waits for this lock to count the document as done.
        blocker.execute(
            "SELECT id FROM annotations_preannotationrun WHERE id = %s FOR UPDATE", [run.pk]
        )
        process = worker()
        wait_until(lambda: _waiting_on_lock(observer) == 1)
        assert Annotation.objects.filter(run=run).count() == 0  # not committed yet
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        blocker.rollback()

    run.refresh_from_db()
    assert run.processed == 0
    assert not Annotation.objects.filter(kind="prediction").exists()
    assert not any(document.tokens for document in news.documents.all())

    assert preannotation_resume(run=run) == 12
    assert run_enqueue(run) == 12
    finish(worker())
    run.refresh_from_db()
    assert (run.processed, run.status) == (12, "done")
    assert Annotation.objects.filter(kind="prediction", run=run).count() == 12


def _connect(*, autocommit: bool = False) -> psycopg.Connection:
    database = settings.DATABASES["default"]
    return psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname=database["NAME"],
        autocommit=autocommit,
    )


def _waiting_on_lock(observer: psycopg.Connection) -> int:
    """How many sessions wait for a lock in a statement on the runs table."""
    with observer.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND query LIKE %s",
            ["%annotations_preannotationrun%"],
        )
        return cur.fetchone()[0]
