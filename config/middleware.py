"""Middleware: Goldset errors of page views as 4xx pages; request bodies never left unread.

Django's development server reads what a view left of a request body in one piece, and
the multipart parser line by line: a refused 1 GB upload without newlines held 1 GB of
memory. `request_body_discard` reads the rest in fixed-size chunks and keeps none of it.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.shortcuts import render

from config.errors import Forbidden, GoldsetError, NotFound

DISCARD_CHUNK_BYTES = 64 * 1024
ERROR_TITLES = {409: "Conflict", 413: "Request too large"}


def request_body_discard(request: HttpRequest) -> None:
    """Read what is left of the request body, 64 KB at a time, and throw it away."""
    if hasattr(request, "_body"):
        return  # read into memory already: nothing is left on the connection
    try:
        while request.read(DISCARD_CHUNK_BYTES):
            pass
    except UnreadablePostError:
        return  # the client went away


class RequestBodyDiscardMiddleware:
    """Once a response is ready, discard whatever the view left unread of the request body.

    Outermost, so it runs after every other middleware and error handler.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        request_body_discard(request)
        return response


class GoldsetErrorMiddleware:
    """Turn NotFound into 404, Forbidden into 403 and any other GoldsetError into its page.

    The page (`400.html`) says the error's message: which parameter, what value, what rule.
    """

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
            title = ERROR_TITLES.get(exception.status, "Bad request")
            context = {"message": exception.message, "title": title}
            return render(request, "400.html", context, status=exception.status)
        return None
