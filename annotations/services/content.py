"""Read and write a layer's content: the one pair every path uses (see `annotations.content`).

Both work on batches (import writes 500 layers at a time, export reads 200), with one
statement per table, and on single layers through the `layer_content_*` wrappers.
"""

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import orjson
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from annotations.content import (
    ArgumentItem,
    EventItem,
    ItemId,
    LayerContent,
    RelationItem,
    SpanItem,
)
from annotations.labels import LabelIndex
from annotations.limits import layer_content_check
from annotations.models import Annotation, Argument, Event, Relation, Span
from annotations.scores import document_scores_refresh
from annotations.services.rows import ids_reserve, json_adapter, rows_insert
from config.errors import InvalidInput

# The attributes column as the database holds it, parsed by `_attributes` instead of the
# JSONField's json.loads per row: most items have none, and a long layer has thousands.
ATTRIBUTES_TEXT = Cast("attributes", output_field=TextField())
# The columns that fill each item type, in the order of its dataclass fields.
SPAN_COLUMNS = (
    "pk",
    "start",
    "end",
    "entity_type__key",
    "source",
    "score",
    "accepted",
    ATTRIBUTES_TEXT,
    "note",
)
EVENT_COLUMNS = (
    "pk", "event_type__key", "trigger_start", "trigger_end", "source", "score", "accepted",
    ATTRIBUTES_TEXT, "note",
)  # fmt: skip
ARGUMENT_COLUMNS = ("role__key", "span_id", "target_event_id", "index", "source", "score", "pk")
RELATION_COLUMNS = (
    "pk",
    "relation_type__key",
    "head_id",
    "tail_id",
    "source",
    "score",
    ATTRIBUTES_TEXT,
    "note",
)
ATTRIBUTES_AT = {  # where the attributes are in a row of values_list("annotation_id", *COLUMNS)
    columns: columns.index(ATTRIBUTES_TEXT) + 1
    for columns in (SPAN_COLUMNS, EVENT_COLUMNS, RELATION_COLUMNS)
}
PROVENANCE = ("source", "score", "attributes", "note")


def layer_content_read(layer: Annotation, *, with_relations: bool = True) -> LayerContent:
    """Return what `layer` holds now, with database ids (three or four queries).

    Its document labels are the layer row's own (`layer.attributes`), read with it.
    """
    content = layer_contents_read([layer.pk], with_relations=with_relations)[layer.pk]
    content.labels = dict(layer.attributes)
    return content


def layer_contents_read(
    layer_ids: Sequence[int], *, with_relations: bool = True
) -> dict[int, LayerContent]:
    """Return the content of each layer of `layer_ids`, read as plain rows, not model instances.

    Readers that show no relations (the review's merge, the read-only page) pass
    `with_relations=False` to save their query.
    """
    contents = {pk: LayerContent() for pk in layer_ids}
    if not layer_ids:
        return contents
    spans = Span.objects.filter(annotation_id__in=layer_ids).order_by("start", "-end", "pk")
    for row in _rows(spans, SPAN_COLUMNS):
        contents[row[0]].spans.append(SpanItem(*row[1:]))
    events: dict[int, EventItem] = {}
    rows = Event.objects.filter(annotation_id__in=layer_ids)
    rows = rows.order_by("trigger_start", "-trigger_end", "pk")
    for row in _rows(rows, EVENT_COLUMNS):
        events[row[1]] = event = EventItem(*row[1:])
        contents[row[0]].events.append(event)
    arguments = Argument.objects.filter(event__annotation_id__in=layer_ids)
    arguments = arguments.order_by("role__order", "role__key", "index", "pk")
    for row in arguments.values_list("event_id", *ARGUMENT_COLUMNS):
        events[row[0]].arguments.append(ArgumentItem(*row[1:]))
    if with_relations:
        relations = Relation.objects.filter(annotation_id__in=layer_ids).order_by("pk")
        for row in _rows(relations, RELATION_COLUMNS):
            contents[row[0]].relations.append(RelationItem(*row[1:]))
    return contents


def _rows(queryset, columns: tuple) -> Iterator[list]:
    """Yield `queryset`'s rows of ("annotation_id", *columns), with their attributes parsed."""
    at = ATTRIBUTES_AT[columns]
    for row in queryset.values_list("annotation_id", *columns):
        row = list(row)
        row[at] = _attributes(row[at])
        yield row


def _attributes(text: str | None) -> dict:
    """Parse an attributes column's text; a new dict each time, as items may be changed."""
    return {} if text is None or text == "{}" else orjson.loads(text)


def layer_content_write(
    layer: Annotation,
    content: LayerContent,
    *,
    labels: LabelIndex,
    before: LayerContent | None = None,
) -> LayerContent:
    """Write `content` as what `layer` holds; see `layer_contents_write`."""
    befores = None if before is None else {layer.pk: before}
    return layer_contents_write([(layer, content)], labels=labels, before=befores)[0]


