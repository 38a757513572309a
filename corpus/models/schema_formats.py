"""The formats of a label schema's fields: colours, hotkeys, keys, names and attribute values.

Every way a schema is made or changed applies these (schema files and presets through
`schema_data_check`, the admin through the models' `clean`), and the database holds the
shapes with check constraints that both SQLite and PostgreSQL evaluate natively.

Decisions: a colour is stored as lower-case `#rrggbb`; `#rgb` and upper case are accepted and
normalised, anything else is refused. A hotkey is one letter or digit, stored in lower case
(the editor matches keys case-blind, without Shift), and not A, E or R: the editor's own keys
(see `static/goldset/js/keyboard.js`). Digits are allowed although "R, then 1-9" picks a
role: that mode lasts one key press, and the ACE 2005 event types use digits.
"""

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, Q
from django.db.models.functions import Length, Substr
from django.db.models.lookups import Exact, In, LessThanOrEqual

KEY_MAX_LENGTH = 100
NAME_MAX_LENGTH = 200
VALUE_MAX_LENGTH = 100
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")  # `PER`, `Conflict.Attack`, `Time-Within`
SCHEMA_KEY = re.compile(r"[-a-zA-Z0-9_]+")  # a slug
COLOUR = re.compile(r"#(?:[0-9a-f]{6}|[0-9a-f]{3})", re.IGNORECASE)
HEX_DIGITS = "0123456789abcdef"
COLOUR_DEFAULT = "#dddddd"
# The colours the presets use (ColorBrewer Set3 and Paired); repairs pick from them by order.
PALETTE = (
    "#a6cee3", "#b2df8a", "#fdbf6f", "#ccebc5", "#cab2d6", "#ffffb3",
    "#fb9a99", "#d9d9d9", "#ffed6f", "#fccde5", "#bebada", "#8dd3c7",
)  # fmt: skip
# Relation types' colours: readable under the label ink (>= 4.5:1), distinct for up to 18 types.
RELATION_PALETTE = (
    "#8dd3c7", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#bc80bd",
    "#fccde5", "#bebada", "#ffed6f", "#a6cee3", "#fb9a99", "#b2df8a",
    "#cab2d6", "#fdbf6f", "#ccebc5", "#e5d8bd", "#decbe4", "#b3cde3",
)  # fmt: skip
EDITOR_KEYS = {"a": "Accept (A)", "e": "the event search (E)", "r": "choosing a role (R)"}
HOTKEY_RULE = "one letter or digit, not A, E or R (the editor's own keys)"
RELATION_HOTKEY_RULE = (
    "one letter or digit (the relation type chooser's own keys are Esc, Enter, the arrows and Tab)"
)
KEY_RULE = f"up to {KEY_MAX_LENGTH} letters, digits and _ . : - (starting with a letter or digit)"
UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}  # control characters, lone surrogates, line breaks


class FormatError(ValueError):
    """A field value that breaks its format; the message names the value and the rule."""


def shown(value: object) -> str:
    """Return a value as an error message quotes it: repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:39]}…"


def colour_clean(value: object) -> str:
    """Return the colour as lower-case `#rrggbb` (`#ABC` is `#aabbcc`); empty is the default."""
    if value is None or value == "":
        return COLOUR_DEFAULT
    if not isinstance(value, str) or not COLOUR.fullmatch(value):
        raise FormatError(f"colour {shown(value)} is not #rrggbb (like #a6cee3)")
    digits = value[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(digit * 2 for digit in digits))


def hotkey_clean(value: object) -> str:
    """Return the hotkey in lower case ("" for none); refuse what the editor cannot use."""
    hotkey = _one_key(value, HOTKEY_RULE)
    if hotkey in EDITOR_KEYS:
        raise FormatError(f"hotkey {shown(value)} is the editor's key for {EDITOR_KEYS[hotkey]}")
    return hotkey


def relation_hotkey_clean(value: object) -> str:
    """Return a relation type's hotkey in lower case ("" for none): one letter or digit."""
    return _one_key(value, RELATION_HOTKEY_RULE)


def _one_key(value: object, rule: str) -> str:
    if value is None or value == "":
        return ""
    letter = isinstance(value, str) and len(value) == 1 and value.isalpha()
    if not (letter and len(value.lower()) == 1) and value not in tuple("0123456789"):
        raise FormatError(f"hotkey {shown(value)} is not {rule}")
    return value.lower()


