"""Pages need a login and a membership; article text is shown as text, never as HTML."""

import json

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory, span_create

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, document):
    for url in [
        reverse("corpus-list"),
        document.corpus.get_absolute_url(),
        document.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_user_without_membership_gets_404_for_corpus_and_its_documents(client, outsider, document):
    client.force_login(outsider)
    assert client.get(document.corpus.get_absolute_url()).status_code == 404
    assert client.get(document.get_absolute_url()).status_code == 404
    assert document.corpus.name not in client.get(reverse("corpus-list")).content.decode()


def test_document_of_another_corpus_is_404_even_for_a_member(client, annotator, document):
    stranger = DocumentFactory()
    client.force_login(annotator)
    url = reverse("document-detail", kwargs={"slug": document.corpus.slug, "pk": stranger.pk})
    assert client.get(url).status_code == 404


def test_member_sees_corpus_with_document_status_and_counts(client, annotator, document):
    layer = AnnotationFactory(document=document)
    span_create(layer, 0, 10, "PER")
    span_create(layer, 22, 30, "GPE")
    client.force_login(annotator)
    response = client.get(document.corpus.get_absolute_url())
    assert response.status_code == 200
    [row] = response.context["page"].documents
    assert (row.status, row.entity_count, row.event_count) == ("pre-annotated", 2, 0)
    assert row.preview == document.text
    assert "Kofi Annan arrived in Damascus" in response.content.decode()


def test_corpus_page_query_count_does_not_grow_with_documents(
    client, annotator, corpus, django_assert_max_num_queries
):
    for _ in range(30):
        span_create(AnnotationFactory(document=DocumentFactory(corpus=corpus)), 0, 7, "PER")
    client.force_login(annotator)
    with django_assert_max_num_queries(7):  # 6, and the worker status
        response = client.get(corpus.get_absolute_url())
    assert len(response.context["page"].documents) == 30


def test_corpus_page_paginates_by_keyset(client, annotator, corpus):
    documents = [DocumentFactory(corpus=corpus) for _ in range(55)]
    client.force_login(annotator)
    first = client.get(corpus.get_absolute_url()).context["page"]
    assert len(first.documents) == 50
    second = client.get(corpus.get_absolute_url(), {"after": first.next_after}).context["page"]
    assert [d.pk for d in first.documents + second.documents] == [d.pk for d in documents]
    assert second.next_after is None


def test_document_page_passes_text_and_spans_as_json_not_html(client, annotator, corpus):
    document = DocumentFactory(corpus=corpus, text="<script>alert('x')</script> met Annan.")
    span_create(AnnotationFactory(document=document), 33, 38, "PER")
    client.force_login(annotator)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    data = json.loads(
        html.split('id="document-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["text"] == document.text
    assert data["spans"] == [
        {"start": 33, "end": 38, "label": "PER", "score": None, "modelLabel": None}
    ]


def test_annotators_do_not_see_each_others_layers(client, annotator, reviewer, document):
    other = Annotation.objects.create(document=document, kind="annotator", user=reviewer)
    client.force_login(annotator)
    response = client.get(document.get_absolute_url(), {"layer": other.pk})
    assert response.status_code == 404
    client.force_login(reviewer)
    assert client.get(document.get_absolute_url(), {"layer": other.pk}).status_code == 200
