"""A trained model version as the learning tests and pages see it: scores of the shape
`corpus.nlp.evaluation.evaluate` and `calibration_report` store."""

from learning.models import ModelVersion


def counts(tp: int, fp: int, fn: int, f1: float) -> dict:
    """One label's scores as `corpus.nlp.evaluation.evaluate` stores them."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1,
            "support": tp + fn}  # fmt: skip


NO_TRIGGERS = {"micro": counts(0, 0, 0, 0.0), "labels": {}}
SCORES = {
    "entities": {"micro": counts(8, 0, 0, 1.0), "labels": {"GPE": counts(8, 0, 0, 1.0)}},
    "triggers": NO_TRIGGERS,
}
BASE = {
    "entities": {
        "micro": counts(1, 7, 7, 0.125),
        "labels": {"GPE": counts(1, 0, 7, 0.2222), "PER": counts(0, 7, 0, 0.0)},
    },
    "triggers": NO_TRIGGERS,
}
CALIBRATION = {
    "entities": {
        "pooled": {"before": 0.41, "after": 0.06, "pairs": 48},
        "labels": {"GPE": {"before": 0.45, "after": 0.05, "pairs": 40}},
    },
    "triggers": {"pooled": {"before": 0.0, "after": 0.0, "pairs": 0}, "labels": {}},
    "arguments": {"pooled": {"before": 0.0, "after": 0.0, "pairs": 0}, "labels": {}},
}


def version_trained(corpus, *, name: str = "baba amr") -> ModelVersion:
    """Version 1: proposed, learned `name` as GPE from 6 documents, judged on 2."""
    return ModelVersion.objects.create(
        corpus=corpus,
        number=1,
        status=ModelVersion.Status.PROPOSED,
        pipeline="en_core_web_sm",
        base_model="core_web_sm 3.8.0",
        fingerprint="ab" * 32,
        gold=[[i, 1, i, i > 6] for i in range(1, 9)],
        learned={
            "names": {name: {"label": "GPE", "documents": 6}},
            "triggers": {},
            "suppressed": {},
            "documents": 6,
        },
        scores={"documents": 2, "base": BASE, "candidate": SCORES, "calibration": CALIBRATION},
        message="Better: F1 1.000 against 0.125 for the base pipeline on 2 held-out documents.",
        seconds=2.5,
    )
