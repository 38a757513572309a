"""Background tasks (Django tasks API, run by `manage.py workers`) and their queueing.

Tasks are queued when the transaction around the caller commits (`transaction.on_commit`),
so a worker never looks for a run that is not committed yet, whatever the backend. A run's
first batch is queued with the mark that makes it a worker's run (`in_background`), which
the recovery sweep (`preannotation.recovery`) takes over if its worker dies.
"""

from functools import partial

from django.db import transaction
from django.db.models import F
from django_tasks import task

from preannotation.models import PreannotationRun
from preannotation.services import run_batch, run_batches


@task()
def preannotate_batch(run_id: int, document_ids: list[int]) -> int:
    """Pre-annotate one batch of a run; return how many documents it wrote."""
    runs = PreannotationRun.objects.select_related("corpus__schema", "learned")
    run = runs.filter(pk=run_id).first()
    if run is None:
        return 0  # the run (or its corpus) was deleted after the batch was queued
    return run_batch(run, document_ids)


def run_enqueue(run: PreannotationRun, *, batch_size: int | None = None) -> int:
    """Queue one task per batch of the run's pending documents, on commit; return how many."""
    queued = 0
    for document_ids in run_batches(run, batch_size=batch_size):
        first = queued == 0
        transaction.on_commit(partial(_enqueue, run.pk, document_ids, first=first))
        queued += len(document_ids)
    return queued


def run_requeue(
    run: PreannotationRun, *, document_ids: list[int] | None = None, batch_size: int | None = None
) -> int:
    """Queue again, now, what the run has left (among `document_ids`; failures aside).

    One more attempt, for the recovery sweep inside its transaction; returns how many
    documents were queued, 0 if the run changed since it was read (another sweep took it).
    """
    with transaction.atomic():
        unchanged = PreannotationRun.objects.filter(
            pk=run.pk, attempts=run.attempts, finished_at__isnull=True
        )
        if not unchanged.update(attempts=F("attempts") + 1):
            return 0
        queued = 0
        for batch in run_batches(run, batch_size=batch_size, failed=False, among=document_ids):
            preannotate_batch.enqueue(run.pk, batch)
            queued += len(batch)
    return queued


def _enqueue(run_id: int, document_ids: list[int], *, first: bool) -> None:
    # The first batch goes with the mark that makes the run a worker's: from then on the
    # recovery sweep takes the run over if no batch of it is queued or alive.
    with transaction.atomic():
        preannotate_batch.enqueue(run_id, document_ids)
        if first:
            PreannotationRun.objects.filter(pk=run_id).update(
                in_background=True, attempts=F("attempts") + 1
            )
