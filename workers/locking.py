"""Ride out a locked database: retry with exponential backoff instead of giving up."""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db.utils import OperationalError
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("workers")

T = TypeVar("T")

FIRST_DELAY = 0.5  # seconds before the first retry; doubles up to MAX_DELAY
MAX_DELAY = 30.0

_state = {"last_lock_error": None}
_state_lock = threading.Lock()


def note_lock_error() -> None:
    """Remember that this process just met a locked database."""
    with _state_lock:
        _state["last_lock_error"] = time.monotonic()


def seconds_since_lock_error() -> float | None:
    """Seconds since this process last met a locked database; None if it never did."""
    with _state_lock:
        last = _state["last_lock_error"]
    return None if last is None else time.monotonic() - last


def retry_locked(
    action: Callable[[], T], *, what: str, keep_going: Callable[[], bool] = lambda: True
) -> T | None:
    """Run `action` until it does not fail with "database is locked"; log each retry.

    Other errors are raised as they are. When `keep_going()` turns false between attempts
    (the worker is shutting down), give up and return None.
    """
    delay = FIRST_DELAY
    attempt = 1
    while True:
        try:
            return action()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            note_lock_error()
            logger.warning(
                "Database locked while %s (attempt %d); retrying in %.1f s",
                what,
                attempt,
                delay,
            )
        if not keep_going():
            return None
        time.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
        attempt += 1
