"""Document labels: attributes of the whole document, defined on the schema page, held by layers."""

import json
from io import BytesIO

import pytest
from django.urls import reverse

from annotations.models import Annotation
from corpus.models import AttributeType
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TOPIC = {"action": "attribute-add", "key": "Topic", "name": "Topic", "applies_to": "document"}


@pytest.fixture
def schema_url(corpus) -> str:
    return reverse("corpus-schema", args=[corpus.slug])


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def topics(as_owner, schema_url, corpus):
    """A several-valued Topic label, and two layers holding conflict (one also aid)."""
    added = as_owner.post(schema_url, {**TOPIC, "values": "conflict\naid\nsport", "multiple": "on"})
    assert added.status_code == 302
    for chosen in (["conflict", "aid"], ["conflict"]):
        AnnotationFactory(document=DocumentFactory(corpus=corpus), attributes={"Topic": chosen})
    return corpus.schema.attribute_types.get(key="Topic")


def test_an_owner_adds_a_document_label_with_several_values(topics):
    assert (topics.applies_to, topics.values, topics.multiple) == (
        "document",
        ["conflict", "aid", "sport"],
        True,
    )


def test_removing_a_value_layers_hold_is_refused_with_counts(as_owner, schema_url, topics):
    edit = {"action": "attribute-save", "kind": "document", "key": "Topic", "multiple": "on"}
    refused = as_owner.post(schema_url, {**edit, "values": "conflict\nsport"})
    assert refused.status_code == 400
    assert "aid is held by 1 item" in refused.content.decode()
    kept = as_owner.post(schema_url, {**edit, "values": "conflict\naid"})  # sport: nobody holds it
    assert kept.status_code == 302
    topics.refresh_from_db()
    assert topics.values == ["conflict", "aid"]


def test_one_value_only_is_refused_while_a_layer_holds_several(as_owner, schema_url, topics):
    edit = {"action": "attribute-save", "kind": "document", "key": "Topic"}
    refused = as_owner.post(schema_url, {**edit, "values": "conflict\naid\nsport"})
    assert refused.status_code == 400
    assert "1 layers hold several values of Topic" in refused.content.decode()
    topics.refresh_from_db()
    assert topics.multiple is True


def test_deleting_a_label_layers_hold_needs_removing_it_from_them(as_owner, schema_url, topics):
    delete = {"action": "attribute-delete", "kind": "document", "key": "Topic"}
    assert as_owner.post(schema_url, delete).status_code == 400
    assert as_owner.post(schema_url, {**delete, "with_items": "on"}).status_code == 302
    assert not AttributeType.objects.filter(pk=topics.pk).exists()
    assert [layer.attributes for layer in Annotation.objects.all()] == [{}, {}]


def test_several_values_are_only_for_document_labels_with_values(as_owner, schema_url):
    yes_no = as_owner.post(schema_url, {**TOPIC, "key": "Breaking", "multiple": "on"})
    assert yes_no.status_code == 400
    assert "only a document label with values" in yes_no.content.decode()


def test_the_schema_file_carries_document_labels_both_ways(as_owner, schema_url, topics):
    downloaded = json.loads(as_owner.get(schema_url, {"download": "json"}).content)
    topic = next(item for item in downloaded["attribute_types"] if item["key"] == "Topic")
    assert (topic["applies_to"], topic["multiple"]) == ("document", True)
    topic["multiple"] = "yes"
    upload = BytesIO(json.dumps(downloaded).encode())
    upload.name = "schema.json"
    refused = as_owner.post(schema_url, {"action": "upload", "schema_file": upload})
    assert refused.status_code == 400
    assert "multiple" in refused.content.decode()
