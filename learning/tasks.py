"""Background training (Django tasks API, run by `manage.py workers`), queued on commit."""

from functools import partial

from django.db import transaction
from django_tasks import task

from learning.models import ModelVersion
from learning.services import model_activate, training_run


@task()
def train_model(version_id: int, activate_if_better: bool = False) -> str:
    """Train one model version; return its status."""
    version = ModelVersion.objects.select_related("corpus__schema").filter(pk=version_id).first()
    if version is None or version.status != ModelVersion.Status.TRAINING:
        return "gone"  # deleted, or trained already (the task ran twice)
    training_run(version)
    if activate_if_better and version.status == ModelVersion.Status.PROPOSED:
        model_activate(version=version)
    return version.status


def training_enqueue(version: ModelVersion, *, activate_if_better: bool = False) -> None:
    """Queue the training of `version` once the transaction that created it commits."""
    transaction.on_commit(partial(train_model.enqueue, version.pk, activate_if_better))
