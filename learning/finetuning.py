"""Fine-tune the base entity recognizer on a corpus's training gold, saved beside the version."""

import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from annotations.models import Annotation
from corpus.nlp.finetune import ner_finetune, ner_save
from learning.gold import GoldLayer
from learning.models import ModelVersion

MAX_REHEARSAL = 40  # unannotated articles whose old entities the recognizer rehearses


def recognizer_labels(spec: dict) -> dict[str, str]:
    """The recognizer's label for each schema entity type that has one: its first (GPE → GPE,
    PER → PERSON). A type without one (ACE's WEA, VEH, ...) is taught under its own key."""
    theirs: dict[str, str] = {}
    for model_label, key in spec["entity_labels"].items():
        theirs.setdefault(key, model_label)
    return theirs


def finetune_train(
    version: ModelVersion,
    training: list[GoldLayer],
    spec: dict,
    *,
    on_epoch: Callable[[int, int, float], None],
) -> tuple[Path, dict[str, str]]:
    """Fine-tune the version's base recognizer on `training`; return where it is saved and the
    labels it learned anew ({recognizer label: schema key}, for the pipeline's label map)."""
    theirs = recognizer_labels(spec)
    new = {}
    examples = []
    for layer in training:
        spans = []
        for start, end, key in layer.document.spans:
            label = theirs.get(key)
            if label is None:
                label = new[key] = key
            spans.append((start, end, label))
        examples.append((layer.document.text, spans))
    nlp = ner_finetune(
        version.pipeline,
        examples,
        _rehearsal_texts(version, limit=min(MAX_REHEARSAL, len(training))),
        epochs=settings.TRAIN_EPOCHS,
        on_epoch=on_epoch,
    )
    path = version_path(version)
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    ner_save(nlp, path)
    return path, new


def version_path(version: ModelVersion) -> Path:
    """Where a version's fine-tuned pipeline lives: MODELS_DIR/<corpus slug>/v<number>."""
    return Path(settings.MODELS_DIR) / version.corpus.slug / f"v{version.number}"


def _rehearsal_texts(version: ModelVersion, *, limit: int) -> list[str]:
    """Texts of the corpus nobody has annotated yet, the same ones every time."""
    started = Annotation.objects.exclude(kind=Annotation.Kind.PREDICTION).values("document")
    documents = version.corpus.documents.exclude(pk__in=started).order_by("pk")
    return list(documents.values_list("text", flat=True)[:limit])
