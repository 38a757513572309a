"""Background tasks (Django tasks API, run by `manage.py db_worker`)."""

from django_tasks import task

from preannotation.models import PreannotationRun
from preannotation.services import run_batch


@task()
def preannotate_batch(run_id: int, document_ids: list[int]) -> int:
    """Pre-annotate one batch of a run; return how many documents it wrote."""
    run = PreannotationRun.objects.select_related("corpus__schema").filter(pk=run_id).first()
    if run is None:
        return 0  # the run (or its corpus) was deleted after the batch was queued
    return run_batch(run, document_ids)
