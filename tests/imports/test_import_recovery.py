"""Import jobs survive their worker: counts checkpointed per batch, resumed, given up, swept.

The first tests run in this process (a worker "dies" by an exception no handler catches);
the last ones kill a real `manage.py db_worker` with SIGKILL, on a migrated SQLite file
and on PostgreSQL, and let a fresh worker finish the job.
"""

import io
import json
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from imports.jobs import CRASH_MESSAGE, import_job_create, import_job_execute
from imports.models import ImportJob
from imports.recovery import uploads_sweep
from imports.services.run import import_run
from imports.tasks import import_job_enqueue, import_job_run
from imports.uploads import upload_folder
from tests.worker_processes import (  # noqa: F401 (fixtures)
    kill,
    migrated_sqlite_fixture,
    shared_database_fixture,
    wait_until,
)
from workers.recovery import Recovery, recovery_sweep

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LEASE = timedelta(seconds=60)


class WorkerKilled(BaseException):
    """Stands for SIGKILL in this process: nothing catches it, nothing cleans up."""


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr("imports.services.run.BATCH_SIZE", 5)


def news_lines() -> list[str]:
    """16 lines: 12 articles (one repeats the first), 2 broken lines, 2 without text."""
    lines = [
        json.dumps({"id": f"n{i}", "text": f"Report {i}: troops entered town {i}."})
        for i in range(11)
    ]
    lines.insert(3, '{"id": "broken-1", "text": "cut')
    lines.insert(9, json.dumps({"id": "empty-1", "text": ""}))
    lines.append(json.dumps({"id": "n0-again", "text": "Report 0: troops entered town 0."}))
    lines.append('{"id": "broken-2"')
    lines.append(json.dumps({"id": "empty-2", "text": " "}))
    return lines


def job_queued(corpus, owner, lines, capture) -> ImportJob:
    upload = SimpleUploadedFile("news.jsonl", ("\n".join(lines) + "\n").encode())
    with capture(execute=True):
        job = import_job_create(corpus=corpus, user=owner, files=[upload])
        import_job_enqueue(job)
    job.refresh_from_db()
    return job


def killed_at_checkpoint(number: int, *, error: BaseException):
    """An engine whose batch `number` fails after its documents and checkpoint were written."""

    def engine(*, on_checkpoint, **kwargs):
        calls = []

        def checkpoint(summary, records_done):
            on_checkpoint(summary, records_done)
            calls.append(records_done)
            if len(calls) == number:
                raise error

        return import_run(on_checkpoint=checkpoint, **kwargs)

    return engine


def task_claimed_by_dead_worker(job: ImportJob) -> None:
    """Mark the job's task RUNNING on a worker never seen, claimed long before the lease."""
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status="RUNNING", worker_ids=["worker-killed"], started_at=timezone.now() - 2 * LEASE
    )


def assert_counts_match_database(job: ImportJob, corpus) -> None:
    assert job.created == corpus.documents.count()
    assert job.problems.count() == job.failed + job.warnings
    lines = list(job.problems.values_list("file", "line", "message"))
    assert len(lines) == len(set(lines)), "a problem was recorded twice"


def test_a_batch_that_fails_midway_leaves_the_job_counting_what_the_database_holds(
    corpus, owner, small_batches, django_capture_on_commit_callbacks
):
    job = job_queued(corpus, owner, news_lines(), django_capture_on_commit_callbacks)

    import_job_execute(job, engine=killed_at_checkpoint(2, error=RuntimeError("disk full")))

    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", CRASH_MESSAGE)
    assert (job.created, job.failed, job.records_done) == (5, 1, 6)  # the first batch only
    assert_counts_match_database(job, corpus)


