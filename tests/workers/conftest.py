"""Worker fixtures: task rows and beats in the test database, and real worker processes
running against a SQLite file of their own (tests marked `slow`).

Tests marked `rq` run in the RQ pass of `make test` (TASK_BACKEND=rq, REDIS_URL naming a spare
Redis database they flush): elsewhere they are skipped, and so they are when Redis cannot be
reached, except in CI (CI=true), where that fails the run.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from workers.models import WorkerBeat

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rq_tests = [item for item in items if item.get_closest_marker("rq")]
    if not rq_tests:
        return
    if settings.TASK_BACKEND != "rq":
        reason = "runs with TASK_BACKEND=rq and REDIS_URL (the RQ pass of `make test`)"
    else:
        reason = _redis_problem(settings.REDIS_URL)
        if reason is None:
            return
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError(f"Redis is required in CI for the RQ tests: {reason}")
    for item in rq_tests:
        item.add_marker(pytest.mark.skip(reason=reason))


def _redis_problem(url: str) -> str | None:
    """Why the RQ tests cannot use the Redis database of `url`; None if they can."""
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise pytest.UsageError(
            f"REDIS_URL={url} names Redis database 0: the RQ tests flush the database they "
            "use, so give them a spare one (redis://127.0.0.1:6379/15)"
        )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis unreachable at {url}: {error}"
    finally:
        client.close()
    return None


def wait_for(condition: Callable[[], object], *, seconds: float, what: str) -> object:
    """Poll `condition` until it returns something true; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"Waited {seconds} s for {what}")


@pytest.fixture
def task_row(db) -> Callable[..., DBTaskResult]:
    """Make a task result row of the `echo` test task in a given state."""

    def make(
        status: str = TaskResultStatus.READY,
        *,
        worker_id: str = "",
        started: timedelta | None = None,
        enqueued: timedelta = timedelta(0),
    ) -> DBTaskResult:
        now = timezone.now()
        row = DBTaskResult.objects.create(
            task_path="tests.workers.tasks.echo",
            args_kwargs={"args": ["hello"], "kwargs": {}},
            backend_name="default",
            run_after=get_date_max(),
            status=status,
            worker_ids=[worker_id] if worker_id else [],
            started_at=now - started if started is not None else None,
        )
        DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=now - enqueued)
        row.refresh_from_db()
        return row

    return make


@pytest.fixture
def beat(db) -> Callable[..., WorkerBeat]:
    """Make a worker's heartbeat row, last seen `ago`."""

    def make(worker_id: str, *, ago: timedelta = timedelta(0), pid: int = 4242) -> WorkerBeat:
        seen = timezone.now() - ago
        return WorkerBeat.objects.create(
            worker_id=worker_id, hostname="box", pid=pid, started_at=seen, last_seen=seen
        )

    return make


# Real processes -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file with every migration applied, made once and copied by each test."""
    path = tmp_path_factory.mktemp("workers-db") / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run(
        [sys.executable, str(MANAGE), "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


@dataclass
class Site:
    """One SQLite file and the processes a test runs against it."""

    path: Path
    env: dict[str, str]
    processes: list[subprocess.Popen]

    def start(self, *args: str, log: Path) -> subprocess.Popen:
        """Start `manage.py args...` in a process group of its own, output to `log`."""
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, str(MANAGE), *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                process_group=0,
            )
        self.processes.append(process)
        return process

    def manage(self, *args: str) -> str:
        """Run `manage.py args...` to the end and return what it printed."""
        done = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    def query(self, sql: str, *params) -> list[tuple]:
        """Read from the file with a connection of its own (never holding a lock)."""
        with sqlite3.connect(self.path, timeout=30) as connection:
            return connection.execute(sql, params).fetchall()

    def enqueue(self, task: str, *args: str) -> str:
        """Queue the test task `task` (in tests/workers/tasks.py) and return its id."""
        code = f"from tests.workers.tasks import {task}; print({task}.enqueue(*{args!r}).id)"
        return self.manage("shell", "-c", code).strip().splitlines()[-1]

    def task_status(self, task_id: str) -> tuple[str, object] | None:
        rows = self.query(
            f"SELECT status, return_value FROM {DBTaskResult._meta.db_table} WHERE id = ?",
            task_id.replace("-", ""),
        )
        return rows[0] if rows else None

    def beats(self) -> list[tuple[str, int, datetime]]:
        return self.query("SELECT worker_id, pid, last_seen FROM workers_workerbeat")


@pytest.fixture
def site(tmp_path, migrated_sqlite) -> Iterator[Site]:
    """A copy of the migrated SQLite file; every process started on it is killed at the end."""
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, path)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "SQLITE_BUSY_TIMEOUT": "1",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "true",
    }
    running = Site(path=path, env=env, processes=[])
    yield running
    for process in running.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
