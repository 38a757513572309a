"""Write what the pipeline found on a document as that model's prediction layer."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from annotations.labels import LabelIndex
from annotations.limits import layer_content_check
from annotations.models import Annotation, Source
from annotations.services.content import layer_contents_write
from annotations.services.rows import json_adapter
from corpus.models import Document
from preannotation.models import PreannotationRun

if TYPE_CHECKING:  # importing them loads spaCy, which imports and the editor never need
    from corpus.nlp.analysis import Analysis, EntityMention
    from corpus.nlp.events import EventMention
    from corpus.nlp.pipeline import ModelIdentity


@dataclass(frozen=True)
class Prediction:
    """What the pipeline found on a document, as the content its prediction layer will hold."""

    document: Document
    analysis: "Analysis"
    content: LayerContent


def prediction_of(document: Document, analysis: "Analysis") -> Prediction:
    """Return `analysis` of `document` as a prediction to write.

    Raises InvalidInput if its layer would be over LAYER_MAX_ITEMS (a document is failed
    alone, before anything of its batch is written).
    """
    content = prediction_content(analysis)
    layer_content_check(content)
    return Prediction(document=document, analysis=analysis, content=content)


def prediction_layer_replace(
    *,
    document: Document,
    analysis: "Analysis",
    model: "ModelIdentity",
    labels: LabelIndex,
    run: PreannotationRun | None = None,
) -> Annotation:
    """Replace the model's prediction layer of `document` with `analysis`, atomically."""
    prediction = prediction_of(document, analysis)
    return predictions_replace([prediction], model=model, labels=labels, run=run)[0]


@transaction.atomic(savepoint=False)  # the caller's chunk is all-or-nothing anyway
def predictions_replace(
    predictions: Sequence[Prediction],
    *,
    model: "ModelIdentity",
    labels: LabelIndex,
    run: PreannotationRun | None = None,
) -> list[Annotation]:
    """Replace the model's prediction layer of each document with its prediction, atomically.

    One statement per table for the whole batch, whatever its size: the old layers, the new
    ones, their spans, events and arguments, the documents' tokens and sentences (stored on
    the document) and `run`'s counts, which count the documents as done in the same
    transaction, so a crash leaves either all of it or none.
    """
    if not predictions:
        return []
    documents = [prediction.document.pk for prediction in predictions]
    old = Annotation.objects.filter(
        document__in=documents, kind=Annotation.Kind.PREDICTION, model_name=model.name
    )
    old.delete()
    layers = Annotation.objects.bulk_create(
        Annotation(
            document_id=prediction.document.pk,
            kind=Annotation.Kind.PREDICTION,
            model_name=model.name,
            model_version=model.version,
            run=run,
            origin=_origin(prediction.analysis, model, run),
        )
        for prediction in predictions
    )
    contents = [prediction.content for prediction in predictions]
    pairs = list(zip(layers, contents, strict=True))
    layer_contents_write(pairs, labels=labels, returned=False, checked=True)
    _tokens_write(predictions)
    if run is not None:
        PreannotationRun.objects.filter(pk=run.pk).update(
            processed=F("processed") + len(predictions),
            entities=F("entities") + sum(len(p.analysis.entities) for p in predictions),
            events=F("events") + sum(len(p.analysis.events) for p in predictions),
        )
    return layers


def _origin(analysis: "Analysis", model: "ModelIdentity", run: PreannotationRun | None) -> dict:
    """Where a prediction layer came from, and the model labels its schema had no type for."""
    return {
        "model": model.name,
        "version": model.version,
        "run": run.pk if run else None,
        "learned": run.learned.number if run and run.learned_id else None,
        "unmapped": dict(analysis.unmapped),
    }


COLUMNS = ("tokens", "sentences")


def _tokens_write(predictions: Sequence[Prediction]) -> None:
    """Store each document's tokens and sentences (one executemany for the batch)."""
    adapt = json_adapter()
    quote = connection.ops.quote_name
    tokens, sentences = (quote(Document._meta.get_field(name).column) for name in COLUMNS)
    table = quote(Document._meta.db_table)
    sql = f"UPDATE {table} SET {tokens} = %s, {sentences} = %s WHERE id = %s"
    rows = [
        (
            adapt(prediction.analysis.tokens),  # pairs of offsets, as JSON arrays
            adapt(prediction.analysis.sentences),
            prediction.document.pk,
        )
        for prediction in predictions
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _entity_attributes(mention: "EntityMention") -> dict:
    """The base model's own label, and what the corpus's model did to it (see `_taught`)."""
    attributes = {"model_label": mention.model_label} if mention.model_label else {}
    return {**attributes, **_taught(mention)}


def _taught(mention: "EntityMention | EventMention") -> dict:
    """How many gold documents taught it, and the model's own score when it was calibrated."""
    attributes = {"from_gold": mention.learned_from} if mention.learned_from else {}
    if mention.raw_score is not None:
        attributes["model_score"] = mention.raw_score
    return attributes


def prediction_content(analysis: "Analysis") -> LayerContent:
    """Return what the pipeline found as a layer's content, every item from the model.

    Entities become spans; events their triggers, with arguments pointing at spans (a
    common-noun filler such as "civilians" gets a span of its own).
    """
    found = [(mention, _entity_attributes(mention)) for mention in analysis.entities] + [
        (argument, {"mention": "NOM" if argument.nominal else "NAM"})
        for event in analysis.events
        for argument in event.arguments
    ]
    spans: dict[tuple[int, int, str], SpanItem] = {}
    for item, attributes in found:
        key = (item.start, item.end, item.label)
        if key not in spans:
            spans[key] = SpanItem(
                id=len(spans),
                start=item.start,
                end=item.end,
                label=item.label,
                source=Source.MODEL,
                score=item.score,
                accepted=False,
                attributes=attributes,
            )
    events = []
    for mention in analysis.events:
        indexes: dict[str, int] = {}
        arguments = []
        for argument in mention.arguments:
            indexes[argument.role] = indexes.get(argument.role, 0) + 1
            arguments.append(
                ArgumentItem(
                    role=argument.role,
                    span=spans[argument.start, argument.end, argument.label].id,
                    index=indexes[argument.role],
                    source=Source.MODEL,
                    score=argument.score,
                )
            )
        events.append(
            EventItem(
                id=len(events),
                type=mention.type,
                trigger_start=mention.start,
                trigger_end=mention.end,
                source=Source.MODEL,
                score=mention.score,
                accepted=False,
                attributes=_taught(mention),
                arguments=arguments,
            )
        )
    return LayerContent(spans=list(spans.values()), events=events)
