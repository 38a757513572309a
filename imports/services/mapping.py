"""Parse the label mapping an owner gives, source label to schema label: one set of rules.

The form and `import_documents --map` take `SOURCE=TARGET` lines; `--label-map` takes a JSON
object of `"SOURCE": "TARGET"` entries. Both go through the same checks and say the same
things: every bad line or entry is named by its number, and a source mapped to two targets is
refused (mapping it twice to the same target is not an error).
"""

import json
from collections.abc import Iterable

from config.errors import InvalidInput

# (number, what was written, source, target); target is "" when there is no `=`.
Entry = tuple[int, str, str, str]
SHAPE_MESSAGE = "a label map is a JSON object of source label: schema label"


def label_map_parse(text: str) -> dict[str, str]:
    """Parse `SOURCE=TARGET` lines (blank lines and `#` comments allowed) into a mapping.

    Raises InvalidInput whose `extra["errors"]` lists every bad line by its number.
    """
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        source, _, target = (part.strip() for part in line.partition("="))
        entries.append((number, line, source, target))
    return _label_map(entries, place="line")


def label_map_from_json(text: str) -> dict[str, str]:
    """Parse a JSON object of `"SOURCE": "TARGET"` entries by the rules of `label_map_parse`.

    Raises InvalidInput: the JSON cannot be read, is not an object of strings, or has bad
    entries (`extra["errors"]`, numbered from 1 in the order written).
    """
    try:
        pairs = json.loads(text, object_pairs_hook=_Pairs)  # keeps a repeated source
    except ValueError as exc:
        raise InvalidInput(f"cannot read the label map ({exc})") from exc
    if not isinstance(pairs, _Pairs) or not all(isinstance(target, str) for _, target in pairs):
        raise InvalidInput(SHAPE_MESSAGE)
    entries = [
        (number, f"{source}={target}", source.strip(), target.strip())
        for number, (source, target) in enumerate(pairs, start=1)
    ]
    return _label_map(entries, place="entry")


class _Pairs(list):
    """A JSON object as its (key, value) pairs in order, repeated keys included."""


def _label_map(entries: Iterable[Entry], *, place: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    seen_on: dict[str, int] = {}
    errors = []
    for number, written, source, target in entries:
        where = f"{place.capitalize()} {number}"
        if not source or not target or "=" in source or "=" in target:
            errors.append(f"{where}: “{written}” is not SOURCE=TARGET.")
        elif source in mapping and mapping[source] != target:
            errors.append(
                f"{where}: {source} is already mapped to {mapping[source]}"
                f" on {place} {seen_on[source]}."
            )
        else:
            mapping[source] = target
            seen_on.setdefault(source, number)
    if errors:
        raise InvalidInput("Label mapping: " + " ".join(errors), extra={"errors": errors})
    return mapping
