"""Goldset records of a batch of layers: their content (`layer_contents_read`) and documents.

A record is what the `jsonl` importer reads: text and metadata, entities (T1, ...), events
(E1, ...) with arguments that refer to those ids, relations, and each item's provenance; and
the layer's document labels (`labels`) and the document's comment thread (`comments`).
"""

from collections.abc import Iterator
from typing import Any

from annotations.content import LayerContent
from annotations.models import Annotation, DocumentComment
from annotations.services.content import layer_contents_read
from corpus.models import Document


def layer_records(
    layers: list[Annotation], *, with_tokens: bool
) -> Iterator[tuple[dict[str, Any], Document]]:
    """Yield `(record, document)` for each layer, in order (five queries a batch)."""
    if not layers:
        return
    contents = layer_contents_read([layer.pk for layer in layers])
    documents = Document.objects.filter(pk__in=[layer.document_id for layer in layers])
    if not with_tokens:
        documents = documents.defer("tokens", "sentences")
    by_pk = {document.pk: document for document in documents}
    threads = _comments([layer.document_id for layer in layers])
    for layer in layers:
        document = by_pk[layer.document_id]
        record = _record(layer, document, contents[layer.pk])
        record["labels"] = layer.attributes
        record["comments"] = threads.get(document.pk, [])
        yield record, document


def _comments(document_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The documents' comment threads, oldest first (one query)."""
    threads: dict[int, list[dict[str, Any]]] = {}
    rows = DocumentComment.objects.filter(document_id__in=document_ids).select_related("author")
    for comment in rows:
        threads.setdefault(comment.document_id, []).append(
            {
                "author": comment.author.get_username() if comment.author else None,
                "text": comment.text,
                "created_at": comment.created_at.isoformat(),
            }
        )
    return threads


def _record(layer: Annotation, document: Document, content: LayerContent) -> dict[str, Any]:
    span_ids = {span.id: f"T{number}" for number, span in enumerate(content.spans, start=1)}
    event_ids = {event.id: f"E{number}" for number, event in enumerate(content.events, start=1)}
    return {
        "id": document.external_id or str(document.pk),
        "title": document.title,
        "url": document.url,
        "published": document.published.isoformat() if document.published else None,
        "text": document.text,
        "metadata": document.metadata,
        "entities": [
            {
                "id": span_ids[span.id],
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "attributes": span.attributes,
                "note": span.note,
                "source": span.source,
                "score": span.score,
                "accepted": span.accepted,
            }
            for span in content.spans
        ],
        "events": [
            {
                "id": event_ids[event.id],
                "type": event.type,
                "trigger": {"start": event.trigger_start, "end": event.trigger_end},
                "arguments": [
                    {
                        "role": argument.role,
                        "ref": span_ids.get(argument.span) or event_ids[argument.target_event],
                        "index": argument.index,
                    }
                    for argument in event.arguments
                ],
                "attributes": event.attributes,
                "note": event.note,
                "source": event.source,
                "score": event.score,
                "accepted": event.accepted,
            }
            for event in content.events
        ],
        "relations": [
            {
                "id": f"R{number}",
                "type": relation.type,
                "head": span_ids[relation.head],
                "tail": span_ids[relation.tail],
                "attributes": relation.attributes,
                "note": relation.note,
            }
            for number, relation in enumerate(content.relations, start=1)
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
