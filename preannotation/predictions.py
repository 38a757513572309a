"""Write what the pipeline found on a document as that model's prediction layer."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from annotations.labels import LabelIndex
from annotations.models import Annotation, Argument, Event, Source, Span
from corpus.models import Document
from preannotation.models import PreannotationRun

if TYPE_CHECKING:  # importing them loads spaCy, which imports and the editor never need
    from corpus.nlp.analysis import Analysis
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

    Entities become spans; events their triggers, with arguments pointing at spans
    (a common-noun filler such as "civilians" gets a span of its own). Tokens and
    sentences are stored on the document, and `run` counts the document as done in
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
            "unmapped": dict(analysis.unmapped),
        },
    )
    spans = _spans_write(layer, analysis, labels)
    _events_write(layer, analysis, labels, spans)
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


def _spans_write(
    layer: Annotation, analysis: "Analysis", labels: LabelIndex
) -> dict[tuple[int, int, str], Span]:
    """Write entity spans, then a span for each argument filler that is not an entity."""
    found = [(mention, {"model_label": mention.model_label}) for mention in analysis.entities] + [
        (argument, {"mention": "NOM" if argument.nominal else "NAM"})
        for event in analysis.events
        for argument in event.arguments
    ]
    spans: dict[tuple[int, int, str], Span] = {}
    for item, attributes in found:
        spans.setdefault(
            (item.start, item.end, item.label),
            Span(
                annotation=layer,
                start=item.start,
                end=item.end,
                entity_type=labels.entity_types[item.label],
                source=Source.MODEL,
                score=item.score,
                attributes=attributes,
            ),
        )
    Span.objects.bulk_create(spans.values())
    return spans


def _events_write(
    layer: Annotation,
    analysis: "Analysis",
    labels: LabelIndex,
    spans: dict[tuple[int, int, str], Span],
) -> None:
    events = [
        Event(
            annotation=layer,
            trigger_start=mention.start,
            trigger_end=mention.end,
            event_type=labels.event_types[mention.type],
            source=Source.MODEL,
            score=mention.score,
        )
        for mention in analysis.events
    ]
    Event.objects.bulk_create(events)
    arguments = []
    for event, mention in zip(events, analysis.events, strict=True):
        indexes: dict[str, int] = {}
        for argument in mention.arguments:
            indexes[argument.role] = indexes.get(argument.role, 0) + 1
            arguments.append(
                Argument(
                    event=event,
                    role=labels.roles[(mention.type, argument.role)],
                    span=spans[(argument.start, argument.end, argument.label)],
                    index=indexes[argument.role],
                    source=Source.MODEL,
                    score=argument.score,
                )
            )
    Argument.objects.bulk_create(arguments)
