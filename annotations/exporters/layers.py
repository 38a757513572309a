"""Choose the layer to export for each document and read them in batches, in few queries.

Sources: `gold` (the gold layer), `submitted` (the latest submitted annotator layer, or
one annotator's) and `predictions` (the newest prediction layer). Documents without such
a layer are skipped.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from annotations.exporters.options import ExportOptions
from annotations.exporters.splits import split_of
from annotations.exporters.tokens import Tokenized, tokenized
from annotations.models import Annotation, Argument, Event, Relation, Span
from corpus.models import Corpus, Document

TOKEN_FORMATS = ("spacy", "conll", "dygiepp")

BATCH_SIZE = 200


@dataclass
class ExportDocument:
    """One document to export: its Goldset record, its part of the split, and its tokens."""

    record: dict[str, Any]
    split: str | None = None
    stored_tokens: list | None = None
    stored_sentences: list | None = None

    @property
    def key(self) -> str:
        return self.record["id"]

    @cached_property
    def tokenized(self) -> Tokenized:
        return tokenized(self.record["text"], self.stored_tokens, self.stored_sentences)


def export_layers(corpus: Corpus, options: ExportOptions) -> QuerySet[Annotation]:
    """Return the layers `options` selects, newest first within each document."""
    layers = Annotation.objects.filter(document__corpus=corpus)
    if options.source == "gold":
        layers = layers.filter(kind=Annotation.Kind.GOLD)
    elif options.source == "submitted":
        layers = layers.filter(kind=Annotation.Kind.ANNOTATOR, status=Annotation.Status.SUBMITTED)
        if options.annotator:
            layers = layers.filter(user__username=options.annotator)
    else:
        layers = layers.filter(kind=Annotation.Kind.PREDICTION)
    if options.statuses:
        layers = layers.filter(status__in=options.statuses)
    return layers.order_by("document_id", "-updated_at", "-pk")


def export_plan(corpus: Corpus, options: ExportOptions) -> dict[str | None, list[int]]:
    """Return the ids of the layers to export (one per document), grouped by part of the split.

    Only ids are held, so the plan of a large corpus stays small.
    """
    names = options.split_names
    plan: dict[str | None, list[int]] = {name: [] for name in names} if names else {None: []}
    previous = None
    rows = export_layers(corpus, options).values_list("pk", "document_id", "document__external_id")
    for pk, document_id, external_id in rows.iterator(chunk_size=2000):
        if document_id == previous:
            continue
        previous = document_id
        split = None
        if names:
            key = external_id or str(document_id)
            split = split_of(key, seed=options.seed, parts=options.split, names=names)
        plan[split].append(pk)
    return plan


def export_documents(
    layer_ids: list[int], options: ExportOptions, *, split: str | None = None
) -> Iterator[ExportDocument]:
    """Yield the documents of `layer_ids` in that order, reading them in batches."""
    for begin in range(0, len(layer_ids), BATCH_SIZE):
        batch = list(
            Annotation.objects.filter(pk__in=layer_ids[begin : begin + BATCH_SIZE])
            .select_related("user")
            .order_by("document_id")
        )
        yield from _documents(batch, options, split)


def _documents(
    layers: list[Annotation], options: ExportOptions, split: str | None
) -> Iterator[ExportDocument]:
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
    if options.format not in TOKEN_FORMATS:
        documents = documents.defer("tokens", "sentences")
    documents = {document.pk: document for document in documents}
    for layer in layers:
        document = documents[layer.document_id]
        record = _record(
            layer, document, spans[layer.pk], events[layer.pk], arguments, relations[layer.pk]
        )
        if options.labels:
            record = _filtered(record, options.labels)
        tokens = document.tokens if options.format in TOKEN_FORMATS else None
        sentences = document.sentences if options.format in TOKEN_FORMATS else None
        yield ExportDocument(record, split, tokens, sentences)


def _filtered(record: dict[str, Any], labels: frozenset[str]) -> dict[str, Any]:
    """Keep the entities and events whose label is in `labels`, and what refers only to them."""
    entities = [entity for entity in record["entities"] if entity["label"] in labels]
    events = [event for event in record["events"] if event["type"] in labels]
    kept = {item["id"] for item in (*entities, *events)}
    for event in events:
        event["arguments"] = [a for a in event["arguments"] if a["ref"] in kept]
    relations = [r for r in record["relations"] if r["head"] in kept and r["tail"] in kept]
    return {**record, "entities": entities, "events": events, "relations": relations}


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
