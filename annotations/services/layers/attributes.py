"""Check an item's attributes against the schema: known keys, allowed values, case included.

A schema attribute with values takes exactly one of them (`Negative`, not `negative`); one
without values is yes/no and takes true or false. Keys the schema does not define are
refused, except the few Goldset itself writes (`SYSTEM_ATTRIBUTES`) and, on a save, an
attribute the same item already held with the same value (kept from an import, say).
"""

from collections.abc import Callable
from typing import Any

from annotations.services.layers.schema_rules import SchemaRules


def _is_strings(value: Any, count: int | None = None) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(item, str) for item in value)
        and (count is None or len(value) == count)
    )


# What pre-annotation and the imports write besides the schema's attributes, by kind of item
# (None: any), with the shape their value must have.
SYSTEM_ATTRIBUTES = {
    "model_label": (None, lambda value: isinstance(value, str)),  # the model's own label
    "normalizations": (  # brat N lines: [{"type", "rid", "eid", "text"}]
        None,
        lambda value: isinstance(value, list) and all(isinstance(x, dict) for x in value),
    ),
    "roles": ("relation", lambda value: _is_strings(value, 2)),  # brat R argument names
}


def attribute_problem(
    rules: SchemaRules, applies_to: str, key: str, value: Any, *, held: dict | None = None
) -> str | None:
    """Return why `key: value` cannot be an attribute of an `applies_to` item, or None.

    `held` is what the same item held before this write: an attribute kept as it was is
    accepted whatever the schema says, so a layer that came with one can still be saved.
    """
    if held is not None and key in held and held[key] == value and type(held[key]) is type(value):
        return None
    allowed = rules.attributes.get((applies_to, key))
    if allowed is None:
        kind, valid = SYSTEM_ATTRIBUTES.get(key, ("", None))
        if valid is not None and kind in (None, applies_to):
            return None if valid(value) else f"{key} does not have the shape Goldset writes."
        return attribute_unknown(rules, applies_to, key)
    if not allowed:
        if isinstance(value, bool):
            return None
        return f"{key} is a yes/no attribute: true or false, not {_shown(value)}."
    if isinstance(value, str) and value in allowed:
        return None
    message = f"{key} must be one of {', '.join(allowed)}, not {_shown(value)}"
    if isinstance(value, str):
        same = [choice for choice in allowed if choice.casefold() == value.casefold()]
        if same:
            message += f" (case matters: {same[0]})"
    return message + "."


def attribute_value_fixed(rules: SchemaRules, applies_to: str, key: str, value: Any) -> Any:
    """Return the schema's spelling of `value` when only its case differs, else `value`."""
    allowed = rules.attributes.get((applies_to, key)) or []
    if isinstance(value, str) and value not in allowed:
        same = [choice for choice in allowed if choice.casefold() == value.casefold()]
        if len(same) == 1:
            return same[0]
    return value


def attributes_clean(
    rules: SchemaRules, applies_to: str, attributes: dict, warn: Callable[[str], None]
) -> dict:
    """Return the attributes an imported item may keep, warning about each change.

    For imports, which keep what they can rather than refuse the layer: a value that differs
    from the schema's only in case takes the schema's spelling (`negative` -> `Negative`);
    any other attribute the schema does not allow is left out. `warn` gets one message each.
    """
    kept = {}
    for key, value in attributes.items():
        fixed = attribute_value_fixed(rules, applies_to, key, value)
        problem = attribute_problem(rules, applies_to, key, fixed)
        if problem is not None:
            warn(f"attribute left out: {problem}")
            continue
        if fixed != value:
            warn(f"attribute {key}: {value!r} taken as the schema's {fixed!r}")
        kept[key] = fixed
    return kept


def attribute_unknown(
    rules: SchemaRules, applies_to: str, key: str, *, what: str | None = None
) -> str:
    """Return the problem with `key`, which the schema does not define for `applies_to`.

    `what` names what the key is not ("a document label of this schema"); it hints at the
    schema's spelling when only the case differs, else lists the keys there are.
    """
    keys = [name for kind, name in rules.attributes if kind == applies_to]
    what = what or f"an attribute of {applies_to} items in this schema"
    message = f"{key!r} is not {what}"
    same = [name for name in keys if name.casefold() == key.casefold()]
    if same:
        return f"{message} (case matters: {same[0]})."
    return f"{message}; it has {', '.join(keys) or 'none'}."


def _shown(value: Any) -> str:
    shown = repr(value) if not isinstance(value, bool) else str(value).lower()
    return shown if len(shown) <= 60 else shown[:57] + "..."
