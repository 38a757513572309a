"""Reads about the background workers: who is alive, and whether work waits for one."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from workers.backends import tasks_waiting
from workers.models import WorkerBeat


@dataclass(frozen=True)
class WorkerStatus:
    alive: int  # workers seen within the lease
    last_seen: datetime | None  # the last beat of any worker, None if none ever ran
    lease: timedelta

    @property
    def ever_seen(self) -> bool:
        return self.last_seen is not None


def worker_status(*, now: datetime | None = None) -> WorkerStatus:
    """How many workers beat within the lease, and when any worker last did (one query)."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    beats = WorkerBeat.objects.aggregate(
        last=Max("last_seen"), alive=Count("pk", filter=Q(last_seen__gte=now - lease))
    )
    return WorkerStatus(alive=beats["alive"], last_seen=beats["last"], lease=lease)


def tasks_waiting_for_a_worker(*, now: datetime | None = None, limit: int | None = None) -> int:
    """How many tasks a worker should have picked up by now: due and queued past a heartbeat,
    or running (counted up to `limit`; 1 answers "any?" cheaply)."""
    grace = timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS)
    return tasks_waiting(now=now or timezone.now(), grace=grace, limit=limit)


def worker_beats() -> list[WorkerBeat]:
    """Every worker's last beat, the newest first (for staff)."""
    return list(WorkerBeat.objects.order_by("-last_seen"))
