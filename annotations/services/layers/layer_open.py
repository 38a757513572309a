"""Open an annotator's own layer on a document: a copy of the newest prediction, provenance kept."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Argument, Event, Relation, Revision, Source, Span
from annotations.queue import corpus_require_annotating
from annotations.services.layers.snapshot import content_snapshot
from corpus.models import Document


def annotator_layer_open(*, document: Document, user: AbstractBaseUser) -> tuple[Annotation, bool]:
    """Return the user's layer on `document`, and whether this call created it.

    A new layer copies the document's newest prediction layer item by item (source, score,
    attributes and notes kept; model items not yet accepted), says so in `origin`, and
    starts its history with revision 1. Two requests at once get the same layer.
    """
    corpus_require_annotating(user=user, corpus=document.corpus)
    mine = Annotation.objects.filter(document=document, kind=Annotation.Kind.ANNOTATOR, user=user)
    if (layer := mine.first()) is not None:
        return layer, False
    try:
        with transaction.atomic():
            return _layer_copy(document=document, user=user), True
    except IntegrityError:
        # annotation_one_layer_per_annotator: another request created it meanwhile.
        if (layer := mine.first()) is None:
            raise
        return layer, False


def _layer_copy(*, document: Document, user: AbstractBaseUser) -> Annotation:
    prediction = (
        document.annotations.filter(kind=Annotation.Kind.PREDICTION)
        .order_by("-updated_at", "-pk")
        .first()
    )
    layer = Annotation.objects.create(
        document=document,
        kind=Annotation.Kind.ANNOTATOR,
        user=user,
        origin={"copied_from": _provenance(prediction)} if prediction else {},
    )
    spans: dict[int, Span] = {}
    events: dict[int, Event] = {}
    arguments: list[Argument] = []
    if prediction is not None:
        spans, events, arguments = _items_copy(prediction=prediction, layer=layer)
    snapshot = content_snapshot(
        version=layer.version, spans=spans.values(), events=events.values(), arguments=arguments
    )
    Revision.objects.create(annotation=layer, version=layer.version, snapshot=snapshot, user=user)
    return layer


def _provenance(prediction: Annotation) -> dict:
    return {
        "layer": prediction.pk,
        "kind": prediction.kind,
        "model_name": prediction.model_name,
        "model_version": prediction.model_version,
        "version": prediction.version,
    }


def _items_copy(
    *, prediction: Annotation, layer: Annotation
) -> tuple[dict[int, Span], dict[int, Event], list[Argument]]:
    """Copy every item of `prediction` into `layer`; return the copies by original id."""
    spans = {
        span.pk: Span(
            annotation=layer,
            start=span.start,
            end=span.end,
            entity_type=span.entity_type,
            source=span.source,
            score=span.score,
            accepted=span.source == Source.HUMAN,
            attributes=span.attributes,
            note=span.note,
        )
        for span in prediction.spans.select_related("entity_type")
    }
    Span.objects.bulk_create(spans.values())
    events = {
        event.pk: Event(
            annotation=layer,
            trigger_start=event.trigger_start,
            trigger_end=event.trigger_end,
            event_type=event.event_type,
            source=event.source,
            score=event.score,
            accepted=event.source == Source.HUMAN,
            attributes=event.attributes,
            note=event.note,
        )
        for event in prediction.events.select_related("event_type")
    }
    Event.objects.bulk_create(events.values())
    arguments = [
        Argument(
            event=events[argument.event_id],
            role=argument.role,
            span=spans.get(argument.span_id),
            target_event=events.get(argument.target_event_id),
            index=argument.index,
            source=argument.source,
            score=argument.score,
        )
        for argument in Argument.objects.filter(event__annotation=prediction).select_related("role")
    ]
    Argument.objects.bulk_create(arguments)
    Relation.objects.bulk_create(
        Relation(
            annotation=layer,
            relation_type_id=relation.relation_type_id,
            head=spans[relation.head_id],
            tail=spans[relation.tail_id],
            source=relation.source,
            score=relation.score,
            attributes=relation.attributes,
            note=relation.note,
        )
        for relation in prediction.relations.all()
    )
    return spans, events, arguments
