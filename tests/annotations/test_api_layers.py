"""The editor's REST API: open your layer, save it with locking, submit, revisions, next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Annotation
from corpus.models import Membership
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    UserFactory,
    event_create,
    prediction_create,
    span_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def api():
    return APIClient()


def my_layer_url(document) -> str:
    return reverse("api-my-layer", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def layer_url(pk: int, action: str = "detail") -> str:
    return reverse(f"api-layer-{action}", kwargs={"pk": pk})


@pytest.fixture
def opened(api, annotator, document):
    """The annotator's layer as the editor received it on opening the document."""
    prediction_create(document)
    api.force_authenticate(annotator)
    return api.post(my_layer_url(document)).json()


def test_opening_my_layer_creates_it_once(api, annotator, document):
    prediction_create(document)
    api.force_authenticate(annotator)
    first = api.post(my_layer_url(document))
    again = api.post(my_layer_url(document))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    body = first.json()
    assert (body["kind"], body["user"], body["version"]) == ("annotator", "ana-annotator", 1)
    assert body["origin"]["copied_from"]["kind"] == "prediction"
    assert [(s["label"], s["source"], s["accepted"]) for s in body["spans"]] == [
        ("PER", "model", False),
        ("GPE", "model", False),
    ]
    [event] = body["events"]
    spans = {span["id"] for span in body["spans"]}
    assert {argument["span"] for argument in event["arguments"]} == spans


def test_members_who_only_own_the_corpus_cannot_open_a_layer(api, owner, outsider, document):
    api.force_authenticate(owner)
    response = api.post(my_layer_url(document))
    assert response.status_code == 403
    assert response.json() == {
        "message": "Only a corpus annotator or reviewer can annotate.",
        "extra": {},
    }
    api.force_authenticate(outsider)
    assert api.post(my_layer_url(document)).status_code == 404


def without_argument_ids(layer: dict) -> dict:
    """Arguments are written anew at every save; spans and events keep their ids."""
    events = [
        {**event, "arguments": [{**a, "id": None} for a in event["arguments"]]}
        for event in layer["events"]
    ]
    return {**layer, "events": events}


def test_get_put_get_round_trip_keeps_the_content(api, opened):
    response = api.put(layer_url(opened["id"]), opened, format="json")
    assert response.status_code == 200
    saved = response.json()
    assert saved.pop("ids") == {"spans": {}, "events": {}, "relations": {}}  # nothing new
    assert saved["version"] == 2
    assert api.get(layer_url(opened["id"])).json() == saved
    unchanged = ["spans", "events", "kind", "status", "origin", "user", "document"]
    assert {key: without_argument_ids(saved)[key] for key in unchanged} == {
        key: without_argument_ids(opened)[key] for key in unchanged
    }


def test_put_with_new_items_returns_their_database_ids(api, opened):
    body = {
        "version": 1,
        "spans": [*opened["spans"], {"id": "n1", "start": 34, "end": 42, "label": "PER"}],
        "events": [],
    }
    saved = api.put(layer_url(opened["id"]), body, format="json").json()
    assert all(isinstance(span["id"], int) for span in saved["spans"])
    assert saved["spans"][-1]["start"] == 34
    assert saved.pop("ids")["spans"] == {"n1": saved["spans"][-1]["id"]}
    assert saved["spans"][-1]["accepted"] is True
    # The answer is the layer as saved, item for item: what a GET now reads back.
    assert api.get(layer_url(opened["id"])).json() == saved


