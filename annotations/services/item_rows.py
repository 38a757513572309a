"""A batch of layers' items as plain rows: ids reserved up front, a few INSERTs per table.

`annotations.services.content.layer_contents_write` calls these in order (spans, events,
their arguments, relations); each returns what the caller needs of the rows it wrote (ids,
whether accepted), in content order, and writes none of the rows a save leaves unchanged
(`same`: their ids). `items_clear` first removes what the layers held (but those).
"""

from typing import NamedTuple

from django.db import connection

from annotations.content import ItemId, LayerContent
from annotations.labels import LabelIndex
from annotations.models import Annotation, Argument, Event, Relation, Span
from annotations.services.item_diff import Unchanged
from annotations.services.rows import ids_reserve, json_adapter, rows_delete, rows_insert


class Row(NamedTuple):
    """What the caller learns of a written span or event: its id and whether it is accepted."""

    pk: int
    accepted: bool


class ArgumentRow(NamedTuple):
    pk: int
    span_id: int | None
    target_event_id: int | None


class RelationRow(NamedTuple):
    pk: int
    head_id: int
    tail_id: int


SPAN_INSERT = ("id", "annotation", "start", "end", "entity_type", "source", "score", "accepted",
               "attributes", "note")  # fmt: skip
EVENT_INSERT = ("id", "annotation", "trigger_start", "trigger_end", "event_type", "source",
                "score", "accepted", "attributes", "note")  # fmt: skip
ARGUMENT_INSERT = ("id", "event", "role", "span", "target_event", "index", "source", "score")
RELATION_INSERT = ("id", "annotation", "relation_type", "head", "tail", "source", "score",
                   "attributes", "note")  # fmt: skip


def _layer_of(layer: Annotation) -> tuple[int, bool]:
    """A layer's id and whether it is gold (whose items are all accepted)."""
    return layer.pk, layer.kind == Annotation.Kind.GOLD


def _pks(model, kept_pks: list[int | None]) -> list[int]:
    """Each item's id, in order: the one it keeps, else one reserved now."""
    fresh = iter(ids_reserve(model, sum(pk is None for pk in kept_pks)))
    return [next(fresh) if pk is None else pk for pk in kept_pks]


def _item_pks(model, pairs, items: str, held: dict[int, int]) -> list[int]:
    """The id of each item of `pairs` (`items` of each content, layer after layer)."""
    if not held:  # nothing to keep (new layers, an import): every item gets a new id
        return ids_reserve(model, sum(len(getattr(content, items)) for _, content in pairs))
    return _pks(
        model,
        [
            Kept.pk(held, item.id, layer.pk)
            for layer, content in pairs
            for item in getattr(content, items)
        ],
    )


def _booleans() -> tuple:
    """False and True as the rows give them: on SQLite the integers, which its driver binds
    without first looking for an adapter as it does for a bool (0.1 s per 150,000 spans)."""
    return (0, 1) if connection.vendor == "sqlite" else (False, True)


def spans_write(pairs, kept: "Kept", labels: LabelIndex, same: set[int]) -> list[Row]:
    """Insert the spans; return their rows in content order (layer by layer)."""
    pks = iter(_item_pks(Span, pairs, "spans", kept.spans))
    types, json_value, stored = labels.entity_types, json_adapter(), _booleans()
    written, rows = [], []
    for layer, content in pairs:
        layer_id, gold = _layer_of(layer)
        for span in content.spans:  # the hot loop of an import: a few lines per span
            pk, accepted = next(pks), span.accepted or gold
            written.append(Row(pk, accepted))
            if pk not in same:
                rows.append((
                    pk, layer_id, span.start, span.end, types[span.label], span.source,
                    span.score, stored[accepted], json_value(span.attributes), span.note,
                ))  # fmt: skip
    rows_insert(Span, SPAN_INSERT, rows)
    return written


def events_write(pairs, kept: "Kept", labels: LabelIndex, same: set[int]) -> list[Row]:
    """Insert the events (not their arguments); return their rows in content order."""
    pks = iter(_item_pks(Event, pairs, "events", kept.events))
    types, json_value, stored = labels.event_types, json_adapter(), _booleans()
    written, rows = [], []
    for layer, content in pairs:
        layer_id, gold = _layer_of(layer)
        for event in content.events:
            pk, accepted = next(pks), event.accepted or gold
            written.append(Row(pk, accepted))
            if pk not in same:
                rows.append((
                    pk, layer_id, event.trigger_start, event.trigger_end, types[event.type],
                    event.source, event.score, stored[accepted], json_value(event.attributes),
                    event.note,
                ))  # fmt: skip
    rows_insert(Event, EVENT_INSERT, rows)
    return written


