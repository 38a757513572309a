"""Prediction layers: what a run stores for a model, replacing its own layer and nothing else.

These store a prepared analysis (the `analysis` fixture): the parser is not what they test.
"""

import pytest

from annotations.models import Annotation, Span
from corpus.nlp.pipeline import ModelIdentity
from tests.commands import command
from tests.factories import DocumentFactory, span_create
from tests.layers import events_of, spans_of

pytestmark = pytest.mark.django_db


def test_a_prediction_layer_holds_what_the_analysis_found(document, analysis, prediction_write):
    layer = prediction_write(document, analysis)
    assert spans_of(layer) == {(0, 10, "PER", "Kofi Annan"), (22, 30, "GPE", "Damascus")}
    assert events_of(layer) == {
        ("Life.Die", "arrived", None, (("Place", 1, "Damascus"), ("Victim", 1, "Kofi Annan")))
    }
    assert set(layer.spans.values_list("source", "score")) == {("model", 0.98), ("model", 0.95)}
    assert layer.origin["unmapped"] == {"DATE": 1}
    document.refresh_from_db()
    assert [document.text[start:end] for start, end in document.tokens][:2] == ["Kofi", "Annan"]
    assert document.sentences == [[0, 43]]


def test_running_twice_keeps_one_prediction_layer_per_model(
    corpus, document, analysis, prediction_write
):
    other = DocumentFactory(corpus=corpus, text=document.text + " He left on Monday.")
    for target in (document, other):
        prediction_write(target, analysis)
    first = set(Span.objects.values_list("start", "end", "entity_type__key"))
    for target in (document, other):
        prediction_write(target, analysis)
    assert Annotation.objects.filter(kind="prediction").count() == 2
    assert set(Span.objects.values_list("start", "end", "entity_type__key")) == first
    prediction_write(document, analysis, model=ModelIdentity("another_model", "1.0"))
    assert Annotation.objects.filter(kind="prediction").count() == 3


def test_annotator_and_gold_layers_are_left_alone(document, annotator, analysis, prediction_write):
    own = Annotation.objects.create(document=document, kind="annotator", user=annotator)
    span_create(own, 0, 8, "GPE")
    gold = Annotation.objects.create(document=document, kind="gold")
    prediction_write(document, analysis)
    prediction_write(document, analysis)
    assert own.spans.count() == 1
    assert Annotation.objects.filter(pk=gold.pk).exists()


def test_missing_only_skips_documents_already_done(corpus, document, analysis, prediction_write):
    prediction_write(document, analysis)
    layer_ids = set(Annotation.objects.values_list("pk", flat=True))
    output = command("preannotate", corpus.slug, "--now", "--missing")
    assert (
        f"Nothing to pre-annotate: every document of {corpus.slug} already has predictions"
        in output
    )
    assert set(Annotation.objects.values_list("pk", flat=True)) == layer_ids
