"""A throwaway SQLite database for a benchmark: Django set up on it and migrated."""

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@contextmanager
def throwaway_database() -> Iterator[Path]:
    """Point Django at a new database in a temporary folder, migrate it, yield the folder.

    Worker or server processes started inside inherit DATABASE_URL from the environment.
    """
    with tempfile.TemporaryDirectory() as directory:
        django_migrated(f"sqlite:///{directory}/bench.sqlite3")
        yield Path(directory)


def django_migrated(database_url: str) -> None:
    """Point Django at `database_url` (in the environment, for child processes too), set it
    up and migrate the database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def child_run(code: str, *args: str) -> tuple[float, int]:
    """Run `code` in a child Python with DEBUG off; return the (seconds, peak KB) it prints."""
    output = _child_output(code, *args).split()
    return float(output[-2]), int(output[-1])


def child_numbers(code: str, *args: str) -> list[float]:
    """Run `code` like `child_run`; return the numbers on the last line it prints."""
    return [float(word) for word in _child_output(code, *args).splitlines()[-1].split()]


def _child_output(code: str, *args: str) -> str:
    """Run `code` in a child Python with DEBUG off; return what it prints."""
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=PROJECT_DIR,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@contextmanager
def throwaway_postgres(server_url: str) -> Iterator[str]:
    """Create a database on the PostgreSQL server of `server_url`, migrate it, drop it after.

    `server_url` names any database the user may connect to (postgres://user@host:port/db).
    """
    import psycopg

    name = f"goldset_bench_{os.getpid()}"
    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        django_migrated(f"{base}/{name}")
        from django.db import connections

        yield name
        connections.close_all()
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