def ids_by_key(pairs, items: str, rows: list[Row]) -> dict[tuple[int, ItemId], int]:
    """The id of each item by (layer id, the caller's key), for what refers to it; made on
    the first lookup, so layers whose items nothing refers to (most imports) skip it."""
    return _IdsByKey(pairs, items, rows)


class _IdsByKey(dict):
    """A dict of item ids by (layer id, key), filled from the written rows when first asked."""

    def __init__(self, pairs, items: str, rows: list[Row]) -> None:
        super().__init__()
        self.written: tuple | None = (pairs, items, rows)

    def __missing__(self, key: tuple[int, ItemId]) -> int:
        if self.written is None:
            raise KeyError(key)
        pairs, items, rows = self.written
        self.written = None
        keys = ((layer.pk, item.id) for layer, content in pairs for item in getattr(content, items))
        self.update((key, row.pk) for key, row in zip(keys, rows, strict=True))
        return self[key]


def arguments_write(pairs, kept: "Kept", labels: LabelIndex, spans, events, same) -> list:
    """Insert the arguments; `spans` and `events` give the ids of what they refer to."""
    found = [
        (layer.pk, event, argument)
        for layer, content in pairs
        for event in content.events
        for argument in event.arguments
    ]
    pks = _pks(Argument, [kept.pk(kept.arguments, a.id, layer_id) for layer_id, _, a in found])
    written, rows = [], []
    for number, (layer_id, event, argument) in enumerate(found):
        filler, target = argument.span, argument.target_event
        span_id = None if filler is None else spans[layer_id, filler]
        target_id = None if target is None else events[layer_id, target]
        written.append(ArgumentRow(pks[number], span_id, target_id))
        rows.append((
            pks[number], events[layer_id, event.id], labels.roles[event.type, argument.role],
            span_id, target_id, argument.index, argument.source, argument.score,
        ))  # fmt: skip
    rows_insert(Argument, ARGUMENT_INSERT, [row for row in rows if row[0] not in same])
    return written


def relations_write(pairs, kept: "Kept", labels: LabelIndex, spans, same) -> list[RelationRow]:
    """Insert the relations; `spans` gives the ids of their ends."""
    found = [(layer.pk, relation) for layer, content in pairs for relation in content.relations]
    pks = _pks(Relation, [kept.pk(kept.relations, r.id, layer_id) for layer_id, r in found])
    json_value = json_adapter()
    written, rows = [], []
    for number, (layer_id, relation) in enumerate(found):
        head, tail = spans[layer_id, relation.head], spans[layer_id, relation.tail]
        written.append(RelationRow(pks[number], head, tail))
        rows.append((
            pks[number], layer_id, labels.relation_types[relation.type], head, tail,
            relation.source, relation.score, json_value(relation.attributes), relation.note,
        ))  # fmt: skip
    rows_insert(Relation, RELATION_INSERT, [row for row in rows if row[0] not in same])
    return written


class Kept:
    """The ids a batch of layers held before a replace, by item kind: {id: layer id}."""

    def __init__(self) -> None:
        self.spans: dict[int, int] = {}
        self.events: dict[int, int] = {}
        self.arguments: dict[int, int] = {}
        self.relations: dict[int, int] = {}

    @staticmethod
    def pk(held: dict[int, int], item_id: object, layer_id: int) -> int | None:
        """Return `item_id` if it was an item of this layer not yet reused, else None (new)."""
        if isinstance(item_id, int) and held.get(item_id) == layer_id:
            del held[item_id]
            return item_id
        return None


def items_clear(before: dict[int, LayerContent], unchanged: Unchanged) -> Kept:
    """Delete the items the layers held but those `unchanged`, by id; return the ids they held.

    Plain DELETEs, a few hundred ids each: the ORM's `delete()` would load every row to look
    for what cascades (bench/layer_delete.py measures). What refers to a deleted item is
    deleted too, or written back with it: an unchanged argument may point at a changed span,
    written again with its id before the transaction commits (foreign keys are checked then).
    """
    kept = Kept()
    for layer_id, content in before.items():
        kept.spans.update((span.id, layer_id) for span in content.spans)
        kept.events.update((event.id, layer_id) for event in content.events)
        kept.relations.update((relation.id, layer_id) for relation in content.relations)
        for event in content.events:
            kept.arguments.update((argument.id, layer_id) for argument in event.arguments)
    for model, held, same in (
        (Argument, kept.arguments, unchanged.arguments),
        (Relation, kept.relations, unchanged.relations),
        (Span, kept.spans, unchanged.spans),
        (Event, kept.events, unchanged.events),
    ):
        rows_delete(model, [pk for pk in held if pk not in same])
    return kept
