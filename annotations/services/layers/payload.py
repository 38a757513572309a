"""Check a layer's content as the editor sends it, listing every problem before anything is written.

The exchange format is the one `layer_snapshot` writes; ids are database ids or any new
string the client chose ("n7"), and arguments and relations refer to spans and events by
those ids.
"""

import json
from typing import Any

from annotations.content import (
    ArgumentItem,
    EventItem,
    ItemId,
    LayerContent,
    RelationItem,
    SpanItem,
)
from annotations.models import Annotation
from annotations.services.layers.document_labels import labels_parse
from annotations.services.layers.fields import (
    Problems,
    is_integer,
    is_item_id,
    item_details,
    item_offsets,
    item_provenance,
    payload_items,
)
from annotations.services.layers.schema_rules import RELATION_END_REFUSED, SchemaRules, either


def layer_content_parse(
    *,
    layer: Annotation,
    version: Any,
    spans: Any,
    events: Any,
    rules: SchemaRules,
    held: LayerContent | None = None,
    relations: Any = None,
    labels: Any = None,
) -> LayerContent:
    """Return the content to write, or raise InvalidInput with every problem and its field path.

    Items keep the ids they were sent with; one sent without gets `("unnamed", position)`.
    `held` is what the layer holds now: an item sent back with an attribute it already had
    keeps it even where the schema does not define it (see `attribute_problem`).
    `relations` None (not sent) gives content without relations: the caller decides.
    `labels` None (not sent) gives content whose labels are None: the layer keeps its own.
    """
    parser = _Parser(layer=layer, rules=rules, held=held)
    if not is_integer(version) or version < 1:
        parser.problems.add("version", "version must be a positive integer: the one you loaded.")
    content = _Parsed()
    parser.spans(spans, content)
    for key, type_key, item, path in parser.events(events, content):
        parser.arguments(item, path, key, type_key, content)
    if relations is not None:
        parser.relations(relations, content)
    if labels is not None:
        held_labels = held.labels if held is not None else None
        labels = labels_parse(labels, rules, parser.problems, held=held_labels)
    if parser.problems:
        raise parser.problems.refusal()
    return LayerContent(
        spans=list(content.spans.values()),
        events=list(content.events.values()),
        relations=list(content.relations.values()),
        labels=labels,
    )


class _Parsed:
    """The valid items found so far, by the ids they were sent with."""

    def __init__(self) -> None:
        self.spans: dict[ItemId, SpanItem] = {}
        self.events: dict[ItemId, EventItem] = {}
        self.relations: dict[ItemId, RelationItem] = {}


