"""Calibration of pipeline scores on gold: pairs, isotonic maps, fallbacks, ECE, cross-fitting."""

import copy
import json
import random
from collections import Counter

import pytest

from corpus.nlp.analysis import Analysis, EntityMention
from corpus.nlp.calibration import (
    Calibration,
    analysis_calibrated,
    calibration_fit,
    calibration_pairs,
    calibration_report,
    expected_calibration_error,
)
from corpus.nlp.events import ArgumentMention, EventMention
from corpus.nlp.learned import GoldDocument

TEXT = "Assad forces shelled Homs; FSA fighters died in Idlib."
ASSAD, HOMS, FSA, IDLIB = (0, 5), (21, 25), (27, 30), (48, 53)
SHELLED, DIED = (13, 20), (40, 44)


def over_confident(n: int, *, seed: int, kind: str = "entities", label: str = "PER") -> list:
    """Pairs of a model whose raw score s in [0.8, 1] is right with probability s ** 8."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        score = rng.uniform(0.8, 1.0)
        pairs.append((kind, label, round(score, 3), rng.random() < score**8))
    return pairs


def test_pairs_mark_entities_triggers_and_arguments_right_on_exact_match():
    gold = GoldDocument(
        TEXT,
        spans=((*ASSAD, "PER"), (*HOMS, "GPE"), (*FSA, "ORG")),
        events=((*SHELLED, "Conflict.Attack"), (*DIED, "Life.Die")),
        arguments=((*SHELLED, "Place", *HOMS), (*DIED, "Victim", *FSA)),
    )
    predicted = Analysis(
        tokens=[],
        sentences=[],
        entities=[
            EntityMention(*ASSAD, "PER", "PERSON", 0.99),
            EntityMention(*HOMS, "ORG", "ORG", 0.98),  # wrong label
            EntityMention(*IDLIB, "GPE", "GPE"),  # added by the gazetteer: no score, not in gold
        ],
        events=[
            EventMention(
                "Conflict.Attack",
                *SHELLED,
                0.7,
                (
                    ArgumentMention("Place", *HOMS, "GPE", 0.6),
                    ArgumentMention("Attacker", *ASSAD, "PER", 0.75),  # not in gold
                ),
            ),
            EventMention("Life.Die", *DIED, 0.6, (ArgumentMention("Victim", *FSA, "ORG", 0.8),)),
            EventMention("Life.Die", 31, 39, 0.45),  # "fighters": not a trigger in gold
        ],
    )

    assert calibration_pairs([gold], [predicted]) == [
        ("entities", "PER", 0.99, True),
        ("entities", "ORG", 0.98, False),
        ("entities", "GPE", None, False),
        ("triggers", "Conflict.Attack", 0.7, True),
        ("arguments", "Place", 0.6, True),
        ("arguments", "Attacker", 0.75, False),
        ("triggers", "Life.Die", 0.6, True),
        ("arguments", "Victim", 0.8, True),
        ("triggers", "Life.Die", 0.45, False),
    ]


def test_pairs_of_a_calibrated_analysis_use_its_raw_scores():
    gold = GoldDocument(TEXT, spans=((*ASSAD, "PER"),), events=())
    mention = EntityMention(*ASSAD, "PER", "PERSON", score=0.5, raw_score=0.99)
    predicted = Analysis(tokens=[], sentences=[], entities=[mention])

    assert calibration_pairs([gold], [predicted]) == [("entities", "PER", 0.99, True)]


def test_pairs_refuse_a_different_number_of_documents():
    with pytest.raises(ValueError, match="1 gold documents but 0 predictions"):
        calibration_pairs([GoldDocument(TEXT, spans=(), events=())], [])


def test_an_over_confident_label_is_calibrated_to_its_precision():
    pairs = [("entities", "PER", 0.99, i % 2 == 0) for i in range(100)]

    calibration = calibration_fit(pairs)

    assert calibration.calibrate("entities", "PER", 0.99) == pytest.approx(0.5, abs=0.01)


def test_calibration_never_ranks_a_higher_raw_score_lower():
    calibration = calibration_fit(over_confident(2000, seed=1))
    grid = [i / 200 for i in range(201)]

    calibrated = [calibration.calibrate("entities", "PER", score) for score in grid]

    assert calibrated == sorted(calibrated)
    assert calibrated[0] < 0.3 < 0.8 < calibrated[-1]  # the map is not a constant


def test_a_label_with_few_pairs_falls_back_to_the_pooled_map_of_its_kind():
    pairs = [("entities", "PER", 0.9, i % 2 == 0) for i in range(60)]  # 30 of 60 right
    pairs += [("entities", "ORG", 0.9, True) for _ in range(10)]  # 40 of 70 right in all

    calibration = calibration_fit(pairs)

    assert calibration.calibrate("entities", "PER", 0.9) == 0.5
    assert calibration.calibrate("entities", "ORG", 0.9) == round(40 / 70, 3)
    assert calibration.calibrate("entities", "NORP", 0.9) == round(40 / 70, 3)
    assert set(calibration.labels["entities"]) == {"PER"}


def test_a_label_whose_pairs_are_all_right_falls_back_to_the_pooled_map():
    pairs = [("triggers", "Life.Die", 0.6, i % 4 != 0) for i in range(40)]  # 30 of 40 right
    pairs += [("triggers", "Conflict.Attack", 0.6, True) for _ in range(40)]  # 70 of 80 right

    calibration = calibration_fit(pairs)

    assert calibration.calibrate("triggers", "Life.Die", 0.6) == 0.75
    assert calibration.calibrate("triggers", "Conflict.Attack", 0.6) == 0.875


def test_scores_pass_through_when_a_kind_has_too_little_gold():
    pairs = [("entities", "PER", 0.99, i % 2 == 0) for i in range(10)]

    calibration = calibration_fit(pairs)

    assert calibration.calibrate("entities", "PER", 0.99) == 0.99
    assert calibration.calibrate("arguments", "Victim", 0.8) == 0.8


def test_unscored_items_get_the_precision_observed_on_unscored_gold():
    pairs = [("entities", "GPE", None, i < 7) for i in range(10)]
    pairs += [("triggers", "Life.Die", None, True) for _ in range(4)]  # too few to say

    calibration = calibration_fit(pairs)

    assert calibration.calibrate("entities", "LOC", None) == 0.7
    assert calibration.calibrate("triggers", "Life.Die", None) is None


def test_calibrated_scores_stay_inside_what_the_database_stores():
    pairs = [("entities", "PER", 0.3, False) for _ in range(40)]
    pairs += [("entities", "PER", 0.9, True) for _ in range(40)]

    calibration = calibration_fit(pairs)

    assert calibration.calibrate("entities", "PER", 0.1) == 0.001
    assert calibration.calibrate("entities", "PER", 0.95) == 1.0
    assert calibration.calibrate("entities", "PER", 0.6) == 0.5  # halfway up the ramp


def test_expected_calibration_error_of_a_calibrated_set_is_near_zero():
    rng = random.Random(2)
    probabilities = [rng.random() for _ in range(20000)]
    calibrated = [(p, rng.random() < p) for p in probabilities]
    over_confident = [(0.99, i % 2 == 0) for i in range(1000)]

    assert expected_calibration_error(calibrated) < 0.02
    assert expected_calibration_error(over_confident) == pytest.approx(0.49)
    assert expected_calibration_error([]) == 0.0


def test_report_shows_cross_fitted_calibration_beating_raw_scores():
    pairs = over_confident(1500, seed=3) + over_confident(1500, seed=4, label="GPE")
    pairs += over_confident(400, seed=5, kind="triggers", label="Life.Die")
    pairs += [("entities", "GPE", None, True)] * 7  # left out of the error

    report = calibration_report(pairs, folds=3, seed=0)

    assert set(report) == {"entities", "triggers", "arguments"}
    assert report["arguments"] == {
        "pooled": {"before": 0.0, "after": 0.0, "pairs": 0},
        "labels": {},
    }
    assert report["entities"]["pooled"]["pairs"] == 3000
    assert set(report["entities"]["labels"]) == {"GPE", "PER"}
    for part in (report["entities"]["pooled"], *report["entities"]["labels"].values()):
        assert part["after"] < part["before"] / 3
    triggers = report["triggers"]["labels"]["Life.Die"]
    assert triggers["after"] < triggers["before"]


def test_report_is_the_same_for_the_same_seed():
    pairs = over_confident(300, seed=6)

    assert calibration_report(pairs, seed=1) == calibration_report(pairs, seed=1)


def test_accepting_above_09_after_calibration_keeps_precision_above_09_on_held_out_gold():
    calibration = calibration_fit(over_confident(5000, seed=7))
    held_out = over_confident(5000, seed=8)

    accepted = [
        correct
        for kind, label, score, correct in held_out
        if calibration.calibrate(kind, label, score) > 0.9
    ]
    raw_accepted = [correct for _, _, score, correct in held_out if score > 0.9]

    assert len(accepted) > 100
    assert sum(accepted) / len(accepted) >= 0.9
    assert sum(raw_accepted) / len(raw_accepted) < 0.75  # what the raw scores promised


def test_calibration_survives_a_json_round_trip():
    pairs = over_confident(500, seed=9) + [("entities", "GPE", None, True)] * 6
    calibration = calibration_fit(pairs)

    stored = json.loads(json.dumps(calibration.to_json()))

    assert Calibration.from_json(stored) == calibration
    assert Calibration.from_json(stored).to_json() == calibration.to_json()


def test_an_empty_calibration_leaves_scores_as_they_are():
    identity = Calibration.from_json({})

    assert identity.calibrate("entities", "PER", 0.987) == 0.987
    assert identity.calibrate("triggers", "Life.Die", None) is None
    assert identity.to_json() == {"pooled": {}, "labels": {}, "unscored": {}}


def test_calibrated_analysis_carries_raw_scores_and_leaves_its_input_alone():
    calibration = calibration_fit(
        [("entities", "PER", 0.99, i % 2 == 0) for i in range(40)]
        + [("arguments", "Victim", 0.8, i % 4 == 0) for i in range(40)]
        + [("entities", "GPE", None, i < 9) for i in range(10)]
    )
    analysis = Analysis(
        tokens=[(0, 5), (6, 12)],
        sentences=[(0, 53)],
        entities=[
            EntityMention(*ASSAD, "PER", "PERSON", 0.99),
            EntityMention(*IDLIB, "GPE", "", learned_from=3),  # from the gazetteer: no score
            EntityMention(*HOMS, "PER", "PERSON", 0.4, raw_score=0.99),  # calibrated before
        ],
        events=[
            EventMention(
                "Life.Die",
                *DIED,
                0.6,
                (ArgumentMention("Victim", *FSA, "ORG", 0.8),),
                learned_from=2,
            )
        ],
        unmapped=Counter({"DATE": 2}),
    )
    before = copy.deepcopy(analysis)

    calibrated = analysis_calibrated(calibration, analysis)

    assert analysis == before
    person, place, homs = calibrated.entities
    assert (person.score, person.raw_score) == (0.5, 0.99)
    assert (place.score, place.raw_score, place.learned_from) == (0.9, None, 3)
    assert (homs.score, homs.raw_score) == (0.5, 0.99)
    event = calibrated.events[0]
    assert (event.score, event.raw_score, event.learned_from) == (0.6, None, 2)  # no map
    assert (event.arguments[0].score, event.arguments[0].raw_score) == (0.25, 0.8)
    assert (calibrated.tokens, calibrated.sentences) == (analysis.tokens, analysis.sentences)
    assert calibrated.unmapped == Counter({"DATE": 2})
    assert calibrated.tokens is not analysis.tokens
