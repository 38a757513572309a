"""Check schema data (the preset file format) before a schema is made of it: every problem at once.

Presets, schema JSON files, brat annotation.conf files and copies of a schema all become
schemas through `schema_create`, which calls `schema_data_check` first. Each field is checked
by its format (`corpus.models.schema_formats`); across the schema, keys are unique per kind,
hotkeys are unique among entity and event types together (the editor reads both from the
same key presses) and among relation types apart (read only while a relation's type is
chosen), and roles and relations name entity types the schema has.
"""

import copy
from collections.abc import Callable
from typing import Any

from config.errors import InvalidInput
from corpus.models import AttributeType
from corpus.models.schema_formats import (
    SCHEMA_KEY,
    FormatError,
    attribute_default_clean,
    attribute_values_clean,
    colour_clean,
    hotkey_clean,
    key_clean,
    name_clean,
    relation_hotkey_clean,
    shown,
)

SHOWN_PROBLEMS = 20  # the message lists this many; `extra["errors"]` has them all
LIST_FIELDS = {"examples", "spacy_labels", "subtypes", "nominals", "syntax"}
FIELDS = {
    "schema": {"key", "name", "description", "entity_types", "event_types", "relation_types"}
    | {"attribute_types"},
    "entity type": {"key", "name", "description", "examples", "color", "hotkey"}
    | {"spacy_labels", "subtypes", "nominals"},
    "event type": {"key", "name", "group", "description", "examples", "color", "hotkey"}
    | {"triggers", "roles"},
    "role": {"key", "name", "description", "entity_types", "syntax"},
    "relation type": {"key", "name", "group", "description", "arg1_types", "arg2_types"}
    | {"color", "hotkey"},
    "attribute": {"key", "name", "description", "applies_to", "values", "default", "multiple"},
}


def schema_data_check(*, data: Any) -> dict[str, Any]:
    """Return a copy of `data` with colours, hotkeys and names normalised, or raise InvalidInput.

    The message lists the problems, each saying where (the type's key), the field, the value
    and the rule; `extra["errors"]` holds them all as `{"where", "field", "value", "message"}`.
    """
    check = _Check()
    if not isinstance(data, dict):
        check.problem("", "", data, "a schema is a JSON object")
        check.raise_problems("The schema")
    data = copy.deepcopy(data)
    check.item(data, "schema", key_rule=_schema_key)
    entity_types = check.items(data, "entity_types", "entity type")
    entity_keys = {item["key"] for item in entity_types}
    for item in check.items(data, "event_types", "event type"):
        for role in check.items(item, "roles", "role", of=item["key"]):
            where = f"role {role['key']} of {item['key']}"
            check.references(role, ("entity_types",), entity_keys, where=where)
    for item in check.items(data, "relation_types", "relation type"):
        where = f"relation type {item['key']}"
        check.references(item, ("arg1_types", "arg2_types"), entity_keys, where=where)
    check.items(data, "attribute_types", "attribute")
    check.hotkeys_unique(data, (("entity type", "entity_types"), ("event type", "event_types")))
    check.hotkeys_unique(data, (("relation type", "relation_types"),))
    check.raise_problems(f"Schema {data.get('key')}")
    return data


def _schema_key(value: object) -> str:
    return key_clean(value, pattern=SCHEMA_KEY, rule="letters, digits, _ and -")


