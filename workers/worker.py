"""The django-tasks-db worker, made to outlast a locked database and to beat while it works."""

import functools
import logging
import random
import time

from django.db import close_old_connections, connection
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from workers.heartbeat import Heartbeat
from workers.locking import retry_locked

logger = logging.getLogger("workers")


class SupervisedWorker(Worker):
    """The package's Worker; every database step retries a locked database with backoff, and a
    heartbeat thread keeps its lease while tasks run."""

    def run(self) -> None:
        self.heartbeat = Heartbeat(worker_id=self.worker_id)
        # An in-memory database (the test suite's) is seen by this process only: no one to
        # tell, and a second connection in a thread would contend for its shared cache.
        if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            self.heartbeat.start()
        try:
            self._loop()
        finally:
            self.heartbeat.stop()

    def _loop(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # spread workers started together
        while self.running:
            close_old_connections()
            task_result = retry_locked(
                self._claim, what="claiming a task", keep_going=lambda: self.running
            )
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch and self.running:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id
                )
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _claim(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task, then record its outcome, retrying a locked database until it is saved."""
        self.heartbeat.task_id = str(db_task_result.id)
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)
                return_value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                return_value = task.call(*task_result.args, **task_result.kwargs)
            # Inside the try, as in the package: a result that cannot be stored (JSON) fails.
            save = functools.partial(_set_successful, db_task_result, return_value)
            self._record(db_task_result, "successful", save)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as error:
            self._record(
                db_task_result, "failed", functools.partial(_set_failed, db_task_result, error)
            )
            try:
                sender = type(db_task_result.task.get_backend())
                task_finished.send(sender=sender, task_result=db_task_result.task_result)
            except Exception:
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1
            self.heartbeat.task_id = ""
            self.heartbeat.tasks_run = self._run_tasks

    def _record(self, db_task_result: DBTaskResult, outcome: str, save) -> None:
        def record() -> bool:
            still_ours = DBTaskResult.objects.filter(
                pk=db_task_result.pk, status=TaskResultStatus.RUNNING
            ).exists()
            if not still_ours:
                logger.warning(
                    "Task %s was closed by a recovery sweep while worker %s ran it; "
                    "recording its real outcome (%s)",
                    db_task_result.pk,
                    self.worker_id,
                    outcome,
                )
            save()
            return True

        # Never give up: a worker that stops here leaves the row RUNNING for the sweep to close.
        retry_locked(record, what=f"recording task {db_task_result.pk} as {outcome}")


def _set_successful(db_task_result: DBTaskResult, return_value) -> None:
    # The package's own three quick retries would hide the attempts we count and log.
    DBTaskResult.set_successful.__wrapped__(db_task_result, return_value)


def _set_failed(db_task_result: DBTaskResult, error: BaseException) -> None:
    DBTaskResult.set_failed.__wrapped__(db_task_result, error)
