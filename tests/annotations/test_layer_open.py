"""Opening an annotator's layer: a copy of the newest prediction, with its provenance kept."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from annotations.models import Annotation, Argument, Event, Source, Span
from annotations.services.layers import annotator_layer_open, layer_snapshot
from config.errors import Forbidden
from tests.factories import AnnotationFactory, DocumentFactory, prediction_create, span_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_opening_copies_the_newest_prediction_with_its_provenance(document, annotator):
    older = AnnotationFactory(document=document, model_name="old_model")
    span_create(older, 0, 4, "PER")
    newest = prediction_create(document, model_name="new_model")
    Annotation.objects.filter(pk=newest.pk).update(model_version="2.1")
    newest.spans.filter(start=0).update(attributes={"model_label": "PERSON"}, note="check")
    Annotation.objects.filter(pk=older.pk).update(
        updated_at=newest.updated_at - datetime.timedelta(hours=1)
    )

    layer, created = annotator_layer_open(document=document, user=annotator)

    assert created
    assert (layer.kind, layer.user, layer.version) == ("annotator", annotator, 1)
    assert layer.origin == {
        "copied_from": {
            "layer": newest.pk,
            "kind": "prediction",
            "model_name": "new_model",
            "model_version": "2.1",
            "version": 1,
        }
    }
    fields = ["start", "end", "entity_type__key", "source", "score", "attributes", "note"]
    assert list(layer.spans.values(*fields)) == list(newest.spans.values(*fields))
    assert not layer.spans.filter(accepted=True).exists()
    event = layer.events.get()
    assert (event.source, event.score, event.accepted) == (Source.MODEL, 0.9, False)
    arguments = Argument.objects.filter(event=event).select_related("span", "role")
    assert {(a.role.key, a.span.annotation_id, a.source, a.score) for a in arguments} == {
        ("Victim", layer.pk, Source.MODEL, 0.9),
        ("Place", layer.pk, Source.MODEL, 0.9),
    }
    assert newest.spans.count() == 2  # the prediction itself is untouched


def test_opening_starts_the_history_with_revision_one(document, annotator):
    prediction_create(document)
    layer, _ = annotator_layer_open(document=document, user=annotator)
    revision = layer.revisions.get()
    assert (revision.version, revision.user) == (1, annotator)
    assert revision.snapshot == layer_snapshot(layer)
    assert [span["label"] for span in revision.snapshot["spans"]] == ["PER", "GPE"]


def test_opening_again_returns_the_same_layer_unchanged(document, annotator):
    prediction_create(document)
    first, _ = annotator_layer_open(document=document, user=annotator)
    first.spans.filter(start=0).delete()
    prediction_create(document, model_name="other_model")

    again, created = annotator_layer_open(document=document, user=annotator)

    assert not created
    assert again.pk == first.pk
    assert list(again.spans.values_list("start", flat=True)) == [22]
    assert again.revisions.count() == 1


def test_opening_without_a_prediction_gives_an_empty_layer(document, annotator):
    layer, created = annotator_layer_open(document=document, user=annotator)
    assert created
    assert layer.origin == {}
    assert not layer.spans.exists()
    assert layer.revisions.get().snapshot == {
        "version": 1,
        "spans": [],
        "events": [],
        "relations": [],
        "labels": {},
    }


def test_human_items_of_a_prediction_layer_stay_accepted(document, annotator):
    imported = AnnotationFactory(document=document)
    span_create(imported, 0, 10, "PER")
    layer, _ = annotator_layer_open(document=document, user=annotator)
    assert list(layer.spans.values_list("source", "accepted")) == [(Source.HUMAN, True)]


def test_reviewers_open_a_layer_of_their_own_too(document, reviewer, annotator):
    mine, _ = annotator_layer_open(document=document, user=annotator)
    theirs, created = annotator_layer_open(document=document, user=reviewer)
    assert created
    assert theirs.pk != mine.pk


def test_an_owner_who_does_not_annotate_cannot_open_a_layer(document, owner):
    with pytest.raises(Forbidden, match="Only a corpus annotator or reviewer"):
        annotator_layer_open(document=document, user=owner)
    assert not Annotation.objects.filter(kind="annotator").exists()


def test_a_large_prediction_is_copied_in_a_bounded_number_of_queries(
    corpus, annotator, django_assert_max_num_queries, insert_statements
):
    document = DocumentFactory(corpus=corpus, text="Annan " * 1000)
    prediction = AnnotationFactory(document=document)
    per = corpus.schema.entity_types.get(key="PER")
    die = corpus.schema.event_types.get(key="Life.Die")
    spans = Span.objects.bulk_create(
        Span(annotation=prediction, start=6 * i, end=6 * i + 5, entity_type=per)
        for i in range(1000)
    )
    events = Event.objects.bulk_create(
        Event(annotation=prediction, trigger_start=6 * i, trigger_end=6 * i + 5, event_type=die)
        for i in range(100)
    )
    victim = die.roles.get(key="Victim")
    Argument.objects.bulk_create(
        Argument(event=event, role=victim, span=span)
        for event, span in zip(events, spans[:100], strict=True)
    )

    # 14, one to reserve the document for the annotator, one per table to reserve item ids.
    with django_assert_max_num_queries(18 + insert_statements(1000, 9)):
        layer, _ = annotator_layer_open(document=document, user=annotator)

    assert layer.spans.count() == 1000
    assert Argument.objects.filter(event__annotation=layer, span__annotation=layer).count() == 100


@pytest.mark.django_db(transaction=True)
def test_two_opens_at_once_get_the_same_layer(document, annotator):
    """The second insert waits on the unique index, fails, and returns the first one's layer."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections writing at once (the PostgreSQL pass)")
    rival: list[Annotation] = []
    inserted, problems = threading.Event(), []

    def open_elsewhere() -> None:
        try:
            with transaction.atomic():
                rival.append(
                    Annotation.objects.create(document=document, kind="annotator", user=annotator)
                )
                inserted.set()
                wait_for_a_lock_wait()
        except Exception as exc:  # reported by the main thread
            problems.append(exc)
        finally:
            inserted.set()
            connection.close()

    elsewhere = threading.Thread(target=open_elsewhere)
    elsewhere.start()
    inserted.wait()
    layer, created = annotator_layer_open(document=document, user=annotator)
    elsewhere.join()

    assert not problems
    assert (layer.pk, created) == (rival[0].pk, False)
    assert Annotation.objects.filter(kind="annotator").count() == 1


def wait_for_a_lock_wait(timeout: float = 30) -> None:
    """Poll until another session of this database waits on a lock (our open's insert)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the other insert never waited"
            time.sleep(0.02)
