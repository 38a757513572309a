"""What the task backend knows about tasks, read the same way for the database and for RQ.

The recovery sweep, the recoverers and the status page ask these functions, never a backend's
storage, so both backends (TASK_BACKEND "database": django-tasks-db's table; "rq": jobs in
Redis) get the same recovery. Statuses are django-tasks' (READY, RUNNING, SUCCESSFUL, FAILED);
a task's worker is the id it beats under in WorkerBeat (db_worker's worker id, RQ's worker name).
"""

import functools
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.db.models import Q
from django_tasks.base import TaskResultStatus

LIVE = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


@dataclass(frozen=True)
class TaskState:
    id: str
    path: str  # the task function's dotted path
    status: str  # a TaskResultStatus
    worker_id: str  # the worker running it (or that ran it last); "" if none
    started_at: datetime | None
    args: list


def task_state(task_id: str) -> TaskState | None:
    """The task `task_id` as the backend holds it; None if unknown (or forgotten)."""
    return _store().state(str(task_id))


def tasks_running() -> list[TaskState]:
    """Every task a worker has started and not finished (as far as the backend knows)."""
    return _store().running()


def tasks_live(task_path: str) -> list[TaskState]:
    """Every task of `task_path` queued or running."""
    return _store().live(task_path)


def tasks_get(task_ids: Iterable[str], *, task_path: str) -> list[TaskState]:
    """Those of the tasks `task_ids` that run `task_path`."""
    return _store().get([str(task_id) for task_id in task_ids], task_path)


def task_close(task_id: str, *, now: datetime, exception_path: str, traceback: str) -> bool:
    """Record a RUNNING task as FAILED with this error (its worker died); False if not RUNNING."""
    return _store().close(str(task_id), now, exception_path, traceback)


def tasks_waiting(*, now: datetime, grace: timedelta, limit: int | None = None) -> int:
    """How many tasks are running, or were queued before `now - grace` (count up to `limit`)."""
    return _store().waiting(now, grace, limit)


def _store() -> "DatabaseTasks | RQTasks":
    return _rq_tasks() if settings.TASK_BACKEND == "rq" else DatabaseTasks()


@functools.cache
def _rq_tasks() -> "RQTasks":
    return RQTasks()  # one Redis connection pool per process (django-rq makes one per call)


class DatabaseTasks:
    """Tasks as rows of django-tasks-db's table."""

    def state(self, task_id: str) -> TaskState | None:
        try:
            key = uuid.UUID(task_id)
        except ValueError:
            return None
        return next(self._states(self._rows().filter(pk=key)), None)

    def running(self) -> list[TaskState]:
        return list(self._states(self._rows().running()))

    def live(self, task_path: str) -> list[TaskState]:
        return list(self._states(self._rows().filter(task_path=task_path, status__in=LIVE)))

    def get(self, task_ids: list[str], task_path: str) -> list[TaskState]:
        keys = [key for key in map(_uuid_or_none, task_ids) if key is not None]
        return list(self._states(self._rows().filter(pk__in=keys, task_path=task_path)))

    def close(self, task_id: str, now: datetime, exception_path: str, traceback: str) -> bool:
        from django_tasks_db.models import DBTaskResult

        updated = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=exception_path,
            traceback=traceback,
            return_value=None,
        )
        return bool(updated)

    def waiting(self, now: datetime, grace: timedelta, limit: int | None) -> int:
        from django_tasks_db.models import get_date_max

        due = Q(run_after=get_date_max()) | Q(run_after__lte=now)
        queued = Q(status=TaskResultStatus.READY, enqueued_at__lt=now - grace) & due
        rows = self._rows().filter(queued | Q(status=TaskResultStatus.RUNNING))
        return rows[:limit].count() if limit is not None else rows.count()

    @staticmethod
    def _rows():
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.only(
            "task_path", "status", "worker_ids", "started_at", "args_kwargs"
        )

    @staticmethod
    def _states(rows) -> Iterator[TaskState]:
        for row in rows:
            yield TaskState(
                id=str(row.pk),
                path=row.task_path,
                status=row.status,
                worker_id=row.worker_ids[-1] if row.worker_ids else "",
                started_at=row.started_at,
                args=list(row.args_kwargs.get("args", [])),
            )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


