"""Saving a layer from the editor: whole content, optimistic locking, every problem listed."""

import pytest

from annotations.history import revision_snapshot
from annotations.models import Annotation, Argument, Relation, Revision, Source
from annotations.selectors import layer_get_for_user
from annotations.services.layers import annotator_layer_open, layer_save, layer_snapshot
from config.errors import Conflict, Forbidden, InvalidInput
from corpus.models import AttributeType, Membership, RelationType
from tests.factories import AnnotationFactory, DocumentFactory, prediction_create, span_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# "Kofi Annan arrived in Damascus on Saturday." (the `document` fixture)
ANNAN = {"id": "n1", "start": 0, "end": 10, "label": "PER"}
DAMASCUS = {"id": "n2", "start": 22, "end": 30, "label": "GPE"}


def death(*arguments: dict, **fields) -> dict:
    return {
        "id": "e1",
        "type": "Life.Die",
        "trigger_start": 11,
        "trigger_end": 18,
        "arguments": list(arguments),
        **fields,
    }


@pytest.fixture
def layer(document, annotator):
    prediction_create(document)
    layer, _ = annotator_layer_open(document=document, user=annotator)
    return layer


@pytest.fixture
def polarity(corpus):
    return AttributeType.objects.create(
        schema=corpus.schema,
        key="Polarity",
        name="Polarity",
        applies_to=AttributeType.AppliesTo.EVENT,
        values=["Positive", "Negative"],
    )


def save(layer: Annotation, user, spans: list, events: list, version: int = 1) -> Annotation:
    return layer_save(layer=layer, user=user, version=version, spans=spans, events=events)


