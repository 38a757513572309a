"""A layer's history: keyframes and deltas that restore every version exactly and stay small."""

import json
import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.content import LayerContent, SpanItem
from annotations.deltas import state_canonical, state_digest
from annotations.history import revision_snapshot
from annotations.models import Annotation, Revision, Span
from annotations.services import revisions
from annotations.services.content import layer_content_read
from annotations.services.layers import annotator_layer_open, layer_save, layer_snapshot
from annotations.services.layers.gold import gold_write
from corpus.models import AttributeType
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORD = 6  # "Annan " : the i-th word is [6i, 6i + 5)


@pytest.fixture
def long_document(corpus):
    AttributeType.objects.create(
        schema=corpus.schema, key="Polarity", name="Polarity", applies_to="event",
        values=["Positive", "Negative"],
    )  # fmt: skip
    return DocumentFactory(corpus=corpus, text="Annan " * 400)


@pytest.fixture
def layer(long_document, annotator):
    layer, _ = annotator_layer_open(document=long_document, user=annotator)
    return layer


def save(layer: Annotation, user, content: dict) -> Annotation:
    return layer_save(
        layer=layer,
        user=user,
        version=layer.version,
        spans=content["spans"],
        events=content["events"],
    )


def stored_bytes(layer: Annotation) -> int:
    """The bytes of JSON the layer's revisions store."""
    rows = Revision.objects.filter(annotation=layer).values_list("snapshot", "delta")
    return sum(len(json.dumps(snapshot if delta is None else delta)) for snapshot, delta in rows)


def edit(content: dict, step: int, chance: random.Random) -> None:
    """Make one random edit: add, remove, relabel, move or annotate a span; add or change an
    event with arguments; or change nothing."""
    spans, events = content["spans"], content["events"]
    persons = [span for span in spans if span["label"] == "PER"]
    taken = {span["start"] for span in spans} | {event["trigger_start"] for event in events}
    free = [i for i in range(400) if i * WORD not in taken]
    action = chance.choice(["add", "add", "remove", "relabel", "move", "note", "event", "same"])
    if action == "add" or not spans:
        i = chance.choice(free)
        label = chance.choice(["PER", "GPE"])
        spans.append({"id": f"n{step}", "start": i * WORD, "end": i * WORD + 5, "label": label})
    elif action == "remove":
        gone = spans.pop(chance.randrange(len(spans)))
        for event in events:
            event["arguments"] = [a for a in event["arguments"] if a.get("span") != gone["id"]]
    elif action == "relabel":
        span = chance.choice(spans)
        used = any(a.get("span") == span["id"] for event in events for a in event["arguments"])
        if not used:
            span["label"] = "GPE" if span["label"] == "PER" else "PER"
    elif action == "move":
        span = chance.choice(spans)
        span["end"] = span["start"] + chance.randint(1, 5)
    elif action == "note":
        chance.choice(spans)["note"] = f"checked at step {step}"
    elif action == "event" and persons:
        i = chance.choice(free)
        victim = chance.choice(persons)
        events.append(
            {
                "id": f"e{step}",
                "type": "Life.Die",
                "trigger_start": i * WORD,
                "trigger_end": i * WORD + 5,
                "attributes": {"Polarity": chance.choice(["Positive", "Negative"])},
                "arguments": [{"role": "Victim", "span": victim["id"]}],
            }
        )


def test_every_version_of_a_random_edit_sequence_restores_exactly(layer, annotator, monkeypatch):
    monkeypatch.setattr(revisions, "REVISION_KEYFRAME_EVERY", 7)  # several chains in 40 saves
    chance = random.Random(15)
    saved = {1: layer_snapshot(layer)}
    for step in range(40):
        content = layer_snapshot(layer)
        edit(content, step, chance)
        layer = save(layer, annotator, content)
        saved[layer.version] = layer_snapshot(layer)
    history = list(Revision.objects.filter(annotation=layer).order_by("version"))
    assert [revision.version for revision in history] == list(saved)
    for revision in history:
        assert revision_snapshot(revision) == saved[revision.version], revision.version
        assert revision.span_count == len(saved[revision.version]["spans"])
        assert revision.event_count == len(saved[revision.version]["events"])
    deltas = [revision for revision in history if revision.delta is not None]
    assert len(deltas) >= 30
    assert max(revision.chain for revision in history) == 6


def test_a_large_layer_saved_many_times_grows_by_its_changes_not_by_copies(
    long_document, annotator
):
    layer, _ = annotator_layer_open(document=long_document, user=annotator)
    spans = [{"start": i * WORD, "end": i * WORD + 5, "label": "PER"} for i in range(300)]
    layer = save(layer, annotator, {"spans": spans, "events": []})
    whole = len(json.dumps(layer_snapshot(layer)))
    before = stored_bytes(layer)
    for step in range(30):
        content = layer_snapshot(layer)
        content["spans"][step * 7]["label"] = "GPE"
        layer = save(layer, annotator, content)
    grown = stored_bytes(layer) - before
    assert grown < whole / 2, f"30 saves stored {grown} bytes; one copy is {whole}"
    assert layer.revisions.filter(delta__isnull=False).count() == 30


