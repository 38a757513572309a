"""Background tasks (Django tasks API, run by `manage.py workers`) and their queueing.

Tasks are queued when the transaction around the caller commits (`transaction.on_commit`),
so a worker never looks for a job that is not committed yet, whatever the backend.
"""

from functools import partial

from django.db import transaction
from django.db.models import F
from django_tasks import task

from imports.jobs import import_job_execute
from imports.models import ImportJob


@task()
def import_job_run(job_id: int) -> str:
    """Import the files of a queued job; return the status it ended with."""
    job = ImportJob.objects.select_related("corpus", "created_by").filter(pk=job_id).first()
    if job is None:
        return "missing"  # the job (or its corpus) was deleted after it was queued
    return import_job_execute(job).status


def import_job_enqueue(job: ImportJob) -> None:
    """Queue `job` for the workers once the current transaction commits."""
    transaction.on_commit(partial(_enqueue, job.pk))


def import_job_requeue(job: ImportJob) -> None:
    """Queue `job` again now, in the current transaction (its worker died): one more attempt."""
    _enqueue(job.pk)


def _enqueue(job_id: int) -> None:
    # One transaction: with the database backend the task and the id that points to it
    # appear together; only the id and the attempt are written, so a worker already
    # running the job keeps its own fields.
    with transaction.atomic():
        result = import_job_run.enqueue(job_id)
        ImportJob.objects.filter(pk=job_id).update(
            task_id=str(result.id), attempts=F("attempts") + 1
        )
