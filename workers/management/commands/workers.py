"""`workers`: run and supervise background workers (restart the ones that die)."""

import logging
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workers.supervisor import Supervisor, worker_command


class Command(BaseCommand):
    help = (
        "Start N workers of the task backend (`db_worker`, or `rq_worker` with TASK_BACKEND=rq) "
        "and restart any that exits unexpectedly, with a backoff of 1 s doubling to 30 s. "
        "SIGINT/SIGTERM are passed on; it exits when they have stopped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--processes", type=int, default=1, help="Number of workers (default: 1)"
        )
        parser.add_argument(
            "--max-restarts",
            type=int,
            default=None,
            help="Give up on a worker after this many restarts in a row without a healthy minute "
            "(default: never give up)",
        )
        parser.add_argument(
            "--queue-name", default=None, help="Passed to each worker (default: its own)"
        )
        parser.add_argument(
            "--interval",
            default=None,
            help="Passed to each db_worker: seconds between looks at an empty queue (default: "
            "its own; RQ workers wait on Redis instead)",
        )

    def handle(
        self, *, processes: int, max_restarts: int | None, queue_name, interval, **options
    ) -> None:
        if processes < 1:
            raise CommandError(f"--processes must be at least 1, not {processes}")
        if max_restarts is not None and max_restarts < 0:
            raise CommandError(f"--max-restarts must be 0 or more, not {max_restarts}")
        logger = logging.getLogger("workers")
        logger.setLevel(logging.INFO if options["verbosity"] < 2 else logging.DEBUG)
        backend = settings.TASK_BACKEND
        if interval is not None and backend == "rq":
            raise CommandError("--interval is for database workers; RQ workers wait on Redis")
        extra = [f"--verbosity={options['verbosity']}"]
        if queue_name is not None:
            extra.append(f"--queue-name={queue_name}")
        if interval is not None:
            extra.append(f"--interval={interval}")
        manage_py = Path(settings.BASE_DIR) / "manage.py"
        logger.info("Task backend: %s", backend)
        supervisor = Supervisor(
            command=worker_command(manage_py=manage_py, extra=extra, backend=backend),
            processes=processes,
            max_restarts=max_restarts,
        )
        sys.exit(supervisor.run())
