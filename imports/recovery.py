"""Recover import jobs after a worker died: queue them again, or give up; sweep orphan uploads.

Both are recoverers the workers' recovery sweep calls (`WORKER_RECOVERERS`), after it has
closed the task rows of dead workers. A job queued again resumes after its last committed
batch (`imports.checkpoints`), so nothing is imported or counted twice.
"""

import logging
import os
import shutil
from datetime import datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from imports.models import ImportJob
from imports.tasks import import_job_requeue
from imports.uploads import uploads_remove
from workers.recovery import Recovery, task_alive

logger = logging.getLogger(__name__)

LIVE = [ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]


def import_jobs_recover(recovery: Recovery) -> int:
    """Queue again every job whose worker died; fail those that used IMPORT_MAX_ATTEMPTS.

    A job's worker died when its task is neither queued nor running on a live worker, and
    the job is running, or queued for longer than the lease (its task lost or failed
    before it started). Returns how many jobs were queued again or given up.
    """
    stale = recovery.now - recovery.lease
    candidates = ImportJob.objects.filter(
        Q(status=ImportJob.Status.RUNNING) & ~Q(task_id="")
        | Q(status=ImportJob.Status.QUEUED, created_at__lt=stale)
    ).only("pk", "status", "task_id", "attempts", "created", "corpus_id")
    recovered = 0
    for job in candidates:
        if job.task_id and task_alive(job.task_id, lease=recovery.lease):
            continue
        recovered += import_job_recover(job, now=recovery.now)
    return recovered


def import_job_recover(job: ImportJob, *, now: datetime) -> int:
    """Queue `job` again, or fail it after IMPORT_MAX_ATTEMPTS; 1 if this call did either."""
    unchanged = ImportJob.objects.filter(pk=job.pk, status=job.status, task_id=job.task_id)
    with transaction.atomic():
        if job.attempts >= settings.IMPORT_MAX_ATTEMPTS:
            if not unchanged.update(
                status=ImportJob.Status.FAILED, finished_at=now, message=_given_up(job)
            ):
                return 0
            transaction.on_commit(partial(uploads_remove, job.pk))
            logger.warning("Import job %s given up after %s attempts", job.pk, job.attempts)
            return 1
        if not unchanged.update(status=ImportJob.Status.QUEUED):
            return 0  # another sweep, or the job's own worker, got there first
        import_job_requeue(job)
    logger.warning("Import job %s queued again: its worker stopped (%s)", job.pk, job.task_id)
    return 1


def _given_up(job: ImportJob) -> str:
    times = "once" if job.attempts == 1 else f"{job.attempts} times"
    return (
        f"The worker stopped {times} before this import could finish, so it was given up. "
        f"The {job.created} documents imported before stay (with their counts here); import "
        "the same files again to add the rest: documents already in the corpus count as "
        "duplicates."
    )


def uploads_sweep(recovery: Recovery) -> int:
    """Delete upload folders no job needs: of a finished or deleted job, untouched for a lease.

    A queued or running job's folder is never touched, nor one written to within the
    lease (a job being created). Returns how many folders were removed.
    """
    root = Path(settings.IMPORT_DIR)
    if not root.is_dir():
        return 0
    folders = {
        int(entry.name): Path(entry.path)
        for entry in os.scandir(root)
        if entry.is_dir(follow_symlinks=False) and entry.name.isascii() and entry.name.isdigit()
    }
    live = set(
        ImportJob.objects.filter(pk__in=folders, status__in=LIVE).values_list("pk", flat=True)
    )
    removed = 0
    for job_id, folder in folders.items():
        if job_id in live or _touched_since(folder, recovery.now - recovery.lease):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        logger.info("Removed the orphan upload folder of import job %s", job_id)
        removed += 1
    return removed


def _touched_since(folder: Path, moment: datetime) -> bool:
    """Whether the folder or a file in it changed after `moment` (or it is gone already)."""
    try:
        times = [folder.stat().st_mtime, *(entry.stat().st_mtime for entry in os.scandir(folder))]
    except FileNotFoundError:
        return True
    return max(times) > moment.timestamp()
