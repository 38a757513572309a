"""Goldset's one error hierarchy: domain errors that views translate to 4xx responses."""

from typing import Any


class GoldsetError(Exception):
    """A problem the user can act on; `extra` carries machine-readable detail."""

    status = 400

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidInput(GoldsetError):
    """The request or file is malformed."""


class NotFound(GoldsetError):
    """The object does not exist, or the user may not know that it does."""

    status = 404


class Forbidden(GoldsetError):
    """The user sees the object but may not do this to it."""

    status = 403


class Conflict(GoldsetError):
    """The object changed since the user read it."""

    status = 409
