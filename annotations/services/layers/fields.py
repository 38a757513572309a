"""Checks of the fields of one payload item, each noting its problem under the field's path."""

from typing import Any

from annotations.content import EventItem, RelationItem, SpanItem
from annotations.limits import note_problem
from annotations.models import Source
from annotations.services.layers.attributes import attribute_problem
from annotations.services.layers.schema_rules import SchemaRules
from config.errors import InvalidInput

SOURCES = frozenset(Source.values)  # Source.values builds a list each time it is read
PAYLOAD_ITEM = (dict, SpanItem, EventItem, RelationItem)


class Problems(list):
    """Problems found in a payload, as the API shows them: {"field", "message"}."""

    def add(self, field: str, message: str) -> None:
        self.append({"field": field, "message": message})

    def refusal(self) -> InvalidInput:
        """Return the error refusing a save for these problems, listing every one."""
        count = len(self)
        return InvalidInput(
            f"The layer was not saved: {count} problem{'s' if count > 1 else ''}.",
            extra={"errors": list(self)},
        )


def is_integer(value: Any) -> bool:
    """Return whether `value` is a JSON integer (booleans are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_item_id(value: Any) -> bool:
    """Return whether `value` can be an item id: a database id or a client's string."""
    return is_integer(value) or (isinstance(value, str) and value != "")


def payload_items(raw: Any, field: str, problems: Problems) -> list[tuple[int, Any]]:
    """Return the objects of the list `raw` with their positions; anything else is a problem.

    An item may also be one the layer holds, passed on as it is (`annotations.services.
    layers.kept`).
    """
    if not isinstance(raw, list):
        problems.add(field, f"{field.rsplit('.', 1)[-1]} must be a list.")
        return []
    items = [(i, item) for i, item in enumerate(raw) if isinstance(item, PAYLOAD_ITEM)]
    if len(items) < len(raw):
        for i, item in enumerate(raw):
            if not isinstance(item, PAYLOAD_ITEM):
                problems.add(f"{field}[{i}]", "Each item must be an object.")
    return items


def item_offsets(
    item: dict, path: str, names: tuple[str, str], length: int, problems: Problems
) -> tuple[int, int] | None:
    """Return `[start, end)` if it lies in a text of `length` code points."""
    start_name, end_name = names
    start, end = item.get(start_name), item.get(end_name)
    for name, value in ((start_name, start), (end_name, end)):
        if not is_integer(value):
            problems.add(f"{path}.{name}", f"{name} must be an integer.")
    if not (is_integer(start) and is_integer(end)):
        return None
    if start < 0:
        problems.add(f"{path}.{start_name}", f"{start_name} must be 0 or more.")
    elif end > length:
        problems.add(
            f"{path}.{end_name}", f"{end_name} {end} is past the end of the text ({length})."
        )
    elif start >= end:
        problems.add(f"{path}.{end_name}", f"{end_name} must be greater than {start_name}.")
    else:
        return start, end
    return None


def item_provenance(item: dict, path: str, problems: Problems) -> dict[str, Any] | None:
    """Return `source` (human unless given) and `score` (empty or in (0, 1])."""
    source = item.get("source") or Source.HUMAN
    score = item.get("score")
    valid = True
    if source not in SOURCES:
        problems.add(f"{path}.source", "source must be model or human.")
        valid = False
    if score is not None and not (
        isinstance(score, int | float) and not isinstance(score, bool) and 0 < score <= 1
    ):
        problems.add(f"{path}.score", "score must be empty or a number in (0, 1].")
        valid = False
    return {"source": source, "score": score} if valid else None


def item_details(
    item: dict,
    path: str,
    applies_to: str,
    rules: SchemaRules,
    problems: Problems,
    held: dict | None = None,
) -> dict[str, Any] | None:
    """Return provenance, `accepted` (always true for human items), attributes and note.

    Attributes must agree with the schema (see `attribute_problem`); `held` is what the
    item's attributes were before this save, if it is an item the layer holds.
    """
    provenance = item_provenance(item, path, problems)
    accepted = item.get("accepted")
    attributes = item.get("attributes") or {}
    note = item.get("note") or ""
    count = len(problems)
    if accepted is not None and not isinstance(accepted, bool):
        problems.add(f"{path}.accepted", "accepted must be true or false.")
    if not isinstance(attributes, dict):
        problems.add(f"{path}.attributes", "attributes must be an object.")
    else:
        for key, value in attributes.items():
            problem = attribute_problem(rules, applies_to, key, value, held=held)
            if problem is not None:
                problems.add(f"{path}.attributes.{key}", problem)
    if not isinstance(note, str):
        problems.add(f"{path}.note", "note must be a string.")
    elif (problem := note_problem(note)) is not None:
        problems.add(f"{path}.note", f"The {problem}")
    if provenance is None or len(problems) > count:
        return None
    human = provenance["source"] == Source.HUMAN
    return {
        **provenance,
        "accepted": human or bool(accepted),
        "attributes": attributes,
        "note": note,
    }
