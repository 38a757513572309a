"""The error a writer holding an old version of a layer gets: which version, by whom, when."""

from django.utils import timezone

from annotations.models import Annotation
from config.errors import Conflict


def version_conflict(current: Annotation) -> Conflict:
    """Return the Conflict for a client that loaded an older version than `current`'s."""
    revisions = current.revisions.filter(version=current.version).defer("snapshot", "delta")
    revision = revisions.select_related("user").first()
    user = revision.user.get_username() if revision and revision.user else None
    at = timezone.localtime(current.updated_at).strftime("%H:%M")
    return Conflict(
        "This layer was saved elsewhere since you loaded it: it is now at version "
        f"{current.version} ({f'saved by {user} at {at}' if user else f'saved at {at}'}).",
        extra={
            "version": current.version,
            "user": user,
            "updated_at": current.updated_at.isoformat(),
        },
    )
