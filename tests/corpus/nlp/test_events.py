"""Event rules on sentences shaped like news text, with the ACE 2005 preset as data."""

import json

import pytest

from bench.seed_gold import PRESET_PATH
from corpus.nlp.events import EVENTS
from corpus.nlp.pipeline import pipeline_load
from corpus.nlp.spec import preset_pipeline_spec

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def ace(nlp):
    spec = preset_pipeline_spec(json.loads(PRESET_PATH.read_text(encoding="utf-8")))
    return pipeline_load(nlp.meta["lang"] + "_" + nlp.meta["name"], schema=spec)


def events(ace, text: str) -> list[tuple[str, str, dict[str, str]]]:
    doc = ace(text)
    return [
        (
            event.type,
            text[event.start : event.end],
            {argument.role: text[argument.start : argument.end] for argument in event.arguments},
        )
        for event in doc._.get(EVENTS)
    ]


def test_verbless_headline_gets_its_event_place_and_time(ace):
    (found,) = events(ace, "Deadly clashes in Homs on Friday.")
    assert found == ("Conflict.Attack", "clashes", {"Place": "Homs", "Time-Within": "Friday"})


def test_intransitive_verb_subject_fills_the_patient_role(ace):
    assert ("Life.Die", "died", {"Victim": "Two soldiers"}) in events(
        ace, "Two soldiers died in the attack."
    )


def test_possessor_of_a_nominal_trigger_is_its_agent(ace):
    found = events(ace, "Annan's visit to Damascus was welcomed.")
    assert ("Contact.Meet", "visit", {"Entity": "Annan", "Place": "Damascus"}) in found


def test_a_role_is_never_filled_with_a_type_it_does_not_allow(ace):
    for _type, _trigger, arguments in events(ace, "Troops stormed Idlib on Saturday."):
        assert "Target" not in arguments  # ACE's Attack Target allows no GPE
