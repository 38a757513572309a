"""What a model version predicts on texts: the base pipeline, then what the corpus learned."""

from collections.abc import Iterable, Iterator

from corpus.models import Corpus
from corpus.nlp.analysis import Analysis, AnalysisFailure, analyze
from corpus.nlp.calibration import Calibration, analysis_calibrated
from corpus.nlp.learned import LearnedModel, apply
from corpus.nlp.pipeline import pipeline_load
from corpus.nlp.role_learning import LearnedRoles, spec_with_roles
from corpus.selectors import schema_pipeline_spec
from learning.models import ModelVersion


def version_analyses(
    *,
    corpus: Corpus,
    pipeline: str,
    version: ModelVersion | None,
    texts: Iterable[str],
    batch_size: int = 16,
    calibrated: bool = True,
) -> Iterator[Analysis | AnalysisFailure]:
    """Yield the analysis of each text as pre-annotation with `version` writes it (None: the
    base pipeline alone), in order; a text the pipeline cannot process gives its failure.

    A version runs its fine-tuned recognizer instead of the base's (if it has one) and its
    learned role slots in the event rules, corrects the analysis with the names and trigger
    words it learned, then calibrates the scores (the model's own kept as `raw_score`).
    """
    spec = version_spec(corpus, version)
    if version is not None and version.path:
        pipeline = version.path
    nlp = pipeline_load(pipeline, schema=spec)
    results = analyze(texts, nlp=nlp, label_map=spec["entity_labels"], batch_size=batch_size)
    if version is None:
        yield from results
        return
    learned = LearnedModel.from_json(version.learned)
    calibration = Calibration.from_json(version.calibration if calibrated else {})
    for text, result in zip(texts, results, strict=True):
        if isinstance(result, AnalysisFailure):
            yield result
        else:
            yield analysis_calibrated(calibration, apply(learned, text, result))


def version_spec(corpus: Corpus, version: ModelVersion | None) -> dict:
    """The pipeline spec of the corpus's schema, with what `version` learned about roles and
    the labels its fine-tuned recognizer was taught anew."""
    spec = schema_pipeline_spec(corpus.schema)
    if version is None:
        return spec
    spec = spec_with_roles(spec, LearnedRoles.from_json(version.learned.get("roles", {})))
    if new_labels := version.learned.get("ner_labels"):
        spec["entity_labels"] = {**spec["entity_labels"], **new_labels}
    return spec
