"""The record of a corpus's schema edits: who changed which label, when, and how."""

from django.conf import settings
from django.db import models

from corpus.models.corpus import Corpus


class SchemaChange(models.Model):
    """One schema edit on a corpus (a copy, an added or edited label, a rename, merge or delete)."""

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="schema_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    detail = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.detail}"
