"""Train a corpus's model from its reviewed gold, judge it on held-out gold, activate it."""

import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string

from annotations.models import Annotation
from config.errors import InvalidInput
from corpus.models import Corpus
from corpus.nlp.pipeline import model_identity
from learning.models import ModelVersion
from learning.progress import Progress
from learning.training import version_train


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
        version_train(version, progress)
    except Exception as error:  # recorded for the owner; the worker goes on
        version.status = ModelVersion.Status.FAILED
        version.message = f"Training failed: {type(error).__name__}: {error}"
    version.seconds = round(time.monotonic() - started, 2)
    version.finished_at = timezone.now()
    version.progress = {}
    version.save()
    return version


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