def test_a_job_whose_worker_died_resumes_after_its_last_batch_and_counts_once(
    corpus, owner, small_batches, django_capture_on_commit_callbacks
):
    job = job_queued(corpus, owner, news_lines(), django_capture_on_commit_callbacks)
    task_claimed_by_dead_worker(job)
    killed_task = job.task_id
    with pytest.raises(WorkerKilled):
        import_job_execute(job, engine=killed_at_checkpoint(2, error=WorkerKilled()))
    job.refresh_from_db()
    assert (job.status, job.created, job.records_done) == ("running", 5, 6)
    assert upload_folder(job.pk).exists()  # the next attempt reads the same files

    with django_capture_on_commit_callbacks(execute=True):
        done = recovery_sweep()
    assert done["imports.recovery.import_jobs_recover"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 2)
    assert DBTaskResult.objects.get(pk=killed_task).status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    assert import_job_run.call(job.pk) == "done"

    job.refresh_from_db()
    assert (job.created, job.duplicates, job.failed, job.records_done) == (11, 1, 4, 16)
    assert corpus.documents.values("sha256").distinct().count() == 11
    assert_counts_match_database(job, corpus)
    assert not upload_folder(job.pk).exists()


def test_a_worker_taken_for_dead_stops_at_its_next_batch_and_leaves_the_job_alone(
    corpus, owner, small_batches, django_capture_on_commit_callbacks
):
    job = job_queued(corpus, owner, news_lines(), django_capture_on_commit_callbacks)

    def requeued_meanwhile(*, on_progress, **kwargs):
        def progress(summary):
            on_progress(summary)  # after the first batch, a sweep queues the job again
            ImportJob.objects.filter(pk=job.pk).update(status="queued", task_id="another")

        return import_run(on_progress=progress, **kwargs)

    import_job_execute(job, engine=requeued_meanwhile)

    job.refresh_from_db()
    assert (job.status, job.task_id, job.created, job.records_done) == ("queued", "another", 5, 6)
    assert_counts_match_database(job, corpus)
    assert upload_folder(job.pk).exists()  # the new run reads them


