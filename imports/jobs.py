"""Import jobs: create one from an upload, run one in a worker while recording its progress.

`imports.tasks.import_job_enqueue` queues a created job for the workers.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from config.errors import GoldsetError, InvalidInput
from corpus.models import Corpus
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import Problem
from formats.sniffing import detect_format
from imports.models import ImportJob, ImportProblem
from imports.services.run import import_run
from imports.services.summary import ImportOptions, ImportSummary
from imports.uploads import upload_folder, upload_source, uploads_remove, uploads_save

logger = logging.getLogger(__name__)

WRITE_INTERVAL = 0.5  # seconds between progress writes: at most two a second
PROBLEMS_BUFFERED = 1000  # problems written in one bulk insert
PROBLEMS_STORED = 100_000  # beyond this a job counts problems but does not store them
CRASH_MESSAGE = (
    "The import stopped on an unexpected error. What was imported before it stays; "
    "the worker's log has the details."
)

Engine = Callable[..., ImportSummary]


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

    The job always ends done or failed: a GoldsetError fails it with its message, anything
    else with a generic one (and the traceback in the log). The files are deleted after.
    """
    started_at = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=started_at
    )
    if not claimed:
        job.refresh_from_db()
        return job  # another worker ran it, or it ran before
    job.status, job.started_at = ImportJob.Status.RUNNING, started_at
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
            )
        recorder.finish(ImportJob.Status.DONE, summary=summary)
    except GoldsetError as error:
        recorder.finish(ImportJob.Status.FAILED, message=error.message)
    except Exception:
        logger.exception("Import job %s of corpus %s failed", job.pk, job.corpus.slug)
        recorder.finish(ImportJob.Status.FAILED, message=CRASH_MESSAGE)
    finally:
        uploads_remove(job.pk)
    return job


class JobRecorder:
    """Copy an import's progress onto its job: counts at most twice a second, problems in bulk."""

    COUNTS = ("created", "duplicates", "failed", "warnings", "layers")

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.source: ImportSource | None = None
        self.problems: list[ImportProblem] = []
        self.stored = 0
        self.written_at = float("-inf")

    def progress(self, summary: ImportSummary) -> None:
        self._copy(summary)
        if time.monotonic() - self.written_at >= WRITE_INTERVAL:
            self._write()

    def problem(self, problem: Problem) -> None:
        if self.stored + len(self.problems) >= PROBLEMS_STORED:
            return
        self.problems.append(
            ImportProblem(
                job=self.job,
                file=problem.file[-1000:],
                line=problem.line,
                severity=problem.severity,
                message=problem.message,
            )
        )
        if len(self.problems) >= PROBLEMS_BUFFERED:
            self._write()

    def finish(
        self, status: str, *, summary: ImportSummary | None = None, message: str = ""
    ) -> None:
        if summary is not None:
            self._copy(summary)
        self.job.status = status
        self.job.message = message
        self.job.finished_at = timezone.now()
        self._write(final=True)

    def _copy(self, summary: ImportSummary) -> None:
        for name in self.COUNTS:
            setattr(self.job, name, getattr(summary, name))
        if summary.format:
            self.job.format_detected = summary.format
        self.job.labels_missing = dict(summary.missing.most_common())
        self.job.labels_added = list(summary.added)
        if self.source is not None:
            self.job.bytes_read = min(self.source.bytes_read, self.job.total_bytes)

    def _write(self, *, final: bool = False) -> None:
        fields = [*self.COUNTS, "format_detected", "bytes_read", "total_bytes"]
        fields += ["labels_missing", "labels_added"]
        if final:
            fields += ["status", "message", "finished_at"]
        with transaction.atomic():
            ImportProblem.objects.bulk_create(self.problems)
            self.job.save(update_fields=fields)
        self.stored += len(self.problems)
        self.problems = []
        self.written_at = time.monotonic()