def layer_contents_write(
    pairs: Sequence[tuple[Annotation, LayerContent]],
    *,
    labels: LabelIndex,
    before: dict[int, LayerContent] | None = None,
    returned: bool = True,
    checked: bool = False,
) -> list[LayerContent]:
    """Write each layer's content; return it as written, with database ids, in text order
    (nothing when not `returned`: an import of predictions has no use for it).

    The content must be valid for the schema (`layer_content_parse` and the import check it).
    `before` is what the layers hold now (`layer_contents_read`), to be replaced; without it
    the layers must be new. Items sent with the database id they had in their layer keep
    it, so what refers to them (relations, a client's references) survives a save. In a
    gold layer every span and event is written accepted: gold holds nothing pending.

    Raises InvalidInput, before anything is written, if a layer is over LAYER_MAX_ITEMS or
    has a note over NOTE_MAX_CHARS (`extra` names the limit and the document), unless the
    caller `checked` every layer already (the import does, to fail that record alone).
    """
    for layer, content in [] if checked else pairs:
        where = "This layer" if len(pairs) == 1 else f"The layer of document {layer.document_id}"
        try:
            layer_content_check(content, where=where)
        except InvalidInput as error:
            error.extra["document"] = layer.document_id
            raise
    kept = _items_clear(before) if before else _Kept()
    # The ids reserved are held by the transaction's lock until the rows are in.
    with transaction.atomic(savepoint=False):
        spans = _spans_write(pairs, kept, labels)
        events = _events_write(pairs, kept, labels)
        span_ids, event_ids = _by_key(pairs, "spans", spans), _by_key(pairs, "events", events)
        arguments = _arguments_write(pairs, kept, labels, span_ids, event_ids)
        relations = _relations_write(pairs, kept, labels, span_ids)
    _labels_write(pairs)
    rows = {"spans": iter(spans), "events": iter(events), "arguments": iter(arguments)}
    rows["relations"] = iter(relations)
    predicted = [
        layer.document_id for layer, _ in pairs if layer.kind == Annotation.Kind.PREDICTION
    ]
    document_scores_refresh(predicted)
    if not returned:
        return []
    return [_written(layer, content, rows, labels) for layer, content in pairs]


class _Row(NamedTuple):
    """What the caller learns of a written span or event: its id and whether it is accepted."""

    pk: int
    accepted: bool


class _ArgumentRow(NamedTuple):
    pk: int
    span_id: int | None
    target_event_id: int | None


class _RelationRow(NamedTuple):
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


def _spans_write(pairs, kept: "_Kept", labels: LabelIndex) -> list[_Row]:
    """Insert the spans; return their rows in content order (layer by layer)."""
    found = [
        (layer_id, gold, span)
        for layer, content in pairs
        for layer_id, gold in [_layer_of(layer)]
        for span in content.spans
    ]
    pks = _pks(Span, [kept.pk(kept.spans, span.id, layer_id) for layer_id, _, span in found])
    json_value = json_adapter()
    written, rows = [], []
    for pk, (layer_id, gold, span) in zip(pks, found, strict=True):
        accepted = span.accepted or gold
        written.append(_Row(pk, accepted))
        rows.append((
            pk, layer_id, span.start, span.end, labels.entity_types[span.label], span.source,
            span.score, accepted, json_value(span.attributes), span.note,
        ))  # fmt: skip
    rows_insert(Span, SPAN_INSERT, rows)
    return written


def _events_write(pairs, kept: "_Kept", labels: LabelIndex) -> list[_Row]:
    """Insert the events (not their arguments); return their rows in content order."""
    found = [
        (layer_id, gold, event)
        for layer, content in pairs
        for layer_id, gold in [_layer_of(layer)]
        for event in content.events
    ]
    pks = _pks(Event, [kept.pk(kept.events, event.id, layer_id) for layer_id, _, event in found])
    json_value = json_adapter()
    written, rows = [], []
    for pk, (layer_id, gold, event) in zip(pks, found, strict=True):
        accepted = event.accepted or gold
        written.append(_Row(pk, accepted))
        rows.append((
            pk, layer_id, event.trigger_start, event.trigger_end,
            labels.event_types[event.type], event.source, event.score, accepted,
            json_value(event.attributes), event.note,
        ))  # fmt: skip
    rows_insert(Event, EVENT_INSERT, rows)
    return written


def _by_key(pairs, items: str, rows: list[_Row]) -> dict[tuple[int, ItemId], int]:
    """The id of each item by (layer id, the caller's key), for what refers to it."""
    keys = [(layer.pk, item.id) for layer, content in pairs for item in getattr(content, items)]
    return {key: row.pk for key, row in zip(keys, rows, strict=True)}


def _arguments_write(pairs, kept: "_Kept", labels: LabelIndex, spans, events) -> list:
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
        written.append(_ArgumentRow(pks[number], span_id, target_id))
        rows.append((
            pks[number], events[layer_id, event.id], labels.roles[event.type, argument.role],
            span_id, target_id, argument.index, argument.source, argument.score,
        ))  # fmt: skip
    rows_insert(Argument, ARGUMENT_INSERT, rows)
    return written


