"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.env import secret_key

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="goldset.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="goldset.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.slow
def test_a_debug_value_that_is_not_a_boolean_is_refused():
    result = manage("check", DEBUG="maybe")
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.slow
def test_sqlite_database_uses_wal_and_a_busy_timeout(tmp_path):
    probe = (
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = manage("shell", "-c", probe, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    journal_mode, busy_timeout = result.stdout.split()[-2:]
    assert journal_mode == "wal"
    assert int(busy_timeout) >= 5000


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_connections_run_without_jit_compilation():
    # JIT compiled an import batch's UPDATEs for longer than they ran (bench.import --postgres)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_local_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key_file = tmp_path / ".secret_key"
    first = secret_key(local=True, key_file=key_file)
    assert len(first) >= 50
    assert secret_key(local=True, key_file=key_file) == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


SETTINGS_PROBE = (
    "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT,"
    " s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, ','.join(s.ALLOWED_HOSTS))"
)


@pytest.mark.slow
def test_local_use_has_no_debug_page_and_plain_http_on_loopback():
    result = manage("shell", "-c", SETTINGS_PROBE)

    assert result.stdout.split()[-5:] == [
        "False",
        "False",
        "False",
        "0",
        "127.0.0.1,localhost,[::1]",
    ]


@pytest.mark.slow
def test_naming_a_host_beyond_loopback_turns_on_the_https_policy():
    production = {"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "goldset.example.org"}
    result = manage("shell", "-c", SETTINGS_PROBE, **production)
    behind_plain_http = manage("shell", "-c", SETTINGS_PROBE, SECURE="false", **production)

    assert result.stdout.split()[-5:] == [
        "False",
        "True",
        "True",
        "31536000",
        "goldset.example.org",
    ]
    assert behind_plain_http.stdout.split()[-5:-1] == ["False", "False", "False", "0"]
