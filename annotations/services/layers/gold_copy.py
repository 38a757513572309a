"""Make a submitted layer the document's gold when the corpus needs no review (overlap 1)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.content import LayerContent
from annotations.labels import LabelIndex
from annotations.models import Annotation, Revision
from annotations.services.content import layer_content_read, layer_content_write
from corpus.models import Corpus


def gold_needs_no_review(corpus: Corpus) -> bool:
    """Return whether a submitted layer of `corpus` is gold at once: no review, one annotator."""
    return not corpus.review_required and corpus.annotators_per_document == 1


def gold_copy_from(*, layer: Annotation, user: AbstractBaseUser) -> Annotation:
    """Write `layer`'s content as its document's gold layer, reviewed; return the gold layer.

    A new gold layer starts at version 1 with revision 1. An existing one gets the content as
    its next version, with a revision, so what it held before stays in its history. Call it
    inside the submit's transaction.
    """
    content = layer_content_read(layer)
    labels = LabelIndex.of(layer.document.corpus.schema_id)
    origin = {
        "copied_from": {
            "layer": layer.pk,
            "kind": layer.kind,
            "user": layer.user.get_username() if layer.user else None,
            "version": layer.version,
        },
        "copied_at": timezone.now().isoformat(),
    }
    gold = _gold_locked(layer.document_id)
    if gold is None:
        try:
            with transaction.atomic():
                gold = Annotation.objects.create(
                    document_id=layer.document_id,
                    kind=Annotation.Kind.GOLD,
                    status=Annotation.Status.REVIEWED,
                    origin=origin,
                )
        except IntegrityError:
            # annotation_one_gold: another submit created it meanwhile; replace its content.
            gold = _gold_locked(layer.document_id)
        else:
            written = layer_content_write(gold, content, labels=labels)
            _revision_write(gold, written, user)
            return gold
    before = layer_content_read(gold)
    written = layer_content_write(gold, content, labels=labels, before=before)
    gold.version += 1
    gold.status = Annotation.Status.REVIEWED
    gold.origin = origin
    gold.save(update_fields=["version", "status", "origin", "updated_at"])
    _revision_write(gold, written, user)
    return gold


def _revision_write(gold: Annotation, written: LayerContent, user: AbstractBaseUser) -> None:
    snapshot = written.exchange(version=gold.version)
    Revision.objects.create(annotation=gold, version=gold.version, snapshot=snapshot, user=user)


def _gold_locked(document_id: int) -> Annotation | None:
    gold = Annotation.objects.select_for_update().filter(
        document_id=document_id, kind=Annotation.Kind.GOLD
    )
    return gold.first()
