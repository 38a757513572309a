"""Tiny tasks and recoverers the worker tests use."""

import time
from pathlib import Path

from django_tasks import task

from workers.models import WorkerBeat
from workers.recovery import Recovery

CALLS: list[Recovery] = []


@task()
def echo(word: str) -> str:
    """Return `word`: proof that a worker ran the task and recorded its result."""
    return word


@task()
def wait_for_file(path: str) -> str:
    """Run until `path` exists (at most a minute), so a test can act while a task runs."""
    deadline = time.monotonic() + 60
    while not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "released" if Path(path).exists() else "timed out"


def recoverer_counting(recovery: Recovery) -> int:
    """Remember the sweep it was called by; recover one thing per task the sweep closed."""
    CALLS.append(recovery)
    return len(recovery.closed_task_ids)


def recoverer_broken(recovery: Recovery) -> int:
    """Write something, then fail: the sweep must roll the write back and go on."""
    WorkerBeat.objects.create(
        worker_id="written-by-a-broken-recoverer",
        pid=1,
        started_at=recovery.now,
        last_seen=recovery.now,
    )
    raise RuntimeError("this recoverer is broken")