def test_put_with_a_stale_version_is_a_409_naming_the_current_one(api, opened):
    api.put(layer_url(opened["id"]), opened, format="json")
    emptied = {**opened, "spans": [], "events": []}
    response = api.put(layer_url(opened["id"]), emptied, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["message"].startswith(
        "This layer was saved elsewhere since you loaded it: it is now at version 2"
    )
    assert body["extra"]["version"] == 2
    assert body["extra"]["user"] == "ana-annotator"
    assert len(api.get(layer_url(opened["id"])).json()["spans"]) == 2


def test_put_lists_every_problem_with_its_field(api, opened):
    body = {**opened, "spans": [{**opened["spans"][0], "end": 500}, opened["spans"][1]]}
    body["events"] = [{**opened["events"][0], "arguments": [{"role": "Victim", "span": 12345}]}]
    response = api.put(layer_url(opened["id"]), body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "message": "The layer was not saved: 2 problems.",
        "extra": {
            "errors": [
                {"field": "spans[0].end", "message": "end 500 is past the end of the text (43)."},
                {
                    "field": "events[0].arguments[0].span",
                    "message": "No span 12345 in this layer.",
                },
            ]
        },
    }


@pytest.mark.parametrize("body", ["[1, 2]", '"spans"', "{not json"])
def test_put_with_a_body_that_is_not_an_object_is_a_400(api, opened, body):
    response = api.generic("PUT", layer_url(opened["id"]), body, "application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


def test_layers_of_others_cannot_be_saved(api, annotator, reviewer, outsider, document, opened):
    layer = layer_url(opened["id"])
    api.force_authenticate(reviewer)
    response = api.put(layer, opened, format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "Only the layer's annotator can change it."
    colleague = UserFactory(username="carl-colleague")
    Membership.objects.create(corpus=document.corpus, user=colleague, role="annotator")
    api.force_authenticate(colleague)
    assert api.put(layer, opened, format="json").status_code == 404  # blind annotation
    api.force_authenticate(outsider)
    assert api.put(layer, opened, format="json").status_code == 404
    prediction = Annotation.objects.get(kind="prediction")
    api.force_authenticate(annotator)
    assert api.put(layer_url(prediction.pk), opened, format="json").status_code == 403
    assert Annotation.objects.get(pk=opened["id"]).version == 1


def test_submitting_answers_with_the_next_document(api, corpus, opened, document):
    following = DocumentFactory(corpus=corpus, title="Second article")
    body = {"version": 1, "accept_pending": True}  # the predictions it opened with
    response = api.post(layer_url(opened["id"], "submit"), body, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "status": "submitted",
        "version": 2,
        "next": {
            "id": following.pk,
            "title": "Second article",
            "url": f"/corpora/{corpus.slug}/documents/{following.pk}/annotate/",
        },
    }


def test_skipping_the_last_open_document_ends_the_queue(api, opened):
    response = api.post(layer_url(opened["id"], "skip"), {"version": 1}, format="json")
    assert response.json() == {"status": "skipped", "version": 1, "next": None}


def test_submitting_an_unsaved_version_is_a_409(api, opened):
    api.put(layer_url(opened["id"]), opened, format="json")
    response = api.post(layer_url(opened["id"], "submit"), {"version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["extra"]["version"] == 2
    assert Annotation.objects.get(pk=opened["id"]).status == "draft"


def test_revisions_list_newest_first_with_counts(api, opened, django_assert_num_queries):
    api.put(layer_url(opened["id"]), {**opened, "spans": [], "events": []}, format="json")
    with django_assert_num_queries(2):  # the layer (the user's own: no role read), its revisions
        response = api.get(layer_url(opened["id"], "revisions"))
    assert [
        (item["version"], item["user"], item["spans"], item["events"]) for item in response.json()
    ] == [(2, "ana-annotator", 0, 0), (1, "ana-annotator", 2, 1)]


def test_a_revision_shows_the_content_saved_then(api, opened):
    api.put(layer_url(opened["id"]), {**opened, "spans": [], "events": []}, format="json")
    url = reverse("api-layer-revision", kwargs={"pk": opened["id"], "version": 1})
    body = api.get(url).json()
    assert body["version"] == 1
    assert [span["id"] for span in body["snapshot"]["spans"]] == [s["id"] for s in opened["spans"]]
    missing = reverse("api-layer-revision", kwargs={"pk": opened["id"], "version": 9})
    assert api.get(missing).status_code == 404


def test_next_document_is_for_annotators_and_reviewers(api, owner, annotator, corpus, document):
    url = reverse("api-next-document", kwargs={"slug": corpus.slug})
    api.force_authenticate(annotator)
    assert api.get(url).json()["next"]["id"] == document.pk
    assert api.get(url, {"after": document.pk}).json() == {"next": None}
    api.force_authenticate(owner)
    assert api.get(url).status_code == 403


def test_layer_detail_takes_a_constant_number_of_queries(
    api, annotator, corpus, django_assert_num_queries
):
    document = DocumentFactory(corpus=corpus, text="Annan died. " * 50)
    layer = AnnotationFactory(document=document)
    api.force_authenticate(annotator)
    annan = span_create(layer, 0, 5, "PER")
    event_create(layer, 6, 10, "Life.Die", Victim=annan)
    # The layer (a prediction: everyone in the corpus sees it, no role read), the corpus's
    # latest schema edit, its spans, events, arguments and relations.
    with django_assert_num_queries(6):
        api.get(layer_url(layer.pk))
    for i in range(1, 50):
        annan = span_create(layer, 12 * i, 12 * i + 5, "PER")
        event_create(layer, 12 * i + 6, 12 * i + 10, "Life.Die", Victim=annan)
    Annotation.objects.filter(pk=layer.pk).update(version=2)  # as every write of items does
    with django_assert_num_queries(6):
        response = api.get(layer_url(layer.pk))
    assert len(response.json()["events"]) == 50
    # The same version again: its JSON was kept, no item is read (the layer and the
    # corpus's latest schema edit).
    with django_assert_num_queries(2):
        again = api.get(layer_url(layer.pk))
    assert again.content == response.content


def test_opening_a_layer_and_its_comments_leave_the_tokens_unread(api, annotator, document):
    """A long article's tokens and sentences are most of its row: decoding them took a third
    of the first open of a 10,000-token article, which uses neither."""
    prediction_create(document)
    api.force_authenticate(annotator)
    comments = reverse(
        "api-document-comments", kwargs={"slug": document.corpus.slug, "pk": document.pk}
    )
    with CaptureQueriesContext(connection) as queries:
        opened = api.post(my_layer_url(document))
        again = api.post(my_layer_url(document))
        listed = api.get(comments)
        said = api.post(comments, {"text": "Is Homs a GPE here?"}, format="json")

    assert [opened.status_code, again.status_code, listed.status_code, said.status_code] == [
        201,
        200,
        200,
        201,
    ]
    read = [query["sql"] for query in queries if '"corpus_document"' in query["sql"]]
    assert read  # the document was read, its permission checked
    assert not [sql for sql in read if '"corpus_document"."tokens"' in sql]
    assert not [sql for sql in read if '"corpus_document"."sentences"' in sql]
