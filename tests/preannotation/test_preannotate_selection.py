"""Pre-annotate again: a run over a selection of the corpus's documents, confirmed first."""

import pytest
from django.urls import reverse

from annotations.document_search import DocumentSearch
from annotations.document_selection import DocumentSelection
from annotations.models import Annotation
from config.errors import InvalidInput
from corpus.models import Document
from preannotation.models import PreannotationRun
from preannotation.services import (
    preannotation_start,
    run_batch,
    run_batches,
    run_finish_if_done,
    run_pending,
)
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "Troops shelled Homs on Friday.",
    "Kofi Annan arrived in Damascus on Saturday.",
    "Fighting in Homs went on.",
    "Nothing happened in Idlib.",
]


@pytest.fixture
def documents(corpus):
    return [DocumentFactory(corpus=corpus, text=text) for text in TEXTS]


def test_a_run_on_a_selection_covers_only_its_documents(corpus, documents):
    selection = DocumentSelection(search=DocumentSearch(q="Homs"))
    run = preannotation_start(corpus=corpus, selection=selection)
    assert run.selection == "q=Homs"
    assert run.total == 2
    DocumentFactory(corpus=corpus, text="Later news from Homs.")  # after the confirmation
    assert set(run_pending(run)) == {documents[0], documents[2]}

    ticked = DocumentSelection(ids=(documents[3].pk,))
    assert preannotation_start(corpus=corpus, selection=ticked).total == 1


def test_a_whole_corpus_selection_is_an_ordinary_run(corpus, documents):
    run = preannotation_start(corpus=corpus, selection=DocumentSelection())
    assert (run.selection, run.total, run.selected.count()) == ("", 4, 0)


def test_a_selection_without_documents_says_so(corpus, documents):
    with pytest.raises(InvalidInput, match="no document of the corpus matches the selection"):
        preannotation_start(corpus=corpus, selection=DocumentSelection(DocumentSearch(q="Aleppo")))
    assert not PreannotationRun.objects.exists()


def test_a_run_whose_documents_were_deleted_still_finishes(corpus, documents):
    run = preannotation_start(corpus=corpus, selection=DocumentSelection(DocumentSearch(q="Homs")))
    Document.objects.filter(pk__in=[documents[0].pk, documents[2].pk]).delete()
    assert list(run_batches(run)) == []
    run_finish_if_done(run)
    run.refresh_from_db()
    assert run.status == "done"


def test_the_owner_confirms_then_starts_the_run(
    client, owner, corpus, documents, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    url = reverse("corpus-preannotate", args=[corpus.slug])
    page = client.get(url, {"documents": "q=Homs"})
    assert page.status_code == 200
    assert b"<strong>2</strong> documents will be run through" in page.content
    assert b'name="documents" value="q=Homs"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"documents": "q=Homs"}, follow=True)
    assert b"Pre-annotation queued: 2 documents." in response.content
    assert PreannotationRun.objects.get().total == 2


def test_the_api_starts_a_run_on_a_selection(
    client, owner, annotator, corpus, documents, django_capture_on_commit_callbacks
):
    url = reverse("api-run-list", args=[corpus.slug])
    client.force_login(annotator)
    assert (
        client.post(url, {"documents": "q=Homs"}, content_type="application/json").status_code
        == 403
    )
    client.force_login(owner)
    bad = client.post(url, {"documents": "ids=0"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["message"].startswith("documents: ids '0'")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"documents": "q=Idlib"}, content_type="application/json")
    assert started.status_code == 202
    assert started.json()["total"] == 1


def test_annotators_cannot_open_the_confirmation(client, annotator, outsider, corpus, documents):
    url = reverse("corpus-preannotate", args=[corpus.slug])
    client.force_login(annotator)
    assert client.get(url, {"documents": "q=Homs"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url, {"documents": "q=Homs"}).status_code == 404


@pytest.mark.model
@pytest.mark.slow
def test_pre_annotating_again_replaces_only_the_selection_s_predictions(corpus, documents):
    first = preannotation_start(corpus=corpus)
    for batch in run_batches(first):
        run_batch(first, batch)
    before = dict(
        Annotation.objects.filter(kind=Annotation.Kind.PREDICTION).values_list("document", "pk")
    )
    again = preannotation_start(
        corpus=corpus, selection=DocumentSelection(DocumentSearch(q="Homs"))
    )
    for batch in run_batches(again):
        run_batch(again, batch)
    after = dict(
        Annotation.objects.filter(kind=Annotation.Kind.PREDICTION).values_list("document", "pk")
    )
    changed = {document for document in after if after[document] != before[document]}
    assert changed == {documents[0].pk, documents[2].pk}
    again.refresh_from_db()
    assert (again.status, again.processed) == ("done", 2)
