"""Role rules learned from gold: slots added to and removed from roles, then used on new text."""

import copy
import json

import pytest
from django.conf import settings

from corpus.nlp.events import EVENTS
from corpus.nlp.pipeline import pipeline_load
from corpus.nlp.role_learning import (
    LearnedRoles,
    RoleObservation,
    role_observations,
    roles_learn,
    spec_with_roles,
)
from corpus.nlp.spec import preset_pipeline_spec

PRESET = settings.BASE_DIR / "corpus" / "presets" / "ace2005.json"

ATTACK = "Conflict.Attack"
MONEY = "Transaction.Transfer-Money"

# A spec shaped like the ACE preset's, small enough to read in a test.
SPEC = {
    "entity_labels": {"PERSON": "PER", "GPE": "GPE", "MONEY": "MONEY"},
    "nominals": {},
    "event_types": [
        {
            "key": ATTACK,
            "triggers": [{"lemma": "shell", "pos": ["VERB"]}],
            "roles": [
                {"key": "Attacker", "entity_types": ["GPE", "PER"], "syntax": ["subj"]},
                {"key": "Target", "entity_types": ["PER"], "syntax": ["obj", "prep:on"]},
                {"key": "Place", "entity_types": ["GPE"], "syntax": ["place"]},
            ],
        },
        {
            "key": MONEY,
            "triggers": [{"lemma": "pay", "pos": ["VERB"]}],
            "roles": [
                {"key": "Giver", "entity_types": ["GPE", "PER"], "syntax": ["subj"]},
                {"key": "Beneficiary", "entity_types": ["GPE", "PER"], "syntax": ["prep:for"]},
                {"key": "Money", "entity_types": ["MONEY"], "syntax": []},
            ],
        },
    ],
}


def seen(event_type: str, slot: str, role: str | None, label: str, times: int = 1):
    return [RoleObservation(event_type, slot, role, label)] * times


def roles_of(spec: dict, event_type: str) -> dict[str, list[str]]:
    (found,) = (data for data in spec["event_types"] if data["key"] == event_type)
    return {role["key"]: role["syntax"] for role in found["roles"]}


# --- roles_learn on hand-made observations (no spaCy) ---


def test_a_slot_gold_consistently_fills_is_added_to_that_role():
    learned = roles_learn(seen(MONEY, "obj", "Money", "MONEY", times=3), SPEC)
    assert learned.added == {MONEY: {"Money": ["obj"]}}
    assert learned.removed == {}


def test_a_slot_gold_consistently_rejects_is_removed_from_its_role():
    observations = seen(ATTACK, "prep:on", None, "PER", 4) + seen(ATTACK, "prep:on", "Place", "GPE")
    learned = roles_learn(observations, SPEC)
    assert learned.removed == {ATTACK: {"Target": ["prep:on"]}}
    assert learned.added == {}  # one Place is not yet a habit


def test_a_slot_gold_gives_to_another_role_moves_to_it():
    learned = roles_learn(seen(ATTACK, "subj", "Place", "GPE", times=3), SPEC)
    assert learned.added == {ATTACK: {"Place": ["subj"]}}
    assert learned.removed == {ATTACK: {"Attacker": ["subj"]}}


def test_inconsistent_evidence_learns_nothing():
    observations = (
        seen(ATTACK, "subj", "Place", "GPE", 2)
        + seen(ATTACK, "subj", "Attacker", "GPE", 2)
        + seen(MONEY, "obj", "Money", "MONEY", 3)
        + seen(MONEY, "obj", None, "MONEY", 2)
    )
    assert roles_learn(observations, SPEC) == LearnedRoles()


def test_fewer_observations_than_min_count_learn_nothing():
    observations = seen(MONEY, "obj", "Money", "MONEY", 2) + seen(ATTACK, "obj", None, "PER", 2)
    assert roles_learn(observations, SPEC, min_count=3) == LearnedRoles()
    assert roles_learn(observations, SPEC, min_count=2).added == {MONEY: {"Money": ["obj"]}}
    assert roles_learn(observations, SPEC, min_count=2).removed == {ATTACK: {"Target": ["obj"]}}


def test_evidence_counts_only_labels_the_role_allows():
    # Beneficiary of "paid ... for the victims", Money of "paid for the weapons $5 million":
    # each role's evidence is consistent once the other's labels are set aside.
    observations = seen(MONEY, "prep:for", "Beneficiary", "PER", 3) + seen(
        MONEY, "prep:for", "Money", "MONEY", 3
    )
    learned = roles_learn(observations, SPEC)
    assert learned.added == {MONEY: {"Money": ["prep:for"]}}
    assert learned.removed == {}


def test_a_role_is_never_given_a_slot_for_a_label_it_does_not_allow():
    learned = roles_learn(seen(ATTACK, "obj", "Place", "LOC", times=5), SPEC)
    assert learned == LearnedRoles()


def test_a_locative_preposition_is_already_taken_by_the_place_slot():
    learned = roles_learn(seen(ATTACK, "prep:in", "Place", "GPE", times=5), SPEC)
    assert learned == LearnedRoles()


def test_observations_of_an_event_type_the_spec_lacks_learn_nothing():
    assert roles_learn(seen("Life.Die", "obj", "Victim", "PER", 5), SPEC) == LearnedRoles()


# --- spec_with_roles and storage ---


