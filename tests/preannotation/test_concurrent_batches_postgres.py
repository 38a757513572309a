"""Two batches of one run writing overlapping documents at once, on PostgreSQL.

A batch delivered twice (a hasty resume, a recovery sweep that took a slow worker for dead)
runs next to the first delivery, with its documents cut into other chunks. Each chunk locks
its documents in id order; the run's row, which counts them done, must be locked after them,
or two such chunks wait for each other and PostgreSQL aborts one (a deadlock).
"""

import threading
import time

import pytest
from django.db import connection, connections

from annotations.models import Annotation
from corpus.models import Corpus
from corpus.services.schemas import schema_get_or_create
from preannotation.services import preannotation_start, run_batch
from tests.factories import DocumentFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

TEXTS = [
    "Kofi Annan met Bashar Assad in Damascus on Saturday for talks.",
    "Troops attacked the village of Ain Larose in Idlib on Friday, killing 13 civilians.",
    "A dozen army officers defected to a camp in Turkey, reports said.",
]


@pytest.fixture
def news():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (the second pass of `make test`)")
    corpus = Corpus.objects.create(
        slug="news", name="News", schema=schema_get_or_create(name_or_path="ace2005")
    )
    return [DocumentFactory(corpus=corpus, text=text) for text in TEXTS]


def in_thread(target, *args, **kwargs) -> tuple[threading.Thread, list, threading.Event]:
    """Run `target` in a thread with its own connection; return it, its errors, its end."""
    errors, ended = [], threading.Event()

    def body():
        try:
            target(*args, **kwargs)
        except Exception as error:  # the test reports what the thread raised
            errors.append(error)
        finally:
            connections.close_all()
            ended.set()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, errors, ended


def waiting_on_a_lock() -> bool:
    """Whether another session of the test database waits for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_overlapping_chunks_of_one_run_write_each_document_once_without_deadlock(news):
    first, second, third = (document.pk for document in news)
    run = preannotation_start(corpus=news[0].corpus)
    wrote_first, go_on = threading.Event(), threading.Event()

    def hold_after_first_document():
        if not wrote_first.is_set():
            wrote_first.set()  # inside the chunk's transaction: the first document is locked
            go_on.wait()

    earlier, earlier_errors, _ = in_thread(
        run_batch, run, [first, second, third], on_document=hold_after_first_document
    )
    assert wrote_first.wait(timeout=300), earlier_errors
    # The second delivery starts at the second document: its chunk locks it first.
    later, later_errors, later_ended = in_thread(run_batch, run, [second, third])
    deadline = time.monotonic() + 300
    while not later_ended.wait(timeout=0.05) and not waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second batch neither ended nor waited"
    go_on.set()
    earlier.join(), later.join()

    assert earlier_errors == []
    assert later_errors == []
    run.refresh_from_db()
    assert (run.processed, run.total, run.status) == (3, 3, "done")
    for document in news:
        assert Annotation.objects.filter(document=document, kind="prediction").count() == 1
        assert Annotation.objects.filter(document=document, run=run).count() == 1


def test_missing_run_skips_a_document_written_while_it_analysed_it(news):
    document = news[0]
    everything = preannotation_start(corpus=document.corpus)
    missing = preannotation_start(corpus=document.corpus, only_missing=True)
    wrote, go_on = threading.Event(), threading.Event()

    def hold_uncommitted():
        wrote.set()  # the full run's layer is written, not committed: the other run sees none
        go_on.wait()

    full, full_errors, _ = in_thread(
        run_batch, everything, [document.pk], on_document=hold_uncommitted
    )
    assert wrote.wait(timeout=300), full_errors
    late, late_errors, late_ended = in_thread(run_batch, missing, [document.pk])
    deadline = time.monotonic() + 300
    while not late_ended.wait(timeout=0.05) and not waiting_on_a_lock():
        assert time.monotonic() < deadline, "the --missing batch neither ended nor waited"
    go_on.set()
    full.join(), late.join()

    assert full_errors == []
    assert late_errors == []
    everything.refresh_from_db(), missing.refresh_from_db()
    assert (everything.processed, missing.processed) == (1, 0)
    layers = Annotation.objects.filter(document=document, kind="prediction")
    assert list(layers.values_list("run", flat=True)) == [everything.pk]
