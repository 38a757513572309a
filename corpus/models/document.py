"""Documents: immutable article text with its tokens and sentences as offset arrays."""

import hashlib

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse

from corpus.models.corpus import Corpus

NO_SCORE = 2.0  # the lowest score of a document without scored predictions (all are <= 1)
NEW = "new"  # the state of a document without layers (annotations.selectors.DocumentState)


def text_sha256(text: str) -> str:
    """Return the hex sha256 of `text`, the key that makes re-imports idempotent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Document(models.Model):
    """One article. Offsets everywhere are half-open Python code point offsets into `text`.

    The text never changes after import (a database trigger refuses updates), so every
    annotation ever made on it keeps its meaning.
    """

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="documents")
    external_id = models.CharField(max_length=200, blank=True, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    sha256 = models.CharField(max_length=64, editable=False)
    source = models.CharField(max_length=500, blank=True, help_text="File (and line) it came from.")
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    tokens = models.JSONField(null=True, blank=True, help_text="[[start, end], ...] per token.")
    sentences = models.JSONField(null=True, blank=True, help_text="[[start, end], ...].")
    created_at = models.DateTimeField(auto_now_add=True)
    lowest_score = models.FloatField(
        default=NO_SCORE,
        db_default=NO_SCORE,  # imports insert rows without the ORM
        editable=False,
        help_text="The lowest score of its predicted spans and events (2.0: none), kept by "
        "annotations.scores; the document list sorts and filters by it.",
    )
    state = models.CharField(
        max_length=20,
        default=NEW,
        db_default=NEW,  # imports insert rows without the ORM
        editable=False,
        help_text="Where it stands (new, pre-annotated, in progress, annotated, reviewed), kept "
        "from its layers by database triggers (annotations.states); the list filters by it.",
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["corpus", "lowest_score", "id"], name="document_score_order"),
            models.Index(fields=["corpus", "state", "id"], name="document_state_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["corpus", "sha256"], name="document_unique_text"),
            models.CheckConstraint(condition=~Q(text=""), name="document_text_not_empty"),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="document_sha256_is_hex_digest"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        if not self.sha256:
            self.sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("document-detail", kwargs={"slug": self.corpus.slug, "pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.title or self.external_id or self.source or f"Document {self.pk}"
