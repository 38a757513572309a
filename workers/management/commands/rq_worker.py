"""`rq_worker`: the worker of the RQ task backend (TASK_BACKEND=rq), with heartbeats and sweeps.

`manage.py workers` starts these when the backend is RQ; run one by hand to try it.
"""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_rq.queues import get_queues
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_rq.backend import Job

from workers.rq_worker import SupervisedRQWorker

LEVELS = {0: logging.CRITICAL, 1: logging.INFO}


class Command(BaseCommand):
    help = (
        "Run an RQ background worker (TASK_BACKEND=rq) on the task queues in Redis (REDIS_URL); "
        "it keeps a heartbeat in the database and takes part in the recovery sweep."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue-name",
            default=None,
            help="Queues to take tasks from, separated by commas (default: every queue of the "
            "task backend)",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks queued now, then exit"
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks"
        )
        parser.add_argument(
            "--worker-id", default=None, help="Unique name of this worker (default: random)"
        )

    def handle(
        self,
        *,
        queue_name: str | None,
        batch: bool,
        max_tasks: int | None,
        worker_id: str | None,
        verbosity: int,
        **options,
    ) -> None:
        if settings.TASK_BACKEND != "rq":
            raise CommandError(
                f"rq_worker runs the tasks of the RQ backend, and TASK_BACKEND is "
                f"{settings.TASK_BACKEND!r}: set TASK_BACKEND=rq and REDIS_URL (the database "
                "backend's worker is db_worker; `manage.py workers` picks the right one)"
            )
        if max_tasks is not None and max_tasks < 1:
            raise CommandError(f"--max-tasks must be at least 1, not {max_tasks}")
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        names = queue_name.split(",") if queue_name else sorted(backend.queues)
        unknown = sorted(set(names) - set(settings.RQ_QUEUES))
        if unknown:
            raise CommandError(f"No such queue in RQ_QUEUES: {', '.join(unknown)}")
        level = LEVELS.get(verbosity, logging.DEBUG)
        logging.getLogger("workers").setLevel(level)
        queues = get_queues(*names, job_class=Job)
        worker = SupervisedRQWorker(
            queues, name=worker_id, connection=queues[0].connection, job_class=Job
        )
        logging.getLogger("workers").info(
            "Starting RQ worker %s on queues %s", worker.name, ",".join(names)
        )
        worker.work(burst=batch, max_jobs=max_tasks, logging_level=logging.getLevelName(level))
