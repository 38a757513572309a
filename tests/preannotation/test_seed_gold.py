"""The hand-written ACE 2005 gold for the seeds resolves to offsets in their cleaned text."""

import json
from pathlib import Path

import pytest

from bench.seed_gold import PRESET_PATH, SEEDS_DIR, GoldEntity, GoldEvent, seed_gold
from corpus.cleaning import clean_article

SEED_000 = "000_1ce29ab681460b23.txt"
SEED_001 = "001_3e3c8b1b8abd7c40.txt"

ARTICLE = "Syrian troops shelled Homs on Friday, killing 13 civilians in Syria.\nMore later."
ENTITIES = [
    {"label": "PER", "text": "Syrian troops", "mention": "NOM"},
    {"label": "GPE", "text": "Syrian", "mention": "NAM"},
    {"label": "GPE", "text": "Homs", "mention": "NAM"},
    {"label": "TIMEX2", "text": "Friday"},
    {"label": "PER", "text": "13 civilians", "mention": "NOM"},
    {"label": "GPE", "text": "Syria", "mention": "NAM"},
]
EVENTS = [
    {
        "type": "Conflict.Attack",
        "trigger": "shelled",
        "arguments": [
            {"role": "Attacker", "text": "Syrian troops"},
            {"role": "Place", "text": "Homs"},
        ],
    },
    {
        "type": "Life.Die",
        "trigger": "killing",
        "arguments": [{"role": "Victim", "text": "13 civilians"}],
    },
]


@pytest.fixture(scope="module")
def gold():
    return {document.source: document for document in seed_gold()}


def write_gold(tmp_path: Path, entities: list, events: list, text: str = ARTICLE) -> Path:
    """A one-document gold over `text`, saved as a.txt in tmp_path; returns the gold's path."""
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    gold_path = tmp_path / "gold.json"
    document = {"source": "a.txt", "entities": entities, "events": events}
    gold_path.write_text(json.dumps({"documents": [document]}), encoding="utf-8")
    return gold_path


def surface(document, item: GoldEntity | GoldEvent) -> str:
    return document.text[item.start : item.end]


def test_gold_resolves_over_the_cleaned_text_of_both_seeds(gold):
    assert sorted(gold) == [SEED_000, SEED_001]
    for source, document in gold.items():
        raw = (SEEDS_DIR / source).read_text(encoding="utf-8")
        assert document.text == clean_article(raw).text
        assert len(document.entities) > 100
        assert len(document.events) > 30


def test_kofi_annan_resolves_to_where_he_stands_in_cleaned_000(gold):
    document = gold[SEED_000]
    start = document.text.index("Kofi Annan")
    assert GoldEntity(start, start + len("Kofi Annan"), "PER", "NAM") in document.entities
    raw = (SEEDS_DIR / SEED_000).read_text(encoding="utf-8")
    assert raw.index("Kofi Annan") != start  # offsets are over the cleaned text, not the file


def test_mention_with_a_non_breaking_space_keeps_it(gold):
    document = gold[SEED_000]
    civilians = [e for e in document.entities if surface(document, e) == "at least\xa054 civilians"]
    assert [(e.label, e.mention) for e in civilians] == [("PER", "NOM")]


def test_killing_in_000_is_a_life_die_whose_victim_is_a_per_mention(gold):
    document = gold[SEED_000]
    killings = [
        event
        for event in document.events
        if event.type == "Life.Die" and surface(document, event) == "killing"
    ]
    assert len(killings) == 2
    per_spans = {(e.start, e.end) for e in document.entities if e.label == "PER"}
    for event in killings:
        victims = [arg for arg in event.arguments if arg.role == "Victim"]
        assert victims
        assert all((arg.start, arg.end) in per_spans for arg in victims)
    first = {arg.role: document.text[arg.start : arg.end] for arg in killings[0].arguments}
    assert first == {
        "Agent": "Syrian government forces",
        "Victim": "at least\xa054 civilians",
        "Time-Within": "Friday",
    }


def test_every_argument_is_a_gold_mention_of_a_type_its_role_allows(gold):
    preset = json.loads(PRESET_PATH.read_text(encoding="utf-8"))
    allowed = {
        (event["key"], role["key"]): set(role["entity_types"])
        for event in preset["event_types"]
        for role in event["roles"]
    }
    for document in gold.values():
        labels = {(e.start, e.end): e.label for e in document.entities}
        for event in document.events:
            for argument in event.arguments:
                label = labels[(argument.start, argument.end)]
                assert label in allowed[(event.type, argument.role)], (event, argument)


def test_mentions_and_triggers_are_listed_in_text_order(gold):
    for document in gold.values():
        assert [e.start for e in document.entities] == sorted(e.start for e in document.entities)
        assert [e.start for e in document.events] == sorted(e.start for e in document.events)


def test_occurrence_separates_two_adjacent_mentions_of_assad_in_001(gold):
    document = gold[SEED_001]
    phrase = "a longtime Assad ally, was giving Mr. Assad"
    start = document.text.index(phrase)
    assads = [
        e.start
        for e in document.entities
        if surface(document, e) == "Assad" and start <= e.start < start + len(phrase)
    ]
    assert assads == [start + phrase.index("Assad"), start + phrase.rindex("Assad")]


def test_a_name_never_matches_inside_a_longer_word(tmp_path):
    syria = {"label": "GPE", "text": "Syria", "mention": "NAM"}
    (document,) = seed_gold(tmp_path, write_gold(tmp_path, [syria], []))
    assert [e.start for e in document.entities] == [ARTICLE.index("Syria.")]


