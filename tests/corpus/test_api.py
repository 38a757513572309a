"""The REST API: membership-scoped reads, token auth, one JSON error shape."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory, span_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_requests_get_a_json_error_not_a_login_page(api, document):
    response = api.get(reverse("api-corpus-list"))
    assert response.status_code in {401, 403}
    assert response.json() == {
        "message": "Authentication credentials were not provided.",
        "extra": {},
    }


def test_token_authenticates_scripts(api, annotator, corpus):
    token = Token.objects.create(user=annotator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(reverse("api-corpus-list"))
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()] == [corpus.slug]


def test_outsider_gets_404_for_everything_in_a_corpus(api, outsider, document):
    layer = AnnotationFactory(document=document)
    api.force_authenticate(outsider)
    slug = document.corpus.slug
    urls = [
        reverse("api-corpus-detail", kwargs={"slug": slug}),
        reverse("api-document-list", kwargs={"slug": slug}),
        reverse("api-document-detail", kwargs={"slug": slug, "pk": document.pk}),
        reverse("api-layer-detail", kwargs={"pk": layer.pk}),
    ]
    for url in urls:
        response = api.get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == {"message", "extra"}
    assert api.get(reverse("api-corpus-list")).json() == []


def test_corpus_detail_carries_the_schema_with_roles_and_your_roles(api, annotator, corpus):
    api.force_authenticate(annotator)
    body = api.get(reverse("api-corpus-detail", kwargs={"slug": corpus.slug})).json()
    assert body["roles"] == ["annotator"]
    [die] = body["label_schema"]["event_types"]
    assert {role["key"]: role["entity_types"] for role in die["roles"]} == {
        "Victim": ["PER"],
        "Place": ["GPE"],
    }


def test_document_list_is_keyset_paginated_with_constant_queries(
    api, annotator, corpus, django_assert_max_num_queries
):
    for _ in range(60):
        DocumentFactory(corpus=corpus)
    api.force_authenticate(annotator)
    url = reverse("api-document-list", kwargs={"slug": corpus.slug})
    with django_assert_max_num_queries(3):
        first = api.get(url).json()
    second = api.get(url, {"after": first["next_after"]}).json()
    assert len(first["results"]) == 50
    assert len(second["results"]) == 10
    assert second["next_after"] is None


def test_document_and_layer_detail_give_code_point_offsets(api, annotator, corpus):
    document = DocumentFactory(corpus=corpus, text="😀 Annan in Homs.")
    layer = AnnotationFactory(document=document)
    span_create(layer, 11, 15, "GPE")
    api.force_authenticate(annotator)
    body = api.get(
        reverse("api-document-detail", kwargs={"slug": corpus.slug, "pk": document.pk})
    ).json()
    assert body["text"] == document.text
    assert [item["id"] for item in body["layers"]] == [layer.pk]
    spans = api.get(reverse("api-layer-detail", kwargs={"pk": layer.pk})).json()["spans"]
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(11, 15, "GPE")]
    assert document.text[11:15] == "Homs"


def test_annotators_cannot_read_each_others_layers(api, annotator, reviewer, document):
    hidden = Annotation.objects.create(document=document, kind="annotator", user=reviewer)
    api.force_authenticate(annotator)
    assert api.get(reverse("api-layer-detail", kwargs={"pk": hidden.pk})).status_code == 404
    api.force_authenticate(reviewer)
    assert api.get(reverse("api-layer-detail", kwargs={"pk": hidden.pk})).status_code == 200


def test_openapi_schema_is_served_to_signed_in_users(api, annotator):
    assert api.get(reverse("api-schema")).status_code in {401, 403}
    api.force_authenticate(annotator)
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"/api/corpora/{slug}/documents/" in response.content
