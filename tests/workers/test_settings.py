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
