"""Bulk actions on the corpus page: a selection of documents, and deleting it after a preview."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.document_search import DocumentSearch
from annotations.document_selection import DocumentSelection, selection_parse
from annotations.models import Annotation, Span
from config.errors import InvalidInput
from corpus.models import Document
from tests.factories import AnnotationFactory, DocumentFactory, prediction_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(corpus):
    """Three articles about Homs (two with predictions), two about Idlib, one gold-reviewed."""
    texts = [
        "Kofi Annan arrived in Damascus on Saturday after shelling in Homs.",
        "Kofi Annan arrived in Damascus; Homs was quiet.",
        "Kofi Annan arrived in Damascus. Homs again.",
        "Kofi Annan arrived in Damascus before Idlib.",
        "Kofi Annan arrived in Damascus, then Idlib.",
    ]
    made = [DocumentFactory(corpus=corpus, text=text) for text in texts]
    prediction_create(made[0])
    prediction_create(made[1])
    gold = AnnotationFactory(
        document=made[2], kind=Annotation.Kind.GOLD, status=Annotation.Status.REVIEWED
    )
    gold.model_name = ""
    gold.save()
    return made


def bulk(client, corpus, **params):
    return client.get(reverse("documents-bulk", args=[corpus.slug]), params)


def selection_of_redirect(response) -> str:
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["documents"][0]


def test_a_selection_reads_back_what_it_writes():
    selection = DocumentSelection(search=DocumentSearch(q="Homs", state="new"), ids=(4, 2))
    assert selection.query() == "q=Homs&state=new&ids=4%2C2"
    assert selection_parse(selection.query()) == selection
    assert selection_parse("") == DocumentSelection()
    assert selection_parse("").everything
    assert selection.describe() == "2 ticked documents, q “Homs”, state new"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour=red", "documents: unknown filter 'colour'"),
        ("ids=3,x", "documents: ids 'x'"),
        ("state=lost", "documents: state"),
        ("score_below=2", "documents: score_below"),
    ],
)
def test_a_bad_selection_says_which_part_is_wrong(text, message):
    with pytest.raises(InvalidInput) as problem:
        selection_parse(text)
    assert problem.value.message.startswith(message)


def test_the_owner_ticks_documents_or_takes_the_whole_filter(client, owner, corpus, documents):
    client.force_login(owner)
    page = client.get(reverse("corpus-detail", args=[corpus.slug]), {"q": "Homs"})
    assert b'id="bulk"' in page.content
    assert page.content.count(b'name="id"') == 3
    assert b"every document matching this search" in page.content

    ticked = bulk(client, corpus, q="Homs", scope="ticked", id=[documents[0].pk], action="delete")
    assert ticked["Location"].startswith(reverse("documents-delete", args=[corpus.slug]))
    assert selection_of_redirect(ticked) == f"ids={documents[0].pk}"

    everything = bulk(client, corpus, q="Homs", scope="filter", action="export")
    assert everything["Location"].startswith(reverse("corpus-export", args=[corpus.slug]))
    assert selection_of_redirect(everything) == "q=Homs"

    again = bulk(client, corpus, q="Homs", state="new", scope="filter", action="preannotate")
    assert selection_of_redirect(again) == "q=Homs&state=new"


def test_acting_on_no_ticked_document_asks_for_some(client, owner, corpus, documents):
    client.force_login(owner)
    response = bulk(client, corpus, q="Homs", scope="ticked", action="delete")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"Tick the documents to act on" in page.content
    assert client.get(response["Location"]).status_code == 200


def test_only_owners_act_in_bulk(client, annotator, reviewer, outsider, corpus, documents):
    for user in (annotator, reviewer):
        client.force_login(user)
        page = client.get(reverse("corpus-detail", args=[corpus.slug]))
        assert b'id="bulk"' not in page.content
        assert bulk(client, corpus, scope="filter", action="delete").status_code == 403
        url = reverse("documents-delete", args=[corpus.slug])
        assert client.get(url).status_code == 403
        assert client.post(url, {"documents": "", "expected": 5}).status_code == 403
    client.force_login(outsider)
    assert bulk(client, corpus, scope="filter", action="delete").status_code == 404
    assert Document.objects.filter(corpus=corpus).count() == 5


def test_an_unknown_action_is_a_readable_400(client, owner, corpus, documents):
    client.force_login(owner)
    response = bulk(client, corpus, scope="filter", action="burn")
    assert response.status_code == 400
    assert b"action &#x27;burn&#x27;: use one of delete, preannotate, export." in response.content


def test_delete_shows_what_goes_and_deletes_only_the_selection(client, owner, corpus, documents):
    other = DocumentFactory(text="Homs, in another corpus.")
    client.force_login(owner)
    url = reverse("documents-delete", args=[corpus.slug])
    page = client.get(url, {"documents": "q=Homs"})
    preview = page.context["preview"]
    assert (preview.documents, preview.predictions, preview.gold_layers) == (3, 2, 1)
    assert (preview.reviewed, preview.entities, preview.events) == (1, 4, 2)
    assert b"People's work is in this selection" in page.content
    assert b"Delete 3 documents</button>" in page.content

    response = client.post(url, {"documents": "q=Homs", "expected": 3}, follow=True)
    assert b"Deleted 3 documents." in response.content
    remaining = set(Document.objects.values_list("pk", flat=True))
    assert remaining == {documents[3].pk, documents[4].pk, other.pk}
    assert not Span.objects.filter(annotation__document__corpus=corpus).exists()


def test_delete_refuses_when_the_selection_changed_since_the_preview(
    client, owner, corpus, documents
):
    client.force_login(owner)
    url = reverse("documents-delete", args=[corpus.slug])
    DocumentFactory(corpus=corpus, text="More news from Homs.")
    response = client.post(url, {"documents": "q=Homs", "expected": 3})
    assert response.status_code == 409
    assert b"The selection holds 4 documents now, not the 3 you confirmed" in response.content
    assert Document.objects.filter(corpus=corpus).count() == 6


def test_ticked_documents_of_another_corpus_are_refused(client, owner, corpus, documents):
    other = DocumentFactory(text="Elsewhere.")
    client.force_login(owner)
    url = reverse("documents-delete", args=[corpus.slug])
    response = client.get(url, {"documents": f"ids={documents[0].pk},{other.pk}"})
    assert response.status_code == 400
    assert f"no document {other.pk} in corpus {corpus.slug}".encode() in response.content
    assert Document.objects.filter(pk=other.pk).exists()


def test_the_api_previews_then_deletes(owner, annotator, outsider, corpus, documents):
    api = APIClient()
    url = reverse("api-documents-delete", args=[corpus.slug])
    api.force_authenticate(owner)
    preview = api.get(url, {"documents": "q=Idlib"}).json()
    assert preview == {
        "documents": 2,
        "predictions": 0,
        "annotator_layers": 0,
        "gold_layers": 0,
        "reviewed": 0,
        "entities": 0,
        "events": 0,
    }
    stale = api.post(url, {"documents": "q=Idlib", "expected": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["extra"]["documents"] == 2
    missing = api.post(url, {"documents": "q=Idlib"}, format="json")
    assert missing.status_code == 400
    assert "expected" in missing.json()["message"]
    done = api.post(url, {"documents": "q=Idlib", "expected": 2}, format="json")
    assert done.json() == {"deleted": 2}
    api.force_authenticate(annotator)
    assert api.get(url).status_code == 403
    assert api.post(url, {"documents": "", "expected": 3}, format="json").status_code == 403
    api.force_authenticate(outsider)
    assert api.get(url).status_code == 404
    assert Document.objects.filter(corpus=corpus).count() == 3


@pytest.mark.parametrize("action", ["delete", "preannotate", "export"])
def test_every_filter_of_the_list_selects_for_every_action(owner, corpus, documents, action):
    """The state, label and score filters read more than a document's own columns."""
    api = APIClient()
    api.force_authenticate(owner)
    selection = "q=Homs&state=pre-annotated&label=PER&score_below=0.95"
    slug = corpus.slug
    if action == "delete":
        response = api.get(reverse("api-documents-delete", args=[slug]), {"documents": selection})
        assert response.json()["documents"] == 2
    elif action == "preannotate":
        url = reverse("api-run-list", args=[slug])
        response = api.post(url, {"documents": selection}, format="json")
        assert response.status_code == 202, response.content
    else:
        url = reverse("api-corpus-export-preview", args=[slug])
        response = api.get(url, {"documents": selection, "layers": "predictions"})
        assert response.status_code == 200, response.content