def problems(excinfo: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {error["field"]: error["message"] for error in excinfo.value.extra["errors"]}


def test_save_replaces_the_content_and_moves_one_version_on(layer, annotator):
    saved = save(
        layer,
        annotator,
        [ANNAN, DAMASCUS],
        [death({"role": "Victim", "span": "n1"}, {"role": "Place", "span": "n2"})],
    )
    assert saved.version == 2
    content = layer_snapshot(saved)
    assert [(s["start"], s["end"], s["label"], s["source"]) for s in content["spans"]] == [
        (0, 10, "PER", "human"),
        (22, 30, "GPE", "human"),
    ]
    assert all(span["accepted"] for span in content["spans"])
    [event] = content["events"]
    spans = {span["label"]: span["id"] for span in content["spans"]}
    assert [(a["role"], a["span"]) for a in event["arguments"]] == [
        ("Victim", spans["PER"]),
        ("Place", spans["GPE"]),
    ]


def test_every_save_writes_a_revision_holding_what_was_saved(layer, annotator):
    saved = save(layer, annotator, [ANNAN], [death({"role": "Victim", "span": "n1"})])
    revision = saved.revisions.get(version=2)
    assert revision.user == annotator
    assert revision_snapshot(revision) == layer_snapshot(saved)
    assert layer.revisions.get(version=1).snapshot["spans"][0]["source"] == "model"


def test_items_sent_back_with_their_ids_keep_them(layer, annotator):
    before = layer_snapshot(layer)
    before["spans"][0]["note"] = "Former Secretary-General"
    new = {"id": "n9", "start": 34, "end": 42, "label": "PER"}
    saved = save(layer, annotator, [*before["spans"], new], before["events"])
    after = layer_snapshot(saved)
    assert [span["id"] for span in after["spans"][:2]] == [s["id"] for s in before["spans"]]
    assert after["spans"][0]["note"] == "Former Secretary-General"
    assert after["spans"][2]["id"] not in {s["id"] for s in before["spans"]}
    assert [event["id"] for event in after["events"]] == [before["events"][0]["id"]]


def test_saving_back_unchanged_content_changes_nothing_but_the_version(layer, annotator):
    before = layer_snapshot(layer)
    saved = save(layer, annotator, before["spans"], before["events"])
    assert layer_snapshot(saved) == {**before, "version": 2}


def test_confirming_a_model_item_keeps_its_provenance(layer, annotator):
    content = layer_snapshot(layer)
    content["spans"][0]["accepted"] = True
    saved = save(layer, annotator, content["spans"], content["events"])
    first = saved.spans.order_by("start").first()
    assert (first.source, first.score, first.accepted) == (Source.MODEL, 0.9, True)


def test_a_stale_version_is_refused_and_nothing_is_written(layer, annotator):
    save(layer, annotator, [ANNAN], [])
    content = layer_snapshot(layer)

    with pytest.raises(Conflict) as excinfo:
        save(layer, annotator, [ANNAN, DAMASCUS], [], version=1)

    assert str(excinfo.value).startswith(
        "This layer was saved elsewhere since you loaded it: it is now at version 2 "
        "(saved by ana-annotator at "
    )
    assert excinfo.value.extra["version"] == 2
    assert excinfo.value.extra["user"] == "ana-annotator"
    assert layer_snapshot(layer) == content
    assert layer.revisions.count() == 2


def test_a_victim_must_be_a_person(layer, annotator):
    with pytest.raises(InvalidInput) as excinfo:
        save(layer, annotator, [ANNAN, DAMASCUS], [death({"role": "Victim", "span": "n2"})])
    assert problems(excinfo) == {
        "events[0].arguments[0].span": 'Role Victim of Life.Die takes PER, not GPE ("Damascus").'
    }


def test_every_problem_is_listed_with_its_field_and_nothing_is_written(layer, annotator, polarity):
    content = layer_snapshot(layer)
    spans = [
        ANNAN,
        {"id": "n2", "start": 22, "end": 99, "label": "GPE"},
        {"id": "n3", "start": 5, "end": 5, "label": "XYZ", "score": 1.5},
        {**ANNAN, "id": "n4"},
        {**DAMASCUS, "id": "n1"},
        "Damascus",
    ]
    events = [
        death(
            {"role": "Victim", "span": "n404"},
            {"role": "Killer", "span": "n1"},
            {"role": "Place", "span": "n1", "target_event": "e1"},
            {"role": "Victim", "target_event": "e1"},
            attributes={"Polarity": "Maybe"},
        ),
        {"id": "e2", "type": "Life.Marry", "trigger_start": 0, "trigger_end": 4},
    ]
    with pytest.raises(InvalidInput, match=r"^The layer was not saved: 14 problems\.$") as exc:
        save(layer, annotator, spans, events, version=0)
    assert problems(exc) == {
        "version": "version must be a positive integer: the one you loaded.",
        "spans[1].end": "end 99 is past the end of the text (43).",
        "spans[2].end": "end must be greater than start.",
        "spans[2].label": "Unknown entity type 'XYZ'; the schema has PER, GPE.",
        "spans[2].score": "score must be empty or a number in (0, 1].",
        "spans[3]": "The same PER span is at spans[0].",
        "spans[4].id": 'Two spans have the id "n1".',
        "spans[5]": "Each item must be an object.",
        "events[0].attributes.Polarity": "Polarity must be one of Positive, Negative, not 'Maybe'.",
        "events[0].arguments[0].span": 'No span "n404" in this layer.',
        "events[0].arguments[1].role": (
            "Life.Die has no role 'Killer'; its roles are Victim, Place."
        ),
        "events[0].arguments[2]": "An argument takes exactly one of span and target_event.",
        "events[0].arguments[3].target_event": "An event cannot fill a role of its own.",
        "events[1].type": "Unknown event type 'Life.Marry'; the schema has Life.Die.",
    }
    assert layer_snapshot(layer) == content
    assert layer.revisions.count() == 1


def test_closed_attributes_take_their_listed_values(layer, annotator, polarity):
    event = death(attributes={"Polarity": "Negative"})
    saved = save(layer, annotator, [], [event])
    assert saved.events.get().attributes == {"Polarity": "Negative"}


def test_repeated_fillers_of_a_role_are_numbered_in_order(document, annotator):
    document = DocumentFactory(corpus=document.corpus, text="Ann and Bob died in Homs.")
    layer, _ = annotator_layer_open(document=document, user=annotator)
    spans = [
        {"id": "a", "start": 0, "end": 3, "label": "PER"},
        {"id": "b", "start": 8, "end": 11, "label": "PER"},
    ]
    event = {
        "id": "e",
        "type": "Life.Die",
        "trigger_start": 12,
        "trigger_end": 16,
        "arguments": [{"role": "Victim", "span": "a"}, {"role": "Victim", "span": "b"}],
    }
    saved = save(layer, annotator, spans, [event])
    arguments = Argument.objects.filter(event__annotation=saved).order_by("index")
    assert [(a.span.start, a.index) for a in arguments] == [(0, 1), (8, 2)]
    event["arguments"].append({"role": "Victim", "span": "a"})
    with pytest.raises(InvalidInput) as excinfo:
        save(saved, annotator, spans, [event], version=2)
    assert problems(excinfo) == {
        "events[0].arguments[2]": "Role Victim has this span as filler already."
    }


def test_an_event_can_fill_a_role_of_another_event(layer, annotator):
    events = [death(id="e1"), death({"role": "Victim", "target_event": "e1"}, id="e2")]
    saved = save(layer, annotator, [], events)
    argument = Argument.objects.get(event__annotation=saved)
    assert argument.target_event.annotation_id == saved.pk


def test_relations_between_spans_that_are_kept_survive_a_save(document, owner, reviewer):
    gold = Annotation.objects.create(document=document, kind=Annotation.Kind.GOLD)
    annan, damascus = span_create(gold, 0, 10, "PER"), span_create(gold, 22, 30, "GPE")
    located = RelationType.objects.create(schema=document.corpus.schema, key="Located", name="In")
    Relation.objects.create(annotation=gold, relation_type=located, head=annan, tail=damascus)
    content = layer_snapshot(gold)

    save(gold, reviewer, content["spans"], [])
    assert gold.relations.get().head_id == annan.pk

    save(gold, owner, content["spans"][:1], [], version=2)
    assert not gold.relations.exists()


def test_only_the_layers_annotator_may_save_it(layer, reviewer):
    with pytest.raises(Forbidden, match="Only the layer's annotator can change it"):
        save(layer, reviewer, [], [])
    assert layer.revisions.count() == 1


def test_prediction_layers_are_never_saved_by_people(document, owner):
    prediction = prediction_create(document)
    with pytest.raises(Forbidden, match="annotate the document to correct them"):
        save(prediction, owner, [], [])
    assert prediction.spans.count() == 2


def test_the_gold_layer_is_for_owners_and_reviewers(document, annotator, owner):
    gold = AnnotationFactory(document=document, kind=Annotation.Kind.GOLD, model_name="")
    with pytest.raises(Forbidden, match="Only a corpus owner or reviewer"):
        save(gold, annotator, [ANNAN], [])
    Membership.objects.create(corpus=document.corpus, user=annotator, role="reviewer")
    assert save(gold, annotator, [ANNAN], []).version == 2
    assert save(gold, owner, [], [], version=2).version == 3


def test_saving_a_large_layer_takes_a_bounded_number_of_queries(
    corpus, annotator, django_assert_max_num_queries, insert_statements
):
    document = DocumentFactory(corpus=corpus, text="Annan " * 1000)
    layer, _ = annotator_layer_open(document=document, user=annotator)
    spans = [{"id": f"s{i}", "start": 6 * i, "end": 6 * i + 5, "label": "PER"} for i in range(1000)]
    events = [
        {
            "id": f"e{i}",
            "type": "Life.Die",
            "trigger_start": 6 * i,
            "trigger_end": 6 * i + 5,
            "arguments": [{"role": "Victim", "span": f"s{i + 1}"}],
        }
        for i in range(100)
    ]
    save(layer, annotator, spans, events)
    content = layer_snapshot(layer)
    layer = layer_get_for_user(user=annotator, pk=layer.pk)  # as the API has it

    inserts = insert_statements(1000, 10) + insert_statements(100, 10)
    with django_assert_max_num_queries(20 + inserts):  # 18, and the relation types' ends
        save(layer, annotator, content["spans"], content["events"], version=2)

    assert Revision.objects.filter(annotation=layer).count() == 3
    assert layer_snapshot(layer) == {**content, "version": 3}