JOB_ID = re.compile(r"[A-Za-z0-9_-]+")  # RQ's job id characters; ":" would name an execution
CHUNK = 500  # jobs fetched from Redis in one round trip


class RQTasks:
    """Tasks as RQ jobs in the Redis queues of the task backend (django-tasks-rq)."""

    def __init__(self) -> None:
        from django_rq.queues import get_queues
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_rq.backend import Job

        self.queues = get_queues(
            *sorted(task_backends[DEFAULT_TASK_BACKEND_ALIAS].queues), job_class=Job
        )
        self.connection = self.queues[0].connection
        self.job_class = Job

    def state(self, task_id: str) -> TaskState | None:
        if not JOB_ID.fullmatch(task_id):
            return None
        return next(self._states([task_id]), None)

    def running(self) -> list[TaskState]:
        return [
            s for s in self._states(self._started_ids()) if s.status == TaskResultStatus.RUNNING
        ]

    def live(self, task_path: str) -> list[TaskState]:
        ids = [*self._started_ids(), *(i for q in self.queues for i in q.get_job_ids())]
        return [s for s in self._states(ids) if s.path == task_path and s.status in LIVE]

    def get(self, task_ids: list[str], task_path: str) -> list[TaskState]:
        ids = [task_id for task_id in task_ids if JOB_ID.fullmatch(task_id)]
        return [s for s in self._states(ids) if s.path == task_path]

    def close(self, task_id: str, now: datetime, exception_path: str, traceback: str) -> bool:
        from rq.exceptions import NoSuchJobError
        from rq.job import JobStatus
        from rq.job_lifecycle import record_job_failure
        from rq.registry import StartedJobRegistry

        try:
            job = self.job_class.fetch(task_id, connection=self.connection)
        except NoSuchJobError:
            return False
        if job.get_status(refresh=False) != JobStatus.STARTED:
            return False
        # django-tasks-rq reads a failed job's exception class from its meta.
        job.meta.setdefault("_django_tasks_rq_exceptions", []).append(exception_path)
        job.save_meta()
        job.ended_at = now
        queue = next((q for q in self.queues if q.name == job.origin), self.queues[0])
        with self.connection.pipeline() as pipeline:
            StartedJobRegistry(queue=queue).remove_executions(job, pipeline=pipeline)
            record_job_failure(job, traceback, pipeline)
            pipeline.execute()
        return True

    def waiting(self, now: datetime, grace: timedelta, limit: int | None) -> int:
        count = len(self._started_ids())
        cutoff = now - grace
        for queue in self.queues:
            # A queue is first in, first out: past the first job queued after the cutoff,
            # every job is newer.
            offset = 0
            while limit is None or count < limit:
                size = CHUNK if limit is None else min(CHUNK, limit - count)
                ids = queue.get_job_ids(offset, size)
                jobs = [j for j in self.job_class.fetch_many(ids, self.connection) if j]
                older = [j for j in jobs if j.enqueued_at and j.enqueued_at < cutoff]
                count += len(older)
                if len(ids) < size or len(older) < len(jobs):
                    break
                offset += size
        return count if limit is None else min(count, limit)

    def _started_ids(self) -> list[str]:
        from rq.registry import StartedJobRegistry

        return [
            job_id
            for queue in self.queues
            for job_id in StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
        ]

    def _states(self, job_ids: Iterable[str]) -> Iterator[TaskState]:
        from django_tasks_rq.backend import RQ_STATUS_TO_RESULT_STATUS

        ids = iter(dict.fromkeys(job_ids))
        while chunk := list(islice(ids, CHUNK)):
            for job in self.job_class.fetch_many(chunk, self.connection):
                if job is None:
                    continue
                yield TaskState(
                    id=job.id,
                    path=job.func_name or "",
                    # Statuses django-tasks-rq leaves out (created, rate limited) come before a run.
                    status=RQ_STATUS_TO_RESULT_STATUS.get(
                        job.get_status(refresh=False), TaskResultStatus.READY
                    ),
                    worker_id=job.worker_name or "",
                    started_at=job.started_at,
                    args=list(job.args),
                )
