"""Settle the states and counts of a bulk write's documents once, not row by row.

The state triggers (annotations.states) cost more than the rows of an annotated import
themselves. An import writes each batch inside `states_settled`: the triggers skip its
transaction, and on leaving the states of the batch's documents are recomputed with one
UPDATE and their counts moved with one row per state: the same result, exactly, as the
triggers would have given.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet

from annotations.models import DocumentStateCount, StatePause
from annotations.states import state_update
from corpus.models import Document


@contextmanager
def states_settled(documents: QuerySet[Document]) -> Iterator[None]:
    """Write inside: the states of `documents` (evaluated before and after: new ones
    included) are settled on leaving, in the caller's transaction.

    Existing documents are locked first, so a concurrent writer's triggers cannot move
    them between the two readings.
    """
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("states_settled needs a transaction")
    # A savepoint of its own: whatever goes wrong inside, the pause goes with the rest and
    # can never outlive the transaction.
    with transaction.atomic():
        before = dict(documents.select_for_update().values_list("pk", "state"))
        pause = StatePause.objects.create()
        yield
        after = list(documents.values_list("pk", "corpus_id", "state"))
        settled = _states_update([pk for pk, _, _ in after])
        moves: Counter[tuple[int, str]] = Counter()
        for pk, corpus_id, state in after:
            state, old = settled.get(pk, state), before.get(pk)
            if old != state:
                moves[corpus_id, state] += 1
                if old is not None:
                    moves[corpus_id, old] -= 1
        DocumentStateCount.objects.bulk_create(
            DocumentStateCount(corpus_id=corpus_id, state=state, documents=n)
            for (corpus_id, state), n in moves.items()
            if n
        )
        StatePause.objects.filter(pk=pause.pk).delete()


def _states_update(pks: list[int]) -> dict[int, str]:
    """Settle the states of these documents; return the state of each one that changed
    (the UPDATE returns them where the database can; else all are read again)."""
    chunk = 500  # within SQLite's limit of variables per statement
    returning = connection.features.can_return_columns_from_insert  # the same SQLite versions
    changed: dict[int, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(pks), chunk):
            part = pks[start : start + chunk]
            marks = ", ".join(["%s"] * len(part))
            update = state_update(f"id IN ({marks})").rstrip(";")
            if returning:
                cursor.execute(f"{update} RETURNING id, state", part)
                changed.update(cursor.fetchall())
                continue
            cursor.execute(update, part)
            cursor.execute(f"SELECT id, state FROM corpus_document WHERE id IN ({marks})", part)
            changed.update(cursor.fetchall())
    return changed