class _Check:
    """The problems found so far, and the checks that normalise fields in place."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def problem(self, where: str, field: str, value: object, message: str) -> None:
        text = f"{where[:1].upper()}{where[1:]}: {message}" if where else message
        self.errors.append({"where": where, "field": field, "value": value, "message": text})

    def raise_problems(self, what: str) -> None:
        if not self.errors:
            return
        listed = "; ".join(error["message"] for error in self.errors[:SHOWN_PROBLEMS])
        more = len(self.errors) - SHOWN_PROBLEMS
        listed += f"; and {more} more" if more > 0 else ""
        count = f"{len(self.errors)} problem{'s' if len(self.errors) > 1 else ''}"
        errors = [{**error, "value": _value(error["value"])} for error in self.errors]
        raise InvalidInput(f"{what} has {count}: {listed}", extra={"errors": errors})

    def items(self, owner: dict, field: str, kind: str, *, of: str = "") -> list[dict[str, Any]]:
        """Check the list `owner[field]` of `kind` items; return those with a usable key."""
        if owner.get(field) is None:
            owner[field] = []
        items = owner[field]
        if not isinstance(items, list):
            self.problem(f"{kind}s{f' of {of}' if of else ''}", field, items, "is not a list")
            owner[field] = []
            return []
        checked, seen = [], set()
        for number, item in enumerate(items, start=1):
            where = f"{kind} number {number}{f' of {of}' if of else ''}"
            if not isinstance(item, dict):
                self.problem(where, "", item, "is not a JSON object")
                continue
            where, keyed = self.item(item, kind, where=where, of=of)
            identity = (item.get("applies_to"), item.get("key"))
            if keyed and identity in seen:
                self.problem(where, "key", item["key"], f"key {item['key']!r} is listed twice")
            elif keyed:
                checked.append(item)
                seen.add(identity)
        return checked

    def item(
        self, item: dict, kind: str, *, where: str = "", of: str = "", key_rule=key_clean
    ) -> tuple[str, bool]:
        """Check one item's own fields in place; return how messages name it, and if keyed."""
        where = where or kind
        keyed = self._field(item, "key", where, key_rule)
        if keyed:
            where = f"{kind} {item['key']}{f' of {of}' if of else ''}"
        key = item["key"] if isinstance(item.get("key"), str) else ""
        self._field(item, "name", where, lambda name: name_clean(name, default=key))
        for unknown in sorted(set(item) - FIELDS[kind]):
            known = ", ".join(sorted(FIELDS[kind]))
            self.problem(where, unknown, item[unknown], f"unknown field {unknown!r} (use {known})")
        for field in ("description", "group"):
            if field in FIELDS[kind]:
                self._field(item, field, where, _text)
        for field in LIST_FIELDS & FIELDS[kind]:
            self._field(item, field, where, _strings)
        for field, clean in FORMATS.get(kind, {}).items():
            self._field(item, field, where, clean)
        if kind == "attribute":
            values = item.get("values") if isinstance(item.get("values"), list) else []
            self._field(item, "default", where, lambda d: attribute_default_clean(d, values=values))
            self._field(item, "multiple", where, lambda m: _multiple(m, item))
        return where, keyed

    def references(
        self, item: dict, fields: tuple[str, ...], entity_keys: set[str], *, where: str
    ) -> None:
        """Check that a role's fillers or a relation's arguments are entity types of the schema."""
        for field in fields:
            if not self._field(item, field, where, _strings):
                continue
            unknown = [name for name in item.get(field, []) if name not in entity_keys]
            if unknown:
                message = f"{field} names unknown entity types {', '.join(unknown)}"
                self.problem(where, field, unknown, message)

    def hotkeys_unique(self, data: dict, kinds: tuple[tuple[str, str], ...]) -> None:
        """Check that no two types of `kinds` ((kind, field) pairs) share a hotkey."""
        holders: dict[str, str] = {}
        for kind, field in kinds:
            for item in data.get(field) or []:
                hotkey = item.get("hotkey") if isinstance(item, dict) else None
                if not isinstance(hotkey, str) or len(hotkey) != 1:
                    continue  # none, or refused already
                where = f"{kind} {item.get('key')}"
                if hotkey in holders:
                    message = f"hotkey {hotkey!r} is already the hotkey of {holders[hotkey]}"
                    self.problem(where, "hotkey", hotkey, message)
                else:
                    holders[hotkey] = where

    def _field(self, item: dict, field: str, where: str, clean: Callable[[Any], Any]) -> bool:
        """Normalise `item[field]` in place (key and name always, others when present)."""
        if field not in item and field not in ("key", "name"):
            return True
        try:
            item[field] = clean(item.get(field))
        except FormatError as exc:
            self.problem(where, field, item.get(field), str(exc))
            return False
        return True


def _value(value: object) -> object:
    """Return a bad value as `extra` carries it: text cut to 40 characters, else its repr."""
    if isinstance(value, str):
        return value if len(value) <= 40 else f"{value[:39]}…"
    if value is None or isinstance(value, bool | int | float):
        return value
    return shown(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FormatError(f"{shown(value)} is not text")
    return value


def _strings(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise FormatError(f"{shown(value)} is not a list of text")
    return value


def _triggers(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    lexicon = isinstance(value, list) and all(
        isinstance(entry, dict) and isinstance(entry.get("lemma"), str) and entry["lemma"]
        for entry in value
    )
    if not lexicon:
        raise FormatError(f"triggers {shown(value)} are not a list of {{'lemma': ..., 'pos': ...}}")
    return value


def _applies_to(value: object) -> str:
    if value not in AttributeType.AppliesTo.values:
        kinds = ", ".join(AttributeType.AppliesTo.values)
        raise FormatError(f"applies_to {shown(value)} is not one of {kinds}")
    return value


def _multiple(value: object, item: dict) -> bool:
    if not isinstance(value, bool):
        raise FormatError(f"multiple {shown(value)} is not true or false")
    if value and (item.get("applies_to") != "document" or not item.get("values")):
        raise FormatError("multiple: only a document label with values may take several")
    return value


FORMATS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "entity type": {"color": colour_clean, "hotkey": hotkey_clean},
    "event type": {"color": colour_clean, "hotkey": hotkey_clean, "triggers": _triggers},
    "relation type": {"color": colour_clean, "hotkey": relation_hotkey_clean},
    "attribute": {"applies_to": _applies_to, "values": attribute_values_clean},
}
