"""Throttles: how often a client may sign in (django-axes lockout) and write through the API.

Sign-in: django-axes counts failures per username and per address (settings
LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES); a locked-out page says when to retry, in the
form, with a 429 and Retry-After. API writes: `WriteRateThrottle`, API_WRITE_RATE per user.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import UserRateThrottle

LOCKED_OUT = "Sign-in is locked after too many failed attempts."


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address: the connection's, or X-Forwarded-For's behind proxies.

    Reads X-Forwarded-For the way DRF's throttles do (NUM_PROXIES), so both agree.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if proxies > 0 and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR")


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler whose reset on success clears only the user's own failures.

    Axes' own reset deletes every failure matching the lockout parameters, so signing in to
    one's own account from an address would also clear the failures against a victim's
    username from that address: an endless brute force for anyone with an account.
    """

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def lockout_seconds_left(request: HttpRequest, credentials: dict | None = None) -> int:
    """Return how many seconds until the locked-out username or address may sign in again.

    For each lockout parameter (username, address) the lock lasts while the failures still
    inside the cool-off add up to the limit: it ends when the newest attempt that completes
    the limit leaves the cool-off.
    """
    cool_off = get_cool_off(request)
    now = timezone.now()
    ends = []
    for lookup in get_client_parameters(
        get_client_username(request, credentials),
        request.axes_ip_address,
        request.axes_user_agent,
        request,
        credentials,
    ):
        attempts = AccessAttempt.objects.filter(**lookup, attempt_time__gte=now - cool_off)
        failures = 0
        for count, attempt_time in attempts.order_by("-attempt_time").values_list(
            "failures_since_start", "attempt_time"
        ):
            failures += count
            if failures >= settings.AXES_FAILURE_LIMIT:
                ends.append(attempt_time + cool_off)
                break
    end = max(ends, default=now + cool_off)
    return max(1, math.ceil((end - now).total_seconds()))


def lockout_message(seconds: int) -> str:
    """Say that sign-in is locked and when to retry, in minutes and as a local time."""
    retry_at = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    wait = f"{seconds} seconds" if seconds < 60 else f"{math.ceil(seconds / 60)} minutes"
    return f"{LOCKED_OUT} Try again in {wait}, after {retry_at:%H:%M} {retry_at.tzname()}."


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """Answer a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the login form saying so, 429."""
    seconds = lockout_seconds_left(request, credentials)
    message = lockout_message(seconds)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    else:
        # The admin's login template shows the form's errors; ours shows `lockout`.
        form.errors.clear()
        form.add_error(None, message)
        response = TemplateResponse(
            request,
            original_response.template_name,
            {**context, "lockout": message},
            status=429,
        ).render()
    response["Retry-After"] = str(seconds)
    return response


class WriteRateThrottle(UserRateThrottle):
    """Throttle unsafe API methods per user at API_WRITE_RATE; reads pass untouched."""

    scope = "write"

    def get_rate(self) -> str:
        # Read at request time, not import time, so settings overrides apply.
        return settings.API_WRITE_RATE

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
