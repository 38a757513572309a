"""How many documents of each corpus are in each state, counted as layers are written."""

from django.db import models


class DocumentStateCount(models.Model):
    """A change of `documents` in the number of corpus `corpus_id`'s documents in `state`.

    Database triggers write one row per change (annotations.states): +1 for the state a
    document enters, -1 for the one it leaves. Rows are only ever inserted, so imports and
    annotators writing at once never wait on one another for a counter; a corpus's count of a
    state is the sum of its rows, and `annotations.state_counts` folds a corpus's rows into
    one per state once they are many. No foreign key: a corpus's documents are deleted before
    it, and a trigger deletes its rows after it.
    """

    corpus_id = models.BigIntegerField(db_index=True)
    state = models.CharField(max_length=20)
    documents = models.IntegerField()

    def __str__(self) -> str:
        return f"corpus {self.corpus_id}: {self.documents:+d} {self.state}"


class StatePause(models.Model):  # noqa: DJ008 (a marker row: nothing to show)
    """While a transaction holds a row here, the state triggers skip its writes.

    A bulk writer (an import) inserts one inside its transaction, writes, settles the states
    and counts of its documents in one pass (annotations.services.state_batch) and deletes
    the row before it commits: no other transaction ever sees it, so their writes are kept
    by the triggers as always, and a crash rolls it back with everything else.
    """
