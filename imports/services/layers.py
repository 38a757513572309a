"""Write layer drafts for a batch of documents: a few bulk inserts, not one per item."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotations.models import Annotation, Argument, Event, Relation, Revision, Span
from annotations.services.layers.snapshot import content_snapshot
from formats.records import ArticleRecord
from imports.services.drafts import LayerDraft


@dataclass
class PendingLayer:
    """A draft to write as a layer of `document_id`, with where it came from."""

    document_id: int
    draft: LayerDraft
    origin: dict[str, Any]
    record: ArticleRecord


def import_model_name(format: str) -> str:
    """The model name of prediction layers imported from `format` (one per document)."""
    return f"{format} import"


@transaction.atomic
def layers_write(
    pending: list[PendingLayer], *, kind: str, format: str, user=None
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
    layers = Annotation.objects.bulk_create(
        [_layer(item, kind=kind, format=format) for item in pending]
    )
    arguments = _items_write(layers, [item.draft for item in pending])
    if kind == Annotation.Kind.GOLD:
        _revisions_write(layers, [item.draft for item in pending], arguments, user)
    return len(layers), taken


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


def _items_write(layers: list[Annotation], drafts: list[LayerDraft]) -> list[list[Argument]]:
    """Insert every layer's items; return each layer's arguments."""
    for layer, draft in zip(layers, drafts, strict=True):
        for item in [*draft.spans, *draft.events]:
            item.annotation = layer
    Span.objects.bulk_create([span for draft in drafts for span in draft.spans])
    Event.objects.bulk_create([event for draft in drafts for event in draft.events])
    arguments: list[list[Argument]] = []
    relations = []
    for layer, draft in zip(layers, drafts, strict=True):
        arguments.append([])
        for argument in draft.arguments:
            arguments[-1].append(
                Argument(
                    event=draft.events[argument.event],
                    role=argument.role,
                    span=draft.spans[argument.target] if argument.kind == "span" else None,
                    target_event=(
                        draft.events[argument.target] if argument.kind == "event" else None
                    ),
                    index=argument.index,
                    source=draft.events[argument.event].source,
                )
            )
        for relation in draft.relations:
            relations.append(
                Relation(
                    annotation=layer,
                    relation_type=relation.relation_type,
                    head=draft.spans[relation.head],
                    tail=draft.spans[relation.tail],
                    source=draft.spans[relation.head].source,
                    attributes=relation.attributes,
                    note=relation.note,
                )
            )
    Argument.objects.bulk_create([argument for layer in arguments for argument in layer])
    Relation.objects.bulk_create(relations)
    return arguments


def _revisions_write(
    layers: list[Annotation],
    drafts: list[LayerDraft],
    arguments: list[list[Argument]],
    user,
) -> None:
    """Save revision 1 of each gold layer, so what was imported can always be restored."""
    revisions = []
    for layer, draft, layer_arguments in zip(layers, drafts, arguments, strict=True):
        snapshot = content_snapshot(
            version=layer.version,
            spans=draft.spans,
            events=draft.events,
            arguments=layer_arguments,
        )
        revisions.append(
            Revision(annotation=layer, version=layer.version, snapshot=snapshot, user=user)
        )
    Revision.objects.bulk_create(revisions)
