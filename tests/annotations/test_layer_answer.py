"""Opening a layer through the API, gzipped: the answer is compressed once per version and
kept, holds exactly what the plain answer holds, and never outlives anything in it."""

import gzip
import json

import pytest
from django.urls import reverse

from corpus.services.schema_edit import label_rename
from tests.factories import prediction_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def my_layer_url(document):
    prediction_create(document)
    return reverse("api-my-layer", kwargs={"slug": document.corpus.slug, "pk": document.pk})


def layer_url(layer_id: int, action: str = "") -> str:
    if action:
        return reverse(f"api-layer-{action}", kwargs={"pk": layer_id})
    return reverse("api-layer-detail", kwargs={"pk": layer_id})


def unzipped(response) -> dict:
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["Content-Type"] == "application/json"
    return json.loads(gzip.decompress(response.content))


def test_an_open_is_gzipped_and_holds_what_the_plain_answer_holds(api, my_layer_url):
    opened = api.post(my_layer_url, **GZIP)
    assert opened.status_code == 201
    layer = unzipped(opened)

    again = api.get(layer_url(layer["id"]), **GZIP)
    plain = api.get(layer_url(layer["id"]))

    assert again.status_code == 200
    assert unzipped(again) == layer == plain.json()
    assert not plain.has_header("Content-Encoding")
    assert [span["label"] for span in layer["spans"]] == ["PER", "GPE"]


def test_the_open_after_my_layer_is_answered_with_what_my_layer_kept(
    api, my_layer_url, django_assert_num_queries
):
    opened = api.post(my_layer_url, **GZIP)
    layer = unzipped(opened)
    # The layer and the schema's latest edit; the layer's origin, read back from the
    # database (PostgreSQL orders a JSON object's keys its own way), still finds the answer.
    with django_assert_num_queries(2):
        again = api.get(layer_url(layer["id"]), **GZIP)
    assert again.content == opened.content


def test_a_version_opened_again_is_answered_from_what_was_kept(
    api, my_layer_url, django_assert_num_queries
):
    layer = unzipped(api.post(my_layer_url, **GZIP))
    first = api.get(layer_url(layer["id"]), **GZIP)
    # The layer and the corpus's latest schema edit: nothing read, rendered or compressed.
    with django_assert_num_queries(2):
        second = api.get(layer_url(layer["id"]), **GZIP)
    assert second.content == first.content


def test_a_save_is_answered_with_the_new_version(api, my_layer_url):
    layer = unzipped(api.post(my_layer_url, **GZIP))
    api.get(layer_url(layer["id"]), **GZIP)  # kept
    spans = [layer["spans"][0], {**layer["spans"][1], "note": "the capital"}]
    assert (
        api.put(layer_url(layer["id"]), {**layer, "spans": spans}, format="json").status_code == 200
    )

    held = unzipped(api.get(layer_url(layer["id"]), **GZIP))

    assert held["version"] == layer["version"] + 1
    assert [span["note"] for span in held["spans"]] == ["", "the capital"]


def test_a_skip_which_keeps_the_version_shows_in_the_next_answer(api, my_layer_url):
    layer = unzipped(api.post(my_layer_url, **GZIP))
    assert unzipped(api.get(layer_url(layer["id"]), **GZIP))["status"] == "draft"  # kept
    skipped = api.post(layer_url(layer["id"], "skip"), {"version": layer["version"]}, format="json")
    assert skipped.json()["version"] == layer["version"]

    held = unzipped(api.get(layer_url(layer["id"]), **GZIP))

    assert (held["status"], held["version"]) == ("skipped", layer["version"])


def test_a_schema_edit_shows_in_the_next_answer(api, my_layer_url, corpus, owner):
    layer = unzipped(api.post(my_layer_url, **GZIP))
    api.get(layer_url(layer["id"]), **GZIP)  # kept
    label_rename(corpus=corpus, actor=owner, kind="entity", key="GPE", new_key="PLACE")

    held = unzipped(api.get(layer_url(layer["id"]), **GZIP))

    assert [span["label"] for span in held["spans"]] == ["PER", "PLACE"]
    assert held["version"] == layer["version"]


def test_an_indented_answer_is_rendered_and_compressed_as_any_other(api, my_layer_url):
    layer = unzipped(api.post(my_layer_url, **GZIP))

    indented = api.get(layer_url(layer["id"]), HTTP_ACCEPT="application/json; indent=2", **GZIP)

    assert indented.content[3] & gzip.FNAME  # GZipMiddleware's random name, against BREACH
    text = gzip.decompress(indented.content)
    assert b'\n  "spans": [\n' in text
    assert json.loads(text) == layer
