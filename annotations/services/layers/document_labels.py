"""Check a layer's document labels against the schema's document attributes.

A document label with values takes a list of them (at most one unless the schema marks it
`multiple`); a yes/no one takes true or false. Case matters, as for item attributes. A
label the layer already held with the same value is kept whatever the schema says now, so
a layer whose schema changed can still be saved.
"""

from typing import Any

from annotations.services.layers.attributes import attribute_unknown
from annotations.services.layers.fields import Problems
from annotations.services.layers.schema_rules import SchemaRules

DOCUMENT = "document"


def labels_parse(
    raw: Any, rules: SchemaRules, problems: Problems, *, held: dict | None = None
) -> dict[str, Any]:
    """Return the labels to store, in schema order, noting each problem under `labels.KEY`.

    An empty list means "none chosen" and is left out.
    """
    if not isinstance(raw, dict):
        problems.add("labels", "labels must be an object: {label: [values]} or {label: true}.")
        return {}
    held = held or {}
    order = [key for kind, key in rules.attributes if kind == DOCUMENT]
    labels = {}
    for key, value in raw.items():
        if key in held and held[key] == value:
            labels[key] = value
            continue
        problem = _label_problem(rules, key, value)
        if problem is not None:
            problems.add(f"labels.{key}", problem)
        elif value != []:
            labels[key] = list(dict.fromkeys(value)) if isinstance(value, list) else value
    return dict(sorted(labels.items(), key=lambda item: _position(order, item[0])))


def _label_problem(rules: SchemaRules, key: str, value: Any) -> str | None:
    allowed = rules.attributes.get((DOCUMENT, key))
    if allowed is None:
        return attribute_unknown(rules, DOCUMENT, key, what="a document label of this schema")
    if not allowed:
        return None if isinstance(value, bool) else f"{key} is yes/no: true or false."
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"{key} takes a list of its values ({', '.join(allowed)})."
    unknown = [item for item in value if item not in allowed]
    if unknown:
        return f"{key} has no value {unknown[0]!r}; its values are {', '.join(allowed)}."
    if len(set(value)) > 1 and key not in rules.multiple:
        return f"{key} takes one value, not {len(set(value))}."
    return None


def _position(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)
