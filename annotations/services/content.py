"""Read and write a layer's content: the one pair every path uses (see `annotations.content`).

Both work on batches (import writes 500 layers at a time, export reads 200), with one
statement per table, and on single layers through the `layer_content_*` wrappers.
"""

from collections.abc import Iterator, Sequence
from dataclasses import replace

import orjson
from django.db import connection
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
) -> list[LayerContent]:
    """Write each layer's content; return it as written, with database ids, in text order.

    The content must be valid for the schema (`layer_content_parse` and the import check it).
    `before` is what the layers hold now (`layer_contents_read`), to be replaced; without it
    the layers must be new. Items sent with the database id they had in their layer keep
    it, so what refers to them (relations, a client's references) survives a save. In a
    gold layer every span and event is written accepted: gold holds nothing pending.

    Raises InvalidInput, before anything is written, if a layer is over LAYER_MAX_ITEMS or
    has a note over NOTE_MAX_CHARS (`extra` names the limit and the document).
    """
    for layer, content in pairs:
        where = "This layer" if len(pairs) == 1 else f"The layer of document {layer.document_id}"
        try:
            layer_content_check(content, where=where)
        except InvalidInput as error:
            error.extra["document"] = layer.document_id
            raise
    kept = _items_clear(before) if before else _Kept()
    spans: dict[tuple[int, ItemId], Span] = {}
    events: dict[tuple[int, ItemId], Event] = {}
    for layer, content in pairs:
        gold = layer.kind == Annotation.Kind.GOLD
        for span in content.spans:
            spans[layer.pk, span.id] = Span(
                pk=kept.pk(kept.spans, span.id, layer.pk),
                annotation_id=layer.pk,
                start=span.start,
                end=span.end,
                entity_type_id=labels.entity_types[span.label],
                accepted=span.accepted or gold,
                **_provenance(span),
            )
        for event in content.events:
            events[layer.pk, event.id] = Event(
                pk=kept.pk(kept.events, event.id, layer.pk),
                annotation_id=layer.pk,
                trigger_start=event.trigger_start,
                trigger_end=event.trigger_end,
                event_type_id=labels.event_types[event.type],
                accepted=event.accepted or gold,
                **_provenance(event),
            )
    Span.objects.bulk_create(spans.values())
    Event.objects.bulk_create(events.values())
    arguments: list[Argument] = []
    for layer, content in pairs:
        for event in content.events:
            for argument in event.arguments:
                filler, target = argument.span, argument.target_event
                arguments.append(
                    Argument(
                        pk=kept.pk(kept.arguments, argument.id, layer.pk),
                        event=events[layer.pk, event.id],
                        role_id=labels.roles[event.type, argument.role],
                        span=None if filler is None else spans[layer.pk, filler],
                        target_event=None if target is None else events[layer.pk, target],
                        index=argument.index,
                        source=argument.source,
                        score=argument.score,
                    )
                )
    Argument.objects.bulk_create(arguments)
    relations = [
        Relation(
            pk=kept.pk(kept.relations, relation.id, layer.pk),
            annotation_id=layer.pk,
            relation_type_id=labels.relation_types[relation.type],
            head=spans[layer.pk, relation.head],
            tail=spans[layer.pk, relation.tail],
            **_provenance(relation),
        )
        for layer, content in pairs
        for relation in content.relations
    ]
    Relation.objects.bulk_create(relations)
    _labels_write(pairs)
    rows = {"spans": spans, "events": events, "arguments": iter(arguments)}
    rows["relations"] = iter(relations)
    predicted = [
        layer.document_id for layer, _ in pairs if layer.kind == Annotation.Kind.PREDICTION
    ]
    document_scores_refresh(predicted)
    return [_written(layer, content, rows, labels) for layer, content in pairs]


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

    `rows` holds the rows in the order they were made, which is the content's order; given
    labels are the layer's as stored (`_labels_write` ran).
    """
    layer_id = layer.pk
    spans, events = rows["spans"], rows["events"]
    written = LayerContent(
        spans=[
            replace(span, id=row.pk, accepted=row.accepted)
            for span in content.spans
            for row in [spans[layer_id, span.id]]
        ],
        events=[
            replace(
                event,
                id=events[layer_id, event.id].pk,
                accepted=events[layer_id, event.id].accepted,
                arguments=[
                    replace(argument, id=row.pk, span=row.span_id, target_event=row.target_event_id)
                    for argument, row in zip(event.arguments, rows["arguments"], strict=False)
                ],
            )
            for event in content.events
        ],
        relations=[
            replace(relation, id=row.pk, head=row.head_id, tail=row.tail_id)
            for relation, row in zip(content.relations, rows["relations"], strict=False)
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
