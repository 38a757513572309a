"""Recover pre-annotation runs after a worker died: queue their batches again, or give up.

A recoverer the workers' recovery sweep calls (`WORKER_RECOVERERS`) once it has closed the
task rows of dead workers. Only runs queued for the workers are taken (`in_background`);
a run of `preannotate --now` belongs to its command. Batches may run twice: each document
is written once (`preannotation.services`), so queuing again loses and duplicates nothing.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction

from preannotation.models import PreannotationFailure, PreannotationRun
from preannotation.services import run_finish_if_done, run_pending
from preannotation.tasks import preannotate_batch, run_requeue
from workers.backends import TaskState, tasks_get, tasks_live
from workers.recovery import Recovery, task_state_alive

logger = logging.getLogger(__name__)


def runs_recover(recovery: Recovery) -> int:
    """Queue again what the dead workers left of each worker's run.

    A batch closed by this sweep has its undone documents queued again at once; a run
    with work left and no batch queued or alive has all of it queued again (a batch lost or
    failed). A run that used PREANNOTATE_MAX_ATTEMPTS has those documents recorded as
    failures instead; one with nothing left is finished. Returns how many runs it changed.
    """
    runs = PreannotationRun.objects.filter(finished_at__isnull=True, in_background=True)
    runs = list(runs.select_related("corpus"))
    if not runs:
        return 0
    closed = _closed_batches(recovery.closed_task_ids)
    live = _live_batches()
    recovered = 0
    for run in runs:
        alive = any(task_state_alive(task, lease=recovery.lease) for task in live.get(run.pk, []))
        if alive and run.pk not in closed:
            continue
        document_ids = closed[run.pk] if alive else None
        recovered += run_recover(run, now=recovery.now, document_ids=document_ids)
    return recovered


def run_recover(
    run: PreannotationRun, *, now: datetime, document_ids: list[int] | None = None
) -> int:
    """Queue the run's undone documents (among `document_ids`) again, or give them up.

    Without `document_ids` (no batch of the run is alive) a run with nothing left is
    finished. Returns 1 if it changed the run.
    """
    left = run_pending(run, failed=False)
    if document_ids is not None:
        left = left.filter(pk__in=document_ids)
    if not left.exists():
        if document_ids is not None:
            return 0  # the killed batch had written all its documents
        finished = PreannotationRun.objects.filter(pk=run.pk, finished_at__isnull=True)
        return finished.update(finished_at=now)  # a document deleted, or cut before finishing
    if run.attempts >= settings.PREANNOTATE_MAX_ATTEMPTS:
        return run_give_up(run, now=now, document_ids=document_ids)
    queued = run_requeue(run, document_ids=document_ids)
    if queued:
        logger.warning("Pre-annotation run %s: %s documents queued again", run.pk, queued)
    return int(queued > 0)


def run_give_up(
    run: PreannotationRun, *, now: datetime, document_ids: list[int] | None = None
) -> int:
    """Record the run's undone documents (among `document_ids`) as failures saying why.

    The run is finished now when no batch of it is left (`document_ids` None), else by
    its last batch, which counts these failures.
    """
    times = "once" if run.attempts == 1 else f"{run.attempts} times"
    message = (
        f"Not pre-annotated: the worker stopped {times} before this document's batch was done "
        "(or the batch failed; the worker's log says why). Resume the run to try again."
    )
    left = run_pending(run, failed=False)
    if document_ids is not None:
        left = left.filter(pk__in=document_ids)
    with transaction.atomic():
        PreannotationFailure.objects.bulk_create(
            [
                PreannotationFailure(run=run, document_id=pk, message=message)
                for pk in left.values_list("pk", flat=True)
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        if document_ids is None:
            PreannotationRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
                finished_at=now
            )
        else:
            run_finish_if_done(run)
    logger.warning("Pre-annotation run %s: documents given up after %s attempts", run.pk, times)
    return 1


def _closed_batches(task_ids: frozenset[str]) -> dict[int, list[int]]:
    """The documents of each run whose batch tasks this sweep closed (their worker died)."""
    closed: dict[int, list[int]] = {}
    for task in tasks_get(task_ids, task_path=preannotate_batch.module_path):
        run_id, document_ids = task.args
        closed.setdefault(run_id, []).extend(document_ids)
    return closed


def _live_batches() -> dict[int, list[TaskState]]:
    """The batch tasks queued or running, by run (read once per sweep)."""
    live: dict[int, list[TaskState]] = {}
    for task in tasks_live(preannotate_batch.module_path):
        live.setdefault(task.args[0], []).append(task)
    return live
