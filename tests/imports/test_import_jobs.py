"""Import jobs in the worker: counts and problems recorded, always ending done or failed."""

import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from config.errors import InvalidInput
from formats.records import WARNING, Problem
from imports.jobs import CRASH_MESSAGE, import_job_create, import_job_execute, import_options
from imports.models import ImportJob
from imports.services.summary import ImportSummary
from imports.tasks import import_job_enqueue, import_job_run
from imports.uploads import upload_folder

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ARTICLE = "Kofi Annan arrived in Damascus on Saturday.\n"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


def job_create(corpus, owner, files: dict[str, str], **kwargs) -> ImportJob:
    uploads = [SimpleUploadedFile(name, text.encode()) for name, text in files.items()]
    return import_job_create(corpus=corpus, user=owner, files=uploads, **kwargs)


def test_a_text_file_becomes_a_document_and_the_job_is_done(corpus, owner, import_dir):
    job = job_create(corpus, owner, {"annan.txt": ARTICLE})

    assert import_job_run.call(job.pk) == "done"

    job.refresh_from_db()
    assert (job.status, job.format_detected, job.created, job.failed, job.message) == (
        "done", "txt", 1, 0, "",
    )  # fmt: skip
    assert job.bytes_read == job.total_bytes == len(ARTICLE)
    assert job.started_at <= job.finished_at
    assert corpus.documents.get().text == ARTICLE.strip()
    assert job.file_names == ["annan.txt"]
    assert not upload_folder(job.pk).exists()


def test_a_jsonl_file_with_a_bad_line_imports_the_rest_and_reports_the_line(corpus, owner):
    lines = [
        json.dumps({"id": "a1", "text": "Troops entered Idlib on Friday."}),
        '{"id": "a2", "text": "broken',
        json.dumps({"id": "a3", "text": "Kofi Annan met officials in Damascus."}),
    ]
    job = job_create(corpus, owner, {"news.jsonl": "\n".join(lines) + "\n"})

    import_job_run.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.format_detected) == ("done", "jsonl")
    assert (job.created, job.duplicates, job.failed) == (2, 0, 1)
    [problem] = job.problems.all()
    assert (problem.file, problem.line, problem.severity) == ("news.jsonl", 2, "error")
    assert set(corpus.documents.values_list("external_id", flat=True)) == {"a1", "a3"}


def test_importing_the_same_file_again_counts_duplicates(corpus, owner):
    import_job_run.call(job_create(corpus, owner, {"annan.txt": ARTICLE}).pk)
    again = job_create(corpus, owner, {"annan.txt": ARTICLE})

    import_job_run.call(again.pk)

    again.refresh_from_db()
    assert (again.status, again.created, again.duplicates) == ("done", 0, 1)
    assert corpus.documents.count() == 1


