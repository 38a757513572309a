"""The API's body parsers: JSON held to a depth, multipart size-limited.

Python's JSON decoder recurses once per level: a body nested 100,000 deep is a
RecursionError (a 500), and a deep one is slow to walk. Bodies deeper than JSON_MAX_DEPTH
are refused (a layer save needs 5 levels): orjson parses without recursing in Python and
`json_value_depth_check` measures what it read; before the standard library's decoder (for
what orjson does not take) `json_depth_check` measures the text without parsing it
(brackets outside strings, escapes understood). Bodies that are not UTF-8 or not
JSON are refused with a 400 naming what is wrong, in the API's error shape.
"""

import json
import re
from itertools import accumulate
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from config.errors import InvalidInput

DEFAULT_JSON_MAX_DEPTH = 32
# A JSON string (escapes included), or an unterminated one up to the end of the text.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
NOT_BRACKET = re.compile(r"[^\[\]{}]+")
LEVEL_CHANGE = {"[": 1, "{": 1, "]": -1, "}": -1}
# Integers orjson would read as floats (as formats/jsonlines.py, which config may not import).
LONG_DIGITS = re.compile(r"[0-9][0-9]{18}")


def json_max_depth() -> int:
    return getattr(settings, "JSON_MAX_DEPTH", DEFAULT_JSON_MAX_DEPTH)


def json_depth(text: str) -> int:
    """Return how deep `text` nests arrays and objects, not counting brackets in strings."""
    brackets = NOT_BRACKET.sub("", STRING.sub("", text))
    levels = accumulate(map(LEVEL_CHANGE.__getitem__, brackets))
    return max(levels, default=0)


def json_depth_check(text: str, *, limit: int | None = None) -> None:
    """Raise InvalidInput if `text` nests deeper than `limit` (JSON_MAX_DEPTH by default)."""
    _depth_check(json_depth(text), limit)


def json_value_depth_check(value: Any, *, limit: int | None = None) -> None:
    """As `json_depth_check`, for a value already parsed (by a parser without recursion)."""
    limit = json_max_depth() if limit is None else limit
    deepest, stack = 0, [(value, 1)] if isinstance(value, dict | list) else []
    while stack and deepest <= limit:
        container, depth = stack.pop()
        deepest = max(deepest, depth)
        values = container.values() if isinstance(container, dict) else container
        stack.extend((item, depth + 1) for item in values if isinstance(item, dict | list))
    _depth_check(deepest, limit)


def _depth_check(depth: int, limit: int | None) -> None:
    limit = json_max_depth() if limit is None else limit
    if depth > limit:
        raise InvalidInput(
            f"The JSON nests arrays and objects deeper than {limit} levels (JSON_MAX_DEPTH).",
            extra={"limit": limit},
        )


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with the depth limit and errors that say what is wrong.

    It stays a subclass so DRF reads the body through `request.body`, which applies
    DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read()
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(
                f"The request body is not valid {encoding}: byte {error.start} cannot be read."
            ) from None
        # orjson: several times faster, as strict, and it does not recurse in Python (it
        # refuses over 1,024 levels), so the depth is checked on what it parsed. What it
        # refuses the standard library may take (escaped lone surrogates) or says what is
        # wrong with.
        if LONG_DIGITS.search(text) is None:
            try:
                parsed = orjson.loads(text)
            except orjson.JSONDecodeError:
                pass
            else:
                json_value_depth_check(parsed)
                return parsed
        json_depth_check(text)
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ParseError(f"The request body is not valid JSON: {error}.") from None


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, held to DATA_UPLOAD_MAX_MEMORY_SIZE like JSON and forms.

    Django applies that limit to a multipart body's fields, not its files; the API takes no
    files, so a larger body is refused (413) before any of it is stored.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestDataTooBig("The multipart body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE.")
        return super().parse(stream, media_type, parser_context)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")
