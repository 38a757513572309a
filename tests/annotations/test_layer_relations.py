"""Relations in the layer's exchange format: GET shows them, PUT replaces them or keeps them."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from annotations.history import revision_snapshot
from annotations.models import Relation
from annotations.services.layers.schema_rules import RELATION_END_REFUSED
from corpus.models import RelationType
from corpus.selectors import schema_editor_spec
from tests.factories import prediction_create

pytestmark = pytest.mark.django_db

STATE_JS = Path(__file__).parents[2] / "static/goldset/js/relation-state.js"


@pytest.fixture
def located(corpus):
    """Relation type Located: a person (head) is in a geo-political entity (tail)."""
    relation_type = RelationType.objects.create(
        schema=corpus.schema, key="Located", name="Located in"
    )
    relation_type.arg1_types.set(corpus.schema.entity_types.filter(key="PER"))
    relation_type.arg2_types.set(corpus.schema.entity_types.filter(key="GPE"))
    return relation_type


@pytest.fixture
def layer(api, document, located):
    """The annotator's layer, opened on a copy of the prediction: Annan (PER), Damascus (GPE)."""
    prediction_create(document)
    url = reverse("api-my-layer", kwargs={"slug": document.corpus.slug, "pk": document.pk})
    return api.post(url).json()


def layer_url(layer: dict) -> str:
    return reverse("api-layer-detail", kwargs={"pk": layer["id"]})


def spans_of(layer: dict) -> dict[str, int]:
    return {span["label"]: span["id"] for span in layer["spans"]}


def test_a_put_with_relations_stores_them_and_get_and_the_revision_show_them(api, layer):
    spans = spans_of(layer)
    body = {
        **layer,
        "relations": [{"id": "n1", "type": "Located", "head": spans["PER"], "tail": spans["GPE"]}],
    }
    saved = api.put(layer_url(layer), body, format="json")
    assert saved.status_code == 200, saved.json()
    [relation] = saved.json()["relations"]
    assert (relation["type"], relation["head"], relation["tail"]) == (
        "Located",
        spans["PER"],
        spans["GPE"],
    )
    assert relation["source"] == "human"
    assert api.get(layer_url(layer)).json()["relations"] == [relation]
    row = Relation.objects.get()
    assert (row.pk, row.head_id, row.tail_id) == (relation["id"], spans["PER"], spans["GPE"])
    revision = row.annotation.revisions.get(version=2)
    assert revision_snapshot(revision)["relations"] == [relation]


def test_relations_may_refer_to_spans_new_in_the_same_save(api, layer):
    body = {
        **layer,
        "spans": [
            *layer["spans"],
            {"id": "n1", "start": 34, "end": 42, "label": "PER"},  # "Saturday", say
        ],
        "relations": [{"type": "Located", "head": "n1", "tail": spans_of(layer)["GPE"]}],
    }
    saved = api.put(layer_url(layer), body, format="json").json()
    [relation] = saved["relations"]
    saturday = next(span for span in saved["spans"] if span["start"] == 34)
    assert relation["head"] == saturday["id"]


def test_a_client_that_sends_no_relations_keeps_the_layer_s(api, layer):
    spans = spans_of(layer)
    relation = {"type": "Located", "head": spans["PER"], "tail": spans["GPE"]}
    first = api.put(layer_url(layer), {**layer, "relations": [relation]}, format="json").json()
    old_client = {key: first[key] for key in ("version", "spans", "events")}

    saved = api.put(layer_url(layer), old_client, format="json")

    assert saved.status_code == 200
    assert saved.json()["relations"] == first["relations"]
    assert Relation.objects.count() == 1


def test_an_empty_list_of_relations_removes_them(api, layer):
    spans = spans_of(layer)
    relation = {"type": "Located", "head": spans["PER"], "tail": spans["GPE"]}
    first = api.put(layer_url(layer), {**layer, "relations": [relation]}, format="json").json()

    saved = api.put(layer_url(layer), {**first, "relations": []}, format="json")

    assert saved.json()["relations"] == []
    assert not Relation.objects.exists()


def test_a_relation_whose_head_has_a_type_it_does_not_take_is_refused_with_its_field(api, layer):
    spans = spans_of(layer)
    reversed_relation = {"type": "Located", "head": spans["GPE"], "tail": spans["PER"]}

    refused = api.put(layer_url(layer), {**layer, "relations": [reversed_relation]}, format="json")

    assert refused.status_code == 400
    assert refused.json()["extra"]["errors"] == [
        {
            "field": "relations[0].head",
            "message": 'Relation Located takes PER as its head, not GPE ("Damascus").',
        },
        {
            "field": "relations[0].tail",
            "message": 'Relation Located takes GPE as its tail, not PER ("Kofi Annan").',
        },
    ]
    assert not Relation.objects.exists()


@pytest.mark.parametrize(
    ("relation", "field", "message"),
    [
        ({"type": "Born", "head": "PER", "tail": "GPE"}, "type", "Unknown relation type 'Born'"),
        ({"type": "Located", "head": 999, "tail": "GPE"}, "head", "No span 999 in this layer."),
        ({"type": "Located", "head": "PER", "tail": "PER"}, "tail", "two different spans"),
    ],
)
def test_a_bad_relation_is_refused_naming_its_field(api, layer, relation, field, message):
    spans = spans_of(layer)
    sent = {key: spans.get(value, value) for key, value in relation.items()}

    refused = api.put(layer_url(layer), {**layer, "relations": [sent]}, format="json")

    assert refused.status_code == 400
    [error] = refused.json()["extra"]["errors"]
    assert error["field"] == f"relations[0].{field}"
    assert message in error["message"]


def test_the_editor_gets_relation_types_with_the_entity_types_of_each_end(corpus, located):
    located.color, located.hotkey = "#8dd3c7", "l"
    located.save()
    spec = schema_editor_spec(corpus.schema)
    assert spec["relationTypes"] == {
        "Located": {
            "name": "Located in",
            "description": "",
            "group": "",
            "color": "#8dd3c7",
            "hotkey": "l",
            "headTypes": ["PER"],
            "tailTypes": ["GPE"],
        }
    }


def test_the_editor_refuses_a_relation_with_the_server_s_words():
    """The browser's message template (relation-state.js) is the server's, letter for letter."""
    found = re.search(r"export const RELATION_END_REFUSED =\s*'([^']*)';", STATE_JS.read_text())
    assert found, "relation-state.js defines RELATION_END_REFUSED"
    assert found.group(1) == RELATION_END_REFUSED