def test_a_job_the_engine_refuses_fails_with_the_engines_message(corpus, owner):
    job = ImportJob.objects.create(corpus=corpus, created_by=owner, format="auto")
    upload_folder(job.pk).mkdir(parents=True)
    (upload_folder(job.pk) / "notes.dat").write_text("What format is this?")

    assert import_job_run.call(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message.startswith("Cannot tell the format of files ending in .dat")
    assert job.finished_at is not None
    assert not upload_folder(job.pk).exists()


def test_invalid_input_from_the_engine_fails_the_job_with_its_message(corpus, owner):
    def refuse(**kwargs):
        raise InvalidInput("news.zip: member 'a.txt' has a suspicious compression ratio")

    job = job_create(corpus, owner, {"annan.txt": ARTICLE})
    import_job_execute(job, engine=refuse)

    job.refresh_from_db()
    assert (job.status, job.message) == (
        "failed", "news.zip: member 'a.txt' has a suspicious compression ratio",
    )  # fmt: skip


def test_an_unexpected_error_fails_the_job_and_logs_the_traceback(corpus, owner, caplog):
    def crash(*, on_problem, **kwargs):
        on_problem(Problem("annan.txt", "an early warning", severity=WARNING))
        raise RuntimeError("disk on fire")

    job = job_create(corpus, owner, {"annan.txt": ARTICLE})
    with caplog.at_level(logging.ERROR, logger="imports.jobs"):
        import_job_execute(job, engine=crash)

    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", CRASH_MESSAGE)
    assert "disk on fire" not in job.message
    assert job.problems.get().message == "an early warning"  # what was met is kept
    assert "RuntimeError: disk on fire" in caplog.text
    assert not upload_folder(job.pk).exists()


def test_progress_is_written_at_most_twice_a_second_but_always_at_the_end(corpus, owner):
    seen_in_database = []

    def engine(*, source, on_progress, on_problem, **kwargs):
        summary = ImportSummary(format="txt")
        source.read_bytes(source.files[0])
        for _ in range(20):
            summary.created += 1
            on_progress(summary)
            on_problem(Problem("annan.txt", "odd", line=summary.created, severity=WARNING))
            seen_in_database.append(ImportJob.objects.get().created)
        return summary

    job = job_create(corpus, owner, {"annan.txt": ARTICLE})
    with CaptureQueriesContext(connection) as queries:
        import_job_execute(job, engine=engine)

    # the first batch is written at once, the next ones wait (the loop takes well under 0.5 s)
    assert seen_in_database == [1] * 20
    job.refresh_from_db()
    assert (job.status, job.created, job.bytes_read) == ("done", 20, len(ARTICLE))
    assert list(job.problems.values_list("line", flat=True)) == list(range(1, 21))
    updates = [query for query in queries if query["sql"].startswith('UPDATE "imports_importjob"')]
    assert len(updates) == 3  # claimed, first progress, finished


def test_a_job_runs_once_even_when_its_task_is_run_again(corpus, owner):
    calls = []

    def engine(**kwargs):
        calls.append(1)
        return ImportSummary(format="txt", created=1)

    job = job_create(corpus, owner, {"annan.txt": ARTICLE})
    import_job_execute(job, engine=engine)
    import_job_execute(ImportJob.objects.get(pk=job.pk), engine=engine)

    assert calls == [1]
    assert ImportJob.objects.get(pk=job.pk).status == "done"


def test_the_task_of_a_deleted_job_does_nothing(corpus, owner):
    job = job_create(corpus, owner, {"annan.txt": ARTICLE})
    job_id = job.pk
    job.delete()
    assert import_job_run.call(job_id) == "missing"


def test_the_engine_gets_the_options_the_form_stored(corpus, owner):
    options = {
        "layer": "gold",
        "label_map": {"Person": "PER"},
        "add_labels": True,
        "columns": {"text": "body", "id": "key"},
        "cleaning": {"id_line": False, "captions": True, "trailers": True},
    }
    job = job_create(corpus, owner, {"a.csv": "key,body\n1,Text.\n"}, format="csv", options=options)

    engine_options = import_options(job)

    assert (engine_options.format, engine_options.layer, engine_options.user) == (
        "csv",
        "gold",
        owner,
    )
    assert engine_options.label_map == {"Person": "PER"}
    assert engine_options.add_labels is True
    assert engine_options.read.columns == {"text": "body", "id": "key"}
    assert engine_options.cleaning == {"id_line": False, "captions": True, "trailers": True}


def test_labels_the_schema_lacks_are_listed_with_counts_on_the_job(corpus, owner, client):
    record = {
        "text": ARTICLE,
        "entities": [
            {"start": 0, "end": 10, "label": "Diplomat"},
            {"start": 22, "end": 30, "label": "GPE"},
        ],
    }
    job = job_create(corpus, owner, {"news.jsonl": json.dumps(record) + "\n"})
    import_job_run.call(job.pk)
    job.refresh_from_db()
    assert job.labels_missing == {"span label 'Diplomat'": 1}
    assert job.layers == 1

    client.force_login(owner)
    page = client.get(f"/corpora/{corpus.slug}/imports/{job.pk}/").content.decode()
    assert "Not in the schema" in page
    assert "span label &#x27;Diplomat&#x27;" in page


def test_a_job_is_queued_once_committed_and_keeps_the_id_of_its_task(
    corpus, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        job = job_create(corpus, owner, {"annan.txt": ARTICLE})
        import_job_enqueue(job)
    assert not DBTaskResult.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).task_id == ""

    (enqueue,) = queued
    enqueue()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    job.refresh_from_db()
    assert (job.task_id, job.status) == (str(task.id), "queued")


def test_a_job_whose_transaction_rolls_back_is_never_queued(
    corpus, owner, django_capture_on_commit_callbacks
):
    def create_then_fail() -> None:
        with transaction.atomic():
            import_job_enqueue(job_create(corpus, owner, {"annan.txt": ARTICLE}))
            raise RuntimeError("the request failed after the job was created")

    with django_capture_on_commit_callbacks(execute=True) as queued, pytest.raises(RuntimeError):
        create_then_fail()
    assert queued == []
    assert not DBTaskResult.objects.exists()
    assert not ImportJob.objects.exists()
