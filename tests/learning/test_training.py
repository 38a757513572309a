"""Training from gold: a planted systematic error is learned away, judged on held-out gold."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, Span
from corpus.nlp.calibration import calibration_fit
from corpus.nlp.learned import LearnedModel
from learning.gold import corpus_gold_read
from learning.models import ModelVersion
from learning.services import model_activate, training_run, training_start
from preannotation.models import PreannotationRun
from preannotation.rescoring import corpus_rescore
from preannotation.services import (
    preannotation_resume,
    preannotation_start,
    run_batch,
    run_batches,
)
from tests.factories import AnnotationFactory, DocumentFactory
from tests.layers import spans_of
from tests.learning.conftest import gold_create

pytestmark = [pytest.mark.model, pytest.mark.slow]

NEW_ARTICLE = "Fighting spread from Baba Amr to nearby villages, residents said."


def test_training_learns_the_type_gold_confirms_and_beats_the_base_pipeline(corpus, gold):
    version = training_run(training_start(corpus=corpus))

    assert version.status == ModelVersion.Status.PROPOSED
    learned = LearnedModel.from_json(version.learned)
    assert learned.names["baba amr"]["label"] == "GPE"
    held_out = [row for row in version.gold if row[3]]
    assert held_out
    assert len(held_out) < len(gold)
    assert version.scores["candidate"]["entities"]["labels"]["GPE"]["f1"] == 1.0
    assert version.scores["base"]["entities"]["labels"]["GPE"]["f1"] < 1.0
    assert version.message.startswith("Better: F1 1.000 against")
    assert version.seconds is not None
    assert version.fingerprint


def test_preannotation_with_the_active_version_types_the_name_from_gold(corpus, gold):
    version = training_run(training_start(corpus=corpus))
    model_activate(version=version)
    document = DocumentFactory(corpus=corpus, text=NEW_ARTICLE)

    run = preannotation_start(corpus=corpus)
    for batch in run_batches(run):
        run_batch(run, batch)

    layer = Annotation.objects.get(document=document, kind=Annotation.Kind.PREDICTION)
    assert layer.model_version.endswith("+v1")
    assert layer.origin["learned"] == 1
    assert spans_of(layer) == {(21, 29, "GPE", "Baba Amr")}
    span = layer.spans.get(start=21)
    documents = len(version.gold) - sum(1 for row in version.gold if row[3])
    assert span.attributes == {"model_label": "PERSON", "from_gold": documents}


def test_a_version_that_does_no_better_is_not_proposed(corpus, gold):
    first = training_run(training_start(corpus=corpus))
    model_activate(version=first)

    second = training_run(training_start(corpus=corpus))  # the same gold: the same model

    assert second.status == ModelVersion.Status.NOT_BETTER
    assert second.scores["current_number"] == 1
    assert second.message.startswith("Not better:")
    assert second.fingerprint == first.fingerprint
    assert ModelVersion.objects.get(active=True) == first


def test_held_out_documents_stay_held_out_as_gold_grows(corpus, gold):
    before = {layer.document_id for layer in corpus_gold_read(corpus=corpus) if layer.held_out}
    gold_create(corpus, "Baba Amr was quiet on Tuesday.")
    gold_create(corpus, "Convoys left Baba Amr for Homs.")

    after = {layer.document_id for layer in corpus_gold_read(corpus=corpus) if layer.held_out}

    assert before <= after


def test_with_little_gold_the_version_is_learned_but_not_judged(corpus):
    gold_create(corpus, "Shelling continued in Baba Amr on Monday, activists said.")

    version = training_run(training_start(corpus=corpus))

    assert version.status == ModelVersion.Status.UNEVALUATED
    assert set(version.scores) == {"calibration"}  # no verdict, but calibrated on its gold
    assert version.scores["calibration"]["entities"]["pooled"]["pairs"] == 1
    assert "none held out" in version.message
    assert LearnedModel.from_json(version.learned).names["baba amr"]["documents"] == 1


def test_train_command_reports_scores_and_activates_if_better(corpus, gold, capsys):
    call_command("train", corpus.slug, "--activate-if-better")

    out = capsys.readouterr().out
    assert "model v1, better than the current one." in out
    assert "entities F1 on" in out
    assert "GPE" in out
    assert f"{corpus.slug}: v1 now pre-annotates the corpus." in out
    assert ModelVersion.objects.get(corpus=corpus).active


def test_train_command_without_gold_says_what_to_do(corpus):
    with pytest.raises(CommandError, match="no reviewed gold layer yet"):
        call_command("train", corpus.slug)


def test_activating_a_version_rescores_unstarted_documents_in_the_background(
    corpus, gold, annotator, django_capture_on_commit_callbacks
):
    unstarted = DocumentFactory(corpus=corpus, text=NEW_ARTICLE)
    started = DocumentFactory(corpus=corpus, text="Snipers fired on Baba Amr residents.")
    run = preannotation_start(corpus=corpus)
    for batch in run_batches(run):
        run_batch(run, batch)
    AnnotationFactory(document=started, kind=Annotation.Kind.ANNOTATOR, user=annotator)
    version = training_run(training_start(corpus=corpus))

    with django_capture_on_commit_callbacks(execute=True):
        model_activate(version=version)
    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())

    rescored = PreannotationRun.objects.get(learned=version)
    assert (rescored.status, rescored.total, rescored.only_missing) == ("done", 1, True)
    predictions = Annotation.objects.filter(kind=Annotation.Kind.PREDICTION)
    assert predictions.get(document=unstarted).model_version.endswith("+v1")
    assert not predictions.get(document=started).model_version.endswith("+v1")
    assert spans_of(predictions.get(document=unstarted)) == {(21, 29, "GPE", "Baba Amr")}


def test_training_reports_the_calibration_error_on_held_out_gold(corpus, gold):
    version = training_run(training_start(corpus=corpus))

    report = version.scores["calibration"]
    assert set(report) == {"entities", "triggers", "arguments"}
    assert set(report["entities"]["pooled"]) == {"before", "after", "pairs"}
    assert report["entities"]["pooled"]["pairs"] > 0


def test_preannotation_writes_calibrated_scores_and_keeps_the_models_own(corpus, gold):
    version = training_run(training_start(corpus=corpus))
    # An over-confident model: its GPE at 0.99 is right half the time on held-out gold.
    pairs = [("entities", "GPE", 0.99, n % 2 == 0) for n in range(40)]
    pairs += [("entities", "GPE", 0.2, False) for _ in range(20)]
    version.calibration = calibration_fit(pairs).to_json()
    version.save()
    model_activate(version=version)
    document = DocumentFactory(corpus=corpus, text=NEW_ARTICLE)

    run = preannotation_start(corpus=corpus)
    for batch in run_batches(run):
        run_batch(run, batch)

    span = Span.objects.get(annotation__document=document, annotation__kind="prediction")
    raw = span.attributes["model_score"]
    assert raw > 0.9  # the base model is sure of itself
    assert span.score == pytest.approx(0.5, abs=0.05)  # and right half the time


def test_rescoring_resumes_where_it_stopped_and_a_second_call_does_nothing(corpus, gold):
    articles = [
        DocumentFactory(corpus=corpus, text=f"Baba Amr was shelled, report {n}.") for n in range(3)
    ]
    run = preannotation_start(corpus=corpus)
    for batch in run_batches(run):
        run_batch(run, batch)
    version = training_run(training_start(corpus=corpus))
    model_activate(version=version)  # queues the re-scoring run (its tasks on commit)
    rescoring = PreannotationRun.objects.get(learned=version)
    first, *_ = run_batches(rescoring, batch_size=2)
    run_batch(rescoring, first)  # and the worker dies after one batch

    preannotation_resume(run=rescoring)
    for batch in run_batches(rescoring):
        run_batch(rescoring, batch)
    corpus_rescore(corpus=corpus)  # told again: everything has the new predictions

    rescoring.refresh_from_db()
    assert (rescoring.status, rescoring.processed, rescoring.total) == ("done", 3, 3)
    for article in articles:
        [layer] = Annotation.objects.filter(document=article, kind=Annotation.Kind.PREDICTION)
        assert layer.model_version.endswith("+v1")
    assert PreannotationRun.objects.filter(learned=version).count() == 1
