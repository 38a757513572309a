"""Translate every API error to JSON `{"message": ..., "extra": ...}` with a 4xx status."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import GoldsetError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render Goldset and DRF errors in one shape; let anything else surface as a bug."""
    if isinstance(exc, GoldsetError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status)
    if (problem := request_problem(exc)) is not None:
        return Response(problem.body, status=problem.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": validation_message(detail), "extra": {"fields": detail}}
    else:
        message = detail.get("detail", str(exc)) if isinstance(detail, dict) else str(detail)
        extra = {"retry_after": exc.wait} if isinstance(exc, exceptions.Throttled) else {}
        response.data = {"message": str(message), "extra": extra}
    return response


def validation_message(detail: Any, shown: int = 3) -> str:
    """Say which fields are wrong and why: "Invalid input: expected: This field is required."."""
    if not isinstance(detail, dict) or not detail:
        return f"Invalid input: {_first(detail)}" if detail else "Invalid input."
    parts = [
        _first(problem) if field == "non_field_errors" else f"{field}: {_first(problem)}"
        for field, problem in list(detail.items())[:shown]
    ]
    more = f" (and {len(detail) - shown} more fields)" if len(detail) > shown else ""
    return "Invalid input: " + "; ".join(part.rstrip(".") for part in parts) + more + "."


def _first(detail: Any) -> str:
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


class RequestProblem(GoldsetError):
    """A request Django could not read: too big, too many fields or files, cut short."""

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None, status: int = 400):
        super().__init__(message, extra=extra)
        self.status = status

    @property
    def body(self) -> dict[str, Any]:
        return {"message": self.message, "extra": self.extra}


def request_problem(exc: BaseException) -> RequestProblem | None:
    """Return what is wrong with a request body Django refused to read, or None.

    Django raises these while reading `request.body` or `request.POST`, in a view or before
    it; pages and the API both say them (413 for a body over the limit).
    """
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return RequestProblem(
            f"The request body is larger than the limit of {_size(limit)}"
            " (DATA_UPLOAD_MAX_MEMORY_SIZE).",
            extra={"limit": limit},
            status=413,
        )
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        message = f"The request sends more than {limit} fields (DATA_UPLOAD_MAX_NUMBER_FIELDS)."
        return RequestProblem(message, extra={"limit": limit})
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        message = f"The request sends more than {limit} files (DATA_UPLOAD_MAX_NUMBER_FILES)."
        return RequestProblem(message, extra={"limit": limit})
    if isinstance(exc, UnreadablePostError):
        return RequestProblem("The request body could not be read: it was cut short.")
    if isinstance(exc, MultiPartParserError):
        return RequestProblem(f"The multipart body is malformed: {exc}.")
    if isinstance(exc, SuspiciousOperation):
        return RequestProblem("The request was refused as malformed.")
    return None


def _size(limit: int) -> str:
    return filesizeformat(limit).replace("\xa0", " ")


def api_view(view_class: type) -> Callable:
    """Return an API view for a URL route, without the site-wide login redirect.

    API views authenticate themselves (session or token) and answer 401/403 in JSON.
    """
    return login_not_required(view_class.as_view())
