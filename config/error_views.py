"""Django's error views (handler400/403/404/500): JSON on API URLs, pages elsewhere.

The pages (400/403/404.html) sit in the normal layout with a way back: to the page the
person came from (when it was one of ours) and to their corpora. 500.html needs neither
request nor database, as the error may be theirs.

DRF answers errors inside its views; these answer what happens before or outside them
(an unknown /api/ URL, a body Django refused while reading it), so an API caller never
gets an HTML page.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from config.api import request_problem
from config.middleware import ERROR_TITLES

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(message: str, status: int, extra: dict | None = None) -> JsonResponse:
    return JsonResponse({"message": message, "extra": extra or {}}, status=status)


def back_url(request: HttpRequest) -> str:
    """The page the person came from, when it is one of ours and not this one; else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for a host we do not serve: no way back to it
        return ""
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    )
    return referer if ours and referer != request.build_absolute_uri() else ""


def error_page(request: HttpRequest, message: str, status: int, *, title: str) -> HttpResponse:
    """Render the small error page (`400.html`) with a message saying what is wrong."""
    context = {"message": message, "title": title, "back_url": back_url(request)}
    return render(request, "400.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refused (body too big, too many fields, malformed): 400 or 413."""
    problem = request_problem(exception)
    message = problem.message if problem else "The request was refused as malformed."
    status = problem.status if problem else 400
    extra = problem.extra if problem else {}
    if is_api_request(request):
        return api_error(message, status, extra)
    title = ERROR_TITLES.get(status, "Bad request")
    return error_page(request, message, status, title=title)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error("You do not have permission to perform this action.", 403)
    context = {"message": str(exception), "back_url": back_url(request)}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(f"No API endpoint at {request.path}.", 404)
    context = {"request_path": request.path, "back_url": back_url(request)}
    return render(request, "404.html", context, status=404)


@csrf_exempt  # a script's POST to a wrong URL learns that, not about CSRF; nothing is written
@login_not_required
def api_not_found(request: HttpRequest) -> HttpResponse:
    """Any /api/ URL no route takes: the JSON 404, with DEBUG on too (no debug page)."""
    return api_error(f"No API endpoint at {request.path}.", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_error("Server error: the problem is logged.", 500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
