"""Document states: new → pre-annotated → in progress → annotated → reviewed, in one query.

Shown and filterable on the corpus page and in the API, which keeps the old `status` too.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Annotation
from annotations.selectors import corpus_document_page
from config.errors import InvalidInput
from corpus.models import Membership
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def layer(document, kind: str, status: str = "draft", user=None) -> Annotation:
    if kind == "prediction":
        return AnnotationFactory(document=document)
    return AnnotationFactory(
        document=document, kind=kind, status=status, user=user, model_name="", model_version=""
    )


@pytest.fixture
def second(corpus):
    user = UserFactory(username="bo-annotator")
    Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    return user


@pytest.fixture
def documents(corpus, annotator, second):
    """One document in each state, with overlap 2, and the (old status, state) each should have."""
    corpus.annotators_per_document = 2
    corpus.save(update_fields=["annotators_per_document"])
    made = {}

    made["new"] = DocumentFactory(corpus=corpus)

    made["pre-annotated"] = document = DocumentFactory(corpus=corpus)
    layer(document, "prediction")

    made["in progress"] = document = DocumentFactory(corpus=corpus)
    layer(document, "prediction")
    layer(document, "annotator", "submitted", annotator)  # one of the two wanted
    layer(document, "annotator", "skipped", second)

    made["annotated"] = document = DocumentFactory(corpus=corpus)
    layer(document, "annotator", "submitted", annotator)
    layer(document, "annotator", "submitted", second)

    made["reviewed"] = document = DocumentFactory(corpus=corpus)
    layer(document, "annotator", "submitted", annotator)
    layer(document, "gold", "reviewed")
    return made


def test_each_document_gets_its_state_and_its_old_status(corpus, documents):
    page = corpus_document_page(corpus=corpus)
    found = {document.pk: (document.status, document.state) for document in page.documents}
    assert found == {
        documents["new"].pk: ("new", "new"),
        documents["pre-annotated"].pk: ("pre-annotated", "pre-annotated"),
        documents["in progress"].pk: ("submitted", "in progress"),
        documents["annotated"].pk: ("submitted", "annotated"),
        documents["reviewed"].pk: ("gold", "reviewed"),
    }


def test_a_draft_or_an_unreviewed_gold_layer_is_in_progress(corpus, annotator):
    drafted = DocumentFactory(corpus=corpus)
    layer(drafted, "annotator", "draft", annotator)
    adjudicating = DocumentFactory(corpus=corpus)
    layer(adjudicating, "gold", "draft")
    skipped = DocumentFactory(corpus=corpus)
    layer(skipped, "annotator", "skipped", annotator)
    page = corpus_document_page(corpus=corpus)
    assert [document.state for document in page.documents] == ["in progress", "in progress", "new"]


@pytest.mark.parametrize("state", ["new", "pre-annotated", "in progress", "annotated", "reviewed"])
def test_the_state_filter_keeps_only_that_state(corpus, documents, state):
    page = corpus_document_page(corpus=corpus, state=state)
    assert [document.pk for document in page.documents] == [documents[state].pk]


def test_an_unknown_state_names_the_allowed_ones(corpus):
    with pytest.raises(InvalidInput, match="use one of new, pre-annotated, in progress"):
        corpus_document_page(corpus=corpus, state="done")


def test_the_state_filter_keeps_keyset_pagination(corpus, annotator):
    annotated = []
    for number in range(8):
        document = DocumentFactory(corpus=corpus)
        if number % 2:
            layer(document, "annotator", "submitted", annotator)
            annotated.append(document.pk)
    first = corpus_document_page(corpus=corpus, state="annotated", size=3)
    second = corpus_document_page(corpus=corpus, state="annotated", size=3, after=first.next_after)
    assert [d.pk for d in first.documents + second.documents] == annotated
    assert second.next_after is None


def test_the_api_lists_states_and_filters_by_one(
    annotator, corpus, documents, django_assert_num_queries
):
    api = APIClient()
    api.force_authenticate(annotator)
    url = reverse("api-document-list", kwargs={"slug": corpus.slug})
    rows = api.get(url).json()["results"]
    assert [(row["status"], row["state"]) for row in rows][2:4] == [
        ("submitted", "in progress"),
        ("submitted", "annotated"),
    ]
    with django_assert_num_queries(2):  # the corpus (with membership), the page
        response = api.get(url, {"state": "annotated"})
    assert [row["id"] for row in response.json()["results"]] == [documents["annotated"].pk]


def test_the_api_answers_400_naming_the_states_for_an_unknown_one(annotator, corpus):
    api = APIClient()
    api.force_authenticate(annotator)
    response = api.get(reverse("api-document-list", kwargs={"slug": corpus.slug}), {"state": "x"})
    assert response.status_code == 400
    assert response.json()["extra"]["allowed"] == [
        "new",
        "pre-annotated",
        "in progress",
        "annotated",
        "reviewed",
    ]


def test_the_corpus_page_shows_states_and_filter_links_that_page_within_the_state(
    client, annotator, corpus, django_assert_max_num_queries
):
    for _ in range(55):
        layer(DocumentFactory(corpus=corpus), "annotator", "submitted", annotator)
    DocumentFactory(corpus=corpus)
    client.force_login(annotator)
    with django_assert_max_num_queries(7):  # 6, and the worker status
        response = client.get(corpus.get_absolute_url(), {"state": "annotated"})
    html = response.content.decode()
    assert '<a href="?state=annotated" aria-current="true">annotated</a>' in html
    assert '<a href="?state=reviewed">reviewed</a>' in html
    next_after = response.context["page"].next_after
    assert f'href="?state=annotated&amp;after={next_after}" rel="next"' in html
    assert html.count('class="status status-annotated"') == 50
    rest = client.get(corpus.get_absolute_url(), {"state": "annotated", "after": next_after})
    assert len(rest.context["page"].documents) == 5
    empty = client.get(corpus.get_absolute_url(), {"state": "reviewed"}).content.decode()
    assert "No documents are reviewed." in empty
    assert client.get(corpus.get_absolute_url(), {"state": "done"}).status_code == 400
