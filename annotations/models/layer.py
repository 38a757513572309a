"""Annotation layers on a document and the revision saved at every change of one."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from corpus.models import Document


class Annotation(models.Model):
    """One layer of annotation on one document.

    A prediction layer belongs to a model (one per model name and document), an annotator
    layer to a user (one per user and document), and a document has at most one gold layer.
    `version` grows by one at every save, for optimistic locking.
    """

    class Kind(models.TextChoices):
        PREDICTION = "prediction"
        ANNOTATOR = "annotator"
        GOLD = "gold"

    class Status(models.TextChoices):
        DRAFT = "draft"
        SUBMITTED = "submitted"
        SKIPPED = "skipped"
        REVIEWED = "reviewed"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
    )
    model_name = models.CharField(max_length=200, blank=True)
    model_version = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    origin = models.JSONField(
        default=dict, blank=True, help_text="Where it came from: file, format, copied layer."
    )
    attributes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Document labels (the schema's document attributes): {key: [values]} for a"
        " label with values, {key: true/false} for a yes/no one.",
    )
    run = models.ForeignKey(
        "preannotation.PreannotationRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="layers",
        help_text="The pre-annotation run that wrote this prediction layer.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["prediction", "annotator", "gold"]), name="annotation_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "skipped", "reviewed"]),
                name="annotation_status",
            ),
            models.CheckConstraint(
                condition=~Q(kind="prediction") | ~Q(model_name=""),
                name="annotation_prediction_has_model",
            ),
            models.CheckConstraint(
                condition=~Q(kind="annotator") | Q(user__isnull=False),
                name="annotation_annotator_has_user",
            ),
            models.UniqueConstraint(
                fields=["document", "model_name"],
                condition=Q(kind="prediction"),
                name="annotation_one_prediction_per_model",
            ),
            models.UniqueConstraint(
                fields=["document", "user"],
                condition=Q(kind="annotator"),
                name="annotation_one_layer_per_annotator",
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(kind="gold"), name="annotation_one_gold"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PREDICTION:
            owner = f"{self.model_name} {self.model_version}".strip()
        elif self.kind == self.Kind.ANNOTATOR:
            owner = str(self.user)
        else:
            owner = "gold"
        return f"{self.document} / {owner}"


class Revision(models.Model):
    """A layer as saved at one version, so any earlier state can be restored exactly.

    A keyframe holds the whole content in `snapshot`; a delta holds in `delta` only what
    changed since the version before, and `chain` says how many deltas follow the keyframe
    up to it (0 for a keyframe). Read a revision's content with
    `annotations.history.revision_snapshot`, never from the fields.
    """

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField(null=True, blank=True, help_text="The whole content (keyframe).")
    delta = models.JSONField(
        null=True, blank=True, help_text="What changed since the previous version."
    )
    chain = models.PositiveIntegerField(default=0, help_text="Deltas since the keyframe.")
    chain_bytes = models.PositiveIntegerField(
        default=0, help_text="Bytes of the deltas since the keyframe, this one included."
    )
    digest = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the content; empty if unknown."
    )
    span_count = models.PositiveIntegerField(default=0)
    event_count = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "version"], name="revision_unique"),
            models.CheckConstraint(
                condition=Q(chain=0, delta__isnull=True, snapshot__isnull=False)
                | Q(chain__gt=0, delta__isnull=False, snapshot__isnull=True),
                name="revision_keyframe_or_delta",
            ),
            models.CheckConstraint(
                condition=Q(chain__lt=F("version")), name="revision_chain_after_keyframe"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annotation} v{self.version}"
