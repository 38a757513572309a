"""Train a corpus's model from its reviewed gold, judge it on held-out gold, activate it."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string

from annotations.models import Annotation
from config.errors import InvalidInput
from corpus.models import Corpus
from corpus.nlp.analysis import Analysis, AnalysisFailure, analyze
from corpus.nlp.evaluation import evaluate
from corpus.nlp.learned import LearnedModel, apply, learn
from corpus.nlp.pipeline import model_identity, pipeline_load
from corpus.selectors import schema_pipeline_spec
from learning.calibrating import version_calibrate
from learning.gold import GoldLayer, corpus_gold_read, gold_fingerprint
from learning.models import ModelVersion

Progress = Callable[[str, int, int], None]  # step, done, total


def training_start(*, corpus: Corpus, user: AbstractBaseUser | None = None) -> ModelVersion:
    """Create the next version of the corpus's model, to be trained by `training_run`.

    Raises InvalidInput when the corpus has no reviewed gold layer, or one is training now.
    """
    gold = Annotation.objects.filter(
        document__corpus=corpus, kind=Annotation.Kind.GOLD, status=Annotation.Status.REVIEWED
    )
    if not gold.exists():
        raise InvalidInput(
            f"Nothing to train on: corpus {corpus.slug} has no reviewed gold layer yet. Review "
            "some documents into gold first."
        )
    with transaction.atomic():
        versions = ModelVersion.objects.select_for_update().filter(corpus=corpus)
        if versions.filter(status=ModelVersion.Status.TRAINING).exists():
            raise InvalidInput(f"A model of corpus {corpus.slug} is training already.")
        number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
        pipeline = settings.SPACY_MODEL
        base = model_identity(pipeline)
        return ModelVersion.objects.create(
            corpus=corpus,
            number=number,
            pipeline=pipeline,
            base_model=f"{base.name} {base.version}",
            requested_by=user,
        )


def training_run(version: ModelVersion, *, on_progress: Progress | None = None) -> ModelVersion:
    """Learn from the corpus's reviewed gold and judge the result against the current model.

    The base pipeline reads every gold document (what it gets wrong is what is learned);
    the new version learns from the documents not held out, and the base pipeline, the
    active version and the new one are scored on the held-out ones. The new version is
    `PROPOSED` only when it beats the active one (or, with none, the base pipeline) on
    them, by the F1 of entities and triggers together. A failure is recorded, not raised.
    """
    started = time.monotonic()

    def progress(step: str, done: int, total: int) -> None:
        ModelVersion.objects.filter(pk=version.pk).update(
            progress={"step": step, "done": done, "total": total}
        )
        if on_progress:
            on_progress(step, done, total)

    try:
        _train(version, progress)
    except Exception as error:  # recorded for the owner; the worker goes on
        version.status = ModelVersion.Status.FAILED
        version.message = f"Training failed: {type(error).__name__}: {error}"
    version.seconds = round(time.monotonic() - started, 2)
    version.finished_at = timezone.now()
    version.progress = {}
    version.save()
    return version


def _train(version: ModelVersion, progress: Progress) -> None:
    corpus = version.corpus
    progress("reading gold", 0, 1)
    gold = corpus_gold_read(corpus=corpus)
    version.gold = [[g.layer_id, g.version, g.document_id, g.held_out] for g in gold]
    version.fingerprint = gold_fingerprint(gold)
    base = _base_analyses(version, gold, progress)
    training = [(g.document, base[i]) for i, g in enumerate(gold) if not g.held_out]
    progress("learning", 0, 1)
    learned = learn([document for document, _ in training], [analysis for _, analysis in training])
    version.learned = learned.to_json()
    version_calibrate(version, gold, base)
    held = [(g.document, base[i]) for i, g in enumerate(gold) if g.held_out]
    if not held:
        version.status = ModelVersion.Status.UNEVALUATED
        version.message = (
            f"Learned from {len(gold)} gold documents; none held out to judge it (that takes "
            "5 or more). An owner may still activate it."
        )
        return
    progress("evaluating", 0, 1)
    current = corpus.model_versions.filter(active=True).first()
    candidate = [apply(learned, document.text, analysis) for document, analysis in held]
    version.scores.update(_scores(held, candidate, current))
    version.status, version.message = _verdict(version.scores, current, len(held))


def _base_analyses(
    version: ModelVersion, gold: list[GoldLayer], progress: Progress
) -> list[Analysis]:
    """The base pipeline's analysis of each gold document's text, as pre-annotation runs it."""
    spec = schema_pipeline_spec(version.corpus.schema)
    nlp = pipeline_load(version.pipeline, schema=spec)
    texts = (layer.document.text for layer in gold)
    analyses = []
    for done, result in enumerate(analyze(texts, nlp=nlp, label_map=spec["entity_labels"]), 1):
        if isinstance(result, AnalysisFailure):
            result = Analysis(tokens=[], sentences=[], entities=[])  # learns nothing from it
        analyses.append(result)
        progress("running the base pipeline on the gold", done, len(gold))
    return analyses


def _scores(held: list, candidate: list[Analysis], current: ModelVersion | None) -> dict:
    documents = [document for document, _ in held]
    base = [analysis for _, analysis in held]
    scores = {"documents": len(held), "base": evaluate(documents, base)}
    if current is not None:
        model = LearnedModel.from_json(current.learned)
        scores["current"] = evaluate(documents, [apply(model, d.text, a) for d, a in held])
        scores["current_number"] = current.number
    scores["candidate"] = evaluate(documents, candidate)
    return scores


def combined_f1(scores: dict) -> float:
    """F1 of entities and triggers together (micro), from `evaluate`'s counts."""
    tp = fp = fn = 0
    for part in ("entities", "triggers"):
        micro = scores[part]["micro"]
        tp, fp, fn = tp + micro["tp"], fp + micro["fp"], fn + micro["fn"]
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def _verdict(scores: dict, current: ModelVersion | None, held: int) -> tuple[str, str]:
    against = "current" if current is not None else "base"
    name = f"the active v{current.number}" if current is not None else "the base pipeline"
    ours, theirs = combined_f1(scores["candidate"]), combined_f1(scores[against])
    judged = f"F1 {ours:.3f} against {theirs:.3f} for {name} on {held} held-out documents"
    if ours > theirs:
        return ModelVersion.Status.PROPOSED, f"Better: {judged} (+{ours - theirs:.3f})."
    return ModelVersion.Status.NOT_BETTER, f"Not better: {judged}."


@transaction.atomic
def model_activate(*, version: ModelVersion) -> ModelVersion:
    """Make `version` the one that pre-annotates its corpus (the previous one stops).

    The apps in `settings.CORPUS_MODEL_CHANGED` are told: pre-annotation re-scores the
    documents nobody has started with the new version, in the background.
    """
    if version.status in (ModelVersion.Status.TRAINING, ModelVersion.Status.FAILED):
        raise InvalidInput(f"Model v{version.number} is {version.status}: it cannot be activated.")
    ModelVersion.objects.filter(corpus=version.corpus_id, active=True).update(active=False)
    ModelVersion.objects.filter(pk=version.pk).update(active=True)
    version.active = True
    _model_changed(version.corpus)
    return version


@transaction.atomic
def model_deactivate(*, corpus: Corpus) -> None:
    """Go back to the base pipeline alone for the corpus's pre-annotation."""
    if ModelVersion.objects.filter(corpus=corpus, active=True).update(active=False):
        _model_changed(corpus)


def _model_changed(corpus: Corpus) -> None:
    for path in settings.CORPUS_MODEL_CHANGED:
        import_string(path)(corpus=corpus)
