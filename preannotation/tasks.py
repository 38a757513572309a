"""Background tasks (Django tasks API, run by `manage.py db_worker`) and their queueing.

Tasks are queued when the transaction around the caller commits (`transaction.on_commit`),
so a worker never looks for a run that is not committed yet, whatever the backend.
"""

from functools import partial

from django.db import transaction
from django_tasks import task

from preannotation.models import PreannotationRun
from preannotation.services import run_batch, run_batches


@task()
def preannotate_batch(run_id: int, document_ids: list[int]) -> int:
    """Pre-annotate one batch of a run; return how many documents it wrote."""
    run = PreannotationRun.objects.select_related("corpus__schema").filter(pk=run_id).first()
    if run is None:
        return 0  # the run (or its corpus) was deleted after the batch was queued
    return run_batch(run, document_ids)


def run_enqueue(run: PreannotationRun, *, batch_size: int | None = None) -> int:
    """Queue one task per batch of the run's pending documents, on commit; return how many."""
    queued = 0
    for document_ids in run_batches(run, batch_size=batch_size):
        transaction.on_commit(partial(preannotate_batch.enqueue, run.pk, document_ids))
        queued += len(document_ids)
    return queued
