"""Translate every API error to JSON `{"message": ..., "extra": ...}` with a 4xx status."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import GoldsetError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render Goldset and DRF errors in one shape; let anything else surface as a bug."""
    if isinstance(exc, GoldsetError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": "Invalid input.", "extra": {"fields": detail}}
    else:
        message = detail.get("detail", str(exc)) if isinstance(detail, dict) else str(detail)
        response.data = {"message": str(message), "extra": {}}
    return response


def api_view(view_class: type) -> Callable:
    """Return an API view for a URL route, without the site-wide login redirect.

    API views authenticate themselves (session or token) and answer 401/403 in JSON.
    """
    return login_not_required(view_class.as_view())
