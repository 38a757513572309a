"""Submitted annotator layers written from content, for review tests."""

from annotations.content import ArgumentItem, EventItem, LayerContent
from annotations.labels import LabelIndex
from annotations.models import Annotation
from annotations.services.content import layer_content_write


def submitted_layer(document, user, content: LayerContent) -> Annotation:
    layer = Annotation.objects.create(
        document=document,
        kind=Annotation.Kind.ANNOTATOR,
        user=user,
        status=Annotation.Status.SUBMITTED,
    )
    layer_content_write(layer, content, labels=LabelIndex.of(document.corpus.schema_id))
    return layer


def death(*arguments: ArgumentItem) -> EventItem:
    return EventItem(
        id="e", type="Life.Die", trigger_start=11, trigger_end=18, arguments=[*arguments]
    )
