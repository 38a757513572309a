"""Pre-annotation runs: one request to run a model over a corpus, followed as it progresses."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from corpus.models import Corpus, Document


class PreannotationRun(models.Model):
    """A model run over a corpus, in batches (background tasks or the foreground command).

    Its documents are those of the corpus up to `last_document`, or those of its selection
    (with `only_missing`, those without a layer from this model and version when it started).
    `processed` grows in the same transaction that writes each document's layer, so it counts
    exactly the documents done, whatever crashed in between; a run whose worker died is
    queued again by the recovery sweep (`preannotation.recovery`).
    """

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="preannotation_runs")
    pipeline = models.CharField(max_length=200, help_text="The installed spaCy package run.")
    model_name = models.CharField(max_length=200)
    model_version = models.CharField(max_length=50, blank=True)
    learned = models.ForeignKey(
        "learning.ModelVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        help_text="The corpus's model version applied over the pipeline (none: the base alone);"
        " `model_version` names it after the pipeline's version (3.8.0+v2).",
    )
    only_missing = models.BooleanField(default=False)
    selection = models.TextField(
        blank=True,
        help_text="The documents it was started on, as the document list's query string "
        "(`annotations.document_selection`); empty for the whole corpus. Its documents are "
        "listed in RunDocument.",
    )
    last_document = models.PositiveBigIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    entities = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    in_background = models.BooleanField(
        default=False,
        help_text="Its batches were queued for the workers (not run by `preannotate --now`): "
        "the recovery sweep queues them again if their worker dies.",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times its batches were queued: once, plus once per recovery after a worker "
        "stopped (at most PREANNOTATE_MAX_ATTEMPTS); a manual Resume starts again from one.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "annotations_preannotationrun"  # moved from annotations, rows kept
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.corpus} / {self.model_name} #{self.pk}"

    @cached_property
    def failed(self) -> int:
        return self.failures.count()

    @property
    def status(self) -> str:
        """queued, running or done (done also when some documents failed)."""
        if self.finished_at is not None:
            return "done"
        return "running" if self.processed or self.failed else "queued"


class RunDocument(models.Model):
    """A document of a run started on a selection: the documents confirmed, fixed at the start."""

    run = models.ForeignKey(PreannotationRun, on_delete=models.CASCADE, related_name="selected")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "document"], name="run_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.run}: document {self.document_id}"


class PreannotationFailure(models.Model):
    """A document the pipeline could not process in a run, and why."""

    run = models.ForeignKey(PreannotationRun, on_delete=models.CASCADE, related_name="failures")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotations_preannotationfailure"  # moved from annotations, rows kept
        ordering = ["run", "document"]
        constraints = [
            models.UniqueConstraint(fields=["run", "document"], name="failure_once_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.document}"
