"""A layer's content: written, it reads back the same; ids survive a replace; layers stay apart."""

import pytest

from annotations.content import ArgumentItem, EventItem, LayerContent, RelationItem, SpanItem
from annotations.labels import LabelIndex
from annotations.models import Annotation, Argument, Relation, Span
from annotations.services import content as content_module
from annotations.services.content import (
    layer_content_read,
    layer_content_write,
    layer_contents_read,
    layer_contents_write,
)
from corpus.models import RelationType
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.postgres

# "Kofi Annan arrived in Damascus on Saturday."
ANNAN, DAMASCUS, ARRIVED = (0, 10), (22, 30), (11, 18)


@pytest.fixture
def labels(corpus):
    RelationType.objects.create(schema=corpus.schema, key="PHYS.Located", name="Located")
    return LabelIndex.of(corpus.schema)


def content() -> LayerContent:
    """Two spans, an event whose roles come in reverse schema order, and a relation."""
    return LayerContent(
        spans=[
            SpanItem("T2", *DAMASCUS, "GPE", source="model", score=0.9, accepted=False),
            SpanItem("T1", *ANNAN, "PER", attributes={"mention": "NAM"}, note="the envoy"),
        ],
        events=[
            EventItem(
                "E1",
                "Life.Die",
                *ARRIVED,
                arguments=[ArgumentItem("Place", span="T2"), ArgumentItem("Victim", span="T1")],
            )
        ],
        relations=[RelationItem("R1", "PHYS.Located", head="T1", tail="T2")],
    )


def test_written_content_reads_back_the_same_with_database_ids(document, labels):
    layer = AnnotationFactory(document=document)

    written = layer_content_write(layer, content(), labels=labels)

    assert written == layer_content_read(layer)
    assert [span.label for span in written.spans] == ["PER", "GPE"]  # text order
    assert all(isinstance(span.id, int) for span in written.spans)
    annan, damascus = written.spans
    assert annan.attributes == {"mention": "NAM"}
    assert annan.note == "the envoy"
    assert (damascus.source, damascus.score, damascus.accepted) == ("model", 0.9, False)
    event = written.events[0]
    assert [(a.role, a.span) for a in event.arguments] == [
        ("Victim", annan.id),
        ("Place", damascus.id),
    ]  # schema order of the roles
    assert (written.relations[0].head, written.relations[0].tail) == (annan.id, damascus.id)


def test_a_replace_keeps_the_ids_of_items_sent_back_and_deletes_the_others(document, labels):
    layer = AnnotationFactory(document=document)
    before = layer_content_write(layer, content(), labels=labels)
    annan = before.spans[0]
    saturday = SpanItem("n1", 34, 42, "GPE")

    after = layer_content_write(
        layer, LayerContent(spans=[annan, saturday]), labels=labels, before=before
    )

    assert after.spans[0].id == annan.id
    assert after.spans[1].id not in {span.id for span in before.spans}
    assert layer_content_read(layer) == after
    assert not layer.events.exists()
    assert not Relation.objects.filter(annotation=layer).exists()


def test_ids_of_another_layer_are_never_taken(document, labels):
    first = AnnotationFactory(document=document)
    second = AnnotationFactory(document=document, model_name="another model")
    theirs = layer_content_write(first, content(), labels=labels)
    event = theirs.events[0]
    claimed = LayerContent(
        spans=theirs.spans,
        events=[EventItem(event.id, "Life.Die", *ARRIVED, arguments=event.arguments)],
    )

    mine = layer_content_write(second, claimed, labels=labels, before=layer_content_read(second))

    assert {span.id for span in mine.spans}.isdisjoint(span.id for span in theirs.spans)
    assert mine.events[0].id != event.id
    assert layer_content_read(first) == theirs


def test_an_argument_id_sent_twice_is_kept_once(document, labels):
    layer = AnnotationFactory(document=document)
    before = layer_content_write(layer, content(), labels=labels)
    victim = before.events[0].arguments[0]
    twice = LayerContent(
        spans=before.spans,
        events=[
            EventItem(before.events[0].id, "Life.Die", *ARRIVED, arguments=[victim]),
            EventItem("n2", "Life.Die", 34, 42, arguments=[victim]),
        ],
    )

    after = layer_content_write(layer, twice, labels=labels, before=before)

    ids = [event.arguments[0].id for event in after.events]
    assert victim.id in ids
    assert len(set(ids)) == 2
    assert Argument.objects.filter(event__annotation=layer).count() == 2


def test_layers_written_in_one_batch_keep_their_own_items(corpus, labels):
    texts = [
        "Kofi Annan arrived in Damascus on Saturday.",
        "Kofi Annan arrived in Damascus on Sunday.",
    ]
    layers = [AnnotationFactory(document=DocumentFactory(corpus=corpus, text=t)) for t in texts]

    written = layer_contents_write([(layer, content()) for layer in layers], labels=labels)

    assert [layer_content_read(layer) for layer in layers] == written
    for layer in layers:
        assert Span.objects.filter(annotation=layer).count() == 2
        assert not Argument.objects.filter(event__annotation=layer).exclude(span__annotation=layer)
    assert Annotation.objects.count() == 2


@pytest.mark.parametrize("event_ids_max", [1, 5_000])
def test_a_batch_of_layers_reads_back_its_arguments_past_the_event_ids_limit(
    corpus, labels, monkeypatch, event_ids_max
):
    # Past EVENT_IDS_MAX events, arguments are read through the join on layers instead.
    monkeypatch.setattr(content_module, "EVENT_IDS_MAX", event_ids_max)
    texts = ["Kofi Annan arrived in Damascus on Saturday.", "Kofi Annan arrived in Damascus."]
    layers = [AnnotationFactory(document=DocumentFactory(corpus=corpus, text=t)) for t in texts]
    written = layer_contents_write([(layer, content()) for layer in layers], labels=labels)

    read = layer_contents_read([layer.pk for layer in layers])

    items = [(read[layer.pk].spans, read[layer.pk].events) for layer in layers]
    assert items == [(content.spans, content.events) for content in written]
    assert [len(read[layer.pk].events[0].arguments) for layer in layers] == [2, 2]


def test_the_exchange_format_is_what_the_editor_gets(document, labels):
    layer = AnnotationFactory(document=document)
    written = layer_content_write(layer, content(), labels=labels)

    exchange = written.exchange(version=3)

    assert exchange["version"] == 3
    assert set(exchange) == {"version", "spans", "events", "relations", "labels"}
    assert exchange["spans"][0] == {
        "id": written.spans[0].id,
        "start": 0,
        "end": 10,
        "label": "PER",
        "source": "human",
        "score": None,
        "accepted": True,
        "attributes": {"mention": "NAM"},
        "note": "the envoy",
    }
    assert exchange["events"][0]["arguments"][0]["role"] == "Victim"
