"""Import jobs: create one from an upload, run one in a worker while recording its progress.

`imports.tasks.import_job_enqueue` queues a created job for the workers; a job whose worker
died is queued again by `imports.recovery` and resumes after its last committed batch.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.errors import GoldsetError, InvalidInput
from corpus.models import Corpus
from formats.options import ReadOptions
from formats.sniffing import detect_format
from imports.checkpoints import JobRecorder, JobTakenOver
from imports.models import ImportJob
from imports.services.run import import_run
from imports.services.summary import ImportOptions, ImportSummary
from imports.uploads import upload_folder, upload_source, uploads_remove, uploads_save

logger = logging.getLogger(__name__)

CRASH_MESSAGE = (
    "The import stopped on an unexpected error. What was imported before it stays; "
    "the worker's log has the details."
)

Engine = Callable[..., ImportSummary]


def import_outcome(summary: ImportSummary) -> tuple[str, str]:
    """How an import the engine finished ends: failed when every record it read failed."""
    if summary.failed and not (summary.created or summary.duplicates or summary.layers):
        records = "record" if summary.failed == 1 else f"all {summary.failed} records"
        message = (
            f"No record could be imported: {records} failed. "
            "See the problems below for what is wrong and where."
        )
        return ImportJob.Status.FAILED, message
    return ImportJob.Status.DONE, ""


def import_job_create(
    *,
    corpus: Corpus,
    user: AbstractBaseUser,
    files: list[UploadedFile],
    format: str = "auto",
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """Save `files` for a worker and check them: a job to import them into `corpus`.

    The caller queues it (`imports.tasks.import_job_enqueue`). Raises InvalidInput for an
    unsafe or unreadable upload (a zip with `..` paths, a bomb, files of no known format);
    then neither the files nor the job are kept.
    """
    job = ImportJob.objects.create(
        corpus=corpus, created_by=user, format=format, options=options or {}
    )
    try:
        job.file_names = uploads_save(files, upload_folder(job.pk))
        with upload_source(upload_folder(job.pk)) as source:
            if not source.files:
                raise InvalidInput("The upload holds no files to import.")
            job.total_bytes = source.total_bytes
            if format == "auto":
                job.format_detected = detect_format(source)
    except BaseException:
        uploads_remove(job.pk)
        job.delete()
        raise
    job.save(update_fields=["file_names", "total_bytes", "format_detected"])
    return job


def import_options(job: ImportJob) -> ImportOptions:
    """Return the engine's options for `job`, from what the form stored."""
    options = job.options
    return ImportOptions(
        format=job.format,
        read=ReadOptions(columns=dict(options.get("columns") or {})),
        layer=options.get("layer", "prediction"),
        label_map=dict(options.get("label_map") or {}),
        add_labels=bool(options.get("add_labels")),
        cleaning=options.get("cleaning"),
        user=job.created_by,
    )


def import_job_execute(job: ImportJob, *, engine: Engine = import_run) -> ImportJob:
    """Import a queued job's files with `engine`, recording progress; return the job.

    A job queued again after its worker died goes on after the records its committed
    batches consumed, with their counts. The job always ends done or failed: a
    GoldsetError fails it with its message, anything else with a generic one (and the
    traceback in the log). The files are deleted once it has ended.
    """
    started_at = Value(timezone.now(), output_field=DateTimeField())
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=Coalesce(F("started_at"), started_at)
    )
    job.refresh_from_db()
    if not claimed:
        return job  # another worker ran it, or it ran before
    recorder = JobRecorder(job)
    try:
        with upload_source(upload_folder(job.pk)) as source:
            recorder.source = source
            job.total_bytes = source.total_bytes
            summary = engine(
                corpus=job.corpus,
                source=source,
                options=import_options(job),
                on_progress=recorder.progress,
                on_problem=recorder.problem,
                on_checkpoint=recorder.checkpoint,
                resume=recorder.resume(),
            )
        status, message = import_outcome(summary)
        ended = recorder.finish(status, summary=summary, message=message)
    except JobTakenOver:
        ended = False
    except GoldsetError as error:
        ended = recorder.finish(ImportJob.Status.FAILED, message=error.message)
    except Exception:
        logger.exception("Import job %s of corpus %s failed", job.pk, job.corpus.slug)
        ended = recorder.finish(ImportJob.Status.FAILED, message=CRASH_MESSAGE)
    if not ended:
        # Taken for dead and queued again: the new run owns the job and its files now.
        logger.warning("Import job %s was queued again while this worker ran it", job.pk)
        return job
    # Only a job that ended lets its files go: a worker stopped mid-way (a signal, exit) leaves
    # them for the job's next attempt; the recovery sweep removes what no job needs.
    uploads_remove(job.pk)
    return job
