"""Background training (Django tasks API, run by `manage.py workers`), queued on commit.

A version's `task_id` names the one task that may train it: a version queued again after
its worker was taken for dead (`learning.recovery`) is not trained twice if the first task
runs after all.
"""

from functools import partial

from django.db import transaction
from django.db.models import F
from django_tasks import task
from django_tasks.base import TaskContext

from learning.models import ModelVersion
from learning.services import model_activate, training_run


@task(takes_context=True)
def train_model(context: TaskContext, version_id: int, activate_if_better: bool = False) -> str:
    """Train one model version; return its status."""
    version = ModelVersion.objects.select_related("corpus__schema").filter(pk=version_id).first()
    if version is None or version.status != ModelVersion.Status.TRAINING:
        return "gone"  # deleted, or trained already (the task ran twice)
    if version.task_id and version.task_id != str(context.task_result.id):
        return "superseded"  # queued again after this task's worker was taken for dead
    training_run(version)
    if (activate_if_better or version.activate_if_better) and (
        version.status == ModelVersion.Status.PROPOSED
    ):
        model_activate(version=version)
    return version.status


def training_enqueue(version: ModelVersion, *, activate_if_better: bool = False) -> None:
    """Queue the training of `version` once the transaction that created it commits."""
    if activate_if_better:
        ModelVersion.objects.filter(pk=version.pk).update(activate_if_better=True)
        version.activate_if_better = True
    transaction.on_commit(partial(_enqueue, version.pk, activate_if_better))


def training_requeue(version: ModelVersion) -> None:
    """Queue `version` again now, in the current transaction (its worker died)."""
    _enqueue(version.pk, version.activate_if_better)


def _enqueue(version_id: int, activate_if_better: bool) -> None:
    # One transaction: with the database backend the task and the id that points to it
    # appear together.
    with transaction.atomic():
        result = train_model.enqueue(version_id, activate_if_better)
        ModelVersion.objects.filter(pk=version_id).update(
            task_id=str(result.id), attempts=F("attempts") + 1
        )
