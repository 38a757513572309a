"""How a version is trained: what the base gets wrong on the gold, the ways to correct it,
each judged on the held-out gold, the best one kept.

The ways ("methods"), side by side on the same held-out documents:

- `names`: the base pipeline, corrected by the names and trigger words gold confirms and
  the trigger types it rejects (corpus.nlp.learned), with role slots learned from gold
  arguments (corpus.nlp.role_learning) in the event rules;
- `fine-tuned`: the entity recognizer fine-tuned on the training gold with rehearsal
  (corpus.nlp.finetune), with the same trigger words and role slots, no name list;
- `both`: the fine-tuned recognizer with the name list on top.

The best by F1 of entities and triggers together is kept; a tie goes to the simpler (the
order above). Fine-tuning needs held-out gold to be judged, so without it only `names` runs.
"""

import shutil

from django.conf import settings

from corpus.nlp.analysis import Analysis, AnalysisFailure, doc_analysis
from corpus.nlp.evaluation import evaluate
from corpus.nlp.learned import LearnedModel, learn
from corpus.nlp.pipeline import pipeline_load
from corpus.nlp.role_learning import role_observations, roles_learn
from corpus.selectors import schema_pipeline_spec
from learning.calibrating import version_calibrate, version_calibrate_on
from learning.finetuning import finetune_train
from learning.gold import GoldLayer, corpus_gold_read, gold_fingerprint
from learning.models import ModelVersion
from learning.predict import version_analyses
from learning.progress import Progress
from learning.verdict import combined_f1, verdict

METHODS = ("names", "fine-tuned", "both")
EMPTY = Analysis(tokens=[], sentences=[], entities=[])  # a text the pipeline fails on


def version_train(version: ModelVersion, progress: Progress) -> None:
    """Train `version` from its corpus's reviewed gold; set what it learned, scores, verdict."""
    corpus = version.corpus
    progress("reading gold", 0, 1)
    gold = corpus_gold_read(corpus=corpus)
    version.gold = [[g.layer_id, g.version, g.document_id, g.held_out] for g in gold]
    version.fingerprint = gold_fingerprint(gold)
    spec = schema_pipeline_spec(corpus.schema)
    base, observations = _base_read(version, gold, spec, progress)
    training = [i for i, layer in enumerate(gold) if not layer.held_out]
    progress("learning", 0, 1)
    learned = learn([gold[i].document for i in training], [base[i] for i in training])
    roles = roles_learn([o for i in training for o in observations[i]], spec)
    version.learned = {**learned.to_json(), "roles": roles.to_json(), "method": "names"}
    version_calibrate(version, gold, base)
    held = [i for i, layer in enumerate(gold) if layer.held_out]
    if not held:
        version.status = ModelVersion.Status.UNEVALUATED
        version.message = (
            f"Learned from {len(gold)} gold document{'s' * (len(gold) != 1)}; none held out to "
            "judge it (that takes "
            "5 or more). An owner may still activate it."
        )
        return
    documents = [gold[i].document for i in held]
    candidates = _candidates(version, gold, training, held, learned, spec, progress)
    progress("evaluating", 0, 1)
    scores = {method: evaluate(documents, analyses) for method, analyses in candidates.items()}
    best = max(candidates, key=lambda method: (combined_f1(scores[method]), -METHODS.index(method)))
    _keep(version, best, learned)
    current = corpus.model_versions.filter(active=True).first()
    version.scores.update(_judged(version, documents, base, held, scores[best], current))
    version.scores["methods"] = {method: combined_f1(scores[method]) for method in scores}
    version.status, version.message = verdict(version.scores, current, len(held))
    version.message += _method_said(version.scores["methods"], best)
    if best != "names":  # scores from the fine-tuned recognizer: calibrate on what it predicts
        version_calibrate_on(version, documents, candidates[best])


def _base_read(
    version: ModelVersion, gold: list[GoldLayer], spec: dict, progress: Progress
) -> tuple[list[Analysis], list[list]]:
    """The base pipeline on every gold text: its analysis, and what gold made of the fillers
    its event rules find (for learning role slots)."""
    nlp = pipeline_load(version.pipeline, schema=spec)
    proposer = nlp.get_pipe("goldset_events") if "goldset_events" in nlp.pipe_names else None
    analyses, observations = [], []
    docs = nlp.pipe((layer.document.text for layer in gold), batch_size=16)
    for done, (layer, doc) in enumerate(zip(gold, docs, strict=True), 1):
        analyses.append(doc_analysis(doc, label_map=spec["entity_labels"]))
        document = layer.document
        observations.append(
            role_observations(doc, proposer, document.events, document.arguments,
                              gold_spans=document.spans)
            if proposer else []
        )  # fmt: skip
        progress("running the base pipeline on the gold", done, len(gold))
    return analyses, observations


def _candidates(version, gold, training, held, learned, spec, progress) -> dict[str, list]:
    """Each method's analyses of the held-out documents."""
    texts = [gold[i].document.text for i in held]
    # An unsaved copy that predicts as each method would.
    trial = ModelVersion(corpus=version.corpus, pipeline=version.pipeline, learned=version.learned)
    candidates = {"names": _analyses(trial, texts)}
    if not settings.TRAIN_FINETUNE or len(training) < 2:
        return candidates

    def on_epoch(epoch: int, epochs: int, loss: float) -> None:
        progress(f"fine-tuning the entity recognizer (loss {loss:.1f})", epoch, epochs)

    path, new_labels = finetune_train(version, [gold[i] for i in training], spec, on_epoch=on_epoch)
    trial.path = str(path)
    trial.learned = {**version.learned, "ner_labels": new_labels}
    candidates["both"] = _analyses(trial, texts)
    trial.learned = {**trial.learned, "names": {}}
    candidates["fine-tuned"] = _analyses(trial, texts)
    version.learned["ner_labels"] = new_labels
    version.path = str(path)
    return candidates


def _analyses(version: ModelVersion, texts: list[str]) -> list[Analysis]:
    results = version_analyses(
        corpus=version.corpus, pipeline=version.pipeline, version=version, texts=texts,
        calibrated=False,
    )  # fmt: skip
    return [EMPTY if isinstance(result, AnalysisFailure) else result for result in results]


def _keep(version: ModelVersion, best: str, learned: LearnedModel) -> None:
    """Keep what the best method needs: the name list unless fine-tuned alone, the model
    files unless names alone."""
    version.learned["method"] = best
    if best == "fine-tuned":
        version.learned["names"] = {}
    if best == "names":
        version.learned.pop("ner_labels", None)
        _forget_model(version)


def _forget_model(version: ModelVersion) -> None:
    if version.path:
        shutil.rmtree(version.path, ignore_errors=True)
    version.path = ""


def _judged(version, documents, base, held, candidate, current) -> dict:
    scores = {"documents": len(held), "base": evaluate(documents, [base[i] for i in held])}
    if current is not None:
        texts = [document.text for document in documents]
        scores["current"] = evaluate(documents, _analyses(current, texts))
        scores["current_number"] = current.number
    scores["candidate"] = candidate
    return scores


def _method_said(methods: dict[str, float], best: str) -> str:
    if len(methods) == 1:
        return ""
    others = ", ".join(f"{method} {f1:.3f}" for method, f1 in methods.items() if method != best)
    return f" Method: {best} ({methods[best]:.3f}; {others})."
