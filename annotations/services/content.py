"""Read and write a layer's content: the one pair every path uses (see `annotations.content`).

Both work on batches (import writes 500 layers at a time, export reads 200), with one
statement per table, and on single layers through the `layer_content_*` wrappers.
"""

from collections.abc import Iterator, Sequence

import orjson
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from annotations.content import (
    ArgumentItem,
    EventItem,
    LayerContent,
    RelationItem,
    SpanItem,
)
from annotations.labels import LabelIndex
from annotations.limits import layer_content_check
from annotations.models import Annotation, Argument, Event, Relation, Span
from annotations.scores import document_scores_refresh
from annotations.services.item_diff import Unchanged, items_unchanged
from annotations.services.item_rows import (
    Kept,
    arguments_write,
    events_write,
    ids_by_key,
    items_clear,
    relations_write,
    spans_write,
)
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
EVENT_IDS_MAX = 5_000  # event ids a read of arguments names, under every parameter limit
ATTRIBUTES_AT = {  # where the attributes are in a row of values_list("annotation_id", *COLUMNS)
    columns: columns.index(ATTRIBUTES_TEXT) + 1
    for columns in (SPAN_COLUMNS, EVENT_COLUMNS, RELATION_COLUMNS)
}


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
    # By the ids of the events just read: through the join on layers, PostgreSQL hashed the
    # whole argument table once a read held a hundred events. (Not past the databases'
    # limits on parameters: a batch of very long layers goes through the join.)
    if len(events) <= EVENT_IDS_MAX:
        arguments = Argument.objects.filter(event_id__in=list(events))
    else:
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
    # A save (before, one layer) leaves its unchanged items in place; an import replaces all.
    unchanged = items_unchanged(pairs, before) if before and len(pairs) == 1 else Unchanged()
    kept = (
        items_clear(before, unchanged if before and len(pairs) == 1 else None) if before else Kept()
    )
    # The ids reserved are held by the transaction's lock until the rows are in.
    with transaction.atomic(savepoint=False):
        spans = spans_write(pairs, kept, labels, unchanged.spans)
        events = events_write(pairs, kept, labels, unchanged.events)
        span_ids, event_ids = ids_by_key(pairs, "spans", spans), ids_by_key(pairs, "events", events)
        arguments = arguments_write(pairs, kept, labels, span_ids, event_ids, unchanged.arguments)
        relations = relations_write(pairs, kept, labels, span_ids, unchanged.relations)
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


def _labels_write(pairs: Sequence[tuple[Annotation, LayerContent]]) -> None:
    """Store each layer's document labels where they were given and differ (one query each)."""
    for layer, content in pairs:
        if content.labels is None or content.labels == layer.attributes:
            continue
        Annotation.objects.filter(pk=layer.pk).update(attributes=content.labels)
        layer.attributes = content.labels


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
    written.written_ids = {
        kind: {
            sent.id: item.id
            for sent, item in zip(getattr(content, kind), getattr(written, kind), strict=False)
            if sent.id != item.id
        }
        for kind in ("spans", "events", "relations")
    }
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
