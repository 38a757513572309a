"""Open an annotator's own layer on a document: a copy of the newest prediction, provenance kept."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from annotations.content import LayerContent
from annotations.labels import LabelIndex
from annotations.models import Annotation, Source
from annotations.queue import corpus_require_annotating, reservation_hold
from annotations.services.content import layer_content_read, layer_content_write
from annotations.services.revisions import revision_write
from corpus.models import Document


def annotator_layer_open(*, document: Document, user: AbstractBaseUser) -> tuple[Annotation, bool]:
    """Return the user's layer on `document`, and whether this call created it.

    A new layer copies the document's newest prediction layer item by item (source, score,
    attributes and notes kept; model items not yet accepted), says so in `origin`, and
    starts its history with revision 1. Two requests at once get the same layer. While the
    layer is a draft, opening it reserves the document for the user (create or extend).
    """
    corpus_require_annotating(user=user, corpus=document.corpus)
    layer, created = _layer_get_or_create(document=document, user=user)
    if layer.status == Annotation.Status.DRAFT:
        reservation_hold(document=document, user=user)
    return layer, created


def _layer_get_or_create(*, document: Document, user: AbstractBaseUser) -> tuple[Annotation, bool]:
    mine = Annotation.objects.filter(document=document, kind=Annotation.Kind.ANNOTATOR, user=user)
    if (layer := mine.first()) is not None:
        layer.document = document  # as the caller read it (a long article's tokens unread)
        return layer, False
    try:
        with transaction.atomic():
            return _layer_copy(document=document, user=user), True
    except IntegrityError:
        # annotation_one_layer_per_annotator: another request created it meanwhile.
        if (layer := mine.first()) is None:
            raise
        layer.document = document
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
    content = LayerContent()
    if prediction is not None:
        content = _unaccepted(layer_content_read(prediction))
        labels = LabelIndex.of(document.corpus.schema_id)
        content = layer_content_write(layer, content, labels=labels)
    snapshot = content.exchange(version=layer.version)
    revision_write(layer=layer, snapshot=snapshot, user=user)
    layer.snapshot = snapshot  # what it holds, with ids: the API answers with it unread
    return layer


def _provenance(prediction: Annotation) -> dict:
    return {
        "layer": prediction.pk,
        "kind": prediction.kind,
        "model_name": prediction.model_name,
        "model_version": prediction.model_version,
        "version": prediction.version,
    }


def _unaccepted(content: LayerContent) -> LayerContent:
    """Return `content` with the model's items waiting for a person to accept them."""
    for item in (*content.spans, *content.events):
        item.accepted = item.source == Source.HUMAN
    for event in content.events:
        for argument in event.arguments:
            argument.id = None
    return content
