"""Translate every API error to JSON `{"message": ..., "extra": ...}` with a 4xx status."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from corpus.errors import GoldsetError


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