def _relations_write(pairs, kept: "_Kept", labels: LabelIndex, spans) -> list[_RelationRow]:
    """Insert the relations; `spans` gives the ids of their ends."""
    found = [(layer.pk, relation) for layer, content in pairs for relation in content.relations]
    pks = _pks(Relation, [kept.pk(kept.relations, r.id, layer_id) for layer_id, r in found])
    json_value = json_adapter()
    written, rows = [], []
    for number, (layer_id, relation) in enumerate(found):
        head, tail = spans[layer_id, relation.head], spans[layer_id, relation.tail]
        written.append(_RelationRow(pks[number], head, tail))
        rows.append((
            pks[number], layer_id, labels.relation_types[relation.type], head, tail,
            relation.source, relation.score, json_value(relation.attributes), relation.note,
        ))  # fmt: skip
    rows_insert(Relation, RELATION_INSERT, rows)
    return written


def _labels_write(pairs: Sequence[tuple[Annotation, LayerContent]]) -> None:
    """Store each layer's document labels where they were given and differ (one query each)."""
    for layer, content in pairs:
        if content.labels is None or content.labels == layer.attributes:
            continue
        Annotation.objects.filter(pk=layer.pk).update(attributes=content.labels)
        layer.attributes = content.labels


def _provenance(item: SpanItem | EventItem | RelationItem) -> dict:
    return {name: getattr(item, name) for name in PROVENANCE}


def _written(
    layer: Annotation, content: LayerContent, rows: dict, labels: LabelIndex
) -> LayerContent:
    """Return `content` as written: the rows' database ids in place of the caller's keys.

    `rows` holds iterators over the rows in the order they were made, which is the content's
    order, layer after layer; given labels are the layer's as stored (`_labels_write` ran).
    """
    spans, events = rows["spans"], rows["events"]
    # Built field by field: dataclasses.replace costs four times as much per item.
    written = LayerContent(
        spans=[
            SpanItem(
                row.pk,
                s.start,
                s.end,
                s.label,
                s.source,
                s.score,
                row.accepted,
                s.attributes,
                s.note,
            )
            for s, row in zip(content.spans, spans, strict=False)
        ],
        events=[
            EventItem(
                row.pk,
                e.type,
                e.trigger_start,
                e.trigger_end,
                e.source,
                e.score,
                row.accepted,
                e.attributes,
                e.note,
                [
                    ArgumentItem(
                        a.role, arg.span_id, arg.target_event_id, a.index, a.source, a.score, arg.pk
                    )
                    for a, arg in zip(e.arguments, rows["arguments"], strict=False)
                ],
            )
            for e, row in zip(content.events, events, strict=False)
        ],
        relations=[
            RelationItem(
                row.pk, r.type, row.head_id, row.tail_id, r.source, r.score, r.attributes, r.note
            )
            for r, row in zip(content.relations, rows["relations"], strict=False)
        ],
        labels=dict(layer.attributes),
    )
    written.spans.sort(key=lambda span: (span.start, -span.end, span.id))
    written.events.sort(key=lambda event: (event.trigger_start, -event.trigger_end, event.id))
    written.relations.sort(key=lambda relation: relation.id)
    for event in written.events:
        event.arguments.sort(
            key=lambda argument: (
                labels.role_order[event.type, argument.role],
                argument.role,
                argument.index,
            )
        )
    return written


class _Kept:
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


def _items_clear(before: dict[int, LayerContent]) -> _Kept:
    """Delete the items the layers held, in one statement per table; return their ids.

    Arguments and relations go first, through the ORM (nothing refers to them). Spans and
    events go by a plain DELETE: nothing refers to them any more, and the ORM's `delete()`
    would still load every row to look for what cascades (bench/layer_delete.py measures).
    """
    kept = _Kept()
    for layer_id, content in before.items():
        kept.spans.update((span.id, layer_id) for span in content.spans)
        kept.events.update((event.id, layer_id) for event in content.events)
        kept.relations.update((relation.id, layer_id) for relation in content.relations)
        for event in content.events:
            kept.arguments.update((argument.id, layer_id) for argument in event.arguments)
    layer_ids = list(before)
    if kept.arguments:
        Argument.objects.filter(event__annotation_id__in=layer_ids).delete()
    if kept.relations:
        Relation.objects.filter(annotation_id__in=layer_ids).delete()
    if kept.spans:
        layer_items_delete(Span, layer_ids)
    if kept.events:
        layer_items_delete(Event, layer_ids)
    return kept


def layer_items_delete(model: type[Span] | type[Event], layer_ids: list[int]) -> int:
    """Delete the spans or events of the layers (whose arguments and relations are gone)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field("annotation").column)
    marks = ", ".join(["%s"] * len(layer_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", layer_ids)
        return cursor.rowcount
