"""An import job's record of its run: counts and problems committed with each batch.

The engine calls `JobRecorder.checkpoint` inside every batch's transaction, so after any
crash the job's counts, its problems and `records_done` match the documents committed,
and a resumed run (`JobRecorder.resume`) goes on from there without counting twice.
"""

import time
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from formats.files import ImportSource
from formats.records import ERROR, Problem
from imports.models import ImportJob, ImportProblem
from imports.services.run import Resume
from imports.services.summary import ImportSummary

WRITE_INTERVAL = 0.5  # seconds between progress writes: at most two a second
PROBLEMS_STORED = 100_000  # beyond this a job counts problems but does not store them


class JobTakenOver(Exception):
    """The job was queued again while this run went on (its worker was taken for dead)."""


class JobRecorder:
    """Copy an import's progress onto its job: bytes read twice a second, the rest per batch."""

    COUNTS = ("created", "duplicates", "failed", "warnings", "layers")
    LABELS = ("labels_missing", "labels_added")
    READ = ("bytes_read", "total_bytes")

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.source: ImportSource | None = None
        self.problems: list[ImportProblem] = []  # met since the last checkpoint
        self.stored = job.problems.count()
        self.task_id = job.task_id  # the task this run belongs to: a requeue changes it
        self.written_at = float("-inf")

    def resume(self) -> Resume | None:
        """Where the engine starts again, when an earlier run of the job committed batches."""
        job = self.job
        if not job.records_done:
            job.problems.all().delete()  # of a run cut before this one checkpointed (an old job)
            self.stored = 0
            return None
        summary = ImportSummary(
            format=job.format_detected,
            missing=Counter(job.labels_missing),
            added=list(job.labels_added),
            **{name: getattr(job, name) for name in self.COUNTS},
        )
        return Resume(records_done=job.records_done, summary=summary)

    def progress(self, summary: ImportSummary) -> None:
        """Write the counts and how much was read, at most twice a second (outside batches)."""
        if time.monotonic() - self.written_at >= WRITE_INTERVAL:
            self._copy(summary)
            self._save([*self.COUNTS, *self.LABELS, "format_detected", *self.READ])
            self.written_at = time.monotonic()

    def problem(self, problem: Problem) -> None:
        """Keep a problem until the next checkpoint writes it with its batch."""
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

    def checkpoint(self, summary: ImportSummary, records_done: int) -> None:
        """Record the counts, problems and records consumed; runs in the batch's transaction.

        Raises JobTakenOver (rolling the batch back) if the job was queued again meanwhile.
        """
        self._copy(summary)
        self.job.records_done = records_done
        self._write_problems()
        fields = [*self.COUNTS, *self.LABELS, "format_detected", *self.READ, "records_done"]
        if not self._save(fields):
            raise JobTakenOver(f"import job {self.job.pk} was queued again")

    def finish(
        self, status: str, *, summary: ImportSummary | None = None, message: str = ""
    ) -> bool:
        """End the job: done with the engine's summary, or failed keeping what was committed.

        A failed job keeps the counts of its last checkpoint (the batch that failed was
        rolled back), plus the problems met since, which are the ones that explain it.
        Returns False, recording nothing, if the job was queued again meanwhile.
        """
        with transaction.atomic():
            if summary is not None:
                self._copy(summary)
                self.job.status, self.job.message = status, message
                self.job.finished_at = timezone.now()
                fields = [*self.COUNTS, *self.LABELS, "format_detected", *self.READ]
                if not self._save([*fields, "status", "message", "finished_at"]):
                    return False
                self._write_problems()
                return True
            severities = Counter(problem.severity for problem in self.problems)
            ended = self._ours().update(
                status=status,
                message=message,
                finished_at=timezone.now(),
                bytes_read=self._bytes_read(),
                total_bytes=self.job.total_bytes,
                failed=F("failed") + severities[ERROR],
                warnings=F("warnings") + sum(severities.values()) - severities[ERROR],
            )
            if ended:
                self._write_problems()
        self.job.refresh_from_db()
        return bool(ended)

    def _ours(self):
        """The job, as long as the task running this is still its task (not queued again)."""
        return ImportJob.objects.filter(pk=self.job.pk, task_id=self.task_id)

    def _save(self, fields: list[str]) -> bool:
        return bool(self._ours().update(**{name: getattr(self.job, name) for name in fields}))

    def _copy(self, summary: ImportSummary) -> None:
        for name in self.COUNTS:
            setattr(self.job, name, getattr(summary, name))
        if summary.format:
            self.job.format_detected = summary.format
        self.job.labels_missing = dict(summary.missing.most_common())
        self.job.labels_added = list(summary.added)
        self.job.bytes_read = self._bytes_read()

    def _bytes_read(self) -> int:
        if self.source is None:
            return self.job.bytes_read
        return min(self.source.bytes_read, self.job.total_bytes)

    def _write_problems(self) -> None:
        ImportProblem.objects.bulk_create(self.problems)
        self.stored += len(self.problems)
        self.problems = []
