"""Real `manage.py` processes (workers, the recovery sweep) on a database the test shares.

For fault tests that kill a worker with SIGKILL. On SQLite the database is a migrated file
under the test's tmp_path (the suite's own SQLite database lives in memory, out of reach of
other processes); on PostgreSQL it is the suite's test database, so those tests need
committed data (`django_db(transaction=True)`). The test reads and ages rows with plain SQL
(`%s` placeholders on both) and sets up its data through `manage.py shell`. Test modules
import the two fixtures (`shared_database_fixture`, `migrated_sqlite_fixture`).
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # seconds any one process may take before the test fails


@dataclass
class SharedDatabase:
    """A database and an upload folder that the test and its subprocesses share."""

    url: str
    vendor: str
    import_dir: Path
    _connect: Callable[[], object]
    _connection: object = field(default=None, init=False)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "IMPORT_DIR": str(self.import_dir),
            "LOG_LEVEL": "WARNING",
        }

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Run one statement in autocommit; return its rows."""
        if self._connection is None:
            self._connection = self._connect()
        if self.vendor == "sqlite":
            query = query.replace("%s", "?")
        cursor = self._connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []

    def value(self, query: str, params: tuple = ()):
        [(value,)] = self.sql(query, params)
        return value

    def moment(self, value: datetime):
        """A datetime as the database stores it (SQLite: naive UTC text)."""
        if self.vendor == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        return value

    def age_worker_beats(self) -> int:
        """Make every worker look silent for an hour (as a killed one is), without waiting."""
        past = self.moment(datetime.now(UTC) - timedelta(hours=1))
        self.sql("UPDATE workers_workerbeat SET last_seen = %s", (past,))
        return self.value("SELECT count(*) FROM workers_workerbeat")

    def task_status(self, task_id: str) -> str:
        """The status of a django-tasks row (SQLite stores its UUID as 32 hex digits)."""
        key = task_id.replace("-", "") if self.vendor == "sqlite" else task_id
        query = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s"
        return self.value(query, (key,))

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def manage(self, *args: str) -> str:
        """Run a command to its end; return its output (it must succeed)."""
        process = self.start(*args)
        output, _ = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, output
        return output

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def kill(process: subprocess.Popen) -> None:
    """SIGKILL: no handler, no `finally`, no chance to record anything."""
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=TIMEOUT)
    assert process.returncode == -signal.SIGKILL


def wait_until(condition: Callable[[], bool], *, timeout: float = TIMEOUT) -> None:
    """Poll `condition` until it holds (the worker is another process: no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


@pytest.fixture(scope="session", name="migrated_sqlite")
def migrated_sqlite_fixture(tmp_path_factory) -> Path:
    """A SQLite file migrated once per session, copied by each test that needs one."""
    path = tmp_path_factory.mktemp("migrated") / "goldset.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return path


@pytest.fixture(name="shared_database")
def shared_database_fixture(request, tmp_path):
    """The database this test shares with worker processes (see the module docstring)."""
    import_dir = tmp_path / "imports"
    if connection.vendor == "sqlite":
        path = tmp_path / "goldset.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
        database = SharedDatabase(
            url=f"sqlite:///{path}",
            vendor="sqlite",
            import_dir=import_dir,
            _connect=lambda: sqlite3.connect(path, timeout=30, isolation_level=None),
        )
    else:
        request.getfixturevalue("transactional_db")
        config = settings.DATABASES["default"]
        host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
        url = f"postgres://{config['USER']}@{host}:{port}/{config['NAME']}"
        database = SharedDatabase(
            url=url,
            vendor="postgresql",
            import_dir=import_dir,
            _connect=lambda: psycopg.connect(url, autocommit=True),
        )
    yield database
    database.close()