def key_clean(value: object, *, pattern: re.Pattern = KEY, rule: str = KEY_RULE) -> str:
    """Return the key unchanged when it has the key format; keys are identities, never fixed."""
    if not isinstance(value, str) or not value:
        raise FormatError(f"key {shown(value)} is missing or empty")
    if not pattern.fullmatch(value) or len(value) > KEY_MAX_LENGTH:
        raise FormatError(f"key {shown(value)} is not {rule}")
    return value


def name_clean(value: object, *, default: str) -> str:
    """Return a display name without surrounding spaces; missing or blank gives `default`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if not isinstance(value, str):
        raise FormatError(f"name {shown(value)} is not text")
    if len(value.strip()) > NAME_MAX_LENGTH or _unprintable(value):
        raise FormatError(
            f"name {shown(value)} is not up to {NAME_MAX_LENGTH} characters without"
            " control characters or line breaks"
        )
    return value.strip()


def value_clean(value: object) -> str:
    """Return an attribute value unchanged when it is usable: short text, no stray spaces."""
    if (
        not isinstance(value, str)
        or not value
        or value != value.strip()
        or len(value) > VALUE_MAX_LENGTH
        or _unprintable(value)
    ):
        raise FormatError(
            f"value {shown(value)} is not up to {VALUE_MAX_LENGTH} characters of text without"
            " control characters or spaces at either end"
        )
    return value


def attribute_values_clean(values: object) -> list[str]:
    """Return an attribute's values: a list of distinct values (empty for a binary one)."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise FormatError(f"values {shown(values)} are not a list")
    cleaned = [value_clean(value) for value in values]
    repeated = sorted({value for value in cleaned if cleaned.count(value) > 1})
    if repeated:
        raise FormatError(f"values {', '.join(repeated)} are listed twice")
    return cleaned


def attribute_default_clean(default: object, *, values: object) -> str:
    """Return the default value: none, or one of the values (a binary attribute has none)."""
    if default is None or default == "":
        return ""
    allowed = values if isinstance(values, list) else []
    if default not in allowed:
        rule = f"one of {', '.join(map(str, allowed))}" if allowed else "empty (binary attribute)"
        raise FormatError(f"default {shown(default)} is not {rule}")
    return default


def formats_apply(
    instance: models.Model,
    exclude: Any,
    field_checks: Callable[..., None],
    **cleaners: Callable[[Any], Any],
) -> None:
    """Normalise fields through their formats, then run the other field checks; one error."""
    errors: dict[str, list[str]] = {}
    for field, clean in cleaners.items():
        if exclude and field in exclude:
            continue
        try:
            setattr(instance, field, clean(getattr(instance, field)))
        except FormatError as exc:
            errors[field] = [str(exc)]
    try:
        field_checks(exclude=exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _unprintable(text: str) -> bool:
    return any(unicodedata.category(character) in UNPRINTABLE for character in text)


def colour_check(name: str, field: str = "color") -> CheckConstraint:
    """Return the check constraint of a `#rrggbb` colour column."""
    return CheckConstraint(
        condition=colour_shape(field), name=name, violation_error_message="Colour is not #rrggbb."
    )


def hotkey_check(name: str, field: str = "hotkey") -> CheckConstraint:
    """Return the check constraint of a hotkey column: none, or one character."""
    return CheckConstraint(
        condition=hotkey_shape(field),
        name=name,
        violation_error_message="A hotkey is one character.",
    )


def key_check(name: str, field: str = "key") -> CheckConstraint:
    """Return the check constraint of a key column: not empty."""
    return CheckConstraint(
        condition=key_present(field), name=name, violation_error_message="The key is empty."
    )


def colour_shape(field: str) -> Q:
    """Return the database check of a `#rrggbb` colour, native on SQLite and PostgreSQL."""
    return Q(
        Exact(Length(field), 7),
        Exact(Substr(field, 1, 1), "#"),
        *(In(Substr(field, position, 1), list(HEX_DIGITS)) for position in range(2, 8)),
    )


def hotkey_shape(field: str) -> Q:
    """Return the database check of a hotkey: none, or one character."""
    return Q(LessThanOrEqual(Length(field), 1))


def key_present(field: str) -> Q:
    """Return the database check of a key: not empty."""
    return ~Q(**{field: ""})
