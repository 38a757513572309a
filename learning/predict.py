"""What a model version predicts on texts: the base pipeline, then what the corpus learned."""

from collections.abc import Iterable, Iterator

from corpus.models import Corpus
from corpus.nlp.analysis import Analysis, AnalysisFailure, analyze
from corpus.nlp.calibration import Calibration, analysis_calibrated
from corpus.nlp.learned import LearnedModel, apply
from corpus.nlp.pipeline import pipeline_load
from corpus.selectors import schema_pipeline_spec
from learning.models import ModelVersion


def version_analyses(
    *,
    corpus: Corpus,
    pipeline: str,
    version: ModelVersion | None,
    texts: Iterable[str],
    batch_size: int = 16,
) -> Iterator[Analysis | AnalysisFailure]:
    """Yield the analysis of each text as pre-annotation with `version` writes it (None: the
    base pipeline alone), in order; a text the pipeline cannot process gives its failure.

    A version corrects the base pipeline's analysis with what it learned, then calibrates
    the scores (the model's own kept as `raw_score`).
    """
    spec = schema_pipeline_spec(corpus.schema)
    nlp = pipeline_load(pipeline, schema=spec)
    learned = LearnedModel.from_json(version.learned) if version is not None else None
    texts = list(texts) if learned is not None else texts
    results = analyze(texts, nlp=nlp, label_map=spec["entity_labels"], batch_size=batch_size)
    if learned is None:
        yield from results
        return
    calibration = Calibration.from_json(version.calibration)
    for text, result in zip(texts, results, strict=True):
        if isinstance(result, AnalysisFailure):
            yield result
        else:
            yield analysis_calibrated(calibration, apply(learned, text, result))
