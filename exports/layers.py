"""Choose the layer to export for each document and read them in batches, in few queries.

Sources: `gold` (the gold layer), `submitted` (the latest submitted annotator layer, or
one annotator's) and `predictions` (the newest prediction layer). Documents without such
a layer are skipped.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, QuerySet

from annotations.document_selection import selection_documents
from annotations.models import Annotation
from corpus.models import Corpus
from exports.options import ExportOptions
from exports.records import layer_records
from exports.report import ExportReport
from exports.splits import split_of
from formats.registry import export_formats
from formats.writing import ExportDocument

TOKEN_FORMATS = tuple(format.key for format in export_formats() if format.tokens)

BATCH_SIZE = 200


def export_layers(corpus: Corpus, options: ExportOptions) -> QuerySet[Annotation]:
    """Return the layers `options` selects, newest first within each document."""
    layers = Annotation.objects.filter(document__corpus=corpus)
    if not options.documents.everything:
        chosen = selection_documents(corpus=corpus, selection=options.documents)
        layers = layers.filter(document__in=chosen.values("pk"))
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
    layer_ids: list[int],
    options: ExportOptions,
    *,
    split: str | None = None,
    report: ExportReport | None = None,
) -> Iterator[ExportDocument]:
    """Yield the documents of `layer_ids` in that order, reading them in batches.

    `report` hears of the items `options.accepted_only` leaves out.
    """
    for begin in range(0, len(layer_ids), BATCH_SIZE):
        batch = list(
            Annotation.objects.filter(pk__in=layer_ids[begin : begin + BATCH_SIZE])
            .select_related("user")
            .order_by("document_id")
        )
        yield from _documents(batch, options, split, report)


def _documents(
    layers: list[Annotation], options: ExportOptions, split: str | None, report: ExportReport | None
) -> Iterator[ExportDocument]:
    with_tokens = options.format in TOKEN_FORMATS
    for record, document in layer_records(layers, with_tokens=with_tokens):
        if options.accepted_only:
            record = _accepted(record, report, split)
        if options.labels:
            record = _filtered(record, options.labels)
        if with_tokens:
            yield ExportDocument(record, split, document.tokens, document.sentences)
        else:
            yield ExportDocument(record, split)


def _filtered(record: dict[str, Any], labels: frozenset[str]) -> dict[str, Any]:
    """Keep the entities and events whose label is in `labels`, and what refers only to them."""
    entities = [entity for entity in record["entities"] if entity["label"] in labels]
    events = [event for event in record["events"] if event["type"] in labels]
    kept = {item["id"] for item in (*entities, *events)}
    for event in events:
        event["arguments"] = [a for a in event["arguments"] if a["ref"] in kept]
    relations = [r for r in record["relations"] if r["head"] in kept and r["tail"] in kept]
    return {**record, "entities": entities, "events": events, "relations": relations}


def _accepted(
    record: dict[str, Any], report: ExportReport | None, split: str | None
) -> dict[str, Any]:
    """Leave out the entities and events not accepted, and the arguments and relations on them.

    Each item left out is a "not-accepted" warning of the report.
    """
    text = record["text"]
    entities, events = [], []
    for entity in record["entities"]:
        if entity["accepted"]:
            entities.append(entity)
        elif report is not None:
            start, end = entity["start"], entity["end"]
            report.warn(
                "not-accepted",
                f"entity {entity['label']} “{text[start:end]}” not accepted: left out",
                document=record["id"],
                split=split,
                start=start,
                end=end,
            )
    for event in record["events"]:
        if event["accepted"]:
            events.append(event)
        elif report is not None:
            start, end = event["trigger"]["start"], event["trigger"]["end"]
            report.warn(
                "not-accepted",
                f"event {event['type']} “{text[start:end]}” not accepted: left out"
                + (f" with its {len(event['arguments'])} arguments" if event["arguments"] else ""),
                document=record["id"],
                split=split,
                start=start,
                end=end,
            )
    kept = {item["id"] for item in (*entities, *events)}
    events = [
        {**event, "arguments": [a for a in event["arguments"] if a["ref"] in kept]}
        for event in events
    ]
    relations = [r for r in record["relations"] if r["head"] in kept and r["tail"] in kept]
    return {**record, "entities": entities, "events": events, "relations": relations}


def source_counts(corpus: Corpus) -> dict[str, Any]:
    """Return how many documents each source would export, and each annotator's submitted count.

    `{"gold": 2, "submitted": 3, "predictions": 40, "annotators": {"ana": 3}}`
    """
    layers = Annotation.objects.filter(document__corpus=corpus)
    submitted = layers.filter(kind=Annotation.Kind.ANNOTATOR, status=Annotation.Status.SUBMITTED)
    annotators = (
        submitted.values("user__username")
        .annotate(documents=Count("document", distinct=True))
        .order_by("user__username")
    )
    return {
        "gold": layers.filter(kind=Annotation.Kind.GOLD).count(),
        "submitted": submitted.values("document").distinct().count(),
        "predictions": layers.filter(kind=Annotation.Kind.PREDICTION)
        .values("document")
        .distinct()
        .count(),
        "annotators": {row["user__username"]: row["documents"] for row in annotators},
    }
