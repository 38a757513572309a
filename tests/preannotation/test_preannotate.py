"""Pre-annotation with the real spaCy model stores tokens, sentences and mapped entities.

How prediction layers are stored is tested without the parser in test_prediction_layers.py.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, Event, Span
from corpus.models import Corpus
from preannotation.models import PreannotationRun
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.model, pytest.mark.slow]


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


def test_every_prediction_carries_a_score_in_the_unit_interval(seeds):
    preannotate()
    spans = Span.objects.filter(annotation__kind="prediction")
    assert spans.count() > 100
    assert all(0 < score <= 1 for score in spans.values_list("score", flat=True))
    events = Event.objects.filter(annotation__kind="prediction")
    assert events.exists()
    assert all(0 < score <= 1 for score in events.values_list("score", flat=True))


def test_seed_events_come_back_with_arguments_a_reader_recognises(seeds):
    preannotate()
    found = events_found(seeds.documents.get(external_id="1.992211-557874215"))
    assert ("Life.Die", "killing", "Victim", "at least\xa054 civilians") in found
    assert ("Life.Die", "killing", "Victim", "13 civilians") in found
    assert ("Conflict.Attack", "assaults", "Attacker", "Syrian government forces") in found
    assert ("Conflict.Attack", "stormed", "Attacker", "Regime troops") in found
    assert ("Conflict.Attack", "stormed", "Place", "Idlib") in found
    assert ("Contact.Meet", "talks", "Place", "Cairo") in found
    assert any(item[:2] == ("Personnel.End-Position", "defected") for item in found)
    other = events_found(seeds.documents.exclude(external_id="1.992211-557874215").get())
    assert ("Contact.Meet", "visit", "Entity", "Annan") in other
    assert ("Contact.Meet", "visit", "Place", "Damascus") in other
    assert ("Conflict.Attack", "assault", "Time-Within", "Saturday") in other


def test_document_too_long_for_the_pipeline_is_reported_and_the_rest_continue(seeds, nlp):
    huge = DocumentFactory(corpus=seeds, text="Syria. " * (nlp.max_length // 7 + 1))
    with pytest.raises(CommandError, match="1 documents failed"):
        preannotate()
    run = PreannotationRun.objects.get()
    failure = run.failures.get()
    assert failure.document == huge
    assert "longer than the pipeline's limit" in failure.message
    assert run.processed == 2
    assert Annotation.objects.filter(kind="prediction").count() == 2


def test_a_document_with_predictions_over_the_layer_limit_fails_alone(seeds, settings):
    # Both seeds are written in one chunk; the long one finds more than the limit allows.
    short = DocumentFactory(corpus=seeds, text="Kofi Annan visited Damascus on Saturday.")
    settings.LAYER_MAX_ITEMS = 12
    with pytest.raises(CommandError, match="2 documents failed"):
        preannotate()
    run = PreannotationRun.objects.get()
    assert set(run.failures.values_list("document", flat=True)) == set(
        seeds.documents.exclude(pk=short.pk).values_list("pk", flat=True)
    )
    assert "at most 12 (LAYER_MAX_ITEMS)" in run.failures.first().message
    layer = Annotation.objects.get(kind="prediction")
    assert layer.document == short
    assert {("Kofi Annan", "PER"), ("Damascus", "GPE")} <= entities(short)
    assert (run.processed, run.entities) == (1, layer.spans.count())
    short.refresh_from_db()
    assert short.tokens[:2] == [[0, 4], [5, 10]]
    assert short.sentences == [[0, len(short.text)]]


def events_found(document) -> set[tuple[str, str, str, str]]:
    """(type, trigger, role, filler) for every argument of the document's predicted events."""
    found = set()
    events = Event.objects.filter(annotation__document=document, annotation__kind="prediction")
    for event in events.select_related("event_type"):
        trigger = document.text[event.trigger_start : event.trigger_end]
        found.add((event.event_type.key, trigger, "", ""))
        for argument in event.arguments.select_related("role", "span"):
            filler = document.text[argument.span.start : argument.span.end]
            found.add((event.event_type.key, trigger, argument.role.key, filler))
    return found
