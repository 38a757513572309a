"""The workers' settings come from the environment with documented defaults."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

PRINT = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['OPTIONS']['timeout'], s.WORKER_HEARTBEAT_SECONDS, "
    "s.WORKER_LEASE_SECONDS, s.WORKER_SWEEP_SECONDS)"
)


def settings_printed(**env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT}"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_sqlite_busy_timeout_and_worker_timings_have_defaults_and_follow_the_environment():
    assert settings_printed() == "20 10 60 30"
    assert (
        settings_printed(
            SQLITE_BUSY_TIMEOUT="2", WORKER_LEASE_SECONDS="90", WORKER_SWEEP_SECONDS="5"
        )
        == "2 10 90 5"
    )


BACKEND = (
    "from django.conf import settings as s; "
    "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS)"
)


def backend_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {BACKEND}"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_task_backend_is_the_database_unless_rq_is_asked_for_with_a_redis_url():
    assert backend_settings().stdout.split() == ["django_tasks_db.DatabaseBackend", "False"]
    rq = backend_settings(TASK_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/15")
    assert rq.stdout.split() == ["workers.rq_backend.RQBackend", "True"]


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"TASK_BACKEND": "rq"}, "TASK_BACKEND=rq needs REDIS_URL"),
        ({"TASK_BACKEND": "rq", "REDIS_URL": "127.0.0.1:6379"}, "TASK_BACKEND=rq needs REDIS_URL"),
        ({"TASK_BACKEND": "celery"}, "TASK_BACKEND='celery': use 'database' (the default) or 'rq'"),
    ],
)
def test_a_task_backend_that_cannot_work_stops_the_start_with_a_clear_error(env, error):
    done = backend_settings(**env)

    assert done.returncode != 0
    assert f"ImproperlyConfigured: {error}" in done.stderr
