"""An import whose every record failed ends failed, saying so, not a green "done"."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.jobs import import_job_create
from imports.models import ImportJob
from imports.tasks import import_job_run

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def job_run(corpus, owner, name: str, text: str) -> ImportJob:
    upload = SimpleUploadedFile(name, text.encode())
    job = import_job_create(corpus=corpus, user=owner, files=[upload])
    import_job_run.call(job.pk)
    job.refresh_from_db()
    return job


def test_a_file_whose_every_record_failed_ends_failed_with_its_problems(corpus, owner):
    lines = ['{"id": "a1", "text": "broken', '{"id": "a2"}', "not json at all"]

    job = job_run(corpus, owner, "news.jsonl", "\n".join(lines) + "\n")

    assert job.status == ImportJob.Status.FAILED
    assert (job.created, job.duplicates, job.failed) == (0, 0, 3)
    assert job.message.startswith("No record could be imported: all 3 records failed.")
    assert "See the problems" in job.message
    assert sorted(job.problems.values_list("line", flat=True)) == [1, 2, 3]
    assert not corpus.documents.exists()


def test_a_file_with_one_good_record_among_failures_is_done(corpus, owner):
    lines = ['{"id": "a1", "text": "broken', json.dumps({"id": "a2", "text": "Troops left."})]

    job = job_run(corpus, owner, "news.jsonl", "\n".join(lines) + "\n")

    assert (job.status, job.created, job.failed, job.message) == ("done", 1, 1, "")


def test_a_file_of_duplicates_only_is_done(corpus, owner):
    text = json.dumps({"id": "a1", "text": "Troops left."}) + "\n"
    job_run(corpus, owner, "news.jsonl", text)

    again = job_run(corpus, owner, "news.jsonl", text)

    assert (again.status, again.created, again.duplicates, again.failed) == ("done", 0, 1, 0)
