"""Least confident first reads the calibrated scores a model version writes."""

from annotations.models import Span
from corpus.models import Corpus
from corpus.nlp.analysis import Analysis, EntityMention
from corpus.nlp.calibration import analysis_calibrated, calibration_fit
from tests.annotations.test_reservations import queue_walk
from tests.factories import DocumentFactory

TEXT = "Kofi Annan arrived in Damascus on Saturday ({})."


def predictions(label: str, score: float) -> Analysis:
    start, end = (22, 30) if label == "GPE" else (0, 10)
    mention = EntityMention(start, end, label, model_label=label, score=score)
    return Analysis(tokens=[], sentences=[], entities=[mention])


def test_least_confident_first_follows_the_calibrated_scores(corpus, annotator, prediction_write):
    # The model is sure of its GPEs and wrong about half of them; its PERs at 0.8 are right.
    calibration = calibration_fit(
        [("entities", "GPE", 0.99, n % 2 == 0) for n in range(40)]
        + [("entities", "GPE", 0.3, False) for _ in range(20)]
        + [("entities", "PER", 0.8, True) for _ in range(40)]
        + [("entities", "PER", 0.2, False) for _ in range(20)]
    )
    sure_gpe, sure_per = (DocumentFactory(corpus=corpus, text=TEXT.format(n)) for n in range(2))
    corpus.queue_order = Corpus.QueueOrder.LEAST_CONFIDENT
    corpus.save()
    # By the model's own scores the PER document (0.8) would come before the GPE one (0.99).
    prediction_write(sure_gpe, analysis_calibrated(calibration, predictions("GPE", 0.99)))
    prediction_write(sure_per, analysis_calibrated(calibration, predictions("PER", 0.8)))

    assert queue_walk(corpus, annotator) == [sure_gpe.pk, sure_per.pk]  # calibrated: 0.5 < 1.0
    span = Span.objects.get(annotation__document=sure_gpe)
    assert (span.score, span.attributes["model_score"]) == (0.5, 0.99)
