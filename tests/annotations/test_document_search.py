"""The document list: search, filters and sorts, keyset pages in a constant number of queries.

Marked `postgres`: these run on SQLite (FTS5 table) and again on PostgreSQL (full-text search
on the GIN expression index) in the PostgreSQL pass.
"""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.document_search import (
    DocumentSearch,
    document_search_page,
    document_text_match,
)
from annotations.models import Event, Span
from annotations.scores import document_scores_refresh
from corpus.models import Document
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    event_create,
    prediction_create,
    span_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def api_list(user, corpus, **params):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(reverse("api-document-list", kwargs={"slug": corpus.slug}), params)


def found(corpus, **fields) -> list[int]:
    return [
        d.pk for d in document_search_page(corpus=corpus, search=DocumentSearch(**fields)).documents
    ]


def test_search_finds_words_in_title_external_id_text_and_metadata(corpus):
    by_title = DocumentFactory(corpus=corpus, title="Earthquake in Valparaiso", text="Body one.")
    by_id = DocumentFactory(corpus=corpus, external_id="reuters-20931", text="Body two.")
    by_text = DocumentFactory(corpus=corpus, text="The earthquake shook Santiago.")
    by_meta = DocumentFactory(corpus=corpus, text="Body three.", metadata={"desk": "seismology"})
    DocumentFactory(corpus=corpus, text="Nothing to see.")
    assert found(corpus, q="EARTHQUAKE") == [by_title.pk, by_text.pk]
    assert found(corpus, q="reuters-20931") == [by_id.pk]
    assert found(corpus, q="seismology") == [by_meta.pk]
    accented = DocumentFactory(corpus=corpus, text="Body four.", metadata={"place": ["Bogotá"]})
    assert found(corpus, q="Bogotá") == [accented.pk]
    assert found(corpus, q="earthquake santiago") == [by_text.pk]  # every word
    assert found(corpus, q="!!! ???") == []


def test_search_follows_edited_titles_and_deleted_documents(corpus):
    document = DocumentFactory(corpus=corpus, title="Old headline", text="Some text.")
    document.title = "Fresh headline"
    document.save(update_fields=["title"])
    assert found(corpus, q="fresh") == [document.pk]
    assert found(corpus, q="old") == []
    document.delete()
    assert found(corpus, q="fresh") == []


def test_search_stays_inside_the_corpus(corpus):
    DocumentFactory(text="Tsunami warning issued.")  # another corpus
    assert found(corpus, q="tsunami") == []


def test_filters_by_annotator_label_event_type_and_lowest_score(corpus, annotator):
    plain = DocumentFactory(corpus=corpus)
    worked = DocumentFactory(corpus=corpus)
    layer = AnnotationFactory(
        document=worked, kind="annotator", user=annotator, model_name="", model_version=""
    )
    span_create(layer, 0, 7, "GPE")
    predicted = DocumentFactory(corpus=corpus, text="Kofi Annan arrived in Damascus today.")
    prediction = prediction_create(predicted)
    Span.objects.filter(annotation=prediction, entity_type__key="GPE").update(score=0.3)
    document_scores_refresh([predicted.pk])  # as a model's write of the layer does
    event_create(layer, 8, 14, "Life.Die")
    assert found(corpus, annotator=annotator.username) == [worked.pk]
    assert found(corpus, annotator="nobody") == []
    assert found(corpus, label="GPE") == [worked.pk, predicted.pk]
    assert found(corpus, label="PER") == [predicted.pk]
    assert found(corpus, event_type="Life.Die") == [worked.pk, predicted.pk]
    assert found(corpus, score_below=0.5) == [predicted.pk]
    assert found(corpus, score_below=0.2) == []
    assert plain.pk not in found(corpus, label="GPE", event_type="Life.Die")


def pages(corpus, search: DocumentSearch, size: int = 2) -> list[int]:
    seen, after = [], 0
    while True:
        page = document_search_page(corpus=corpus, search=search, after=after, size=size)
        seen += [document.pk for document in page.documents]
        if page.next_after is None:
            return seen
        after = page.next_after


def test_every_sort_pages_through_all_documents_once_in_order(corpus):
    titles = ["delta", "alpha", "charlie", "alpha", "bravo"]
    documents = [DocumentFactory(corpus=corpus, title=title) for title in titles]
    for document, score in zip(documents, [0.9, None, 0.2, 0.5, 0.2], strict=True):
        if score is not None:
            layer = prediction_create(document)
            Span.objects.filter(annotation=layer).update(score=score)
            Event.objects.filter(annotation=layer).update(score=score)
            document_scores_refresh([document.pk])
    ids = [document.pk for document in documents]
    assert pages(corpus, DocumentSearch()) == ids
    by_title = sorted(documents, key=lambda d: (d.title, d.pk))
    assert pages(corpus, DocumentSearch(sort="title")) == [d.pk for d in by_title]
    assert pages(corpus, DocumentSearch(sort="imported")) == sorted(
        ids, key=lambda pk: (documents[ids.index(pk)].created_at, pk), reverse=True
    )
    assert pages(corpus, DocumentSearch(sort="score")) == [ids[2], ids[4], ids[3], ids[0], ids[1]]


