"""Exact-match evaluation of entities and triggers against gold, per label and micro-averaged."""

import json

import pytest

from corpus.nlp.analysis import Analysis, EntityMention
from corpus.nlp.evaluation import Scores, evaluate
from corpus.nlp.events import EventMention
from corpus.nlp.learned import GoldDocument

TEXT = "Homs Assad attack in Idlib by FSA"


def predicted(entities=(), events=()) -> Analysis:
    return Analysis(
        tokens=[],
        sentences=[],
        entities=[EntityMention(start, end, label, label) for start, end, label in entities],
        events=[EventMention(kind, start, end, 0.7) for start, end, kind in events],
    )


def test_entities_are_counted_per_label_on_exact_offsets_and_label():
    gold = [
        GoldDocument(TEXT, spans=((0, 4, "GPE"), (5, 10, "PER"), (30, 33, "ORG")), events=()),
        GoldDocument(TEXT, spans=((21, 26, "GPE"),), events=()),
    ]
    found = [
        predicted([(0, 4, "GPE"), (5, 10, "GPE"), (30, 32, "ORG")]),  # a wrong label, a short span
        predicted([(21, 26, "GPE")]),
    ]

    entities = evaluate(gold, found)["entities"]

    assert entities["labels"] == {
        "GPE": {"tp": 2, "fp": 1, "fn": 0, "precision": 0.6667, "recall": 1.0, "f1": 0.8,
                "support": 2},
        "ORG": {"tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0,
                "support": 1},
        "PER": {"tp": 0, "fp": 0, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0,
                "support": 1},
    }  # fmt: skip
    assert entities["micro"] == {
        "tp": 2, "fp": 2, "fn": 2, "precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 4,
    }  # fmt: skip


def test_triggers_match_on_offsets_and_event_type():
    gold = [GoldDocument(TEXT, spans=(), events=((11, 17, "Attack"),))]
    found = [predicted(events=[(11, 17, "Die"), (11, 17, "Attack"), (0, 4, "Move")])]

    triggers = evaluate(gold, found)["triggers"]

    assert {label: scores["tp"] for label, scores in triggers["labels"].items()} == {
        "Attack": 1,
        "Die": 0,
        "Move": 0,
    }
    assert triggers["micro"]["precision"] == 0.3333
    assert triggers["micro"]["recall"] == 1.0
    assert triggers["micro"]["f1"] == 0.5


def test_undefined_scores_are_zero_and_the_result_is_plain_json():
    result = evaluate([GoldDocument("", (), ())], [predicted()])

    assert json.loads(json.dumps(result)) == result
    assert result["entities"] == {
        "micro": {"tp": 0, "fp": 0, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0,
                  "support": 0},
        "labels": {},
    }  # fmt: skip


def test_scores_give_precision_recall_and_f1_from_counts():
    scores = Scores(tp=3, fp=1, fn=2)

    assert (scores.precision, scores.recall) == (0.75, 0.6)
    assert scores.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_evaluate_needs_one_prediction_per_gold_document():
    with pytest.raises(ValueError, match="1 gold documents but 0 predictions"):
        evaluate([GoldDocument("", (), ())], [])
