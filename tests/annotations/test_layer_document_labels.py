"""Document labels in the layer's exchange format: PUT sets them, GET and revisions show them."""

import pytest
from django.urls import reverse

from annotations.history import revision_snapshot
from annotations.models import Annotation
from corpus.models import AttributeType

pytestmark = pytest.mark.django_db


@pytest.fixture
def document_labels(corpus):
    """Topic (several of aid, shelling, politics) and Relevant (yes/no) for whole documents."""
    schema = corpus.schema
    AttributeType.objects.create(
        schema=schema,
        key="Topic",
        name="Topic",
        applies_to="document",
        values=["aid", "shelling", "politics"],
        multiple=True,
    )
    AttributeType.objects.create(
        schema=schema, key="Tone", name="Tone", applies_to="document", values=["calm", "alarm"]
    )
    AttributeType.objects.create(
        schema=schema, key="Relevant", name="Relevant", applies_to="document"
    )


@pytest.fixture
def layer(api, document, document_labels):
    url = reverse("api-my-layer", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    return api.post(url).json()


def put(api, layer, **changes):
    return api.put(
        reverse("api-layer-detail", kwargs={"pk": layer["id"]}), {**layer, **changes}, format="json"
    )


def test_a_new_layer_has_no_labels(layer):
    assert layer["labels"] == {}


def test_a_put_stores_labels_and_get_and_the_revision_show_them(api, layer):
    labels = {"Relevant": True, "Topic": ["shelling", "aid"]}

    saved = put(api, layer, labels=labels)

    assert saved.status_code == 200, saved.json()
    assert saved.json()["labels"] == {"Topic": ["shelling", "aid"], "Relevant": True}
    shown = api.get(reverse("api-layer-detail", kwargs={"pk": layer["id"]})).json()
    assert shown["labels"] == saved.json()["labels"]
    stored = Annotation.objects.get(pk=layer["id"])
    assert stored.attributes == saved.json()["labels"]
    assert revision_snapshot(stored.revisions.get(version=2))["labels"] == shown["labels"]


def test_a_put_without_labels_keeps_them(api, layer):
    first = put(api, layer, labels={"Tone": ["alarm"]}).json()
    del first["labels"]

    second = put(api, first)

    assert second.status_code == 200
    assert second.json()["labels"] == {"Tone": ["alarm"]}


def test_labels_can_be_cleared_and_an_empty_choice_is_left_out(api, layer):
    first = put(api, layer, labels={"Tone": ["alarm"], "Relevant": False}).json()

    second = put(api, first, labels={"Tone": []})

    assert second.json()["labels"] == {}
    assert Annotation.objects.get(pk=layer["id"]).attributes == {}


def test_bad_labels_are_refused_naming_each_one_and_nothing_is_written(api, layer):
    refused = put(
        api,
        layer,
        labels={
            "topic": ["aid"],
            "Tone": ["calm", "alarm"],
            "Relevant": "yes",
            "Topic": ["Aid"],
        },
    )

    assert refused.status_code == 400
    errors = {error["field"]: error["message"] for error in refused.json()["extra"]["errors"]}
    assert errors == {
        "labels.topic": "'topic' is not a document label of this schema (case matters: Topic).",
        "labels.Tone": "Tone takes one value, not 2.",
        "labels.Relevant": "Relevant is yes/no: true or false.",
        "labels.Topic": "Topic has no value 'Aid'; its values are aid, shelling, politics.",
    }
    assert Annotation.objects.get(pk=layer["id"]).version == 1


def test_labels_that_are_not_an_object_are_a_400(api, layer):
    refused = put(api, layer, labels=["Topic"])

    assert refused.status_code == 400
    assert refused.json()["extra"]["errors"][0]["field"] == "labels"


def test_a_label_the_schema_dropped_is_kept_when_sent_back_unchanged(api, layer):
    first = put(api, layer, labels={"Tone": ["calm"]}).json()
    AttributeType.objects.filter(key="Tone").update(values=["alarm"])

    second = put(api, first)
    third = put(api, second.json(), labels={"Tone": ["calm"], "Relevant": True})

    assert second.status_code == 200
    assert third.status_code == 200, third.json()
    assert third.json()["labels"] == {"Tone": ["calm"], "Relevant": True}
