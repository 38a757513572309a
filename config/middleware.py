"""Translate Goldset errors raised by page views into Django's 4xx responses."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest

from config.errors import Forbidden, GoldsetError, NotFound


class GoldsetErrorMiddleware:
    """Turn NotFound into 404, Forbidden into 403 and any other GoldsetError into 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, GoldsetError):
            return HttpResponseBadRequest(exception.message, content_type="text/plain")
        return None
