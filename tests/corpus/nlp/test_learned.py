"""Learning from gold: names, trigger words and rejected event types corrected on the next text."""

import copy
import json
import random

import pytest

from corpus.nlp.analysis import Analysis, EntityMention
from corpus.nlp.events import ArgumentMention, EventMention
from corpus.nlp.learned import GoldDocument, LearnedModel, apply, learn, normalised
from preannotation.predictions import prediction_content


def at(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the `nth` occurrence of `surface` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def gold(text: str, spans=(), events=()) -> GoldDocument:
    """A gold document from (surface, label) pairs, each surface's first occurrence."""
    return GoldDocument(
        text=text,
        spans=tuple((*at(text, surface), label) for surface, label in spans),
        events=tuple((*at(text, surface), kind) for surface, kind in events),
    )


def analysis(entities=(), events=()) -> Analysis:
    return Analysis(tokens=[], sentences=[], entities=list(entities), events=list(events))


def entity(text: str, surface: str, label: str, model_label: str, nth: int = 0) -> EntityMention:
    return EntityMention(*at(text, surface, nth), label, model_label, 0.9)


def event(text: str, surface: str, kind: str, arguments=(), nth: int = 0) -> EventMention:
    return EventMention(kind, *at(text, surface, nth), 0.7, tuple(arguments))


def learned_from_gold(*documents: GoldDocument, **options) -> LearnedModel:
    return learn(documents, [analysis() for _ in documents], **options)


def found(text: str, result: Analysis) -> list[tuple[str, str, str, int]]:
    return [
        (text[m.start : m.end], m.label, m.model_label, m.learned_from) for m in result.entities
    ]


BABA_AMR = [
    gold("Shelling of Baba Amr resumed.", spans=[("Baba Amr", "GPE")]),
    gold("Residents fled Baba Amr on Monday.", spans=[("Baba Amr", "GPE")]),
]


def test_confirmed_name_relabels_the_base_label_everywhere_and_says_it_was_learned():
    model = learned_from_gold(*BABA_AMR)
    text = "Baba Amr was hit again; Baba Amr has no water."
    base = analysis(
        [entity(text, "Baba Amr", "PER", "PERSON"), entity(text, "Baba Amr", "PER", "PERSON", 1)]
    )

    result = apply(model, text, base)

    assert model.names == {"baba amr": {"label": "GPE", "documents": 2}}
    assert found(text, result) == [("Baba Amr", "GPE", "PERSON", 2)] * 2
    assert [m.score for m in result.entities] == [0.9, 0.9]


def test_a_name_the_base_already_types_right_is_not_marked_as_taught_by_gold():
    model = learned_from_gold(gold("Troops entered Homs.", spans=[("Homs", "GPE")]))
    text = "Shells fell on Homs."

    result = apply(model, text, analysis([entity(text, "Homs", "GPE", "GPE")]))

    assert found(text, result) == [("Homs", "GPE", "GPE", 0)]


def test_learned_name_is_added_where_the_base_missed_it_on_word_boundaries_only():
    model = learned_from_gold(gold("Troops entered Homs.", spans=[("Homs", "GPE")]))
    text = "Homs (HOMS) is not Homsville, nor AlHoms, nor Homs2; homs."

    result = apply(model, text, analysis())

    assert [(m.start, m.end) for m in result.entities] == [
        at(text, "Homs"),
        at(text, "HOMS"),
        at(text, "homs"),
    ]
    assert {(m.label, m.model_label, m.score, m.learned_from) for m in result.entities} == {
        ("GPE", "", None, 1)
    }


def test_longest_learned_name_wins_and_no_added_name_overlaps_an_entity():
    model = learned_from_gold(
        gold("Baba Amr district and Baba Amr.", spans=[("Baba Amr district", "LOC")]),
        gold("Baba Amr fell.", spans=[("Baba Amr", "GPE")]),
        gold("Ain Larose fell.", spans=[("Ain Larose", "GPE")]),
    )
    text = "In the Baba Amr district, Baba Amr and the Ain Larose Road were shelled."
    base = analysis([entity(text, "Larose Road", "FAC", "FAC")])

    result = apply(model, text, base)

    assert found(text, result) == [
        ("Baba Amr district", "LOC", "", 1),
        ("Baba Amr", "GPE", "", 1),
        ("Larose Road", "FAC", "FAC", 0),
    ]


def test_name_with_inconsistent_labels_is_not_learned():
    model = learned_from_gold(
        gold("Jisr al-Shughour said so.", spans=[("Jisr al-Shughour", "PER")]),
        gold("In Jisr al-Shughour today.", spans=[("Jisr al-Shughour", "GPE")]),
    )

    assert model.names == {}


def test_name_is_learned_when_its_majority_label_reaches_the_minimum_share():
    documents = [gold("Idlib was shelled.", spans=[("Idlib", "GPE")]) for _ in range(4)]
    documents.append(gold("Idlib said so.", spans=[("Idlib", "PER")]))

    assert learned_from_gold(*documents).names == {"idlib": {"label": "GPE", "documents": 4}}
    assert learned_from_gold(*documents, min_share=0.9).names == {}


def test_lowercase_common_words_are_not_learned_but_names_with_capitals_or_digits_are():
    text = "civilians and Civilians and Brigade 93 and 1st and a and X1 and the army"
    model = learned_from_gold(
        gold(
            text,
            spans=[
                ("civilians", "PER"),
                ("Civilians", "PER"),
                ("Brigade 93", "ORG"),
                ("1st", "ORG"),
                ("a", "PER"),
                ("X1", "ORG"),
                ("the army", "ORG"),
            ],
        )
    )

    assert sorted(model.names) == ["1st", "brigade 93", "the army", "x1"]


def test_names_are_normalised_for_case_whitespace_and_nbsp():
    model = learned_from_gold(
        gold("Ain\u00a0Larose was hit.", spans=[("Ain\u00a0Larose", "GPE")]),
        gold("AIN   larose was hit.", spans=[("AIN   larose", "GPE")]),
    )
    text = "From ain\u00a0LAROSE to Ain\nLarose."

    result = apply(model, text, analysis())

    assert normalised("Ain\u00a0 LAROSE\n") == "ain larose"
    assert model.names == {"ain larose": {"label": "GPE", "documents": 2}}
    assert found(text, result) == [("ain\u00a0LAROSE", "GPE", "", 2), ("Ain\nLarose", "GPE", "", 2)]


def test_rejected_trigger_types_are_suppressed_and_dropped_while_kept_types_stay():
    first = gold("Snipers opened fire and killed two.", events=[("killed", "Die")])
    second = gold("They returned fire; one was killed.", events=[("killed", "Die")])
    third = gold("A fire hit the depot.")
    base = [
        analysis(events=[event(first.text, "fire", "Die"), event(first.text, "killed", "Die")]),
        analysis(events=[event(second.text, "fire", "Die"), event(second.text, "killed", "Die")]),
        analysis(events=[event(third.text, "hit", "Attack")]),  # rejected once only
    ]
    model = learn([first, second, third], base)
    text = "Forces opened fire and killed three."

    result = apply(
        model, text, analysis(events=[event(text, "fire", "Die"), event(text, "killed", "Die")])
    )

    assert model.suppressed == {"fire": ["Die"]}
    assert [(text[e.start : e.end], e.type) for e in result.events] == [("killed", "Die")]


def test_learned_trigger_word_adds_an_event_where_there_is_none():
    model = learned_from_gold(
        gold("Heavy shelling continued.", events=[("shelling", "Attack")]),
        gold("The Shelling stopped.", events=[("Shelling", "Attack")]),
    )
    text = "Shelling went on; the shelling killed 3 in Shelling Street."
    base = analysis(
        [entity(text, "Shelling Street", "FAC", "FAC")],
        [event(text, "shelling", "Bombing")],
    )

    result = apply(model, text, base)

    assert model.triggers == {"shelling": {"type": "Attack", "documents": 2}}
    assert [
        (e.start, e.end, e.type, e.score, e.arguments, e.learned_from) for e in result.events
    ] == [
        (*at(text, "Shelling"), "Attack", 0.5, (), 2),
        (*at(text, "shelling"), "Bombing", 0.7, (), 0),
    ]


def test_learned_trigger_type_replaces_the_type_gold_keeps_rejecting():
    documents = [gold(f"Troops opened fire {i}.", events=[("fire", "Attack")]) for i in range(2)]
    base = [analysis(events=[event(document.text, "fire", "Die")]) for document in documents]
    model = learn(documents, base)
    text = "Police opened fire."

    result = apply(model, text, analysis(events=[event(text, "fire", "Die")]))

    assert [(text[e.start : e.end], e.type, e.learned_from) for e in result.events] == [
        ("fire", "Attack", 2)
    ]


def test_a_trigger_word_is_not_learned_with_a_type_the_base_is_rejected_for():
    documents = [
        gold("A raid and a raid.", events=[("raid", "Attack")]),
        gold("Another raid, a raid.", events=[("raid", "Attack")]),
    ]
    base = [analysis(events=[event(d.text, "raid", "Attack", nth=1)]) for d in documents]

    model = learn(documents, base)

    assert model.suppressed == {"raid": ["Attack"]}
    assert model.triggers == {}


def test_apply_does_not_mutate_its_input():
    model = learned_from_gold(*BABA_AMR, gold("Shelling began.", events=[("Shelling", "Attack")]))
    text = "Shelling of Baba Amr; Baba Amr again."
    base = analysis(
        [entity(text, "Baba Amr", "PER", "PERSON")],
        [
            event(
                text,
                "Shelling",
                "Attack",
                [ArgumentMention("Place", *at(text, "Baba Amr"), "PER", 0.6)],
            )
        ],
    )
    before = copy.deepcopy(base)

    result = apply(model, text, base)

    assert base == before
    assert result.entities is not base.entities
    assert len(result.entities) == 2


def test_arguments_follow_a_relabelled_filler_and_the_layer_has_one_span_for_it():
    model = learned_from_gold(*BABA_AMR)
    text = "Troops attacked Baba Amr."
    place = ArgumentMention("Place", *at(text, "Baba Amr"), "PER", 0.6)
    base = analysis(
        [entity(text, "Baba Amr", "PER", "PERSON")], [event(text, "attacked", "Attack", [place])]
    )

    result = apply(model, text, base)
    content = prediction_content(result)

    assert [(a.start, a.end, a.label) for a in result.events[0].arguments] == [
        (*at(text, "Baba Amr"), "GPE")
    ]
    assert [(s.start, s.end, s.label) for s in content.spans] == [(*at(text, "Baba Amr"), "GPE")]
    assert content.events[0].arguments[0].span == content.spans[0].id


def test_tokens_sentences_and_unmapped_are_copied():
    text = "Homs."
    base = Analysis(tokens=[(0, 4), (4, 5)], sentences=[(0, 5)], entities=[])
    base.unmapped["CARDINAL"] = 2

    result = apply(LearnedModel(), text, base)

    assert (result.tokens, result.sentences, result.unmapped) == (
        base.tokens,
        base.sentences,
        base.unmapped,
    )
    assert result.tokens is not base.tokens


def test_learned_model_round_trips_through_json():
    first = gold("Baba Amr: snipers opened fire.", [("Baba Amr", "GPE")], [("fire", "Attack")])
    second = gold("Baba Amr again: shelling.", [("Baba Amr", "GPE")], [("shelling", "Attack")])
    base = [
        analysis(events=[event(first.text, "snipers", "Die")]),
        analysis(events=[event(second.text, "again", "Die")]),
        analysis(events=[event("again", "again", "Die")]),
    ]
    model = learn([first, second, gold("again")], base)

    restored = LearnedModel.from_json(json.loads(json.dumps(model.to_json())))

    assert restored == model
    assert model.suppressed == {"again": ["Die"]}
    assert set(model.triggers) == {"fire", "shelling"}
    assert model.documents == 3
    assert LearnedModel.from_json({}) == LearnedModel()


def test_learn_needs_one_base_analysis_per_gold_document():
    with pytest.raises(ValueError, match="2 gold documents but 1 base"):
        learn(BABA_AMR, [analysis()])


def test_five_thousand_names_over_fifty_thousand_characters_are_all_found():
    rng = random.Random(18)
    syllables = ["ba", "ka", "ru", "zel", "mor", "tin", "qa", "vox", "dun", "shi", "lo", "pe"]

    def name() -> str:
        return " ".join(
            "".join(rng.choice(syllables) for _ in range(3)).capitalize() for _ in range(2)
        )

    names = sorted({name() for _ in range(6000)})[:5000]
    model = LearnedModel(
        names={normalised(n): {"label": "GPE", "documents": 1} for n in names}, documents=1
    )
    parts, expected, length = [], [], 0
    while length < 50_000:
        chosen = rng.choice(names)
        filler = "and the people said that the shelling continued in "
        parts.append(filler)
        expected.append((length + len(filler), length + len(filler) + len(chosen)))
        parts.append(chosen + ". ")
        length += len(filler) + len(chosen) + 2
    text = "".join(parts)

    result = apply(model, text, analysis())

    assert len(text) >= 50_000
    assert [(m.start, m.end) for m in result.entities] == expected


def test_a_base_entity_inside_a_learned_name_gives_way_and_its_arguments_follow():
    model = learned_from_gold(gold("Baba Amr fell.", spans=[("Baba Amr", "GPE")]))
    text = "Troops shelled buildings in Baba Amr."
    baba = entity(text, "Baba", "GPE", "GPE")
    shelled = EventMention(
        type="Conflict.Attack",
        start=7,
        end=14,
        score=0.7,
        arguments=(ArgumentMention(role="Place", start=28, end=32, label="GPE", score=0.6),),
    )
    base = analysis([baba], [shelled])

    result = apply(model, text, base)

    assert found(text, result) == [("Baba Amr", "GPE", "", 1)]
    [argument] = result.events[0].arguments
    assert (text[argument.start : argument.end], argument.label) == ("Baba Amr", "GPE")