def test_a_job_is_given_up_after_its_worker_stopped_import_max_attempts_times(
    corpus, owner, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_ATTEMPTS = 3
    job = job_queued(corpus, owner, news_lines(), django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=3, created=5)
    task_claimed_by_dead_worker(job)

    with django_capture_on_commit_callbacks(execute=True):
        recovery_sweep()

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message.startswith("The worker stopped 3 times before this import could finish")
    assert "The 5 documents imported before stay" in job.message
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert not upload_folder(job.pk).exists()


def test_a_queued_job_whose_task_is_gone_is_queued_again_but_not_a_fresh_one(
    corpus, owner, django_capture_on_commit_callbacks
):
    lost = job_queued(corpus, owner, news_lines(), django_capture_on_commit_callbacks)
    waiting = job_queued(corpus, owner, news_lines()[:3], django_capture_on_commit_callbacks)
    fresh = job_queued(corpus, owner, news_lines()[:2], django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(pk__in=[lost.task_id, fresh.task_id]).delete()
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk__in=[lost.pk, waiting.pk]).update(created_at=an_hour_ago)

    with django_capture_on_commit_callbacks(execute=True):
        recovery_sweep()

    for job in (lost, waiting, fresh):
        job.refresh_from_db()
    assert (lost.status, lost.attempts) == ("queued", 2)
    assert DBTaskResult.objects.get(pk=lost.task_id).status == "READY"
    assert waiting.attempts == 1  # its task is still queued
    assert fresh.attempts == 1  # created within the lease: its task may still be on its way


def test_the_upload_sweep_removes_orphans_and_keeps_what_a_live_job_needs(
    corpus, owner, import_dir
):
    def folder(job_id: int, *, age: timedelta) -> None:
        path = upload_folder(job_id)
        path.mkdir(parents=True)
        (path / "news.jsonl").write_text("{}\n")
        moment = (timezone.now() - age).timestamp()
        os.utime(path / "news.jsonl", (moment, moment))
        os.utime(path, (moment, moment))

    old, recent = timedelta(hours=2), timedelta(seconds=5)
    queued, running, done, failed = (
        ImportJob.objects.create(corpus=corpus, status=status, finished_at=finished)
        for status, finished in [
            ("queued", None),
            ("running", None),
            ("done", timezone.now()),
            ("failed", timezone.now()),
        ]
    )
    folder(queued.pk, age=old)
    folder(running.pk, age=old)
    folder(done.pk, age=old)
    folder(failed.pk, age=recent)  # its worker may be removing it right now
    folder(999_999, age=old)  # of a deleted job
    (import_dir / "notes").mkdir()  # not a job's folder: not ours to remove

    recovery = Recovery(now=timezone.now(), lease=LEASE, closed_task_ids=frozenset())
    assert uploads_sweep(recovery) == 2

    left = sorted(path.name for path in import_dir.iterdir())
    assert left == sorted([str(queued.pk), str(running.pk), str(failed.pk), "notes"])


def test_the_import_command_still_runs_without_a_job(corpus, tmp_path):
    """The engine needs no job: `import_documents` runs it with no checkpoint at all."""
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(news_lines()) + "\n")

    with pytest.raises(CommandError, match="4 record"):
        call_command(
            "import_documents", corpus.slug, str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert corpus.documents.count() == 11


# -- kill -9 of a real worker ----------------------------------------------------------

RECORDS = 20_000

SETUP_IMPORT = """
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from corpus.models import Corpus
from corpus.services.schemas import schema_get_or_create
from imports.jobs import import_job_create
from imports.tasks import import_job_enqueue
owner = get_user_model().objects.create_user("olivia-owner")
corpus = Corpus.objects.create(
    slug="news", name="News", schema=schema_get_or_create(name_or_path="ace2005")
)
data = open({path!r}, "rb").read()
job = import_job_create(corpus=corpus, user=owner, files=[SimpleUploadedFile("news.jsonl", data)])
import_job_enqueue(job)
print(job.pk)
"""


def large_jsonl(path) -> tuple[int, int, int]:
    """Write RECORDS short lines, a broken one every 1,000 and a repeat every 750.

    Returns the distinct texts, the repeats and the broken lines.
    """
    texts, repeats, broken = set(), 0, 0
    with path.open("w") as out:
        for n in range(RECORDS):
            if n % 1000 == 999:
                out.write('{"id": "cut", "text": "Troops\n')
                broken += 1
                continue
            text = f"Report {n % 750 if n % 750 == 7 else n}: talks resumed in Geneva."
            repeats += text in texts
            texts.add(text)
            out.write(json.dumps({"id": f"r{n}", "text": text}) + "\n")
    return len(texts), repeats, broken


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_is_finished_by_a_fresh_worker(shared_database, tmp_path):
    db = shared_database
    path = tmp_path / "news.jsonl"
    distinct, repeats, broken = large_jsonl(path)
    job_id = int(db.shell(SETUP_IMPORT.format(path=str(path))))
    job = "SELECT status, created, duplicates, failed, warnings, records_done, attempts, task_id"
    job += " FROM imports_importjob WHERE id = %s"

    worker = db.start("db_worker", "--no-reload")
    wait_until(lambda: db.sql(job, (job_id,))[0][:2] not in {("queued", 0), ("running", 0)})
    kill(worker)
    status, created, *_, killed_task = db.sql(job, (job_id,))[0]
    assert (status, 0 < created < distinct) == ("running", True), "not killed mid-way"
    assert db.value("SELECT count(*) FROM corpus_document") == created  # the checkpoint held
    assert db.age_worker_beats() == 1

    swept = db.manage("recover")
    assert "closed_tasks: 1" in swept
    assert "imports.recovery.import_jobs_recover: 1" in swept
    db.manage("db_worker", "--batch", "--no-reload")

    status, created, duplicates, failed, warnings, records_done, attempts, _ = db.sql(
        job, (job_id,)
    )[0]
    assert (status, attempts, records_done) == ("done", 2, RECORDS)
    assert (created, duplicates, failed) == (distinct, repeats, broken)
    documents = "SELECT count(*), count(DISTINCT sha256) FROM corpus_document"
    assert db.sql(documents) == [(distinct, distinct)]
    problems = "SELECT count(*), count(DISTINCT line) FROM imports_importproblem WHERE job_id = %s"
    assert db.sql(problems, (job_id,)) == [(failed + warnings, failed + warnings)]
    assert not (db.import_dir / str(job_id)).exists()
    assert db.task_status(killed_task) == "FAILED"
