"""Read JSON Lines on top of `files.decoded_lines`, one problem per bad line.

`json_records(source, file)` is what the JSONL readers (Goldset, doccano, Prodigy) build on.
It yields `(line number, object)` for each record, or a `Problem`, and holds one line at a time:

- blank lines are skipped, and a UTF-8 BOM at the start of the file is dropped;
- a line that is not UTF-8 or not JSON is an error for that line only; reading goes on;
- a line holding a JSON array yields each object in it (a `.json` file written on one line);
  any other value that is not an object is an error for that line;
- a UTF-16 file is a single error for the file, and nothing of it is read;
- a file whose first non-blank line is a lone `{` or `[` is pretty-printed JSON, not JSON
  Lines (doccano's own export example is): it is read whole, up to MAX_DOCUMENT_CHARS, with a
  warning saying so. An object, an array of objects, or several objects one after another
  (`jq .` output) are read, each object with the line it starts on.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

import orjson

from formats.files import ImportSource, InputFile, decoded_lines
from formats.records import WARNING, ArticleRecord, Problem

MAX_DOCUMENT_CHARS = 64 * 1024 * 1024
SPACE = re.compile(r"[ \t\n\r]*")

JsonRecord = tuple[int, dict[str, Any]]


def json_records(source: ImportSource, file: InputFile) -> Iterator[JsonRecord | Problem]:
    """Yield `(line number, object)` for each JSON object of `file`, or a Problem per bad line."""
    lines = decoded_lines(source, file)
    first = empty = True
    for item in lines:
        if isinstance(item, Problem):
            empty = False
            yield item
            continue
        number, line = item
        stripped = line.strip()
        if not stripped:
            continue
        empty = False
        if first and stripped in ("{", "["):
            yield from _document_records(file, number, line, lines)
            return
        first = False
        try:
            value = _loads(line)
        except (ValueError, RecursionError) as exc:
            yield Problem(file.name, _invalid(exc), number)
            continue
        yield from _objects(file, number, value)
    if empty:
        yield Problem(file.name, "the file is empty")


def _objects(file: InputFile, number: int, value: Any) -> Iterator[JsonRecord | Problem]:
    """Yield what one line holds: an object, or each object of an array."""
    if isinstance(value, list):
        for index, element in enumerate(value, start=1):
            if isinstance(element, dict):
                yield number, element
            else:
                message = f"item {index} of the array is {_kind(element)}, not a JSON object"
                yield Problem(file.name, message, number)
    elif isinstance(value, dict):
        yield number, value
    else:
        yield Problem(file.name, f"expected a JSON object, found {_kind(value)}", number)


def _document_records(
    file: InputFile, first_number: int, first_line: str, lines: Iterator[tuple[int, str] | Problem]
) -> Iterator[JsonRecord | Problem]:
    """Read the rest of a pretty-printed JSON document and yield its objects."""
    parts = [first_line]
    size = len(first_line)
    for item in lines:
        if isinstance(item, Problem):
            yield item
            return
        parts.append(item[1])
        size += len(item[1]) + 1
        if size > MAX_DOCUMENT_CHARS:
            megabytes = MAX_DOCUMENT_CHARS // (1024 * 1024)
            yield Problem(
                file.name,
                f"one JSON document larger than {megabytes} MB; write it as JSON Lines"
                " (one object per line)",
                first_number,
            )
            return
    document = "\n".join(parts)
    yield Problem(
        file.name,
        "not JSON Lines: the file is pretty-printed JSON over several lines; read as a whole",
        first_number,
        WARNING,
    )
    values = _DocumentValues(file, first_number, document)
    try:
        yield from values.records()
    except (ValueError, RecursionError) as exc:
        yield Problem(file.name, _invalid(exc), values.line_at(getattr(exc, "pos", 0)))


class _DocumentValues:
    """The top-level JSON values of a document, each object with the line it starts on.

    Concatenated values (`jq .` output) are read one after another; the objects of a
    top-level array are read one by one.
    """

    def __init__(self, file: InputFile, first_number: int, document: str) -> None:
        self.file = file
        self.document = document
        self.decoder = json.JSONDecoder()
        self._line, self._counted = first_number, 0

    def line_at(self, position: int) -> int:
        """Return the line number of `position`, which never moves backwards."""
        self._line += self.document.count("\n", self._counted, position)
        self._counted = max(self._counted, position)
        return self._line

    def records(self) -> Iterator[JsonRecord | Problem]:
        position = self._skip(0)
        while position < len(self.document):
            if self.document.startswith("[", position):
                position = yield from self._array(position)
            else:
                position = yield from self._value(position)
            position = self._skip(position)

    def _array(self, position: int) -> Iterator[JsonRecord | Problem]:
        position = self._skip(position + 1)
        if self.document.startswith("]", position):
            return position + 1
        while True:
            position = self._skip((yield from self._value(position)))
            if self.document.startswith("]", position):
                return position + 1
            if not self.document.startswith(",", position):
                raise json.JSONDecodeError("Expecting ',' delimiter", self.document, position)
            position = self._skip(position + 1)

    def _value(self, position: int) -> Iterator[JsonRecord | Problem]:
        value, end = self.decoder.raw_decode(self.document, position)
        line = self.line_at(position)
        if isinstance(value, dict):
            yield line, value
        else:
            yield Problem(self.file.name, f"expected a JSON object, found {_kind(value)}", line)
        return end

    def _skip(self, position: int) -> int:
        return SPACE.match(self.document, position).end()


def _loads(line: str) -> Any:
    """Parse a line with orjson (a seventh of an annotated import went to json.loads), or
    with json where orjson would differ: where it refuses what json takes (NaN), to say what
    is wrong in json's words, and on long digit runs, which orjson turns into floats where
    json keeps integers past 64 bits."""
    if LONG_DIGITS.search(line) is None:
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            pass
    return json.loads(line)


# A JSON number's digits are ASCII; written so, the first digit apart, the search runs at a
# third of the time `\d{19}` takes (a twentieth of an annotated import went to it).
LONG_DIGITS = re.compile(r"[0-9][0-9]{18}")


def _invalid(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {exc}"


def _kind(value: Any) -> str:
    """Name a JSON value's type as JSON does: 'an array', 'a string', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def list_field(record: ArticleRecord, fields: dict[str, Any], key: str) -> list:
    """Return the list under `key` (none: empty); anything else is a warning on the record."""
    value = fields.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        record.warn(f"{key!r} is not a list; left out")
        return []
    return value
