"""The RQ task backend (django-tasks-rq), enqueuing on commit as the database backend does.

With the database backend a task queued inside a transaction is a row of that transaction:
workers see it once it commits, never if it rolls back, and whatever the caller writes next
to it (an import job's task id, a run's attempt count) appears with it. RQ writes to Redis at
once; this backend holds the push back to the commit so a worker never starts a task whose
job the database does not show yet. Outside a transaction it pushes at once.

Tasks may not be deferred (`run_after`): that needs RQ's scheduler, which the workers do not
run (no task of Goldset defers).
"""

from functools import partial

import django_rq
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import RQBackend as PackageRQBackend
from django_tasks_rq.backend import Job, failed_callback, success_callback
from rq.job import Callback, JobStatus


class RQBackend(PackageRQBackend):
    """django-tasks-rq's backend; a task queued inside a transaction reaches Redis on commit."""

    supports_defer = False

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        push = partial(self._push, result)
        if transaction.get_connection().in_atomic_block:
            # Committed work with no job in Redis (Redis down at that moment) is what a lost
            # task leaves: the recovery sweep queues it again after a lease. Log, don't fail.
            transaction.on_commit(push, robust=True)
        else:
            push()
        return result

    def _push(self, result: TaskResult) -> None:
        """Create the RQ job of `result` (same id) and queue it, as django-tasks-rq does."""
        task = result.task
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=result.args,
            kwargs=result.kwargs,
            job_id=result.id,
            status=JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
        )
        job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)
