"""Model versions: what a corpus learned from its reviewed gold, and how well it does."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from corpus.models import Corpus


class ModelVersion(models.Model):
    """One training of a corpus's pre-annotation on its reviewed gold layers.

    What was learned (`learned`: confirmed names with their type, trigger words, the base
    rules' types that gold keeps rejecting; `corpus.nlp.learned.LearnedModel`) sits on top
    of the base spaCy pipeline. `scores` holds the held-out evaluation of the base pipeline,
    of the version active when it was trained ("current") and of this one ("candidate"),
    on the same held-out gold documents. At most one version of a corpus is active: the one
    pre-annotation applies.
    """

    class Status(models.TextChoices):
        TRAINING = "training"
        PROPOSED = "proposed", "better than the current one"
        NOT_BETTER = "not-better", "not better than the current one"
        UNEVALUATED = "unevaluated", "too little gold to hold some out"
        FAILED = "failed"

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="model_versions")
    number = models.PositiveIntegerField(help_text="1, 2, 3… within the corpus.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TRAINING)
    active = models.BooleanField(default=False, help_text="Pre-annotation of the corpus uses it.")
    pipeline = models.CharField(max_length=200, help_text="The base spaCy package.")
    base_model = models.CharField(max_length=200, help_text="Its name and version.")
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the gold it learned from: each layer's id and version.",
    )
    gold = models.JSONField(
        default=list,
        blank=True,
        help_text="The gold layers read: [[layer id, version, document id, held out]].",
    )
    learned = models.JSONField(
        default=dict,
        blank=True,
        help_text="What it learned (corpus.nlp.learned.LearnedModel) with `roles` (learned role"
        " slots), `method` (names, fine-tuned or both) and `ner_labels` (labels its"
        " recognizer was taught anew).",
    )
    path = models.CharField(
        max_length=500,
        blank=True,
        help_text="Its fine-tuned pipeline's folder (MODELS_DIR/<corpus>/v<number>), if any.",
    )
    calibration = models.JSONField(
        default=dict,
        blank=True,
        help_text="Score maps fitted on the held-out gold (corpus.nlp.calibration.Calibration):"
        " pre-annotation with this version writes calibrated scores.",
    )
    scores = models.JSONField(
        default=dict,
        blank=True,
        help_text="Held-out scores: {base, current, candidate}, each as"
        " corpus.nlp.evaluation.evaluate returns them, and the calibration error before and"
        " after (calibration, as corpus.nlp.calibration.calibration_report returns it).",
    )
    progress = models.JSONField(
        default=dict, blank=True, help_text='While it trains: {"step", "done", "total"}.'
    )
    message = models.TextField(blank=True, help_text="Why it failed, or what it decided.")
    seconds = models.FloatField(null=True, blank=True, help_text="How long the training took.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activate_if_better = models.BooleanField(
        default=False, help_text="Activate it once trained if it is proposed (better)."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times it was queued for a worker: once, plus once per recovery after its "
        "worker stopped (at most TRAINING_MAX_ATTEMPTS).",
    )
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The task that trains it; only that one may."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["corpus", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["corpus", "number"], name="model_version_number"),
            models.UniqueConstraint(
                fields=["corpus"], condition=Q(active=True), name="model_version_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corpus} model v{self.number}"

    @property
    def label(self) -> str:
        """How a prediction layer's version names it: the base model's version plus ours."""
        return f"v{self.number}"
