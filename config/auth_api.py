"""API: trade a username and password for an API token (POST /api/auth/token/).

Sign-ins here count towards the same django-axes lockout as the login page: a locked-out
username or address gets 429 with Retry-After, whatever the password.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import InvalidInput
from config.openapi import error
from config.throttles import LOCKED_OUT, LoginAttemptHandler, lockout_seconds_left

WRONG_PASSWORD = "Wrong username or password."


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class AuthTokenApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: error(
                "Wrong username or password (or a field is missing).",
                WRONG_PASSWORD,
                fields={"password": [WRONG_PASSWORD]},
            ),
            429: error(
                "Sign-in is locked for this username or address; the Retry-After header "
                "and the message say in how many seconds to retry.",
                f"{LOCKED_OUT} Expected available in 840 seconds.",
            ),
        },
        examples=[
            OpenApiExample(
                "Sign in",
                value={"username": "olivia", "password": "correct horse battery staple"},
                request_only=True,
            ),
            OpenApiExample(
                "Token",
                value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """Return your API token (created on first use) for your username and password.

        After LOGIN_FAILURE_LIMIT failed sign-ins (10 by default) for a username, or from an
        address, sign-in is locked for LOGIN_COOLOFF_MINUTES (15) for that username or
        address, here and on the login page alike.
        """
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        # django-axes records the attempt on the request it is given (here DRF's).
        user = authenticate(
            request=request, username=username, password=data.validated_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            seconds = lockout_seconds_left(request, {"username": username})
            raise exceptions.Throttled(wait=seconds, detail=LOCKED_OUT)
        if user is None:
            raise InvalidInput(WRONG_PASSWORD, extra={"fields": {"password": [WRONG_PASSWORD]}})
        if settings.AXES_RESET_ON_SUCCESS:
            LoginAttemptHandler().reset_user_attempts(request, {"username": username})
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenOutput({"token": token.key}).data)