def test_occurrence_takes_the_nth_match(tmp_path):
    text = "Homs and Hama, then Homs again."
    homs = {"label": "GPE", "text": "Homs", "mention": "NAM", "occurrence": 2}
    (document,) = seed_gold(tmp_path, write_gold(tmp_path, [homs], [], text))
    assert [e.start for e in document.entities] == [text.rindex("Homs")]


def test_arguments_resolve_to_the_gold_mentions_next_to_their_trigger(tmp_path):
    (document,) = seed_gold(tmp_path, write_gold(tmp_path, ENTITIES, EVENTS))
    attack, death = document.events
    assert surface(document, attack) == "shelled"
    assert [(a.role, ARTICLE[a.start : a.end]) for a in attack.arguments] == [
        ("Attacker", "Syrian troops"),
        ("Place", "Homs"),
    ]
    assert [(a.role, a.start) for a in death.arguments] == [("Victim", ARTICLE.index("13"))]


def test_a_mention_not_in_the_seed_text_is_rejected_naming_document_and_mention(tmp_path):
    gold_path = tmp_path / "gold.json"
    document = {
        "source": SEED_000,
        "entities": [
            {"label": "GPE", "text": "Damascus", "mention": "NAM"},
            {"label": "PER", "text": "Vladimir Putin", "mention": "NAM"},
        ],
        "events": [],
    }
    gold_path.write_text(json.dumps({"documents": [document]}), encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"000_1ce29ab681460b23\.txt: entity #1 .*'Vladimir Putin'"
    ):
        seed_gold(SEEDS_DIR, gold_path)


def one_argument(event_type: str, trigger: str, role: str, text: str) -> list[dict]:
    return [{"type": event_type, "trigger": trigger, "arguments": [{"role": role, "text": text}]}]


ATTACK = r"event #0 \(Conflict.Attack 'shelled'\) argument #0"


@pytest.mark.parametrize(
    ("entities", "events", "problem"),
    [
        pytest.param(
            [*ENTITIES, {"label": "PERSON", "text": "civilians", "mention": "NOM"}],
            [],
            r"entity #6 \(PERSON 'civilians'\): unknown entity label 'PERSON'",
            id="unknown-entity-label",
        ),
        pytest.param(
            [{"label": "PER", "text": "13 civilians"}],
            [],
            r"entity #0 \(PER '13 civilians'\): mention must be one of",
            id="person-without-mention-level",
        ),
        pytest.param(
            [{"label": "TIMEX2", "text": "Friday", "mention": "NAM"}],
            [],
            r"entity #0 \(TIMEX2 'Friday'\): a TIMEX2 has no mention level",
            id="time-with-mention-level",
        ),
        pytest.param(
            [{"label": "GPE", "text": "Syria", "mention": "NAM"}, ENTITIES[2]],
            [],
            r"entity #1 \(GPE 'Homs'\): not found in the text at or after offset",
            id="mentions-out-of-order",
        ),
        pytest.param(
            [{"label": "GPE", "text": "Homs", "mention": "NAM", "occurrence": 0}],
            [],
            r"entity #0 \(GPE 'Homs'\): occurrence must be a whole number from 1, not 0",
            id="bad-occurrence",
        ),
        pytest.param(
            [{"label": "GPE", "text": "Homs", "mention": "NAM", "mentoin": "NAM"}],
            [],
            r"entity #0 \(GPE 'Homs'\): unknown keys \['mentoin'\]",
            id="misspelt-key",
        ),
        pytest.param(
            ENTITIES,
            [{"type": "Conflict.Battle", "trigger": "shelled"}],
            r"event #0 \(Conflict.Battle 'shelled'\): unknown event type",
            id="unknown-event-type",
        ),
        pytest.param(
            ENTITIES,
            [{"type": "Conflict.Attack", "trigger": "stormed"}],
            r"event #0 \(Conflict.Attack 'stormed'\): trigger not found",
            id="trigger-not-in-text",
        ),
        pytest.param(
            ENTITIES,
            one_argument("Conflict.Attack", "shelled", "Victim", "13 civilians"),
            ATTACK + r" \(Victim '13 civilians'\): not a role of this event type",
            id="role-not-of-event-type",
        ),
        pytest.param(
            ENTITIES,
            one_argument("Life.Die", "killing", "Victim", "Homs"),
            r"event #0 \(Life.Die 'killing'\) argument #0 \(Victim 'Homs'\): "
            r"filler is GPE, the role allows \['PER'\]",
            id="filler-type-not-allowed",
        ),
        pytest.param(
            ENTITIES,
            one_argument("Conflict.Attack", "shelled", "Attacker", "troops"),
            ATTACK + r" \(Attacker 'troops'\): the occurrence at offset 7 is not a gold entity",
            id="argument-not-a-gold-mention",
        ),
        pytest.param(
            ENTITIES,
            one_argument("Conflict.Attack", "shelled", "Time-Within", "later"),
            ATTACK + r" \(Time-Within 'later'\): not found in the trigger's line",
            id="argument-in-another-line",
        ),
    ],
)
def test_bad_gold_is_rejected_naming_document_and_item(tmp_path, entities, events, problem):
    gold_path = write_gold(tmp_path, entities, events)
    with pytest.raises(ValueError, match=rf"^a\.txt: {problem}"):
        seed_gold(tmp_path, gold_path)
