"""Write the layers a batch of imported documents brings: a few bulk inserts, not one per item."""

from collections import Counter
from dataclasses import dataclass, field
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
    counts: Counter[str] = field(default_factory=Counter)  # of its items, once checked


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
    layers = _layers_insert(pending, kind=kind, format=format)
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


def _layers_insert(pending: list[PendingLayer], *, kind: str, format: str) -> list[Annotation]:
    """Insert the pending layers as plain rows (ids reserved first); return them as model
    instances with their ids, made from the same values as the rows."""
    now = timezone.now()
    created = connection.ops.adapt_datetimefield_value(now)
    imported_at = now.isoformat()
    adapt = json_adapter()
    if kind == Annotation.Kind.PREDICTION:
        model_name, status = import_model_name(format), Annotation.Status.DRAFT
    else:
        model_name, status = "", Annotation.Status.REVIEWED
    fields = [field.attname for field in Annotation._meta.concrete_fields]
    layers, rows = [], []
    for item, pk in zip(pending, ids_reserve(Annotation, len(pending)), strict=True):
        origin = {**item.origin, "imported_at": imported_at}
        values = {
            "id": pk, "document_id": item.document_id, "kind": kind, "user_id": None,
            "model_name": model_name, "model_version": "", "status": status, "version": 1,
            "origin": origin, "attributes": {}, "run_id": None, "created_at": now,
            "updated_at": now,
        }  # fmt: skip
        layers.append(Annotation.from_db(DEFAULT_DB_ALIAS, fields, [values[f] for f in fields]))
        values.update(
            origin=adapt(origin), attributes=adapt({}), created_at=created, updated_at=created
        )
        rows.append(tuple(values[field] for field in fields))
    rows_insert(Annotation, fields, rows)
    return layers
