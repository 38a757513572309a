"""Calibrate the pipeline's scores on reviewed gold, so that a score of 0.9 means 90 % right.

The base model's scores are not probabilities (an entity at 0.99 is often wrong). Pairs of
(score, right or wrong) from gold fit an isotonic map per kind and label: a non-decreasing
step-and-ramp curve from raw score to observed precision, stored as plain JSON and applied
by interpolation, so that applying it needs no scikit-learn.
"""

import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from corpus.nlp.analysis import Analysis, EntityMention
from corpus.nlp.events import ArgumentMention, EventMention
from corpus.nlp.learned import GoldDocument

KINDS = ("entities", "triggers", "arguments")
MIN_PAIRS = 30
MIN_UNSCORED = 5
LOWEST, HIGHEST = 0.001, 1.0  # the database stores scores in (0, 1]

Pair = tuple[str, str, float | None, bool]  # (kind, label, score, correct)


@dataclass(frozen=True)
class IsotonicMap:
    """A fitted isotonic curve: thresholds `x` (increasing) and their values `y`."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    pairs: int  # how many scored pairs it was fitted on

    def __call__(self, score: float) -> float:
        """Interpolate linearly between thresholds and clip outside them, as numpy.interp."""
        x, y = self.x, self.y
        if score <= x[0]:
            return y[0]
        if score >= x[-1]:
            return y[-1]
        i = bisect_right(x, score)
        share = (score - x[i - 1]) / (x[i] - x[i - 1])
        return y[i - 1] + share * (y[i] - y[i - 1])

    def to_json(self) -> dict[str, Any]:
        return {"x": list(self.x), "y": list(self.y), "pairs": self.pairs}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "IsotonicMap":
        return cls(tuple(map(float, data["x"])), tuple(map(float, data["y"])), int(data["pairs"]))


@dataclass
class Calibration:
    """Isotonic maps per kind (pooled) and per kind and label, and the precision of unscored items.

    `from_json({})` is the identity: every score passes through as it is.
    """

    pooled: dict[str, IsotonicMap] = field(default_factory=dict)  # kind ->
    labels: dict[str, dict[str, IsotonicMap]] = field(default_factory=dict)  # kind -> label ->
    unscored: dict[str, float] = field(default_factory=dict)  # kind -> observed precision

    def calibrate(self, kind: str, label: str, score: float | None) -> float | None:
        """The probability that an item of `kind` and `label` with this raw score is right.

        A score with no map for its label or kind passes through unchanged; a missing
        score gets the precision observed on unscored items of its kind, if known.
        """
        if score is None:
            precision = self.unscored.get(kind)
            return None if precision is None else _stored(precision)
        curve = self.labels.get(kind, {}).get(label) or self.pooled.get(kind)
        return score if curve is None else _stored(curve(score))

    def to_json(self) -> dict[str, Any]:
        return {
            "pooled": {kind: curve.to_json() for kind, curve in self.pooled.items()},
            "labels": {
                kind: {label: curve.to_json() for label, curve in curves.items()}
                for kind, curves in self.labels.items()
            },
            "unscored": dict(self.unscored),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Calibration":
        """Read what `to_json` wrote; an empty dict (a JSONField's default) is the identity."""
        return cls(
            pooled={kind: IsotonicMap.from_json(c) for kind, c in data.get("pooled", {}).items()},
            labels={
                kind: {label: IsotonicMap.from_json(c) for label, c in curves.items()}
                for kind, curves in data.get("labels", {}).items()
            },
            unscored={kind: float(p) for kind, p in data.get("unscored", {}).items()},
        )


def calibration_pairs(gold: Sequence[GoldDocument], predicted: Sequence[Analysis]) -> list[Pair]:
    """(kind, label, raw score, correct) of every predicted entity, trigger and argument.

    Exact match against `gold[i]`: entities on (start, end, label), triggers on
    (start, end, type), arguments on (trigger start, trigger end, role, start, end). Per
    document: the entities, then each event followed by its arguments. An item calibrated
    already contributes its `raw_score`, since maps are fitted from raw scores.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predictions")
    pairs: list[Pair] = []
    for document, analysis in zip(gold, predicted, strict=True):
        spans, events, arguments = map(set, (document.spans, document.events, document.arguments))
        for m in analysis.entities:
            pairs.append(("entities", m.label, _raw(m), (m.start, m.end, m.label) in spans))
        for e in analysis.events:
            pairs.append(("triggers", e.type, _raw(e), (e.start, e.end, e.type) in events))
            for a in e.arguments:
                correct = (e.start, e.end, a.role, a.start, a.end) in arguments
                pairs.append(("arguments", a.role, _raw(a), correct))
    return pairs


def calibration_fit(pairs: Sequence[Pair], *, min_pairs: int = MIN_PAIRS) -> Calibration:
    """Fit a map per kind and per label from at least `min_pairs` scored pairs of both outcomes.

    One outcome alone fits a constant (all 1 or all 0) that forgets how scores rank
    items; such a label falls back to its kind's pooled map, or to no map at all.
    """
    scored: dict[str, dict[str, list[tuple[float, bool]]]] = defaultdict(lambda: defaultdict(list))
    unscored: dict[str, list[bool]] = defaultdict(list)
    for kind, label, score, correct in pairs:
        if score is None:
            unscored[kind].append(correct)
        else:
            scored[kind][label].append((score, correct))
    calibration = Calibration()
    for kind in sorted(scored):
        pooled = [pair for label in sorted(scored[kind]) for pair in scored[kind][label]]
        if _enough(pooled, min_pairs):
            calibration.pooled[kind] = _isotonic(pooled)
        curves = {
            label: _isotonic(scored[kind][label])
            for label in sorted(scored[kind])
            if _enough(scored[kind][label], min_pairs)
        }
        if curves:
            calibration.labels[kind] = curves
    for kind in sorted(unscored):
        if len(unscored[kind]) >= MIN_UNSCORED:
            calibration.unscored[kind] = sum(unscored[kind]) / len(unscored[kind])
    return calibration


def expected_calibration_error(
    pairs_with_probabilities: Sequence[tuple[float, bool]], bins: int = 10
) -> float:
    """Mean |accuracy - confidence| over equal-width bins of [0, 1], weighted by bin size."""
    if not pairs_with_probabilities:
        return 0.0
    counts, right, confidence = [0] * bins, [0] * bins, [0.0] * bins
    for probability, correct in pairs_with_probabilities:
        b = min(max(int(probability * bins), 0), bins - 1)  # 1.0 belongs to the last bin
        counts[b] += 1
        right[b] += correct
        confidence[b] += probability
    gaps = (abs(right[b] - confidence[b]) for b in range(bins) if counts[b])
    return sum(gaps) / len(pairs_with_probabilities)


def calibration_report(
    pairs: Sequence[Pair], *, folds: int = 2, seed: int = 0, min_pairs: int = MIN_PAIRS
) -> dict[str, Any]:
    """Calibration error per kind and label, of raw scores and of cross-fitted calibrated ones.

    Each pair is calibrated by a map fitted on the other folds (a seeded shuffle decides
    the folds), so "after" is what unseen documents would get. Unscored pairs are left out.
    `{kind: {"pooled": {"before", "after", "pairs"}, "labels": {label: {same}}}}`.
    """
    if folds < 2:
        raise ValueError(f"cross-fitting needs at least 2 folds, not {folds}")
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    fold_of = {index: position % folds for position, index in enumerate(order)}
    fitted = [
        calibration_fit([p for i, p in enumerate(pairs) if fold_of[i] != fold], min_pairs=min_pairs)
        for fold in range(folds)
    ]
    groups: dict[str, dict[str, list[tuple[float, float, bool]]]] = {k: {} for k in KINDS}
    for i, (kind, label, score, correct) in enumerate(pairs):
        if score is not None:
            calibrated = fitted[fold_of[i]].calibrate(kind, label, score)
            groups.setdefault(kind, {}).setdefault(label, []).append((score, calibrated, correct))
    return {
        kind: {
            "pooled": _errors([item for label in labels.values() for item in label]),
            "labels": {label: _errors(labels[label]) for label in sorted(labels)},
        }
        for kind, labels in groups.items()
    }


def analysis_calibrated(calibration: Calibration, analysis: Analysis) -> Analysis:
    """A new Analysis whose scores are calibrated; each changed item keeps its raw score."""
    return replace(
        analysis,
        tokens=list(analysis.tokens),
        sentences=list(analysis.sentences),
        entities=[_scored(calibration, "entities", m.label, m) for m in analysis.entities],
        events=[
            replace(
                _scored(calibration, "triggers", event.type, event),
                arguments=tuple(
                    _scored(calibration, "arguments", a.role, a) for a in event.arguments
                ),
            )
            for event in analysis.events
        ],
        unmapped=analysis.unmapped.copy(),
    )


Mention = EntityMention | EventMention | ArgumentMention
M = TypeVar("M", EntityMention, EventMention, ArgumentMention)


def _scored(calibration: Calibration, kind: str, label: str, mention: M) -> M:
    raw = _raw(mention)
    score = calibration.calibrate(kind, label, raw)
    if score == mention.score and mention.raw_score is None:
        return mention
    return replace(mention, score=score, raw_score=raw)


def _raw(mention: Mention) -> float | None:
    return mention.score if mention.raw_score is None else mention.raw_score


def _enough(pairs: list[tuple[float, bool]], min_pairs: int) -> bool:
    outcomes = {correct for _, correct in pairs}
    return len(pairs) >= min_pairs and outcomes == {True, False}


def _isotonic(pairs: list[tuple[float, bool]]) -> IsotonicMap:
    # Imported here: only fitting needs scikit-learn, which is slow to import.
    from sklearn.isotonic import IsotonicRegression

    regression = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0, increasing=True)
    regression.fit([score for score, _ in pairs], [float(correct) for _, correct in pairs])
    return IsotonicMap(
        x=tuple(float(x) for x in regression.X_thresholds_),
        y=tuple(float(y) for y in regression.y_thresholds_),
        pairs=len(pairs),
    )


def _errors(items: list[tuple[float, float, bool]]) -> dict[str, Any]:
    before = expected_calibration_error([(raw, correct) for raw, _, correct in items])
    after = expected_calibration_error([(calibrated, correct) for _, calibrated, correct in items])
    return {"before": round(before, 4), "after": round(after, 4), "pairs": len(items)}


def _stored(probability: float) -> float:
    return min(HIGHEST, max(LOWEST, round(probability, 3)))
