"""Reads of a layer's history: the revision written at every save."""

from django.db.models import Func, IntegerField, QuerySet
from django.db.models.fields.json import KeyTransform

from annotations.models import Annotation, Revision
from config.errors import NotFound


class JSONArrayLength(Func):
    """The length of a JSON array, counted by the database."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def revision_list(*, layer: Annotation) -> QuerySet[Revision]:
    """Return the revisions of `layer`, newest first, with their span and event counts."""
    return (
        layer.revisions.select_related("user")
        .defer("snapshot")
        .annotate(
            span_count=JSONArrayLength(KeyTransform("spans", "snapshot")),
            event_count=JSONArrayLength(KeyTransform("events", "snapshot")),
        )
        .order_by("-version")
    )


def revision_get(*, layer: Annotation, version: int) -> Revision:
    """Return the revision of `layer` at `version`."""
    revision = layer.revisions.select_related("user").filter(version=version).first()
    if revision is None:
        raise NotFound(f"Layer {layer.pk} has no revision {version}.")
    return revision
