"""The API schema's shared parts: the one error shape, and the error answers of every operation.

Every API error is `{"message": str, "extra": object}` (config.api). `error_responses`, a
drf-spectacular postprocessing hook, says which path parameters the URL routes match, and adds
to each operation the error answers it can give that its view did not document itself: 403
(signed out, or not allowed), 404 (an object in the path does not exist for you), 400 (bad
query or body), 413 and 415 (bodies), 429 (writes). Views document their own conflicts with
`error(...)` or `STALE_VERSION`, e.g. `responses={200: LayerOutput, 409: STALE_VERSION}`.
"""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}


@extend_schema_serializer(component_name=ERROR_COMPONENT)
class ErrorOutput(serializers.Serializer):
    """What every API error answers (config.api.exception_handler)."""

    message = serializers.CharField(help_text="what is wrong, in words a person can act on")
    extra = serializers.DictField(
        help_text="machine-readable detail: `fields` (problems per field), `errors` "
        "(a list of {field, message}), the current `version` on a conflict, limits",
    )


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: a message, and machine-readable detail in `extra`.",
    "properties": {
        "message": {"type": "string", "description": "what is wrong, in words"},
        "extra": {
            "type": "object",
            "additionalProperties": {},
            "description": "detail: `fields` (problems per field), `errors` (a list of "
            "{field, message}), the current `version` on a conflict, limits",
        },
    },
    "required": ["message", "extra"],
}

# Status: (description, example message, example extra).
ERRORS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "400": (
        "Invalid input: the message names every bad field; `extra.fields` or `extra.errors` "
        "lists them.",
        "Invalid input.",
        {"fields": {"after": ["A whole number is required."]}},
    ),
    "403": (
        "Not signed in (send `Authorization: Token <key>`), or your role in the corpus does "
        "not allow this.",
        "Authentication credentials were not provided.",
        {},
    ),
    "404": (
        "No such object, or one in a corpus you are not a member of.",
        "Not found.",
        {},
    ),
    "409": (
        "The object changed since you read it; `extra` says what it is now.",
        "Saved meanwhile by ana-annotator: reload, then save again.",
        {"version": 4},
    ),
    "413": (
        "The request body is larger than the server accepts; `extra` names the limit.",
        "The request body is larger than the limit of 10.0 MB (DATA_UPLOAD_MAX_MEMORY_SIZE).",
        {"limit": 10485760},
    ),
    "415": (
        "The body is not JSON: send `Content-Type: application/json`.",
        'Unsupported media type "text/plain" in request.',
        {},
    ),
    "429": (
        "Too many writes: retry after the seconds in the `Retry-After` header.",
        "Request was throttled. Expected available in 12 seconds.",
        {},
    ),
}

UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def error(description: str, message: str = "", **extra: Any) -> OpenApiResponse:
    """Document one error answer of a view, in the shared error shape."""
    examples = []
    if message:
        examples = [OpenApiExample("error", value={"message": message, "extra": extra})]
    return OpenApiResponse(ErrorOutput, description=description, examples=examples)


def _error_response(status: str) -> dict[str, Any]:
    description, message, extra = ERRORS[status]
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": ERROR_REF,
                "examples": {
                    "error": {"value": {"message": message, "extra": extra}, "summary": status}
                },
            }
        },
    }


def _statuses(method: str, operation: dict[str, Any], path: str) -> list[str]:
    # DRF answers 403, not 401, to a missing or wrong token: session authentication comes first.
    signed_in = any(operation.get("security", [{}]))
    statuses = ["403"] if signed_in else []
    if "{" in path:
        statuses.append("404")
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    has_body = "requestBody" in operation
    if query or has_body:
        statuses.append("400")
    if has_body:
        statuses += ["413", "415"]
    if method in UNSAFE_METHODS:
        statuses.append("429")
    return statuses


# What Django's path converters match: anything else is no URL of ours.
PATH_SCHEMAS = {
    "integer": {"type": "integer", "minimum": 0},
    "string": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
}


def _path_patterns(operation: dict[str, Any]) -> None:
    """Say which path parameters the URL routes take (`<int:pk>` digits, `<slug:slug>`)."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path":
            kind = parameter.get("schema", {}).get("type")
            parameter["schema"] = {**parameter.get("schema", {}), **PATH_SCHEMAS.get(kind, {})}


def error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the Error component, and every operation's error answers."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            _path_patterns(operation)
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, operation, path):
                responses.setdefault(status, _error_response(status))
    return result


STALE_VERSION = error(
    "The layer was saved elsewhere since you loaded it: `extra` says its version now, by whom.",
    "This layer was saved elsewhere since you loaded it: it is now at version 5 "
    "(saved by ana-annotator at 10:15).",
    version=5,
    user="ana-annotator",
    updated_at="2026-03-02T10:15:00+00:00",
)
