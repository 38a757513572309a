"""Write the layers a batch of imported documents brings: a few bulk inserts, not one per item."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone

from annotations.content import LayerContent
from annotations.labels import LabelIndex
from annotations.models import Annotation, Revision
from annotations.services.content import layer_contents_write
from annotations.services.revisions import revision_keyframe
from annotations.services.rows import ids_reserve, json_adapter, rows_insert
from formats.records import ArticleRecord


@dataclass
class PendingLayer:
    """The content to write as a layer of `document_id`, with where it came from."""

    document_id: int
    content: LayerContent
    origin: dict[str, Any]
    record: ArticleRecord


def import_model_name(format: str) -> str:
    """The model name of prediction layers imported from `format` (one per document)."""
    return f"{format} import"


@transaction.atomic
def layers_write(
    pending: list[PendingLayer],
    *,
    kind: str,
    format: str,
    labels: LabelIndex,
    user: AbstractBaseUser | None = None,
) -> tuple[int, set[int]]:
    """Write the layers; a prediction replaces the same format's, gold never replaces gold.

    Returns how many layers were written and the documents whose gold was left alone.
    """
    if not pending:
        return 0, set()
    document_ids = [item.document_id for item in pending]
    taken: set[int] = set()
    if kind == Annotation.Kind.GOLD:
        taken = set(
            Annotation.objects.filter(
                document_id__in=document_ids, kind=Annotation.Kind.GOLD
            ).values_list("document_id", flat=True)
        )
        pending = [item for item in pending if item.document_id not in taken]
    else:
        Annotation.objects.filter(
            document_id__in=document_ids,
            kind=Annotation.Kind.PREDICTION,
            model_name=import_model_name(format),
        ).delete()
    layers = _layers_insert([_layer(item, kind=kind, format=format) for item in pending])
    written = layer_contents_write(
        list(zip(layers, [item.content for item in pending], strict=True)),
        labels=labels,
        returned=kind == Annotation.Kind.GOLD,  # for their first revision
        checked=True,  # each record's layer, by the import run
    )
    if kind == Annotation.Kind.GOLD:
        # Revision 1 of each gold layer, so what was imported can always be restored.
        Revision.objects.bulk_create(
            revision_keyframe(
                layer=layer, snapshot=content.exchange(version=layer.version), user=user
            )
            for layer, content in zip(layers, written, strict=True)
        )
    return len(layers), taken


LAYER_INSERT = ("id", "document", "kind", "model_name", "model_version", "status", "version",
                "origin", "attributes", "user", "run", "created_at", "updated_at")  # fmt: skip


def _layers_insert(layers: list[Annotation]) -> list[Annotation]:
    """Insert the layers as plain rows (ids reserved first); return them with their ids."""
    now = timezone.now()
    adapt = json_adapter()
    created = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for layer, pk in zip(layers, ids_reserve(Annotation, len(layers)), strict=True):
        layer.pk, layer.created_at, layer.updated_at = pk, now, now
        rows.append((
            pk, layer.document_id, layer.kind, layer.model_name, layer.model_version,
            layer.status, layer.version, adapt(layer.origin), adapt(layer.attributes),
            layer.user_id, layer.run_id, created, created,
        ))  # fmt: skip
    rows_insert(Annotation, LAYER_INSERT, rows)
    for layer in layers:
        layer._state.adding, layer._state.db = False, DEFAULT_DB_ALIAS
    return layers


def _layer(item: PendingLayer, *, kind: str, format: str) -> Annotation:
    layer = Annotation(
        document_id=item.document_id,
        kind=kind,
        origin={**item.origin, "imported_at": timezone.now().isoformat()},
    )
    if kind == Annotation.Kind.PREDICTION:
        layer.model_name = import_model_name(format)
    else:
        layer.status = Annotation.Status.REVIEWED
    return layer
