"""Submitting endorses a layer: pending predictions are accepted first, or the submit is refused.

Where the corpus needs no review and one annotator per document, a submitted layer is gold.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.history import revision_snapshot
from annotations.models import Annotation, Revision
from annotations.services.layers import annotator_layer_open, layer_finish, layer_save
from config.errors import Conflict
from tests.factories import prediction_create
from tests.layers import events_of, spans_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def review_required(corpus):
    corpus.review_required = True
    corpus.save(update_fields=["review_required"])
    return corpus


@pytest.fixture
def opened(document, annotator):
    """The annotator's layer copied from predictions: two spans and one event, all pending."""
    prediction_create(document)
    layer, _ = annotator_layer_open(document=document, user=annotator)
    return layer


def pending_of(layer: Annotation) -> int:
    return layer.spans.filter(accepted=False).count() + layer.events.filter(accepted=False).count()


def test_submitting_with_pending_predictions_is_refused_with_their_count(
    opened, annotator, review_required
):
    with pytest.raises(Conflict) as excinfo:
        layer_finish(layer=opened, user=annotator, version=1, status="submitted")
    assert excinfo.value.message == (
        "3 predictions not reviewed: accept them all and submit, or go back."
    )
    assert excinfo.value.extra == {"pending": 3}
    opened.refresh_from_db()
    assert (opened.status, opened.version, pending_of(opened)) == ("draft", 1, 3)


def test_accepting_pending_on_submit_accepts_all_as_a_new_version(
    opened, annotator, review_required
):
    before = spans_of(opened), events_of(opened)
    layer = layer_finish(
        layer=opened, user=annotator, version=1, status="submitted", accept_pending=True
    )
    layer.refresh_from_db()
    assert (layer.status, layer.version, pending_of(layer)) == ("submitted", 2, 0)
    assert (spans_of(layer), events_of(layer)) == before
    submitted = layer.origin["submitted"]
    assert (submitted["accepted_on_submit"], submitted["by"]) == (3, "ana-annotator")
    assert layer.origin["copied_from"]["kind"] == "prediction"  # provenance kept
    revision = layer.revisions.get(version=2)
    snapshot = revision_snapshot(revision)
    assert all(span["accepted"] for span in snapshot["spans"])
    assert all(event["accepted"] for event in snapshot["events"])


def test_a_layer_without_pending_items_submits_as_it_is(opened, annotator, review_required):
    layer_save(layer=opened, user=annotator, version=1, spans=[], events=[])
    layer = layer_finish(layer=opened, user=annotator, version=2, status="submitted")
    layer.refresh_from_db()
    assert (layer.status, layer.version, "submitted" in layer.origin) == ("submitted", 2, False)
    assert layer.revisions.count() == 2


def test_skipping_needs_no_endorsement(opened, annotator, review_required):
    layer = layer_finish(layer=opened, user=annotator, version=1, status="skipped")
    layer.refresh_from_db()
    assert (layer.status, layer.version, pending_of(layer)) == ("skipped", 1, 3)


def test_a_stale_version_is_reported_before_pending_items(opened, annotator, review_required):
    Annotation.objects.filter(pk=opened.pk).update(version=5)
    with pytest.raises(Conflict) as excinfo:
        layer_finish(layer=opened, user=annotator, version=1, status="submitted")
    assert excinfo.value.extra["version"] == 5


def test_the_api_answers_409_with_the_count_then_submits_with_accept_pending(
    opened, annotator, review_required
):
    api = APIClient()
    api.force_authenticate(annotator)
    url = reverse("api-layer-submit", kwargs={"pk": opened.pk})
    refused = api.post(url, {"version": 1}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {
        "message": "3 predictions not reviewed: accept them all and submit, or go back.",
        "extra": {"pending": 3},
    }
    accepted = api.post(url, {"version": 1, "accept_pending": True}, format="json")
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["version"]) == ("submitted", 2)
    bad = api.post(url, {"version": 2, "accept_pending": "yes"}, format="json")
    assert bad.status_code == 400


def test_without_review_a_submitted_layer_becomes_gold_at_once(opened, annotator, document):
    layer = layer_finish(
        layer=opened, user=annotator, version=1, status="submitted", accept_pending=True
    )
    gold = Annotation.objects.get(document=document, kind="gold")
    assert (gold.status, gold.version, gold.user) == ("reviewed", 1, None)
    assert gold.origin["copied_from"] == {
        "layer": layer.pk,
        "kind": "annotator",
        "user": "ana-annotator",
        "version": 2,
    }
    assert (spans_of(gold), events_of(gold)) == (spans_of(layer), events_of(layer))
    assert not gold.spans.filter(accepted=False).exists()
    [revision] = gold.revisions.all()
    assert (revision.version, revision.user, len(revision.snapshot["spans"])) == (1, annotator, 2)


def test_a_new_submit_replaces_the_gold_content_and_keeps_the_old_in_revisions(
    opened, annotator, document
):
    layer_finish(layer=opened, user=annotator, version=1, status="submitted", accept_pending=True)
    layer_save(layer=opened, user=annotator, version=2, spans=[], events=[])
    layer_finish(layer=opened, user=annotator, version=3, status="submitted")
    gold = Annotation.objects.get(document=document, kind="gold")
    assert (gold.version, gold.spans.count(), gold.events.count()) == (2, 0, 0)
    assert gold.origin["copied_from"]["version"] == 3
    revisions = {revision.version: revision_snapshot(revision) for revision in gold.revisions.all()}
    assert (len(revisions[1]["spans"]), len(revisions[2]["spans"])) == (2, 0)


@pytest.mark.parametrize(
    ("review_required", "overlap"), [(True, 1), (False, 2)], ids=["review", "overlap"]
)
def test_no_gold_is_made_when_review_is_required_or_several_annotate(
    opened, annotator, corpus, review_required, overlap
):
    corpus.review_required, corpus.annotators_per_document = review_required, overlap
    corpus.save()
    layer_finish(layer=opened, user=annotator, version=1, status="submitted", accept_pending=True)
    assert not Annotation.objects.filter(kind="gold").exists()


def test_a_refused_submit_writes_nothing(opened, annotator, document):
    with pytest.raises(Conflict):
        layer_finish(layer=opened, user=annotator, version=1, status="submitted")
    assert not Annotation.objects.filter(kind="gold").exists()
    assert Revision.objects.filter(annotation=opened).count() == 1
