"""The annotation queue: submitting or skipping a layer, and which document comes next."""

import pytest

from annotations.models import Annotation
from annotations.queue import document_next_for_annotator, reservation_release
from annotations.services.layers import annotator_layer_open, layer_finish, layer_save
from config.errors import Conflict, Forbidden
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def documents(corpus):
    return [DocumentFactory(corpus=corpus) for _ in range(4)]


def finish(document, user, status: str = "submitted") -> Annotation:
    """Open, then submit or skip, `user`'s layer as the API does (which lets go of the hold)."""
    layer, _ = annotator_layer_open(document=document, user=user)
    layer = layer_finish(layer=layer, user=user, version=layer.version, status=status)
    reservation_release(document=document, user=user)
    return layer


def test_submitting_marks_the_layer_and_keeps_its_version(document, annotator):
    layer = finish(document, annotator)
    layer.refresh_from_db()
    assert (layer.status, layer.version) == ("submitted", 1)


def test_skipping_marks_the_layer_skipped(document, annotator):
    assert finish(document, annotator, status="skipped").status == "skipped"


def test_submitting_needs_the_version_last_saved(document, annotator):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    layer_save(layer=layer, user=annotator, version=1, spans=[], events=[])
    with pytest.raises(Conflict) as excinfo:
        layer_finish(layer=layer, user=annotator, version=1, status="submitted")
    assert excinfo.value.extra["version"] == 2
    assert Annotation.objects.get(pk=layer.pk).status == "draft"


def test_only_the_layers_annotator_submits_it(document, annotator, reviewer):
    layer, _ = annotator_layer_open(document=document, user=annotator)
    with pytest.raises(Forbidden):
        layer_finish(layer=layer, user=reviewer, version=1, status="submitted")
    assert Annotation.objects.get(pk=layer.pk).status == "draft"


def test_next_document_follows_in_order_and_wraps_round(corpus, annotator, documents):
    first, second, third, last = documents
    assert document_next_for_annotator(corpus=corpus, user=annotator) == first
    assert document_next_for_annotator(corpus=corpus, user=annotator, after=first.pk) == second
    assert document_next_for_annotator(corpus=corpus, user=annotator, after=second.pk) == third
    assert document_next_for_annotator(corpus=corpus, user=annotator, after=third.pk) == last
    assert document_next_for_annotator(corpus=corpus, user=annotator, after=last.pk) == first


def test_next_document_skips_what_you_finished(corpus, annotator, documents):
    first, second, third, _ = documents
    finish(second, annotator)
    finish(third, annotator, status="skipped")
    assert (
        document_next_for_annotator(corpus=corpus, user=annotator, after=first.pk) == documents[3]
    )


def test_a_draft_of_yours_stays_in_the_queue(corpus, annotator, documents):
    annotator_layer_open(document=documents[0], user=annotator)
    assert document_next_for_annotator(corpus=corpus, user=annotator) == documents[0]


def test_next_document_skips_documents_at_the_overlap_limit(corpus, annotator, reviewer, documents):
    finish(documents[0], reviewer)
    assert document_next_for_annotator(corpus=corpus, user=annotator) == documents[1]
    corpus.annotators_per_document = 2
    corpus.save()
    reservation_release(document=documents[1], user=annotator)
    assert document_next_for_annotator(corpus=corpus, user=annotator) == documents[0]


def test_the_queue_ends_when_everything_is_done(corpus, annotator, documents):
    for document in documents[:-1]:
        finish(document, annotator)
    last = documents[-1]
    assert document_next_for_annotator(corpus=corpus, user=annotator, after=last.pk) is None


def test_next_document_takes_a_bounded_number_of_queries(
    corpus, annotator, reviewer, documents, django_assert_num_queries
):
    """Picking is two queries whatever the corpus holds; reserving it adds a few, never a loop.

    Let go of `after`, savepoint, look for a document the user holds, pick and lock the next
    one, check again once locked, reserve, release the savepoint: seven.
    """
    finish(documents[0], reviewer)
    annotator_layer_open(document=documents[3], user=reviewer)
    with django_assert_num_queries(7):
        picked = document_next_for_annotator(corpus=corpus, user=annotator, after=documents[1].pk)
    assert picked == documents[2]
