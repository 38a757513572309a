"""Check a layer's content as the editor sends it, listing every problem before anything is written.

The exchange format is the one `layer_snapshot` writes; ids are database ids or any new
string the client chose ("n7"), and arguments refer to spans and events by those ids.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from annotations.models import Annotation, Argument, Event, Span
from annotations.services.layers.fields import (
    Problems,
    is_integer,
    is_item_id,
    item_details,
    item_offsets,
    item_provenance,
    payload_items,
)
from annotations.services.layers.schema_rules import SchemaRules
from config.errors import InvalidInput
from corpus.models import EventType

ItemId = int | str | tuple[str, int]  # a tuple for an item sent without an id


@dataclass(frozen=True)
class LayerContent:
    """The unsaved items of a valid payload; spans and events keyed by the client's ids."""

    spans: dict[ItemId, Span] = field(default_factory=dict)
    events: dict[ItemId, Event] = field(default_factory=dict)
    arguments: list[Argument] = field(default_factory=list)


def layer_content_parse(
    *, layer: Annotation, version: Any, spans: Any, events: Any, rules: SchemaRules
) -> LayerContent:
    """Return the rows to write, or raise InvalidInput with every problem and its field path."""
    parser = _Parser(layer=layer, rules=rules)
    if not is_integer(version) or version < 1:
        parser.problems.add("version", "version must be a positive integer: the one you loaded.")
    content = LayerContent()
    parser.spans(spans, content)
    for key, event_type, item, path in parser.events(events, content):
        parser.arguments(item, path, key, event_type, content)
    if parser.problems:
        count = len(parser.problems)
        raise InvalidInput(
            f"The layer was not saved: {count} problem{'s' if count > 1 else ''}.",
            extra={"errors": list(parser.problems)},
        )
    return content


def _either(keys: list[str]) -> str:
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"


