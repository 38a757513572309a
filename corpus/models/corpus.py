"""Corpora and the memberships that give users a role in them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from corpus.models.schema import LabelSchema


class Corpus(models.Model):
    """A collection of documents annotated with one label schema."""

    class QueueOrder(models.TextChoices):
        """The order in which the annotation queue hands out documents."""

        DOCUMENT = "document", "Document order"
        RANDOM = "random", "Seeded random"
        LEAST_CONFIDENT = "least_confident", "Least confident first"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    schema = models.ForeignKey(LabelSchema, on_delete=models.PROTECT, related_name="corpora")
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown shown to annotators.")
    annotators_per_document = models.PositiveSmallIntegerField(default=1)
    review_required = models.BooleanField(default=False)
    annotators_see_gold = models.BooleanField(
        default=False,
        help_text="Let annotators see the gold layer (read only). Off: blind annotation, "
        "annotators see the predictions and their own layer only.",
    )
    reservation_minutes = models.PositiveIntegerField(
        default=30,
        help_text="How long a document stays held for the annotator who opened it, "
        "renewed at every save.",
    )
    queue_order = models.CharField(
        max_length=20,
        choices=QueueOrder.choices,
        default=QueueOrder.DOCUMENT,
        help_text="The order of the annotation queue: document order, seeded random, or "
        "lowest mean prediction score first.",
    )
    queue_seed = models.IntegerField(
        default=0, help_text="The seed of the random order: the same seed, the same order."
    )
    cleaning = models.JSONField(
        default=dict, blank=True, help_text="Boilerplate rules applied on import."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "corpora"
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_document__gte=1), name="corpus_overlap_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(reservation_minutes__gt=0), name="corpus_reservation_positive"
            ),
            models.CheckConstraint(
                condition=Q(queue_order__in=["document", "random", "least_confident"]),
                name="corpus_queue_order_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("corpus-detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A user's role in a corpus; a user may hold several roles in one corpus."""

    class Role(models.TextChoices):
        OWNER = "owner"
        ANNOTATOR = "annotator"
        REVIEWER = "reviewer"

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corpus", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["corpus", "user", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "annotator", "reviewer"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.corpus}"
