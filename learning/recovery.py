"""Recover trainings after a worker died: queue them again, or give up.

A recoverer the workers' recovery sweep calls (`WORKER_RECOVERERS`) after it has closed the
task rows of dead workers. Without it a training whose worker was killed stayed "training"
for ever, and the corpus could not train again (one training at a time).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from learning.models import ModelVersion
from learning.tasks import training_requeue
from workers.recovery import Recovery, task_alive

logger = logging.getLogger(__name__)

LEGACY_LOST = timedelta(days=1)


def trainings_recover(recovery: Recovery) -> int:
    """Queue again every training whose worker died; fail those that used TRAINING_MAX_ATTEMPTS.

    A training's worker died when its task is neither queued nor running on a live worker.
    A version without a task id (queued before versions kept it: its task cannot be asked)
    counts as lost once it has been training for LEGACY_LOST (a training takes minutes).
    Returns how many were queued again or given up.
    """
    lost = recovery.now - max(recovery.lease, LEGACY_LOST)
    candidates = ModelVersion.objects.filter(status=ModelVersion.Status.TRAINING).filter(
        ~Q(task_id="") | Q(created_at__lt=lost)
    )
    recovered = 0
    for version in candidates.only("pk", "status", "task_id", "attempts", "activate_if_better"):
        if version.task_id and task_alive(version.task_id, lease=recovery.lease):
            continue
        recovered += training_recover(version, now=recovery.now)
    return recovered


def training_recover(version: ModelVersion, *, now: datetime) -> int:
    """Queue `version` again, or fail it after TRAINING_MAX_ATTEMPTS; 1 if this call did either."""
    unchanged = ModelVersion.objects.filter(
        pk=version.pk, status=ModelVersion.Status.TRAINING, task_id=version.task_id
    )
    with transaction.atomic():
        if version.attempts >= settings.TRAINING_MAX_ATTEMPTS:
            times = "once" if version.attempts == 1 else f"{version.attempts} times"
            message = (
                f"The worker stopped {times} before this training could finish, so it was "
                "given up. Train again to start a new version."
            )
            given_up = unchanged.update(
                status=ModelVersion.Status.FAILED, message=message, finished_at=now, progress={}
            )
            if given_up:
                logger.warning("Training of %s given up after %s attempts", version.pk, times)
            return given_up
        if not unchanged.update(progress={}):
            return 0  # another sweep, or the training itself, got there first
        training_requeue(version)
    logger.warning("Training of version %s queued again: its worker stopped", version.pk)
    return 1
