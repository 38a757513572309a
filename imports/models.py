"""Import jobs: files uploaded in the browser, imported by a worker, followed on a status page."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from corpus.models import Corpus
from formats.records import ERROR, WARNING
from formats.registry import import_choices


class ImportJob(models.Model):
    """One upload of files into a corpus, and what importing them did.

    The counts grow while a worker imports, in the same transaction as each batch of
    documents, so they always equal what the database holds; `message` says why the whole
    job failed (a single bad record never fails a job: it becomes an ImportProblem). A job
    whose worker died is queued again and resumes after `records_done`. The uploaded files
    are deleted once the job has run; their names stay in `file_names`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    format = models.CharField(max_length=20, default="auto", help_text="The format asked for.")
    format_detected = models.CharField(max_length=20, blank=True, help_text="The format read.")
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text="layer, label_map, add_labels, columns and cleaning, as the form gave them.",
    )
    file_names = models.JSONField(default=list, blank=True)
    total_bytes = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    created = models.PositiveIntegerField(default=0, help_text="New documents.")
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0, help_text="Records not imported.")
    warnings = models.PositiveIntegerField(default=0)
    layers = models.PositiveIntegerField(default=0, help_text="Annotation layers written.")
    message = models.TextField(blank=True)
    labels_missing = models.JSONField(
        default=dict, blank=True, help_text="Labels not in the schema: {description: items}."
    )
    labels_added = models.JSONField(
        default=list, blank=True, help_text="Types this import added to the schema."
    )
    records_done = models.PositiveBigIntegerField(
        default=0,
        help_text="Input records (problems included) the committed batches consumed: "
        "a job started again after its worker stopped skips them.",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times the job was queued for a worker: once, plus once per recovery "
        "after its worker stopped (at most IMPORT_MAX_ATTEMPTS).",
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="import_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(format__in=import_choices()), name="import_job_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(bytes_read__lte=F("total_bytes")), name="import_job_read_within_total"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"], finished_at__isnull=True)
                | Q(status__in=["done", "failed"], finished_at__isnull=False),
                name="import_job_finished_when_done_or_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corpus} / import #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("import-job-detail", kwargs={"slug": self.corpus.slug, "pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent_read(self) -> int:
        """How much of the uploaded bytes the readers have consumed, 0 to 100."""
        if self.status == self.Status.DONE:
            return 100
        return self.bytes_read * 100 // self.total_bytes if self.total_bytes else 0


class ImportProblem(models.Model):
    """A record an import could not take (error) or took with a change (warning)."""

    class Severity(models.TextChoices):
        ERROR = ERROR
        WARNING = WARNING

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    file = models.CharField(max_length=1000)
    line = models.PositiveIntegerField(null=True, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message = models.TextField()

    class Meta:
        ordering = ["job", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=[ERROR, WARNING]), name="import_problem_severity_valid"
            )
        ]

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"
