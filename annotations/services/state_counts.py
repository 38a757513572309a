"""Fold a corpus's document state count rows (annotations.states) into one per state."""

from django.db import connection, transaction
from django.db.models import Max, Sum

from annotations.models import DocumentStateCount

FOLD_AT = 500  # rows of one corpus past which a read folds them

# One statement on PostgreSQL: exactly the rows it deletes are summed, so two folds at once
# never count a row twice, and a row committed meanwhile is neither lost nor counted twice.
POSTGRES_FOLD = """
WITH gone AS (
    DELETE FROM annotations_documentstatecount WHERE corpus_id = %s AND id <= %s
    RETURNING state, documents
)
INSERT INTO annotations_documentstatecount (corpus_id, state, documents)
SELECT %s, state, SUM(documents) FROM gone GROUP BY state HAVING SUM(documents) <> 0
"""


@transaction.atomic
def state_counts_fold(*, corpus_id: int) -> None:
    """Replace the corpus's count rows, up to the newest one now, by one per state holding
    their sum.

    Rows are chosen by id range, not listed (an import of 200,000 documents leaves 600,000);
    rows the triggers add meanwhile have higher ids and are left for the next fold. On
    SQLite the transaction holds the write lock, so the sum and the delete see the same rows.
    """
    rows = DocumentStateCount.objects.filter(corpus_id=corpus_id)
    last = rows.aggregate(last=Max("pk"))["last"]
    if last is None:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_FOLD, [corpus_id, last, corpus_id])
        return
    folding = rows.filter(pk__lte=last)
    sums = list(folding.values_list("state").annotate(n=Sum("documents")).order_by())
    folding.delete()
    DocumentStateCount.objects.bulk_create(
        DocumentStateCount(corpus_id=corpus_id, state=state, documents=n) for state, n in sums if n
    )
