"""Recovery after a worker dies: close its task rows, then let each app resume its own work.

A worker proves it is alive by its heartbeat (`WorkerBeat.last_seen`); a task RUNNING on a
worker not seen within the lease is closed as FAILED by `recovery_sweep`, which then calls every
recoverer named in `settings.WORKER_RECOVERERS` with a `Recovery` describing the sweep. Tasks
are read and closed through `workers.backends`, the same for the database and for RQ.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus

from workers import backends
from workers.backends import TaskState
from workers.models import SweepLock, WorkerBeat

logger = logging.getLogger("workers")

BEATS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Recovery:
    now: datetime
    lease: timedelta
    closed_task_ids: frozenset[str]  # task results this sweep just closed: their worker died


Recoverer = Callable[[Recovery], int]  # returns how many things it recovered


class WorkerStopped(Exception):
    """The worker running a task stopped (killed, crashed, lost) before recording its result."""


def lease_default() -> timedelta:
    """How long a worker may go without a heartbeat before it is taken for dead."""
    return timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def task_alive(task_id: str, *, lease: timedelta | None = None) -> bool:
    """True while the task may still run: READY (queued) or RUNNING on a live worker.

    A worker is live when its heartbeat is within `lease` (default WORKER_LEASE_SECONDS).
    The task is read from the task backend (the database or RQ: `workers.backends`).
    """
    return task_state_alive(backends.task_state(task_id), lease=lease)


def task_state_alive(state: TaskState | None, *, lease: timedelta | None = None) -> bool:
    """`task_alive` of a task already read from the backend."""
    if state is None or state.status not in backends.LIVE:
        return False
    if state.status == TaskResultStatus.READY:
        return True
    cutoff = timezone.now() - (lease or lease_default())
    beat = WorkerBeat.objects.filter(worker_id=state.worker_id).only("last_seen").first()
    return _worker_alive(beat, started_at=state.started_at, cutoff=cutoff)


def _worker_alive(
    beat: WorkerBeat | None, *, started_at: datetime | None, cutoff: datetime
) -> bool:
    # A worker with no beat row yet is given the lease from the moment it claimed the task.
    if beat is None:
        return started_at is not None and started_at >= cutoff
    return beat.last_seen >= cutoff


def recovery_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Close task rows of dead workers, run every recoverer, forget old beats; say how many of each.

    Only one sweep runs at a time (a row lock on PostgreSQL, the write lock on SQLite); a sweep
    that finds another one running returns {"skipped": 1}. Recoverers run inside the sweep's
    transaction, each in its own savepoint, so one that fails is logged and rolled back alone.
    """
    now = now or timezone.now()
    lease = lease_default()
    with transaction.atomic():
        SweepLock.objects.get_or_create(pk=1)
        lock = SweepLock.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if lock is None:
            logger.info("Recovery sweep skipped: another worker is sweeping")
            return {"skipped": 1}
        closed = tasks_close_stale(now=now, lease=lease)
        done = {"closed_tasks": len(closed)}
        recovery = Recovery(now=now, lease=lease, closed_task_ids=frozenset(closed))
        for path in settings.WORKER_RECOVERERS:
            count = _run_recoverer(path, recovery)
            done[path] = count or 0
            done["failed_recoverers"] = done.get("failed_recoverers", 0) + (count is None)
        old_beats = WorkerBeat.objects.filter(last_seen__lt=now - BEATS_KEPT)
        done["forgotten_beats"] = old_beats.delete()[0]
        lock.last_run_at = now
        lock.save(update_fields=["last_run_at"])
    return done


def tasks_close_stale(*, now: datetime, lease: timedelta) -> list[str]:
    """Mark FAILED every RUNNING task whose worker has no heartbeat within the lease."""
    cutoff = now - lease
    running = backends.tasks_running()
    worker_ids = {state.worker_id for state in running if state.worker_id}
    beats = {beat.worker_id: beat for beat in WorkerBeat.objects.filter(worker_id__in=worker_ids)}
    closed = []
    for state in running:
        beat = beats.get(state.worker_id)
        if _worker_alive(beat, started_at=state.started_at, cutoff=cutoff):
            continue
        seen = f"last seen {beat.last_seen.isoformat()}" if beat else "never seen"
        message = (
            f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}: worker "
            f"{state.worker_id or '?'} stopped while running this task ({seen}; lease "
            f"{lease.total_seconds():g} s); closed by the recovery sweep at {now.isoformat()}\n"
        )
        path = f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}"
        if backends.task_close(state.id, now=now, exception_path=path, traceback=message):
            logger.warning(
                "Closed task %s: worker %s stopped (%s)", state.id, state.worker_id, seen
            )
            closed.append(state.id)
    return closed


def _run_recoverer(path: str, recovery: Recovery) -> int | None:
    try:
        recoverer: Recoverer = import_string(path)
        with transaction.atomic():
            count = int(recoverer(recovery))
    except Exception:
        logger.exception("Recoverer %s failed; the sweep goes on without it", path)
        return None
    logger.log(logging.INFO if count else logging.DEBUG, "Recoverer %s recovered %d", path, count)
    return count
