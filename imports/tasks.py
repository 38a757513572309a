"""Background tasks (Django tasks API, run by `manage.py db_worker`)."""

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
