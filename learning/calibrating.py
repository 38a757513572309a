"""Calibrate a version's scores on gold it did not learn from, so they mean what they say.

Each gold document is predicted by what the other documents teach (out of fold): the base
pipeline's analysis corrected by a model learned without that document. Every gold document
then counts, even when there are too few to hold some out for judging the version: the base
model never saw the corpus, and the learned corrections are judged on documents they did
not come from. The isotonic maps are fitted on all those predictions; the error before and
after is measured cross-fitted (corpus.nlp.calibration.calibration_report).
"""

from collections import defaultdict

from corpus.nlp.analysis import Analysis
from corpus.nlp.calibration import calibration_fit, calibration_pairs, calibration_report
from corpus.nlp.learned import GoldDocument, apply, learn
from learning.gold import GoldLayer, document_rank
from learning.models import ModelVersion

FOLDS = 5


def version_calibrate(version: ModelVersion, gold: list[GoldLayer], base: list[Analysis]) -> None:
    """Set `version.calibration` and its report (`version.scores["calibration"]`)."""
    version_calibrate_on(version, [layer.document for layer in gold], out_of_fold(gold, base))


def version_calibrate_on(
    version: ModelVersion, documents: list[GoldDocument], predicted: list[Analysis]
) -> None:
    """Set them from these predictions of these gold documents (held out from its training)."""
    pairs = calibration_pairs(documents, predicted)
    version.calibration = calibration_fit(pairs).to_json()
    version.scores["calibration"] = calibration_report(pairs)


def out_of_fold(gold: list[GoldLayer], base: list[Analysis]) -> list[Analysis]:
    """Each gold document's base analysis corrected by what the documents of other folds teach."""
    folds = min(FOLDS, len(gold))
    members: dict[int, list[int]] = defaultdict(list)
    for index, layer in enumerate(gold):
        members[document_rank(layer.document_id, salt="fold:") % folds].append(index)
    predicted: list[Analysis | None] = [None] * len(gold)
    for indexes in members.values():
        inside = set(indexes)
        others = [i for i in range(len(gold)) if i not in inside]
        model = learn([gold[i].document for i in others], [base[i] for i in others])
        for i in indexes:
            predicted[i] = apply(model, gold[i].document.text, base[i])
    return predicted
