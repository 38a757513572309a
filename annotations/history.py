"""Reads of a layer's history: the revision written at every save, and its content."""

from typing import Any

from django.db.models import QuerySet

from annotations.deltas import delta_apply
from annotations.models import Annotation, Revision
from config.errors import NotFound


def revision_list(*, layer: Annotation) -> QuerySet[Revision]:
    """Return the revisions of `layer`, newest first, with their span and event counts."""
    return layer.revisions.select_related("user").defer("snapshot", "delta").order_by("-version")


def revision_get(*, layer: Annotation, version: int) -> Revision:
    """Return the revision of `layer` at `version`."""
    revision = layer.revisions.select_related("user").filter(version=version).first()
    if revision is None:
        raise NotFound(f"Layer {layer.pk} has no revision {version}.")
    return revision


def revision_snapshot(revision: Revision) -> dict[str, Any]:
    """Return the layer's content as saved at `revision`, in the exchange format.

    A keyframe is its snapshot as stored; a delta is its keyframe with the deltas up to it
    applied in order (one query).
    """
    if revision.delta is None:
        return revision.snapshot
    rows = (
        Revision.objects.filter(
            annotation_id=revision.annotation_id,
            version__gte=revision.version - revision.chain,
            version__lt=revision.version,
        )
        .order_by("version")
        .values_list("snapshot", "delta")
    )
    state: dict[str, Any] = {}
    for snapshot, delta in [*rows, (None, revision.delta)]:
        state = snapshot if delta is None else delta_apply(state, delta)
    return {"version": revision.version, **state}
