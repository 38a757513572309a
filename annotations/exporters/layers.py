"""Choose the layer to export for each document and read them in batches, in few queries.

Sources: `gold` (the gold layer), `submitted` (the latest submitted annotator layer) and
`predictions` (the newest prediction layer). Documents without such a layer are skipped.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from annotations.models import Annotation, Argument, Event, Relation, Span
from corpus.models import Corpus, Document

SOURCES = ("gold", "submitted", "predictions")
BATCH_SIZE = 200


def export_layers(corpus: Corpus, *, source: str = "gold") -> Iterator[Annotation]:
    """Yield one layer per document of `corpus`, in document order, for `source`."""
    layers = Annotation.objects.filter(document__corpus=corpus).select_related("user")
    if source == "gold":
        layers = layers.filter(kind=Annotation.Kind.GOLD)
    elif source == "submitted":
        layers = layers.filter(kind=Annotation.Kind.ANNOTATOR, status=Annotation.Status.SUBMITTED)
    elif source == "predictions":
        layers = layers.filter(kind=Annotation.Kind.PREDICTION)
    else:
        raise ValueError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
    previous = None
    for layer in layers.order_by("document_id", "-updated_at", "-pk").iterator(chunk_size=1000):
        if layer.document_id != previous:
            previous = layer.document_id
            yield layer


def goldset_records(corpus: Corpus, *, source: str = "gold") -> Iterator[dict[str, Any]]:
    """Yield each exported document in Goldset JSONL form (what `jsonl` import reads)."""
    batch: list[Annotation] = []
    for layer in export_layers(corpus, source=source):
        batch.append(layer)
        if len(batch) == BATCH_SIZE:
            yield from _records(batch)
            batch = []
    yield from _records(batch)


def _records(layers: list[Annotation]) -> Iterator[dict[str, Any]]:
    if not layers:
        return
    ids = [layer.pk for layer in layers]
    spans = _by_layer(Span.objects.filter(annotation_id__in=ids).select_related("entity_type"))
    events = _by_layer(Event.objects.filter(annotation_id__in=ids).select_related("event_type"))
    relations = _by_layer(
        Relation.objects.filter(annotation_id__in=ids).select_related("relation_type")
    )
    arguments: dict[int, list[Argument]] = defaultdict(list)
    for argument in Argument.objects.filter(event__annotation_id__in=ids).select_related("role"):
        arguments[argument.event_id].append(argument)
    documents = Document.objects.filter(pk__in=[layer.document_id for layer in layers])
    documents = {document.pk: document for document in documents.defer("tokens", "sentences")}
    for layer in layers:
        yield _record(
            layer,
            documents[layer.document_id],
            spans[layer.pk],
            events[layer.pk],
            arguments,
            relations[layer.pk],
        )


def _by_layer(items) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for item in items:
        grouped[item.annotation_id].append(item)
    return grouped


def _record(layer, document, spans, events, arguments, relations) -> dict[str, Any]:
    spans = sorted(spans, key=lambda span: (span.start, -span.end, span.pk))
    events = sorted(events, key=lambda event: (event.trigger_start, -event.trigger_end, event.pk))
    span_ids = {span.pk: f"T{number}" for number, span in enumerate(spans, start=1)}
    event_ids = {event.pk: f"E{number}" for number, event in enumerate(events, start=1)}
    return {
        "id": document.external_id or str(document.pk),
        "title": document.title,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "text": document.text,
        "metadata": document.metadata,
        "entities": [
            {
                "id": span_ids[span.pk],
                "start": span.start,
                "end": span.end,
                "label": span.entity_type.key,
                **_provenance(span),
            }
            for span in spans
        ],
        "events": [
            {
                "id": event_ids[event.pk],
                "type": event.event_type.key,
                "trigger": {"start": event.trigger_start, "end": event.trigger_end},
                "arguments": [
                    {
                        "role": argument.role.key,
                        "ref": span_ids.get(argument.span_id)
                        or event_ids[argument.target_event_id],
                        "index": argument.index,
                    }
                    for argument in sorted(
                        arguments[event.pk], key=lambda a: (a.role.order, a.role.key, a.index)
                    )
                ],
                **_provenance(event),
            }
            for event in events
        ],
        "relations": [
            {
                "id": f"R{number}",
                "type": relation.relation_type.key,
                "head": span_ids[relation.head_id],
                "tail": span_ids[relation.tail_id],
                "attributes": relation.attributes,
                "note": relation.note,
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


def _provenance(item: Span | Event) -> dict[str, Any]:
    return {
        "attributes": item.attributes,
        "note": item.note,
        "source": item.source,
        "score": item.score,
        "accepted": item.accepted,
    }
