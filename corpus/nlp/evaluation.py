"""Score predicted entities and event triggers against gold by exact match, per label."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from corpus.nlp.analysis import Analysis
from corpus.nlp.learned import GoldDocument

Item = tuple[int, int, str]  # (start, end, label or event type)


@dataclass
class Scores:
    """Counts of one label (or of all: micro) and the precision, recall and F1 they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.tp + self.fn,
        }


def evaluate(gold: Sequence[GoldDocument], predicted: Sequence[Analysis]) -> dict[str, Any]:
    """Exact-match scores of `predicted[i]` against `gold[i]`, as plain dicts to store as JSON.

    Entities match on (start, end, label), triggers on (start, end, type):
    `{"entities": {"micro": {...}, "labels": {label: {...}}}, "triggers": {same, by type}}`,
    each `{...}` holding tp, fp, fn, precision, recall, f1 (0.0 when undefined) and
    support (the gold count).
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predictions")
    pairs = list(zip(gold, predicted, strict=True))
    return {
        "entities": _scores(
            (document.spans, [(m.start, m.end, m.label) for m in analysis.entities])
            for document, analysis in pairs
        ),
        "triggers": _scores(
            (document.events, [(e.start, e.end, e.type) for e in analysis.events])
            for document, analysis in pairs
        ),
    }


def _scores(documents: Iterable[tuple[Iterable[Item], Iterable[Item]]]) -> dict[str, Any]:
    labels: dict[str, Scores] = defaultdict(Scores)
    for gold_items, predicted_items in documents:
        expected, found = set(gold_items), set(predicted_items)
        for _, _, label in expected & found:
            labels[label].tp += 1
        for _, _, label in found - expected:
            labels[label].fp += 1
        for _, _, label in expected - found:
            labels[label].fn += 1
    micro = Scores(
        tp=sum(scores.tp for scores in labels.values()),
        fp=sum(scores.fp for scores in labels.values()),
        fn=sum(scores.fn for scores in labels.values()),
    )
    return {
        "micro": micro.to_json(),
        "labels": {label: labels[label].to_json() for label in sorted(labels)},
    }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
