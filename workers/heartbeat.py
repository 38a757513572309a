"""A worker's heartbeat thread: writes its WorkerBeat and runs the periodic recovery sweep."""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import connection
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.utils import is_locked_database_exception

from workers.locking import note_lock_error, seconds_since_lock_error
from workers.models import WorkerBeat
from workers.recovery import recovery_sweep

logger = logging.getLogger("workers")


class Heartbeat(threading.Thread):
    """Beat every WORKER_HEARTBEAT_SECONDS and sweep every WORKER_SWEEP_SECONDS, on its own
    database connection, until `stop()`; a locked or lost database is logged, never fatal."""

    def __init__(self, *, worker_id: str, sweep: bool = True) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.sweep = sweep
        self.task_id = ""  # set by the worker while it runs a task
        self.tasks_run = 0
        self.started_at = timezone.now()
        self._stopping = threading.Event()

    def stop(self, *, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        interval = settings.WORKER_HEARTBEAT_SECONDS
        next_sweep = time.monotonic()  # sweep once at start
        try:
            while not self._stopping.is_set():
                self._guarded("writing its heartbeat", self.beat)
                due = self.sweep and time.monotonic() >= next_sweep
                if due and self._guarded("sweeping", self.sweep_once):
                    next_sweep = time.monotonic() + settings.WORKER_SWEEP_SECONDS
                self._stopping.wait(interval)
        finally:
            connection.close()

    def beat(self) -> None:
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "last_seen": timezone.now(),
                "task_id": self.task_id,
                "tasks_run": self.tasks_run,
            },
        )

    def sweep_once(self) -> None:
        # After a long write lock every heartbeat is stale, the live ones included: wait a
        # lease after the last lock this process met so live workers have beaten again.
        since = seconds_since_lock_error()
        if since is not None and since < settings.WORKER_LEASE_SECONDS:
            logger.info("Recovery sweep deferred: the database was locked %.0f s ago", since)
            return
        done = recovery_sweep()
        if any(count for name, count in done.items() if name != "forgotten_beats"):
            logger.warning("Recovery sweep by worker %s: %s", self.worker_id, done)

    def _guarded(self, what: str, action) -> bool:
        """Run `action`; log and swallow any failure so the heartbeat never stops by itself."""
        try:
            action()
        except OperationalError as error:
            if is_locked_database_exception(error):
                note_lock_error()
                logger.warning("Database locked while worker %s was %s", self.worker_id, what)
            else:
                logger.exception("Database error while worker %s was %s", self.worker_id, what)
                connection.close()  # reconnect on the next beat
            return False
        except Exception:
            logger.exception("Worker %s failed while %s", self.worker_id, what)
            return False
        return True