class _Parser:
    """Turn payload items into unsaved rows of `layer`, noting problems as it goes."""

    def __init__(self, *, layer: Annotation, rules: SchemaRules) -> None:
        self.layer = layer
        self.text = layer.document.text
        self.rules = rules
        self.problems = Problems()
        self.refused: set[tuple[str, ItemId]] = set()  # referring to these adds no problem

    def spans(self, raw: Any, content: LayerContent) -> None:
        seen: dict[tuple[int, int, str], str] = {}
        for i, item in payload_items(raw, "spans", self.problems):
            path = f"spans[{i}]"
            key = self._id(item, path, "span", content.spans, i)
            offsets = item_offsets(item, path, ("start", "end"), len(self.text), self.problems)
            label = item.get("label")
            entity_types = self.rules.labels.entity_types
            entity_type = entity_types.get(label) if isinstance(label, str) else None
            if entity_type is None:
                self.problems.add(
                    f"{path}.label",
                    f"Unknown entity type {label!r}; the schema has {', '.join(entity_types)}.",
                )
            details = item_details(item, path, "entity", self.rules, self.problems)
            if key is None or offsets is None or entity_type is None or details is None:
                self.refused.add(("span", key))
                continue
            first = seen.setdefault((*offsets, entity_type.key), path)
            if first != path:
                self.problems.add(path, f"The same {entity_type.key} span is at {first}.")
                self.refused.add(("span", key))
                continue
            content.spans[key] = Span(
                annotation=self.layer,
                start=offsets[0],
                end=offsets[1],
                entity_type=entity_type,
                **details,
            )

    def events(
        self, raw: Any, content: LayerContent
    ) -> list[tuple[ItemId | None, EventType, dict, str]]:
        """Add the valid events to `content`; return every event of a known type.

        The arguments of an event refused for another reason are checked all the same.
        """
        parsed = []
        for i, item in payload_items(raw, "events", self.problems):
            path = f"events[{i}]"
            key = self._id(item, path, "event", content.events, i)
            names = ("trigger_start", "trigger_end")
            offsets = item_offsets(item, path, names, len(self.text), self.problems)
            type_key = item.get("type")
            event_types = self.rules.labels.event_types
            event_type = event_types.get(type_key) if isinstance(type_key, str) else None
            if event_type is None:
                self.problems.add(
                    f"{path}.type",
                    f"Unknown event type {type_key!r}; the schema has "
                    f"{', '.join(event_types) or 'none'}.",
                )
            details = item_details(item, path, "event", self.rules, self.problems)
            if event_type is not None:
                parsed.append((key, event_type, item, path))
            if key is None or offsets is None or event_type is None or details is None:
                self.refused.add(("event", key))
                continue
            content.events[key] = Event(
                annotation=self.layer,
                trigger_start=offsets[0],
                trigger_end=offsets[1],
                event_type=event_type,
                **details,
            )
        return parsed

    def arguments(
        self,
        item: dict,
        path: str,
        key: ItemId | None,
        event_type: EventType,
        content: LayerContent,
    ) -> None:
        """Add the arguments of event `key`, numbering repeated fillers of a role from 1."""
        event = content.events.get(key)  # None: the event was refused, its arguments checked
        type_key = event_type.key
        seen: set[tuple[str, str, ItemId]] = set()
        indexes: dict[str, int] = {}
        raw = item.get("arguments")
        raw = [] if raw is None else raw
        for j, argument in payload_items(raw, f"{path}.arguments", self.problems):
            where = f"{path}.arguments[{j}]"
            role_key = argument.get("role")
            roles = self.rules.labels.roles
            role = roles.get((type_key, role_key)) if isinstance(role_key, str) else None
            if role is None:
                self.problems.add(
                    f"{where}.role",
                    f"{type_key} has no role {role_key!r}; its roles are "
                    f"{', '.join(self.rules.role_keys(type_key)) or 'none'}.",
                )
            filler = self._filler(argument, where, key, content)
            provenance = item_provenance(argument, where, self.problems)
            if role is None or filler is None or provenance is None:
                continue
            kind, ref, target = filler
            allowed = self.rules.fillers.get((type_key, role.key), [])
            if kind == "span" and allowed and target.entity_type.key not in allowed:
                self.problems.add(
                    f"{where}.span",
                    f"Role {role.key} of {type_key} takes {_either(allowed)}, not "
                    f'{target.entity_type.key} ("{self.text[target.start : target.end]}").',
                )
                continue
            if (role.key, kind, ref) in seen:
                self.problems.add(where, f"Role {role.key} has this {kind} as filler already.")
                continue
            seen.add((role.key, kind, ref))
            indexes[role.key] = indexes.get(role.key, 0) + 1
            if event is None:
                continue
            filled = {"span": target} if kind == "span" else {"target_event": target}
            content.arguments.append(
                Argument(event=event, role=role, index=indexes[role.key], **provenance, **filled)
            )

    def _filler(
        self, argument: dict, where: str, key: ItemId | None, content: LayerContent
    ) -> tuple[str, ItemId, Span | Event] | None:
        span_id, event_id = argument.get("span"), argument.get("target_event")
        if (span_id is None) == (event_id is None):
            self.problems.add(where, "An argument takes exactly one of span and target_event.")
            return None
        if span_id is not None:
            kind, ref, items, name = "span", span_id, content.spans, "span"
        else:
            kind, ref, items, name = "event", event_id, content.events, "target_event"
        if not is_item_id(ref):
            self.problems.add(f"{where}.{name}", f"{name} must be the id of a {kind}.")
        elif kind == "event" and ref == key:
            self.problems.add(f"{where}.{name}", "An event cannot fill a role of its own.")
        elif ref in items:
            return kind, ref, items[ref]
        elif (kind, ref) not in self.refused:  # else its own problems are listed already
            self.problems.add(f"{where}.{name}", f"No {kind} {json.dumps(ref)} in this layer.")
        return None

    def _id(self, item: dict, path: str, kind: str, taken: dict, position: int) -> ItemId | None:
        value = item.get("id")
        if value is None:
            return ("unnamed", position)
        if not is_item_id(value):
            self.problems.add(f"{path}.id", "id must be an integer or a non-empty string.")
            return None
        if value in taken or (kind, value) in self.refused:
            self.problems.add(f"{path}.id", f"Two {kind}s have the id {json.dumps(value)}.")
            return None
        return value
