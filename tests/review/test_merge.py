"""Merging layers into candidates, and choosing among them: by agreement, or one voter's."""

from annotations.content import ArgumentItem, EventItem, LayerContent, SpanItem
from review.merge import (
    content_from,
    layers_merge,
    select_agreed,
    select_voter,
    undecided,
)

# "Kofi Annan arrived in Damascus on Saturday."
ANNAN, DAMASCUS, ARRIVED = (0, 10), (22, 30), (11, 18)


def span(key, offsets, label, **details) -> SpanItem:
    return SpanItem(id=key, start=offsets[0], end=offsets[1], label=label, **details)


def event(key, offsets, type_, *arguments, **details) -> EventItem:
    return EventItem(
        id=key,
        type=type_,
        trigger_start=offsets[0],
        trigger_end=offsets[1],
        arguments=list(arguments),
        **details,
    )


def ana() -> LayerContent:
    """Annan PER, Damascus GPE; a death with Annan as Victim and Damascus as Place."""
    return LayerContent(
        spans=[
            span(1, ANNAN, "PER", note="ana's note"),
            span(2, DAMASCUS, "GPE"),
        ],
        events=[
            event(
                3,
                ARRIVED,
                "Life.Die",
                ArgumentItem("Victim", span=1),
                ArgumentItem("Place", span=2),
                attributes={"Polarity": "Positive"},
            )
        ],
    )


def ben() -> LayerContent:
    """Annan PER, Damascus PER (a label disagreement); the death with its Victim only."""
    return LayerContent(
        spans=[
            span(11, DAMASCUS, "PER"),
            span(10, ANNAN, "PER", note="ben's note"),
        ],
        events=[event(12, ARRIVED, "Life.Die", ArgumentItem("Victim", span=10))],
    )


def model() -> LayerContent:
    return LayerContent(spans=[span(20, ANNAN, "PER", source="model", score=0.9)])


def summary(candidates) -> list[tuple]:
    return [
        (candidate.id, candidate.voters, candidate.agreed, candidate.disputed)
        for candidate in candidates
    ]


def test_merge_lists_every_distinct_item_with_its_voters_in_text_order():
    candidates = layers_merge({"ana": ana(), "ben": ben(), "model": model()})
    assert candidates.voters == ("ana", "ben", "model")
    assert candidates.humans == ("ana", "ben")
    assert summary(candidates.entities) == [
        ("span:0:10:PER", ("ana", "ben", "model"), True, False),
        ("span:22:30:GPE", ("ana",), False, True),
        ("span:22:30:PER", ("ben",), False, True),
    ]
    assert summary(candidates.events) == [
        ("event:11:18:Life.Die", ("ana", "ben"), True, False),
    ]
    assert summary(candidates.arguments) == [
        ("arg:event:11:18:Life.Die:Place:span:22:30:GPE", ("ana",), False, True),
        ("arg:event:11:18:Life.Die:Victim:span:0:10:PER", ("ana", "ben"), True, False),
    ]


def test_merge_shows_a_label_disagreement_on_the_same_offsets():
    candidates = layers_merge({"ana": ana(), "ben": ben()})
    conflicts = {candidate.id: candidate.conflicts for candidate in candidates.entities}
    assert conflicts == {
        "span:0:10:PER": (),
        "span:22:30:GPE": ("PER",),
        "span:22:30:PER": ("GPE",),
    }


def test_an_item_only_the_model_has_is_neither_agreed_nor_disputed():
    candidates = layers_merge({"ana": LayerContent(), "model": model()})
    [only] = candidates.entities
    assert (only.voters, only.agreed, only.disputed) == (("model",), False, False)


def test_details_are_the_first_voters_in_voter_order():
    forward = layers_merge({"ana": ana(), "ben": ben()})
    backward = layers_merge({"ben": ben(), "ana": ana()})
    assert (forward.entities[0].note, forward.entities[0].details_from) == ("ana's note", "ana")
    assert (backward.entities[0].note, backward.entities[0].details_from) == ("ben's note", "ben")


