"""A document's discussion thread: questions to the reviewers, their answers, remarks."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from corpus.models import Document


class DocumentComment(models.Model):
    """One comment on a document, by a member of its corpus; kept when its author leaves."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_comments",
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["document", "created_at"], name="comment_thread_order")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="documentcomment_text_not_empty")
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on document {self.document_id}"
