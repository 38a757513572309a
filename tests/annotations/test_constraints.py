"""The database itself refuses annotations that break the data model's invariants."""

import pytest
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Argument, Event, Relation, Span
from corpus.models import Document, RelationType
from tests.factories import AnnotationFactory, DocumentFactory, span_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_span_with_start_not_before_end_is_refused(document):
    layer = AnnotationFactory(document=document)
    per = document.corpus.schema.entity_types.get(key="PER")
    for start, end in [(5, 5), (6, 5)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Span.objects.create(annotation=layer, start=start, end=end, entity_type=per)
    assert not layer.spans.exists()


def test_span_score_outside_zero_to_one_is_refused(document):
    layer = AnnotationFactory(document=document)
    per = document.corpus.schema.entity_types.get(key="PER")
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.create(annotation=layer, start=0, end=4, entity_type=per, score=1.5)


def test_the_same_span_twice_in_one_layer_is_refused(document):
    layer = AnnotationFactory(document=document)
    span_create(layer, 0, 10, "PER")
    with pytest.raises(IntegrityError), transaction.atomic():
        span_create(layer, 0, 10, "PER")


def test_argument_whose_span_belongs_to_another_layer_is_refused(document, annotator):
    prediction = AnnotationFactory(document=document)
    own = Annotation.objects.create(document=document, kind="annotator", user=annotator)
    foreign_span = span_create(prediction, 0, 10, "PER")
    own_span = span_create(own, 22, 30, "GPE")
    die = document.corpus.schema.event_types.get(key="Life.Die")
    event = Event.objects.create(annotation=own, trigger_start=11, trigger_end=18, event_type=die)
    victim = die.roles.get(key="Victim")
    with pytest.raises(IntegrityError), transaction.atomic():
        Argument.objects.create(event=event, role=victim, span=foreign_span)
    argument = Argument.objects.create(event=event, role=die.roles.get(key="Place"), span=own_span)
    with pytest.raises(IntegrityError), transaction.atomic():
        Argument.objects.filter(pk=argument.pk).update(span=foreign_span)
    assert list(event.arguments.values_list("span", flat=True)) == [own_span.pk]


def test_argument_nesting_an_event_of_another_layer_is_refused(document, annotator):
    die = document.corpus.schema.event_types.get(key="Life.Die")
    own = Annotation.objects.create(document=document, kind="annotator", user=annotator)
    other = AnnotationFactory(document=document)
    event = Event.objects.create(annotation=own, trigger_start=11, trigger_end=18, event_type=die)
    foreign = Event.objects.create(
        annotation=other, trigger_start=11, trigger_end=18, event_type=die
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Argument.objects.create(event=event, role=die.roles.first(), target_event=foreign)


def test_argument_needs_exactly_one_filler(document):
    layer = AnnotationFactory(document=document)
    die = document.corpus.schema.event_types.get(key="Life.Die")
    event = Event.objects.create(annotation=layer, trigger_start=11, trigger_end=18, event_type=die)
    with pytest.raises(IntegrityError), transaction.atomic():
        Argument.objects.create(event=event, role=die.roles.first())


def test_relation_between_spans_of_different_layers_is_refused(document, annotator):
    relation_type = RelationType.objects.create(
        schema=document.corpus.schema, key="PHYS.Located", name="Located"
    )
    own = Annotation.objects.create(document=document, kind="annotator", user=annotator)
    head = span_create(own, 0, 10, "PER")
    foreign_tail = span_create(AnnotationFactory(document=document), 22, 30, "GPE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Relation.objects.create(
            annotation=own, relation_type=relation_type, head=head, tail=foreign_tail
        )
    tail = span_create(own, 22, 30, "GPE")
    Relation.objects.create(annotation=own, relation_type=relation_type, head=head, tail=tail)
    assert own.relations.count() == 1


def test_document_text_cannot_change_after_import(document):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(text="Rewritten history.")
    Document.objects.filter(pk=document.pk).update(title="A new title is fine")
    document.refresh_from_db()
    assert document.text == "Kofi Annan arrived in Damascus on Saturday."


def test_the_same_text_twice_in_one_corpus_is_refused(document):
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(corpus=document.corpus, text=document.text)


def test_a_document_has_one_gold_layer_and_one_layer_per_model_and_annotator(document, annotator):
    Annotation.objects.create(document=document, kind="gold")
    AnnotationFactory(document=document, model_name="en_core_web_sm")
    Annotation.objects.create(document=document, kind="annotator", user=annotator)
    duplicates = [
        {"kind": "gold"},
        {"kind": "prediction", "model_name": "en_core_web_sm", "model_version": "9"},
        {"kind": "annotator", "user": annotator},
    ]
    for fields in duplicates:
        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.create(document=document, **fields)


def test_a_prediction_layer_names_its_model_and_an_annotator_layer_its_user(document):
    for fields in [{"kind": "prediction"}, {"kind": "annotator"}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.create(document=document, **fields)
