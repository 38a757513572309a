"""A worker outlasts a write lock held longer than SQLite's busy timeout, then works on."""

import sqlite3
import time
from contextlib import contextmanager

import pytest

from tests.workers.conftest import wait_for

pytestmark = pytest.mark.slow

BUSY_TIMEOUT = 1  # seconds (the site fixture sets SQLITE_BUSY_TIMEOUT=1)


@contextmanager
def write_lock(path):
    """Hold SQLite's write lock from a plain connection, as a long save would."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield time.monotonic()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def succeeded(site, task_id):
    row = site.task_status(task_id)
    return row if row and row[0] == "SUCCESSFUL" else None


def start_worker(site, log):
    worker = site.start(
        "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", log=log
    )
    wait_for(site.beats, seconds=30, what=f"the worker's first heartbeat ({log})")
    return worker


def test_a_write_lock_held_past_the_busy_timeout_does_not_kill_the_worker(site, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_worker(site, log)

    # The reproduction, bounded: hold the write lock for 3x the busy timeout
    # (30 s against 20 s there) and until the worker has met it at least twice.
    with write_lock(site.path) as held_from:
        wait_for(
            lambda: (
                log.read_text().count("Database locked while claiming a task") >= 2
                and time.monotonic() - held_from >= 3 * BUSY_TIMEOUT
            ),
            seconds=60,
            what=f"two lock retries in {log}",
        )
        assert worker.poll() is None, log.read_text()

    task_id = site.enqueue("echo", "still here")
    status = wait_for(lambda: succeeded(site, task_id), seconds=30, what=f"{task_id} in {log}")
    assert status == ("SUCCESSFUL", '"still here"')
    assert worker.poll() is None, "the worker that met the lock must be the one still running"
    assert "(attempt 2); retrying in 1.0 s" in log.read_text()


def test_a_result_is_recorded_once_the_lock_is_gone(site, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_worker(site, log)
    release = tmp_path / "release"
    task_id = site.enqueue("wait_for_file", str(release))
    wait_for(
        lambda: (site.task_status(task_id) or ("",))[0] == "RUNNING",
        seconds=30,
        what=f"{task_id} to start ({log})",
    )

    with write_lock(site.path) as held_from:
        release.touch()  # the task ends while the lock is held: its result cannot be saved
        wait_for(
            lambda: (
                log.read_text().count(f"Database locked while recording task {task_id}") >= 2
                and time.monotonic() - held_from >= 3 * BUSY_TIMEOUT
            ),
            seconds=60,
            what=f"two retries to record the result in {log}",
        )
        assert site.task_status(task_id)[0] == "RUNNING"

    status = wait_for(lambda: succeeded(site, task_id), seconds=30, what=f"{task_id} in {log}")
    assert status == ("SUCCESSFUL", '"released"')
    assert worker.poll() is None
