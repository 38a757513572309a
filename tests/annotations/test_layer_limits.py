"""How much a layer may hold: LAYER_MAX_ITEMS items and NOTE_MAX_CHARS per note, on every write."""

import json
import time

import pytest
from django.db import IntegrityError
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from annotations.labels import LabelIndex
from annotations.models import Annotation, Revision, Span
from annotations.services.content import layer_content_read, layer_content_write
from annotations.services.layers import annotator_layer_open, layer_save, layer_snapshot
from annotations.services.layers.gold import gold_write
from config.errors import InvalidInput
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def layer(document, annotator):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    return layer


@pytest.fixture
def long_layer(corpus, annotator):
    """The annotator's layer on a text of 400 "Annan "s."""
    document = DocumentFactory(corpus=corpus, text="Annan " * 400)
    layer, _ = annotator_layer_open(document=document, user=annotator)
    return layer


def person(i: int) -> dict:
    """The i-th span of a text of repeated "Annan " (six characters each)."""
    return {"id": f"n{i}", "start": 6 * i, "end": 6 * i + 5, "label": "PER"}


def put(api: APIClient, layer: Annotation, spans: list | str, events: list | None = None):
    """PUT the spans and events (or a body already made) to the layer."""
    body = spans
    if not isinstance(body, str):
        body = json.dumps({"version": layer.version, "spans": spans, "events": events or []})
    url = reverse("api-layer-detail", kwargs={"pk": layer.pk})
    return api.put(url, body, content_type="application/json")


def test_a_put_of_200000_spans_is_refused_at_once_and_writes_nothing(
    api, layer, django_assert_max_num_queries
):
    spans = [{"start": 0, "end": 4, "label": "PER"}] * 200_000
    body = json.dumps({"version": 1, "spans": spans, "events": []})  # 8.0 MB
    started = time.perf_counter()
    with django_assert_max_num_queries(8):  # the layer and the user's roles: no item is read
        response = put(api, layer, body)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == (
        "This layer has 200,000 items; a layer may hold at most 20,000 (LAYER_MAX_ITEMS)."
    )
    assert body["extra"] == {"limit": 20_000, "items": 200_000, "setting": "LAYER_MAX_ITEMS"}
    assert elapsed < 15, f"refusing took {elapsed:.1f} s"  # parsing the body, mostly
    layer.refresh_from_db()
    assert (layer.version, layer.spans.count(), layer.revisions.count()) == (1, 0, 1)


def test_arguments_count_towards_the_limit(api, long_layer, settings):
    settings.LAYER_MAX_ITEMS = 4
    layer = long_layer
    death = {
        "id": "e1",
        "type": "Life.Die",
        "trigger_start": 12,
        "trigger_end": 17,
        "arguments": [{"role": "Victim", "span": "n0"}, {"role": "Victim", "span": "n1"}],
    }
    response = put(api, layer, [person(0), person(1)], [death])
    assert response.status_code == 400
    assert response.json()["extra"]["items"] == 5
    assert put(api, layer, [person(0), person(1)], [{**death, "arguments": []}]).status_code == 200


def test_a_layer_at_the_limit_is_saved(long_layer, annotator, settings):
    settings.LAYER_MAX_ITEMS = 300
    layer = long_layer
    saved = layer_save(
        layer=layer, user=annotator, version=1, spans=[person(i) for i in range(300)], events=[]
    )
    assert (saved.version, saved.spans.count()) == (2, 300)
    with pytest.raises(InvalidInput, match=r"has 301 items; a layer may hold at most 300"):
        layer_save(
            layer=saved,
            user=annotator,
            version=2,
            spans=[person(i) for i in range(301)],
            events=[],
        )
    assert Span.objects.filter(annotation=layer).count() == 300


def test_a_note_over_the_limit_is_refused_with_its_field(api, layer, settings):
    settings.NOTE_MAX_CHARS = 20
    annan = {"start": 0, "end": 10, "label": "PER"}
    response = put(api, layer, [{**annan, "note": "x" * 21}])
    assert response.status_code == 400
    assert response.json()["extra"]["errors"] == [
        {
            "field": "spans[0].note",
            "message": ("The note has 21 characters; a note may hold at most 20 (NOTE_MAX_CHARS)."),
        }
    ]
    assert layer.spans.count() == 0
    assert put(api, layer, [{**annan, "note": "x" * 20}]).status_code == 200


