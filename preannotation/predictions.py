"""Write what the pipeline found on a document as that model's prediction layer."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from annotations.labels import LabelIndex
from annotations.models import Annotation, Source
from annotations.services.content import layer_content_write
from corpus.models import Document
from preannotation.models import PreannotationRun

if TYPE_CHECKING:  # importing them loads spaCy, which imports and the editor never need
    from corpus.nlp.analysis import Analysis, EntityMention
    from corpus.nlp.events import EventMention
    from corpus.nlp.pipeline import ModelIdentity


@transaction.atomic
def prediction_layer_replace(
    *,
    document: Document,
    analysis: "Analysis",
    model: "ModelIdentity",
    labels: LabelIndex,
    run: PreannotationRun | None = None,
) -> Annotation:
    """Replace the model's prediction layer of `document` with `analysis`, atomically.

    The spans and events are `prediction_content(analysis)`. Tokens and sentences are
    stored on the document, and `run` counts the document as done in
    the same transaction, so a crash leaves either all of it or none.
    """
    Annotation.objects.filter(
        document=document, kind=Annotation.Kind.PREDICTION, model_name=model.name
    ).delete()
    layer = Annotation.objects.create(
        document=document,
        kind=Annotation.Kind.PREDICTION,
        model_name=model.name,
        model_version=model.version,
        run=run,
        origin={
            "model": model.name,
            "version": model.version,
            "run": run.pk if run else None,
            "learned": run.learned.number if run and run.learned_id else None,
            "unmapped": dict(analysis.unmapped),
        },
    )
    layer_content_write(layer, prediction_content(analysis), labels=labels)
    Document.objects.filter(pk=document.pk).update(
        tokens=[list(pair) for pair in analysis.tokens],
        sentences=[list(pair) for pair in analysis.sentences],
    )
    if run is not None:
        PreannotationRun.objects.filter(pk=run.pk).update(
            processed=F("processed") + 1,
            entities=F("entities") + len(analysis.entities),
            events=F("events") + len(analysis.events),
        )
    return layer


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
