"""Each document's lowest prediction score, stored on the document for the document list.

`Document.lowest_score` is the lowest score of the spans and events of the document's
prediction layers (NO_SCORE when it has none), so sorting by score and `score_below` use an
index instead of reading every document's items. Every write of a prediction layer goes
through `layer_contents_write`, which refreshes it for the documents it wrote; a schema change
that deletes items calls `items_deleted_refresh` (settings.SCHEMA_ITEMS_DELETED).
"""

from collections.abc import Iterable

from django.db.models import FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least

from annotations.models import Annotation, Event, Span
from corpus.models import Document
from corpus.models.document import NO_SCORE


def lowest_score() -> Least:
    """The lowest score of the document's predicted spans and events; NO_SCORE when none."""
    predicted = Q(
        annotation__document=OuterRef("pk"),
        annotation__kind=Annotation.Kind.PREDICTION,
        score__isnull=False,
    )
    spans = Span.objects.filter(predicted).order_by("score").values("score")[:1]
    events = Event.objects.filter(predicted).order_by("score").values("score")[:1]
    return Least(
        Coalesce(Subquery(spans, output_field=FloatField()), Value(NO_SCORE)),
        Coalesce(Subquery(events, output_field=FloatField()), Value(NO_SCORE)),
        output_field=FloatField(),
    )


def document_scores_refresh(document_ids: Iterable[int]) -> int:
    """Recompute the stored lowest score of these documents (one UPDATE); return how many
    changed.

    Only the rows whose score changes are written: most imported layers have no scores, and
    an UPDATE that leaves a row as it was still writes a new version of it (on PostgreSQL,
    with an entry in each of its indexes).
    """
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        return 0
    changed = Document.objects.filter(pk__in=ids).exclude(lowest_score=lowest_score())
    return changed.update(lowest_score=lowest_score())


def items_deleted_refresh(documents: list[int]) -> None:
    """Refresh the lowest scores of documents a schema change deleted items of."""
    document_scores_refresh(documents)
