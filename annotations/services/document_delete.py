"""Delete a selection of a corpus's documents with everything on them, after a preview.

The preview counts what goes (documents, layers by kind, reviewed gold, entities, events);
the delete is refused when the selection no longer holds the number of documents the owner
confirmed, so a filter that matches more since the preview never deletes unseen documents.
Documents go in batches, each in its own transaction: a delete that stops half-way leaves
whole documents, and running it again finishes it.
"""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q

from annotations.document_selection import DocumentSelection, selection_documents
from annotations.models import Annotation, Event, Span
from config.errors import Conflict
from corpus.models import Corpus, Document

BATCH_SIZE = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeletePreview:
    """What deleting a selection removes."""

    documents: int
    predictions: int
    annotator_layers: int
    gold_layers: int
    reviewed: int
    entities: int
    events: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def documents_delete_preview(*, corpus: Corpus, selection: DocumentSelection) -> DeletePreview:
    """Count what deleting `selection` removes (five queries)."""
    documents = selection_documents(corpus=corpus, selection=selection)
    layers = Annotation.objects.filter(document__in=documents.values("pk")).aggregate(
        predictions=Count("pk", filter=Q(kind=Annotation.Kind.PREDICTION)),
        annotator_layers=Count("pk", filter=Q(kind=Annotation.Kind.ANNOTATOR)),
        gold_layers=Count("pk", filter=Q(kind=Annotation.Kind.GOLD)),
        reviewed=Count(
            "pk", filter=Q(kind=Annotation.Kind.GOLD, status=Annotation.Status.REVIEWED)
        ),
    )
    on_documents = Q(annotation__document__in=documents.values("pk"))
    return DeletePreview(
        documents=documents.count(),
        entities=Span.objects.filter(on_documents).count(),
        events=Event.objects.filter(on_documents).count(),
        **layers,
    )


def documents_delete(
    *,
    corpus: Corpus,
    selection: DocumentSelection,
    expected: int,
    actor: AbstractBaseUser,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Delete the documents of `selection`; return how many went.

    `expected` is the number of documents the owner saw in the preview. Raises Conflict,
    deleting nothing, when the selection holds another number now.
    """
    documents = selection_documents(corpus=corpus, selection=selection)
    found = documents.count()
    if found != expected:
        raise Conflict(
            f"The selection holds {found} documents now, not the {expected} you confirmed;"
            " look at the preview again.",
            extra={"field": "expected", "documents": found},
        )
    ids = list(documents.order_by("pk").values_list("pk", flat=True))
    deleted = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            Document.objects.filter(corpus=corpus, pk__in=batch).delete()
        deleted += len(batch)
        if on_batch:
            on_batch(len(batch))
    log.info(
        "%s deleted %d documents of corpus %s (%s)",
        actor,
        deleted,
        corpus.slug,
        selection.describe(),
    )
    return deleted