def persons(count: int) -> dict:
    """A layer's content of `count` PER spans, on the first words."""
    spans = [{"start": i * WORD, "end": i * WORD + 5, "label": "PER"} for i in range(count)]
    return {"spans": spans, "events": []}


def test_a_long_chain_starts_again_with_a_keyframe(layer, annotator, monkeypatch):
    monkeypatch.setattr(revisions, "REVISION_KEYFRAME_EVERY", 3)
    layer = save(layer, annotator, persons(20))  # version 2: a keyframe (all of it is new)
    for step in range(6):
        content = layer_snapshot(layer)
        content["spans"][step]["label"] = "GPE"
        layer = save(layer, annotator, content)
    chains = dict(layer.revisions.values_list("version", "chain"))
    assert chains == {1: 0, 2: 0, 3: 1, 4: 2, 5: 0, 6: 1, 7: 2, 8: 0}


def test_a_layer_changed_outside_a_save_gets_a_keyframe_and_still_restores(layer, annotator):
    layer = save(layer, annotator, persons(10))
    Span.objects.filter(annotation=layer).update(note="edited in the admin")
    content = layer_snapshot(layer)
    content["spans"].append({"start": 6, "end": 11, "label": "GPE"})
    layer = save(layer, annotator, content)
    revision = layer.revisions.get(version=3)
    assert revision.delta is None  # the history did not hold what the layer held before
    assert revision_snapshot(revision) == layer_snapshot(layer)


def test_gold_writes_are_deltas_that_restore_exactly(long_document, reviewer):
    spans = [SpanItem(f"n{i}", i * WORD, i * WORD + 5, "PER") for i in range(20)]
    gold = gold_write(
        document=long_document, content=LayerContent(spans=spans), origin={}, user=reviewer
    )
    snapshots = {1: layer_snapshot(gold)}
    for step in range(1, 5):
        content = layer_content_read(gold)  # database ids: the spans keep them
        content.spans[step].label = "GPE"
        gold = gold_write(document=long_document, content=content, origin={}, user=reviewer)
        snapshots[gold.version] = layer_snapshot(gold)
    history = {revision.version: revision for revision in gold.revisions.all()}
    assert {version: revision_snapshot(history[version]) for version in history} == snapshots
    assert [history[version].chain for version in sorted(history)] == [0, 1, 2, 3, 4]


def test_the_api_shows_a_delta_revision_as_it_was_saved(
    layer, annotator, django_assert_max_num_queries
):
    layer = save(layer, annotator, persons(10))
    content = layer_snapshot(layer)
    content["spans"][0]["note"] = "first"
    layer = save(layer, annotator, content)
    assert layer.revisions.get(version=3).delta is not None
    api = APIClient()
    api.force_authenticate(annotator)
    url = reverse("api-layer-revision", kwargs={"pk": layer.pk, "version": 3})
    with django_assert_max_num_queries(8):
        body = api.get(url).json()
    assert body["snapshot"] == layer_snapshot(layer)
    listed = api.get(reverse("api-layer-revisions", kwargs={"pk": layer.pk})).json()
    assert [(r["version"], r["spans"], r["events"]) for r in listed] == [
        (3, 10, 0),
        (2, 10, 0),
        (1, 0, 0),
    ]


@pytest.mark.django_db(transaction=True)
def test_existing_snapshots_become_keyframes_with_their_counts(annotator, document):
    """Revisions written before 0007 keep their snapshot, as keyframes with digest and counts."""
    executor = MigrationExecutor(connection)
    try:
        old = executor.migrate([("annotations", "0006_reservations")]).apps
        layer = old.get_model("annotations", "Annotation").objects.create(
            document_id=document.pk, kind="annotator", user_id=annotator.pk
        )
        snapshot = {"version": 1, "spans": [{"id": 1}, {"id": 2}], "events": [{"id": 3}]}
        old_revision = old.get_model("annotations", "Revision").objects.create(
            annotation=layer, version=1, snapshot=snapshot
        )
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
    revision = Revision.objects.get(pk=old_revision.pk)
    assert (revision.chain, revision.delta, revision.span_count, revision.event_count) == (
        0,
        None,
        2,
        1,
    )
    assert revision_snapshot(revision) == snapshot
    assert revision.digest == state_digest(snapshot)


@pytest.mark.parametrize(
    "value",
    [
        "plain text",
        "Hom\u00e7 caf\u00e9 \u2028 \u0644",  # json.dumps escapes what is not ASCII
        '\x00\x1f\x7f \\ "',
        *(mantissa * 10.0**exponent for mantissa in (1, 1.5, 9.99) for exponent in range(-9, 20)),
        2**70,
        0.5,
        None,
        True,
    ],
)
def test_the_digest_of_a_state_is_what_json_dumps_wrote_before(value):
    # Revisions already stored hold digests of json.dumps's bytes: a save is a delta from
    # them only while the same state still gets the same digest.
    state = {"spans": [{"note": value, "score": value, "id": 1}], "events": [], "labels": {}}
    items = [state["spans"], state["events"]]
    written = json.dumps(items, sort_keys=True, separators=(",", ":")).encode()
    assert state_canonical(state) == written
