"""Each document stores its lowest prediction score, for the document list's score sort.

Marked `postgres`: the migration adds the column with ALTER TABLE on both databases, and on
SQLite must keep the full-text triggers and the sort indexes of the table it alters.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotations.content import LayerContent, SpanItem
from annotations.document_search import document_text_match
from annotations.labels import LabelIndex
from annotations.models import Annotation, Event, Span
from annotations.scores import document_scores_refresh
from annotations.services.content import layer_content_read, layer_content_write
from corpus.models import Document
from corpus.models.document import NO_SCORE
from corpus.services.schema_edit import label_delete
from tests.factories import AnnotationFactory, DocumentFactory, prediction_create

pytestmark = pytest.mark.postgres

TEXT = "Kofi Annan arrived in Damascus today."


def spans(annan: float, damascus: float) -> LayerContent:
    return LayerContent(
        spans=[
            SpanItem(id=None, start=0, end=10, label="PER", score=annan),
            SpanItem(id=None, start=22, end=30, label="GPE", score=damascus),
        ]
    )


@pytest.mark.django_db
def test_writing_a_prediction_layer_stores_its_lowest_score_and_rewriting_it_updates_it(corpus):
    document = DocumentFactory(corpus=corpus, text=TEXT)
    assert Document.objects.get(pk=document.pk).lowest_score == NO_SCORE
    layer = AnnotationFactory(document=document, kind=Annotation.Kind.PREDICTION)
    labels = LabelIndex.of(corpus.schema)
    layer_content_write(layer, spans(0.8, 0.35), labels=labels)
    assert Document.objects.get(pk=document.pk).lowest_score == pytest.approx(0.35)
    before = layer_content_read(layer)
    layer_content_write(layer, spans(0.9, 0.7), labels=labels, before=before)
    assert Document.objects.get(pk=document.pk).lowest_score == pytest.approx(0.7)


@pytest.mark.django_db
def test_an_annotator_layer_does_not_change_the_score(corpus, annotator):
    document = DocumentFactory(corpus=corpus, text=TEXT)
    layer = AnnotationFactory(
        document=document, kind="annotator", user=annotator, model_name="", model_version=""
    )
    layer_content_write(layer, spans(0.1, 0.1), labels=LabelIndex.of(corpus.schema))
    assert Document.objects.get(pk=document.pk).lowest_score == NO_SCORE


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_existing_documents_and_keeps_search_working(corpus):
    scored = DocumentFactory(corpus=corpus, text=TEXT, title="Annan in Damascus")
    plain = DocumentFactory(corpus=corpus, text="Nothing predicted here.")
    prediction_create(scored)
    Span.objects.filter(annotation__document=scored, entity_type__key="GPE").update(score=0.25)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("corpus", "0009_schema_changes")])
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
    assert Document.objects.get(pk=scored.pk).lowest_score == pytest.approx(0.25)
    assert Document.objects.get(pk=plain.pk).lowest_score == NO_SCORE
    # The table was altered, not rebuilt: full-text search still finds title and text words.
    found = document_text_match(corpus.documents.all(), "damascus")
    assert list(found.values_list("pk", flat=True)) == [scored.pk]
    late = DocumentFactory(corpus=corpus, text="Inserted after the migration in Homs.")
    found = document_text_match(corpus.documents.all(), "homs")
    assert list(found.values_list("pk", flat=True)) == [late.pk]


@pytest.mark.django_db
def test_deleting_a_label_with_its_items_in_the_schema_editor_updates_the_score(corpus, owner):
    document = DocumentFactory(corpus=corpus, text=TEXT)
    prediction = prediction_create(document)
    Span.objects.filter(annotation=prediction, entity_type__key="GPE").update(score=0.2)
    document_scores_refresh([document.pk])
    assert Document.objects.get(pk=document.pk).lowest_score == pytest.approx(0.2)
    label_delete(corpus=corpus, actor=owner, kind="entity", key="GPE", with_items=True)
    assert Document.objects.get(pk=document.pk).lowest_score == pytest.approx(0.9)


@pytest.mark.django_db
def test_a_refresh_writes_and_counts_only_the_documents_whose_score_changed(corpus):
    scored = DocumentFactory(corpus=corpus, text=TEXT)
    plain = DocumentFactory(corpus=corpus, text=f"{TEXT} Again.")
    Span.objects.filter(annotation=prediction_create(scored)).update(score=0.3)
    prediction_create(plain)
    Span.objects.filter(annotation__document=plain).update(score=None)
    Event.objects.filter(annotation__document=plain).update(score=None)
    assert document_scores_refresh([scored.pk, plain.pk]) == 2
    assert Document.objects.get(pk=scored.pk).lowest_score == pytest.approx(0.3)
    assert Document.objects.get(pk=plain.pk).lowest_score == NO_SCORE
    assert document_scores_refresh([scored.pk, plain.pk]) == 0  # nothing changed since
    Span.objects.filter(annotation__document=scored).update(score=0.1)
    assert document_scores_refresh([scored.pk, plain.pk]) == 1
    assert Document.objects.get(pk=scored.pk).lowest_score == pytest.approx(0.1)
