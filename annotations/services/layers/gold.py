"""Write a document's gold layer: from a submitted layer when no review is needed, or any content.

Every path that writes gold (a submit without review, a reviewer's adjudication, the bulk
merge) goes through `gold_write`: the layer is created or claimed one version further,
reviewed, its content replaced and a revision written, in one transaction.
"""

from dataclasses import replace
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.content import LayerContent, RelationItem
from annotations.labels import LabelIndex
from annotations.limits import layer_content_check
from annotations.models import Annotation
from annotations.services.content import layer_content_read, layer_content_write
from annotations.services.layers.conflicts import version_conflict
from annotations.services.revisions import revision_write
from config.errors import Conflict
from corpus.models import Corpus, Document


def gold_needs_no_review(corpus: Corpus) -> bool:
    """Return whether a submitted layer of `corpus` is gold at once: no review, one annotator."""
    return not corpus.review_required and corpus.annotators_per_document == 1


def gold_copy_from(*, layer: Annotation, user: AbstractBaseUser) -> Annotation:
    """Write `layer`'s content as its document's gold layer, reviewed; return the gold layer.

    What the gold held before stays in its revisions. Call it inside the submit's transaction.
    """
    origin = {
        "copied_from": {
            "layer": layer.pk,
            "kind": layer.kind,
            "user": layer.user.get_username() if layer.user else None,
            "version": layer.version,
        },
        "copied_at": timezone.now().isoformat(),
    }
    content = layer_content_read(layer)
    return gold_write(document=layer.document, content=content, origin=origin, user=user)


def gold_write(
    *,
    document: Document,
    content: LayerContent,
    origin: dict,
    user: AbstractBaseUser | None,
    version: int | None = None,
    keep_relations: bool = False,
) -> Annotation:
    """Write `content` as the gold layer of `document`; return the layer, reviewed.

    The layer is created at version 1 if missing, else claimed one version further under a
    row lock. `version` is the gold version the writer loaded (0: none); if the layer is
    elsewhere now, nothing is written and Conflict says which version and by whom. Without
    it the layer is replaced whatever it holds. With `keep_relations` (content bringing no
    relations of its own), the former gold's relations whose two spans, same offsets and
    label, are still there are carried over. Items are written accepted (the content writer
    does so for gold). `origin` says where the gold came from.
    """
    layer_content_check(content)  # before the claim: an oversized gold writes nothing at all
    write = partial(
        _gold_write_once,
        document=document,
        content=content,
        origin=origin,
        user=user,
        version=version,
        keep_relations=keep_relations,
    )
    try:
        return write()
    except IntegrityError:
        # annotation_one_gold: another writer created the gold layer meanwhile; write over
        # it once. Another integrity error (one again on that try) is a bug: it surfaces.
        if not _gold_exists(document):
            raise
        if version is not None:
            raise _gold_conflict(document) from None
        return write()


def _gold_exists(document: Document) -> bool:
    return Annotation.objects.filter(document=document, kind=Annotation.Kind.GOLD).exists()


def _gold_write_once(
    *,
    document: Document,
    content: LayerContent,
    origin: dict,
    user: AbstractBaseUser | None,
    version: int | None,
    keep_relations: bool,
) -> Annotation:
    labels = LabelIndex.of(document.corpus.schema_id)
    with transaction.atomic():
        gold, before = _gold_claim(document=document, version=version, origin=origin)
        if before is not None and keep_relations:
            content = replace(content, relations=_relations_kept(before, content))
        written = layer_content_write(gold, content, labels=labels, before=before)
        revision_write(
            layer=gold,
            snapshot=written.exchange(version=gold.version),
            user=user,
            before=None if before is None else before.exchange(version=gold.version - 1),
        )
    gold.document = document
    return gold


def _gold_claim(
    *, document: Document, version: int | None, origin: dict
) -> tuple[Annotation, LayerContent | None]:
    """Return the gold layer at its next version (created at 1) and what it held, or raise."""
    gold = (
        Annotation.objects.select_for_update()
        .filter(document=document, kind=Annotation.Kind.GOLD)
        .first()
    )
    if gold is None:
        if version:
            raise _gold_conflict(document)
        created = Annotation.objects.create(
            document=document,
            kind=Annotation.Kind.GOLD,
            status=Annotation.Status.REVIEWED,
            origin=origin,
        )
        return created, None
    if version is not None and gold.version != version:
        raise version_conflict(gold)
    before = layer_content_read(gold)
    gold.version += 1
    gold.status = Annotation.Status.REVIEWED
    gold.origin = origin
    gold.save(update_fields=["version", "status", "origin", "updated_at"])
    return gold, before


def _gold_conflict(document: Document) -> Conflict:
    """Return the Conflict for a writer whose gold version is no longer the document's."""
    current = Annotation.objects.filter(document=document, kind=Annotation.Kind.GOLD).first()
    if current is None:
        return Conflict(
            "The gold layer you loaded is gone; reload the review.",
            extra={"version": 0, "user": None, "updated_at": None},
        )
    return version_conflict(current)


def _relations_kept(before: LayerContent, content: LayerContent) -> list[RelationItem]:
    """Return the former relations whose spans (same offsets and label) are still there."""
    keys = {(span.start, span.end, span.label): span.id for span in content.spans}
    spans = {span.id: keys.get((span.start, span.end, span.label)) for span in before.spans}
    return [
        replace(relation, head=spans[relation.head], tail=spans[relation.tail])
        for relation in before.relations
        if spans.get(relation.head) is not None and spans.get(relation.tail) is not None
    ]