class _Parser:
    """Turn payload items into unsaved rows of `layer`, noting problems as it goes."""

    def __init__(self, *, layer: Annotation, rules: SchemaRules, held: LayerContent | None) -> None:
        self.layer = layer
        self.held: dict[tuple[str, ItemId], dict] = {}
        if held is not None:
            self.held.update((("span", span.id), span.attributes) for span in held.spans)
            self.held.update((("event", event.id), event.attributes) for event in held.events)
            self.held.update(
                (("relation", relation.id), relation.attributes) for relation in held.relations
            )
        self.text = layer.document.text
        self.rules = rules
        self.problems = Problems()
        self.refused: set[tuple[str, ItemId]] = set()  # referring to these adds no problem

    def spans(self, raw: Any, content: _Parsed) -> None:
        seen: dict[tuple[int, int, str], str] = {}
        for i, item in payload_items(raw, "spans", self.problems):
            path = f"spans[{i}]"
            if isinstance(item, SpanItem):  # held as it is: checked when it was saved
                seen[item.start, item.end, item.label] = path
                content.spans[item.id] = item
                continue
            key = self._id(item, path, "span", content.spans, i)
            offsets = item_offsets(item, path, ("start", "end"), len(self.text), self.problems)
            label = item.get("label")
            entity_types = self.rules.labels.entity_types
            known = isinstance(label, str) and label in entity_types
            if not known:
                self.problems.add(
                    f"{path}.label",
                    f"Unknown entity type {label!r}; the schema has {', '.join(entity_types)}.",
                )
            held = self.held.get(("span", key)) if isinstance(key, int) else None
            details = item_details(item, path, "entity", self.rules, self.problems, held)
            if key is None or offsets is None or not known or details is None:
                self.refused.add(("span", key))
                continue
            first = seen.setdefault((*offsets, label), path)
            if first != path:
                self.problems.add(path, f"The same {label} span is at {first}.")
                self.refused.add(("span", key))
                continue
            content.spans[key] = SpanItem(
                id=key, start=offsets[0], end=offsets[1], label=label, **details
            )

    def events(self, raw: Any, content: _Parsed) -> list[tuple[ItemId | None, str, dict, str]]:
        """Add the valid events to `content`; return every event of a known type.

        The arguments of an event refused for another reason are checked all the same.
        """
        parsed = []
        for i, item in payload_items(raw, "events", self.problems):
            path = f"events[{i}]"
            if isinstance(item, EventItem):  # held as it is, with its arguments
                content.events[item.id] = item
                continue
            key = self._id(item, path, "event", content.events, i)
            names = ("trigger_start", "trigger_end")
            offsets = item_offsets(item, path, names, len(self.text), self.problems)
            type_key = item.get("type")
            event_types = self.rules.labels.event_types
            known = isinstance(type_key, str) and type_key in event_types
            if not known:
                self.problems.add(
                    f"{path}.type",
                    f"Unknown event type {type_key!r}; the schema has "
                    f"{', '.join(event_types) or 'none'}.",
                )
            held = self.held.get(("event", key)) if isinstance(key, int) else None
            details = item_details(item, path, "event", self.rules, self.problems, held)
            if known:
                parsed.append((key, type_key, item, path))
            if key is None or offsets is None or not known or details is None:
                self.refused.add(("event", key))
                continue
            content.events[key] = EventItem(
                id=key,
                type=type_key,
                trigger_start=offsets[0],
                trigger_end=offsets[1],
                **details,
            )
        return parsed

    def arguments(
        self,
        item: dict,
        path: str,
        key: ItemId | None,
        type_key: str,
        content: _Parsed,
    ) -> None:
        """Add the arguments of event `key`, numbering repeated fillers of a role from 1."""
        event = content.events.get(key)  # None: the event was refused, its arguments checked
        seen: set[tuple[str, str, ItemId]] = set()
        indexes: dict[str, int] = {}
        raw = item.get("arguments")
        raw = [] if raw is None else raw
        for j, argument in payload_items(raw, f"{path}.arguments", self.problems):
            where = f"{path}.arguments[{j}]"
            role_key = argument.get("role")
            known = isinstance(role_key, str) and (type_key, role_key) in self.rules.labels.roles
            if not known:
                self.problems.add(
                    f"{where}.role",
                    f"{type_key} has no role {role_key!r}; its roles are "
                    f"{', '.join(self.rules.role_keys(type_key)) or 'none'}.",
                )
            filler = self._filler(argument, where, key, content)
            provenance = item_provenance(argument, where, self.problems)
            if not known or filler is None or provenance is None:
                continue
            kind, ref, target = filler
            allowed = self.rules.fillers.get((type_key, role_key), [])
            if kind == "span" and allowed and target.label not in allowed:
                self.problems.add(
                    f"{where}.span",
                    f"Role {role_key} of {type_key} takes {either(allowed)}, not "
                    f'{target.label} ("{self.text[target.start : target.end]}").',
                )
                continue
            if (role_key, kind, ref) in seen:
                self.problems.add(where, f"Role {role_key} has this {kind} as filler already.")
                continue
            seen.add((role_key, kind, ref))
            indexes[role_key] = indexes.get(role_key, 0) + 1
            if event is None:
                continue
            filled = {"span": ref} if kind == "span" else {"target_event": ref}
            argument_id = argument.get("id")
            event.arguments.append(
                ArgumentItem(
                    role_key,
                    index=indexes[role_key],
                    id=argument_id if is_integer(argument_id) else None,
                    **provenance,
                    **filled,
                )
            )

    def relations(self, raw: Any, content: _Parsed) -> None:
        """Add the valid relations: a known type, two spans of this body, the types it takes."""
        seen: dict[tuple[str, ItemId, ItemId], str] = {}
        for i, item in payload_items(raw, "relations", self.problems):
            path = f"relations[{i}]"
            if isinstance(item, RelationItem):  # held as it is
                seen[item.type, item.head, item.tail] = path
                content.relations[item.id] = item
                continue
            key = self._id(item, path, "relation", content.relations, i)
            type_key = item.get("type")
            ends = self.rules.relation_ends.get(type_key) if isinstance(type_key, str) else None
            if ends is None:
                known = ", ".join(self.rules.labels.relation_types) or "none"
                self.problems.add(
                    f"{path}.type", f"Unknown relation type {type_key!r}; the schema has {known}."
                )
            held = self.held.get(("relation", key)) if isinstance(key, int) else None
            details = item_details(item, path, "relation", self.rules, self.problems, held)
            if is_item_id(item.get("head")) and item.get("head") == item.get("tail"):
                self.problems.add(f"{path}.tail", "A relation joins two different spans.")
                continue
            head = self._end(item, path, "head", type_key, ends, content)
            tail = self._end(item, path, "tail", type_key, ends, content)
            if None in (key, ends, head, tail, details):
                continue
            first = seen.setdefault((type_key, head, tail), path)
            if first != path:
                self.problems.add(path, f"The same {type_key} relation is at {first}.")
                continue
            details.pop("accepted")
            content.relations[key] = RelationItem(
                id=key, type=type_key, head=head, tail=tail, **details
            )

    def _end(
        self,
        item: dict,
        path: str,
        end: str,
        type_key: Any,
        ends: tuple[list[str], list[str]] | None,
        content: _Parsed,
    ) -> ItemId | None:
        """Return the span id at `end` ("head" or "tail") if it is a span of a type it takes."""
        ref = item.get(end)
        if not is_item_id(ref):
            self.problems.add(f"{path}.{end}", f"{end} must be the id of a span.")
            return None
        span = content.spans.get(ref)
        if span is None:
            if ("span", ref) not in self.refused:  # else its own problems are listed already
                self.problems.add(f"{path}.{end}", f"No span {json.dumps(ref)} in this layer.")
            return None
        allowed = ends[0 if end == "head" else 1] if ends is not None else []
        if allowed and span.label not in allowed:
            message = RELATION_END_REFUSED.format(
                type=type_key,
                allowed=either(allowed),
                end=end,
                label=span.label,
                text=self.text[span.start : span.end],
            )
            self.problems.add(f"{path}.{end}", message)
            return None
        return ref

    def _filler(
        self, argument: dict, where: str, key: ItemId | None, content: _Parsed
    ) -> tuple[str, ItemId, SpanItem | EventItem] | None:
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
