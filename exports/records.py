"""Goldset records of a batch of layers, read as plain rows (no model instances: 5 queries).

A record is what the `jsonl` importer reads: text and metadata, entities (T1, ...), events
(E1, ...) with arguments that refer to those ids, relations, and each item's provenance.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from annotations.models import Annotation, Argument, Event, Relation, Span
from corpus.models import Document

ITEM_FIELDS = ("attributes", "note", "source", "score", "accepted")


def layer_records(
    layers: list[Annotation], *, with_tokens: bool
) -> Iterator[tuple[dict[str, Any], Document]]:
    """Yield `(record, document)` for each layer, in order."""
    if not layers:
        return
    ids = [layer.pk for layer in layers]
    spans = _by_layer(
        Span.objects.filter(annotation_id__in=ids).values(
            "pk", "annotation_id", "start", "end", "entity_type__key", *ITEM_FIELDS
        )
    )
    events = _by_layer(
        Event.objects.filter(annotation_id__in=ids).values(
            "pk", "annotation_id", "trigger_start", "trigger_end", "event_type__key", *ITEM_FIELDS
        )
    )
    relations = _by_layer(
        Relation.objects.filter(annotation_id__in=ids)
        .order_by("pk")
        .values("annotation_id", "relation_type__key", "head_id", "tail_id", "attributes", "note")
    )
    arguments: dict[int, list[dict]] = defaultdict(list)
    for argument in Argument.objects.filter(event__annotation_id__in=ids).values(
        "event_id", "role__key", "role__order", "span_id", "target_event_id", "index"
    ):
        arguments[argument["event_id"]].append(argument)
    documents = Document.objects.filter(pk__in=[layer.document_id for layer in layers])
    if not with_tokens:
        documents = documents.defer("tokens", "sentences")
    by_pk = {document.pk: document for document in documents}
    for layer in layers:
        document = by_pk[layer.document_id]
        record = _record(
            layer, document, spans[layer.pk], events[layer.pk], arguments, relations[layer.pk]
        )
        yield record, document


def _by_layer(rows) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["annotation_id"]].append(row)
    return grouped


def _record(layer, document, spans, events, arguments, relations) -> dict[str, Any]:
    spans = sorted(spans, key=lambda span: (span["start"], -span["end"], span["pk"]))
    events = sorted(
        events, key=lambda event: (event["trigger_start"], -event["trigger_end"], event["pk"])
    )
    span_ids = {span["pk"]: f"T{number}" for number, span in enumerate(spans, start=1)}
    event_ids = {event["pk"]: f"E{number}" for number, event in enumerate(events, start=1)}
    return {
        "id": document.external_id or str(document.pk),
        "title": document.title,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "text": document.text,
        "metadata": document.metadata,
        "entities": [
            {
                "id": span_ids[span["pk"]],
                "start": span["start"],
                "end": span["end"],
                "label": span["entity_type__key"],
                **{name: span[name] for name in ITEM_FIELDS},
            }
            for span in spans
        ],
        "events": [
            {
                "id": event_ids[event["pk"]],
                "type": event["event_type__key"],
                "trigger": {"start": event["trigger_start"], "end": event["trigger_end"]},
                "arguments": [
                    {
                        "role": argument["role__key"],
                        "ref": span_ids.get(argument["span_id"])
                        or event_ids[argument["target_event_id"]],
                        "index": argument["index"],
                    }
                    for argument in sorted(
                        arguments[event["pk"]],
                        key=lambda a: (a["role__order"], a["role__key"], a["index"]),
                    )
                ],
                **{name: event[name] for name in ITEM_FIELDS},
            }
            for event in events
        ],
        "relations": [
            {
                "id": f"R{number}",
                "type": relation["relation_type__key"],
                "head": span_ids[relation["head_id"]],
                "tail": span_ids[relation["tail_id"]],
                "attributes": relation["attributes"],
                "note": relation["note"],
            }
            for number, relation in enumerate(relations, start=1)
        ],
        "goldset": {
            "document": document.pk,
            "layer": {
                "kind": layer.kind,
                "annotator": layer.user.get_username() if layer.user else None,
                "model": layer.model_name or None,
                "status": layer.status,
                "version": layer.version,
                "origin": layer.origin,
            },
        },
    }
