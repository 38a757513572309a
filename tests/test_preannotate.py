"""Pre-annotation with the real spaCy model stores tokens, sentences and mapped entities."""

import io

import pytest
from django.core.management import call_command

from annotations.models import Annotation, Span
from corpus.models import Corpus
from tests.factories import span_create

pytestmark = [pytest.mark.django_db, pytest.mark.model]


@pytest.fixture
def seeds(nlp):
    call_command("load_seeds", stdout=io.StringIO())
    return Corpus.objects.get(slug="seeds")


def preannotate(*args) -> str:
    out = io.StringIO()
    call_command("preannotate", "seeds", "--now", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def entities(document) -> set[tuple[str, str]]:
    spans = Span.objects.filter(annotation__document=document, annotation__kind="prediction")
    return {(document.text[s.start : s.end], s.entity_type.key) for s in spans}


def test_seed_000_entities_are_found_and_mapped_to_ace(seeds):
    output = preannotate()
    document = seeds.documents.get(external_id="1.992211-557874215")
    found = entities(document)
    assert {("Damascus", "GPE"), ("Idlib", "GPE"), ("Homs", "GPE")} <= found
    assert ("Kofi Annan", "PER") in found
    assert "2 documents pre-annotated" in output
    assert "dropped: CARDINAL" in output


def test_layer_records_model_and_spans_are_model_sourced(seeds, settings):
    preannotate()
    layer = Annotation.objects.filter(kind="prediction").first()
    assert layer.model_name.startswith("en_core_web_sm")
    assert layer.model_version == "3.8.0"
    assert set(layer.spans.values_list("source", flat=True)) == {"model"}


def test_tokens_and_sentences_are_stored_as_code_point_offsets(seeds):
    preannotate()
    document = seeds.documents.get(external_id="1.992211-557874215")
    words = [document.text[start:end] for start, end in document.tokens]
    assert words[:4] == ["Damascus", ":", "Syrian", "government"]
    assert "54" in words
    first_sentence = document.text[slice(*document.sentences[0])]
    assert first_sentence.startswith("Damascus:")
    assert first_sentence.endswith("Kofi Annan.")


def test_running_twice_keeps_one_prediction_layer_per_model(seeds):
    preannotate()
    first = set(Span.objects.values_list("start", "end", "entity_type__key"))
    preannotate()
    assert Annotation.objects.filter(kind="prediction").count() == 2
    assert set(Span.objects.values_list("start", "end", "entity_type__key")) == first


def test_annotator_and_gold_layers_are_left_alone(seeds, annotator):
    document = seeds.documents.first()
    own = Annotation.objects.create(document=document, kind="annotator", user=annotator)
    span_create(own, 0, 8, "GPE")
    gold = Annotation.objects.create(document=document, kind="gold")
    preannotate()
    preannotate()
    assert own.spans.count() == 1
    assert Annotation.objects.filter(pk=gold.pk).exists()


def test_missing_only_skips_documents_already_done(seeds):
    preannotate()
    layer_ids = set(Annotation.objects.values_list("pk", flat=True))
    output = preannotate("--missing")
    assert "0 documents pre-annotated" in output
    assert set(Annotation.objects.values_list("pk", flat=True)) == layer_ids