def test_the_content_writer_refuses_an_oversized_layer_before_writing(document, settings):
    """Imports and pre-annotation write through it: the error names the limit and document."""
    settings.LAYER_MAX_ITEMS = 3
    layer = Annotation.objects.create(document=document, kind="prediction", model_name="m")
    labels = LabelIndex.of(document.corpus.schema_id)
    spans = [SpanItem(0, 0, 4, "PER"), SpanItem(1, 5, 10, "PER"), SpanItem(2, 22, 30, "GPE")]
    event = EventItem(0, "Life.Die", 11, 18, arguments=[ArgumentItem("Victim", span=0)])
    with pytest.raises(InvalidInput) as excinfo:
        layer_content_write(layer, LayerContent(spans=spans, events=[event]), labels=labels)
    assert excinfo.value.extra == {
        "limit": 3,
        "items": 5,
        "setting": "LAYER_MAX_ITEMS",
        "document": document.pk,
    }
    assert not Span.objects.filter(annotation=layer).exists()


def test_the_content_writer_refuses_a_long_note(document, settings):
    settings.NOTE_MAX_CHARS = 5
    layer = Annotation.objects.create(document=document, kind="prediction", model_name="m")
    labels = LabelIndex.of(document.corpus.schema_id)
    content = LayerContent(spans=[SpanItem(0, 0, 10, "PER", note="too long")])
    with pytest.raises(InvalidInput, match=r"NOTE_MAX_CHARS") as excinfo:
        layer_content_write(layer, content, labels=labels)
    assert excinfo.value.extra["errors"][0]["field"] == "spans[0].note"
    assert not Span.objects.filter(annotation=layer).exists()


def test_a_gold_write_over_the_limit_leaves_the_gold_as_it_was(document, reviewer, settings):
    gold = gold_write(
        document=document,
        content=LayerContent(spans=[SpanItem(0, 0, 10, "PER")]),
        origin={},
        user=reviewer,
    )
    settings.LAYER_MAX_ITEMS = 1
    content = LayerContent(spans=[SpanItem(0, 0, 10, "PER"), SpanItem(1, 22, 30, "GPE")])
    with pytest.raises(InvalidInput, match="LAYER_MAX_ITEMS"):
        gold_write(document=document, content=content, origin={}, user=reviewer)
    gold.refresh_from_db()
    assert gold.version == 1
    assert [span["label"] for span in layer_snapshot(gold)["spans"]] == ["PER"]
    assert Revision.objects.filter(annotation=gold).count() == 1


def test_a_long_article_of_a_real_size_fits_comfortably(corpus, annotator, settings):
    """50,000 characters, 2,000 entities, 800 events with two arguments each: 4,400 items."""
    document = DocumentFactory(corpus=corpus, text=("Annan " * 8400)[:50_000])
    layer, _ = annotator_layer_open(document=document, user=annotator)
    spans = [person(i) for i in range(2000)]
    events = [
        {
            "id": f"e{j}",
            "type": "Life.Die",
            "trigger_start": 6 * (2000 + j),
            "trigger_end": 6 * (2000 + j) + 5,
            "arguments": [
                {"role": "Victim", "span": f"n{2 * j}"},
                {"role": "Victim", "span": f"n{2 * j + 1}"},
            ],
        }
        for j in range(800)
    ]
    saved = layer_save(layer=layer, user=annotator, version=1, spans=spans, events=events)
    counts = layer_content_read(saved).counts()
    assert counts == {"spans": 2000, "events": 800, "arguments": 1600, "relations": 0}
    assert counts.total() * 4 <= settings.LAYER_MAX_ITEMS


def test_a_gold_write_the_database_refuses_raises_once_and_writes_nothing(document, reviewer):
    # The same span twice: the database refuses the second (not the race of two writers
    # creating the gold layer, which is written over once); the error surfaces at once.
    twice = LayerContent(spans=[SpanItem(1, 0, 10, "PER"), SpanItem(2, 0, 10, "PER")])
    with pytest.raises(IntegrityError):
        gold_write(document=document, content=twice, origin={}, user=reviewer)
    assert not Span.objects.filter(annotation__document=document).exists()
