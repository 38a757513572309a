"""`preannotate --resume` (or Resume on the page) on a run that has nothing left to do.

Re-running the command while a run goes can land just after its last batch: the run must
stay done, not wait for a batch that was never queued.
"""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations.labels import LabelIndex
from corpus.nlp.analysis import Analysis
from corpus.nlp.pipeline import model_identity
from preannotation.predictions import prediction_layer_replace
from preannotation.services import preannotation_start, run_finish_if_done
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_run(corpus):
    documents = [
        DocumentFactory(corpus=corpus, text=f"Talks in Damascus, day {n}.") for n in (1, 2)
    ]
    run = preannotation_start(corpus=corpus)
    for document in documents:  # as its batches write them (no parser needed)
        prediction_layer_replace(
            document=document,
            analysis=Analysis(tokens=[], sentences=[], entities=[], unmapped=Counter()),
            model=model_identity(run.pipeline),
            labels=LabelIndex.of(corpus.schema),
            run=run,
        )
    run_finish_if_done(run)
    run.refresh_from_db()
    assert run.status == "done"
    return run


def test_command_resuming_a_finished_run_leaves_it_done(
    finished_run, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("preannotate", finished_run.corpus.slug, "--resume", stdout=out)
    assert f"run {finished_run.pk} resumed, 0 documents queued" in out.getvalue()
    finished_run.refresh_from_db()
    assert (finished_run.processed, finished_run.status) == (2, "done")


def test_api_resuming_a_finished_run_answers_it_done(
    client, owner, finished_run, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    url = reverse(
        "api-run-resume", kwargs={"slug": finished_run.corpus.slug, "pk": finished_run.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 202
    assert response.json()["status"] == "done"
