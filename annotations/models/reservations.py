"""Reservations: an annotator's hold on a document they are annotating, until it expires."""

from django.conf import settings
from django.db import models

from corpus.models import Document


class Reservation(models.Model):
    """`user` holds `document` until `expires_at`; the queue gives it to fewer others meanwhile.

    An expired reservation counts for nothing: the queue compares `expires_at` with the time
    of each request, so no job has to clean up.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reservations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reservations"
    )
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "user"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="reservation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} held by {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"