def test_spec_with_roles_adds_and_removes_slots_sorted_without_touching_its_input():
    before = copy.deepcopy(SPEC)
    learned = LearnedRoles(
        added={ATTACK: {"Target": ["prep:against"], "Place": ["subj"]}},
        removed={ATTACK: {"Target": ["obj"], "Attacker": ["subj"]}},
    )
    new = spec_with_roles(SPEC, learned)
    assert before == SPEC
    assert roles_of(new, ATTACK) == {
        "Attacker": [],
        "Target": ["prep:against", "prep:on"],
        "Place": ["place", "subj"],
    }
    assert roles_of(new, MONEY) == roles_of(SPEC, MONEY)
    new["event_types"][1]["roles"][2]["syntax"].append("obj")
    assert before == SPEC  # a deep copy: editing the new spec leaves the old one alone


def test_nothing_learned_gives_an_equal_spec():
    assert spec_with_roles(SPEC, LearnedRoles()) == SPEC


def test_learned_roles_round_trip_through_json():
    learned = LearnedRoles(
        added={MONEY: {"Money": ["obj", "prep:for"]}},
        removed={ATTACK: {"Attacker": ["subj"]}},
    )
    stored = json.loads(json.dumps(learned.to_json()))
    assert LearnedRoles.from_json(stored) == learned
    assert LearnedRoles.from_json(stored).to_json() == stored
    assert LearnedRoles.from_json({}) == LearnedRoles()


# --- with the real parser and the ACE 2005 preset ---


@pytest.fixture(scope="module")
def ace_spec() -> dict:
    return preset_pipeline_spec(json.loads(PRESET.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def ace(ace_spec):
    return pipeline_load(settings.SPACY_MODEL, schema=ace_spec)


def at(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def gold_observations(ace, text: str, trigger: str, event_type: str, arguments: dict):
    """Observations of one gold event; `arguments` maps a role to its (surface, gold label)."""
    start, end = at(text, trigger)
    return role_observations(
        ace(text),
        ace.get_pipe("goldset_events"),
        [(start, end, event_type)],
        [(start, end, role, *at(text, surface)) for role, (surface, _) in arguments.items()],
        gold_spans=[(*at(text, surface), label) for surface, label in arguments.values()],
    )


def proposed(nlp, text: str) -> list[tuple[str, dict[str, str]]]:
    return [
        (
            event.type,
            {argument.role: text[argument.start : argument.end] for argument in event.arguments},
        )
        for event in nlp(text)._.get(EVENTS)
    ]


@pytest.mark.model
@pytest.mark.slow
def test_money_gold_takes_from_the_object_is_proposed_after_learning(ace, ace_spec):
    # The preset gives Transfer-Money's Money no slot: "paid $5 million" loses its Money.
    assert roles_of(ace_spec, MONEY)["Money"] == []
    observations = gold_observations(
        ace,
        "The company paid $5 million to the victims.",
        "paid",
        MONEY,
        {
            "Giver": ("The company", "ORG"),
            "Money": ("$5 million", "MONEY"),
            "Recipient": ("the victims", "PER"),
        },
    ) + gold_observations(
        ace,
        "Saudi Arabia donated $50 million to the opposition.",
        "donated",
        MONEY,
        {
            "Giver": ("Saudi Arabia", "GPE"),
            "Money": ("$50 million", "MONEY"),
            "Recipient": ("the opposition", "ORG"),
        },
    )
    assert observations.count(RoleObservation(MONEY, "obj", "Money", "MONEY")) == 2

    learned = roles_learn(observations, ace_spec)

    assert learned == LearnedRoles(added={MONEY: {"Money": ["obj"]}})
    text = "Qatar paid $10 million to the rebels on Monday."
    assert "Money" not in proposed(ace, text)[0][1]
    taught = pipeline_load(settings.SPACY_MODEL, schema=spec_with_roles(ace_spec, learned))
    assert proposed(taught, text) == [
        (MONEY, {"Giver": "Qatar", "Money": "$10 million", "Time-Within": "Monday"})
    ]


@pytest.mark.model
@pytest.mark.slow
def test_a_subject_gold_keeps_calling_the_place_stops_being_the_attacker(ace, ace_spec):
    # "Homs came under shelling": the rules take the clause's subject as the Attacker.
    documents = [
        ("Homs came under heavy shelling on Friday.", "shelling", "Homs", "Friday"),
        ("The city came under heavy shelling.", "shelling", "The city", None),
        ("Rastan came under attack on Sunday.", "attack", "Rastan", "Sunday"),
    ]
    observations = [
        observation
        for text, trigger, town, day in documents
        for observation in gold_observations(
            ace,
            text,
            trigger,
            ATTACK,
            {"Place": (town, "GPE"), **({"Time-Within": (day, "TIMEX2")} if day else {})},
        )
    ]
    assert observations.count(RoleObservation(ATTACK, "subj", "Place", "GPE")) == 3

    learned = roles_learn(observations, ace_spec)

    assert learned.removed == {ATTACK: {"Attacker": ["subj"]}}
    assert learned.added == {ATTACK: {"Place": ["subj"]}}
    text = "The village came under heavy shelling."
    assert proposed(ace, text) == [(ATTACK, {"Attacker": "The village"})]
    taught = pipeline_load(settings.SPACY_MODEL, schema=spec_with_roles(ace_spec, learned))
    assert proposed(taught, text) == [(ATTACK, {"Place": "The village"})]


@pytest.mark.model
@pytest.mark.slow
def test_a_slot_its_trigger_assigns_itself_is_not_evidence_for_the_event_type(ace):
    text = "Two soldiers died in Homs."
    start, end = at(text, "died")
    observations = role_observations(
        ace(text),
        ace.get_pipe("goldset_events"),
        [(start, end, "Life.Die")],
        [(start, end, "Victim", *at(text, "Two soldiers"))],
    )
    # "die" puts its subject in Victim itself; Life.Die's other triggers keep "subj" for Agent.
    assert observations == [RoleObservation("Life.Die", "prep:in", None, "GPE")]
