"""Attributes agree with the schema: known keys, listed values (case included), yes/no booleans."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Annotation, Span
from annotations.services.layers import annotator_layer_open, layer_snapshot
from annotations.services.layers.attributes import attributes_clean
from annotations.services.layers.schema_rules import SchemaRules
from corpus.models import AttributeType
from corpus.services.schemas import schema_create
from formats.brat.conf import schema_data_from_conf
from formats.brat.reader import read_brat
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import Problem
from tests.conftest import SHARED_TESTDATA
from tests.factories import prediction_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ANNAN = {"id": "n1", "start": 0, "end": 10, "label": "PER"}
DEATH = {"id": "e1", "type": "Life.Die", "trigger_start": 11, "trigger_end": 18}


@pytest.fixture
def schema_attributes(corpus):
    """Polarity (Positive/Negative) and Generic (yes/no) on events, Mention on entities."""
    for key, applies_to, values in (
        ("Polarity", "event", ["Positive", "Negative"]),
        ("Generic", "event", []),
        ("Mention", "entity", ["NAM", "NOM", "PRO"]),
    ):
        AttributeType.objects.create(
            schema=corpus.schema, key=key, name=key, applies_to=applies_to, values=values
        )


@pytest.fixture
def layer(document, annotator, schema_attributes):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    return layer


def put(api: APIClient, layer: Annotation, spans: list, events: list):
    body = {"version": layer.version, "spans": spans, "events": events}
    url = reverse("api-layer-detail", kwargs={"pk": layer.pk})
    return api.put(url, json.dumps(body), content_type="application/json")


def errors(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {error["field"]: error["message"] for error in response.json()["extra"]["errors"]}


def test_an_unknown_value_is_refused_naming_the_item_key_and_allowed_values(api, layer):
    response = put(api, layer, [], [{**DEATH, "attributes": {"Polarity": "sideways"}}])
    assert errors(response) == {
        "events[0].attributes.Polarity": (
            "Polarity must be one of Positive, Negative, not 'sideways'."
        )
    }
    assert layer.events.count() == 0


def test_an_unknown_key_is_refused_with_the_keys_the_schema_has(api, layer):
    response = put(api, layer, [{**ANNAN, "attributes": {"polarity": "Negative"}}], [])
    assert errors(response) == {
        "spans[0].attributes.polarity": (
            "'polarity' is not an attribute of entity items in this schema; it has Mention."
        )
    }


def test_case_matters_in_keys_and_values(api, layer):
    events = [
        {**DEATH, "attributes": {"Polarity": "negative"}},
        {**DEATH, "id": "e2", "trigger_start": 0, "attributes": {"polarity": "Negative"}},
    ]
    assert errors(put(api, layer, [], events)) == {
        "events[0].attributes.Polarity": (
            "Polarity must be one of Positive, Negative, not 'negative' (case matters: Negative)."
        ),
        "events[1].attributes.polarity": (
            "'polarity' is not an attribute of event items in this schema (case matters: Polarity)."
        ),
    }


def test_a_yes_no_attribute_takes_true_or_false(api, layer):
    response = put(api, layer, [], [{**DEATH, "attributes": {"Generic": "yes"}}])
    assert errors(response) == {
        "events[0].attributes.Generic": "Generic is a yes/no attribute: true or false, not 'yes'."
    }
    response = put(api, layer, [], [{**DEATH, "attributes": {"Generic": True}}])
    assert response.status_code == 200
    assert layer.events.get().attributes == {"Generic": True}


def test_valid_attributes_of_spans_and_events_are_saved(api, layer):
    spans = [{**ANNAN, "attributes": {"Mention": "NAM"}}]
    events = [{**DEATH, "attributes": {"Polarity": "Negative"}}]
    assert put(api, layer, spans, events).status_code == 200
    content = layer_snapshot(layer)
    assert content["spans"][0]["attributes"] == {"Mention": "NAM"}
    assert content["events"][0]["attributes"] == {"Polarity": "Negative"}


def test_a_copy_of_the_predictions_saves_back_with_the_model_s_own_attributes(
    api, document, annotator, schema_attributes
):
    """Pre-annotation writes `model_label`; imports may bring keys the schema lacks."""
    prediction = prediction_create(document)
    Span.objects.filter(annotation=prediction, start=0).update(
        attributes={"model_label": "PERSON", "factuality": "actual"}
    )
    layer, _ = annotator_layer_open(document=document, user=annotator)
    loaded = layer_snapshot(layer)
    response = put(api, layer, loaded["spans"], loaded["events"])
    assert response.status_code == 200, response.content
    [annan] = [span for span in layer_snapshot(layer)["spans"] if span["start"] == 0]
    assert annan["attributes"] == {"model_label": "PERSON", "factuality": "actual"}


def test_a_kept_unknown_attribute_cannot_be_changed_or_given_to_a_new_item(
    api, document, annotator, schema_attributes
):
    prediction = prediction_create(document)
    Span.objects.filter(annotation=prediction, start=0).update(attributes={"factuality": "actual"})
    layer, _ = annotator_layer_open(document=document, user=annotator)
    loaded = layer_snapshot(layer)
    spans = [dict(span) for span in loaded["spans"]]
    [annan] = [span for span in spans if span["start"] == 0]
    annan["attributes"] = {"factuality": "hoped"}
    spans.append({"id": "n9", "start": 34, "end": 42, "label": "PER"})
    spans[-1]["attributes"] = {"factuality": "actual"}
    problems = errors(put(api, layer, spans, loaded["events"]))
    assert set(problems) == {
        f"spans[{spans.index(annan)}].attributes.factuality",
        f"spans[{len(spans) - 1}].attributes.factuality",
    }


def test_an_import_keeps_the_schema_s_spelling_and_leaves_out_what_it_does_not_know(corpus):
    AttributeType.objects.create(
        schema=corpus.schema, key="Polarity", name="Polarity", applies_to="event",
        values=["Positive", "Negative"],
    )  # fmt: skip
    rules = SchemaRules.of(corpus.schema)
    warnings: list[str] = []
    kept = attributes_clean(
        rules,
        "event",
        {"Polarity": "NEGATIVE", "Tense": "Past", "normalizations": [{"rid": "W"}]},
        warnings.append,
    )
    assert kept == {"Polarity": "Negative", "normalizations": [{"rid": "W"}]}
    assert warnings == [
        "attribute Polarity: 'NEGATIVE' taken as the schema's 'Negative'",
        "attribute left out: 'Tense' is not an attribute of event items in this schema;"
        " it has Polarity.",
    ]


def test_the_brat_tutorial_attributes_all_agree_with_its_annotation_conf():
    """Binary attributes (`A2 Individual T4`) are true, valued ones are listed values."""
    folder = SHARED_TESTDATA / "brat-news-tutorial"
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    schema = schema_create(data=schema_data_from_conf(conf, key="brat-tutorial", name="brat"))
    rules = SchemaRules.of(schema)
    records = list(read_brat(ImportSource([Path(folder)]), ReadOptions()))
    seen, warnings = 0, []
    for record in records:
        assert not isinstance(record, Problem), record
        items = [("entity", span) for span in record.annotations.spans]
        items += [("event", event) for event in record.annotations.events]
        for applies_to, item in items:
            attributes = {k: v for k, v in item.attributes.items() if k != "normalizations"}
            seen += len(attributes)
            assert attributes_clean(rules, applies_to, attributes, warnings.append) == attributes
    assert warnings == []
    assert seen >= 8
