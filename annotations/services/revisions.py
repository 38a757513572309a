"""Write the revision of a layer's new version: a delta from the version before, or a keyframe.

A delta is written when the previous revision is known to hold exactly what the layer held
before this write (same digest), the chain since its keyframe is short (fewer than
REVISION_KEYFRAME_EVERY deltas) and the deltas since the keyframe, this one included, are
smaller than the whole content; otherwise the whole content is written as a keyframe. So a
chain costs at most about two copies of the layer to store and to read back, and restoring
any version reads one keyframe and the deltas after it (`annotations.history`).
"""

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from annotations.deltas import delta_between, state_canonical, state_digest
from annotations.models import Annotation, Revision

REVISION_KEYFRAME_EVERY = 50


def revision_keyframe(
    *,
    layer: Annotation,
    snapshot: dict[str, Any],
    user: AbstractBaseUser | None,
    canonical: bytes | None = None,
) -> Revision:
    """Return the (unsaved) keyframe revision of `layer` at its version, holding `snapshot`."""
    return Revision(
        annotation=layer,
        version=layer.version,
        snapshot=snapshot,
        digest=state_digest(snapshot, canonical),
        span_count=len(snapshot.get("spans") or []),
        event_count=len(snapshot.get("events") or []),
        user=user,
    )


def revision_write(
    *,
    layer: Annotation,
    snapshot: dict[str, Any],
    user: AbstractBaseUser | None,
    before: dict[str, Any] | None = None,
) -> Revision:
    """Write the revision of `layer` at its version (`snapshot`, what it holds now).

    `before` is what the layer held before this write, in the exchange format (None: a
    new layer, or unknown); with it the revision can be a delta from the version before.
    """
    canonical = state_canonical(snapshot)
    revision = revision_keyframe(layer=layer, snapshot=snapshot, user=user, canonical=canonical)
    previous = _previous(layer) if before is not None else None
    if (
        previous is not None
        and previous.chain + 1 < REVISION_KEYFRAME_EVERY
        and previous.digest == state_digest(before)
    ):
        delta = delta_between(before, snapshot)
        size = len(json.dumps(delta, separators=(",", ":"))) if delta is not None else 0
        chain_bytes = previous.chain_bytes + size
        if delta is not None and chain_bytes < len(canonical):
            revision.snapshot, revision.delta = None, delta
            revision.chain, revision.chain_bytes = previous.chain + 1, chain_bytes
    revision.save()
    return revision


def _previous(layer: Annotation) -> Revision | None:
    """Return the digest and chain of the revision before `layer`'s version, if there is one."""
    return (
        Revision.objects.filter(annotation=layer, version=layer.version - 1)
        .only("digest", "chain", "chain_bytes")
        .first()
    )
