"""Invitations into a corpus and the record of every change to its members."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from corpus.models.corpus import Corpus


class MembershipChange(models.Model):
    """One change to a corpus's members: who did what to whom, when."""

    class Action(models.TextChoices):
        ADDED = "added", "added"
        ROLES_CHANGED = "roles_changed", "changed the roles of"
        REMOVED = "removed", "removed"
        INVITED = "invited", "created an invitation"
        INVITATION_REVOKED = "invitation_revoked", "revoked an invitation"
        JOINED = "joined", "joined through an invitation"

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="member_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The member concerned; the name is kept so the record outlives the account.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    roles_before = models.JSONField(default=list, blank=True)
    roles_after = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["corpus", "-created_at"], name="memberchange_corpus_time")]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.member_name} in {self.corpus}"


class Invitation(models.Model):
    """A single-use, expiring link that makes whoever opens it a member with `roles`.

    Only the SHA-256 of the token is stored: the link is shown once, when created.
    """

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    roles = models.JSONField()
    note = models.CharField(max_length=300, blank=True, help_text="For whom, e.g. an e-mail.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_used_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.corpus} as {', '.join(self.roles)}"

    @property
    def state(self) -> str:
        """Return "used", "revoked", "expired" or "pending"."""
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