def test_agreement_of_two_keeps_what_both_have_and_the_arguments_between_them():
    candidates = layers_merge({"ana": ana(), "ben": ben(), "model": model()})
    chosen = select_agreed(candidates, 2)
    assert [c.id for c in chosen.all()] == [
        "span:0:10:PER",
        "event:11:18:Life.Die",
        "arg:event:11:18:Life.Die:Victim:span:0:10:PER",
    ]
    assert [c.id for c in undecided(candidates, chosen)] == [
        "span:22:30:GPE",
        "span:22:30:PER",
        "arg:event:11:18:Life.Die:Place:span:22:30:GPE",
    ]


def test_the_model_does_not_count_towards_agreement():
    candidates = layers_merge({"ana": LayerContent(), "ben": ben(), "model": model()})
    chosen = select_agreed(candidates, 2)
    assert chosen.all() == ()


def test_an_argument_pointing_at_no_item_of_its_layer_counts_no_vote():
    annan_only = LayerContent(spans=[span(1, ANNAN, "PER")], events=ana().events)
    candidates = layers_merge({"ana": annan_only, "ben": ana()})
    # Both send Place = span 2, but ana's layer has no span 2: her Place is no vote.
    assert [c.voters for c in candidates.arguments] == [("ben",), ("ana", "ben")]
    chosen = select_agreed(candidates, 2)
    assert [c.id for c in chosen.arguments] == ["arg:event:11:18:Life.Die:Victim:span:0:10:PER"]


def test_taking_one_voter_takes_all_of_their_items():
    candidates = layers_merge({"ana": ana(), "ben": ben(), "model": model()})
    assert [c.id for c in select_voter(candidates, "ben").all()] == [
        "span:0:10:PER",
        "span:22:30:PER",
        "event:11:18:Life.Die",
        "arg:event:11:18:Life.Die:Victim:span:0:10:PER",
    ]
    assert [c.id for c in select_voter(candidates, "model").all()] == ["span:0:10:PER"]


def test_content_from_candidates_is_a_fresh_human_layer_with_arguments_pointing_at_its_items():
    candidates = layers_merge({"ana": ana(), "ben": ben(), "model": model()})
    content = content_from(select_voter(candidates, "ana"))
    assert [
        (s.id, s.start, s.end, s.label, s.source, s.score, s.accepted) for s in content.spans
    ] == [
        ("span:0:10:PER", 0, 10, "PER", "human", None, True),
        ("span:22:30:GPE", 22, 30, "GPE", "human", None, True),
    ]
    assert content.spans[0].note == "ana's note"
    [death] = content.events
    assert (death.id, death.accepted, death.attributes) == (
        "event:11:18:Life.Die",
        True,
        {"Polarity": "Positive"},
    )
    assert [(a.role, a.span, a.target_event, a.index) for a in death.arguments] == [
        ("Place", "span:22:30:GPE", None, 1),
        ("Victim", "span:0:10:PER", None, 1),
    ]


def test_an_event_filling_a_role_of_another_is_merged_by_its_key():
    nested = LayerContent(
        spans=[span("a", ANNAN, "PER")],
        events=[
            event("die", ARRIVED, "Life.Die", ArgumentItem("Victim", span="a")),
            event("said", (31, 33), "Life.Die", ArgumentItem("Place", target_event="die")),
        ],
    )
    candidates = layers_merge({"ana": nested, "ben": nested})
    assert [c.id for c in candidates.arguments] == [
        "arg:event:11:18:Life.Die:Victim:span:0:10:PER",
        "arg:event:31:33:Life.Die:Place:event:11:18:Life.Die",
    ]
    content = content_from(select_agreed(candidates, 2))
    said = content.events[1]
    assert [(a.role, a.span, a.target_event) for a in said.arguments] == [
        ("Place", None, "event:11:18:Life.Die")
    ]


def test_merge_is_the_same_whatever_the_order_of_items_in_the_layers():
    shuffled = ben()
    shuffled.spans.reverse()
    assert layers_merge({"ana": ana(), "ben": ben()}) == layers_merge(
        {"ana": ana(), "ben": shuffled}
    )