@pytest.mark.parametrize("sort", ["order", "title", "score"])
def test_a_page_takes_the_same_few_queries_however_many_documents_match(
    corpus, owner, sort, django_assert_max_num_queries
):
    for n in range(120):
        document = DocumentFactory(corpus=corpus, title=f"Storm report {n % 7}")
        if n % 10 == 0:
            prediction_create(document)
    params = {"q": "storm", "label": "PER", "score_below": "0.95", "sort": sort}
    first = api_list(owner, corpus, **params).json()
    # 2 to authenticate and find the corpus with the caller's roles, 1 page, 1 cursor row
    with django_assert_max_num_queries(3):
        response = api_list(owner, corpus, **params, after=first["results"][-1]["id"])
    assert response.status_code == 200
    assert len(first["results"]) == 12


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("sort", "newest"),
        ("score_below", "nan"),
        ("score_below", "2"),
        ("q", "x" * 201),
        ("label", "a\x00b"),
        ("state", "done"),
        ("after", "²"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(corpus, owner, param, value):
    response = api_list(owner, corpus, **{param: value})
    assert response.status_code == 400
    assert param in response.json()["message"]


def test_a_cursor_from_another_corpus_is_a_400_naming_after(corpus, owner):
    elsewhere = DocumentFactory()
    response = api_list(owner, corpus, sort="title", after=elsewhere.pk)
    assert response.status_code == 400
    assert response.json()["extra"]["field"] == "after"


def test_an_outsider_cannot_search_a_corpus(corpus, outsider):
    DocumentFactory(corpus=corpus, title="Secret plans")
    assert api_list(outsider, corpus, q="secret").status_code == 404


def test_the_corpus_page_takes_the_same_queries_filtered_and_sorted(
    client, owner, corpus, django_assert_max_num_queries
):
    for n in range(60):
        prediction_create(DocumentFactory(corpus=corpus, title=f"Riot {n}"))
    client.force_login(owner)
    params = {"q": "riot", "sort": "score", "label": "PER", "event_type": "Life.Die"}
    first = client.get(corpus.get_absolute_url(), {**params, "score_below": "0.95"})
    after = first.context["page"].next_after
    # as unfiltered (7: session, user, corpus, roles, page, run panel, workers), the active
    # model (owners and reviewers see it) and the cursor row
    with django_assert_max_num_queries(9):
        response = client.get(corpus.get_absolute_url(), {**params, "after": after})
    assert len(response.context["page"].documents) == 10


def test_the_corpus_page_keeps_search_and_filter_in_the_url(client, annotator, corpus):
    for n in range(55):
        DocumentFactory(corpus=corpus, title=f"Flood bulletin {n}")
    DocumentFactory(corpus=corpus, title="Harvest news")
    client.force_login(annotator)
    response = client.get(corpus.get_absolute_url(), {"q": "flood", "sort": "title"})
    html = response.content.decode()
    assert 'name="q" value="flood"' in html
    assert '<option value="title" selected>' in html
    assert 'href="?q=flood&amp;sort=title&amp;state=new"' in html  # state links keep the search
    next_after = response.context["page"].next_after
    assert f'href="?q=flood&amp;sort=title&amp;after={next_after}" rel="next"' in html
    rest = client.get(
        corpus.get_absolute_url(), {"q": "flood", "sort": "title", "after": next_after}
    )
    assert len(rest.context["page"].documents) == 5
    none = client.get(corpus.get_absolute_url(), {"q": "drought"}).content.decode()
    assert "No documents match this search." in none
    assert client.get(corpus.get_absolute_url(), {"sort": "size"}).status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
def test_postgresql_search_uses_the_gin_index(corpus):
    DocumentFactory(corpus=corpus, title="Volcano")
    queryset = document_text_match(Document.objects.all(), "volcano")
    # Neither a table scan nor a walk of another index in order (on a tiny table, either
    # may look as cheap): what is left is a lookup through an index that can match words.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plan = queryset.explain()
        cursor.execute("RESET enable_indexscan")
        cursor.execute("RESET enable_seqscan")
    assert "corpus_document_search_vector" in plan
    assert [document.title for document in queryset] == ["Volcano"]
