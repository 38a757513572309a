"""Save a layer from the editor (its whole content, with optimistic locking); submit or skip it."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from annotations.models import Annotation, Argument, Event, Relation, Revision, Span
from annotations.services.layers.fields import is_integer
from annotations.services.layers.payload import LayerContent, layer_content_parse
from annotations.services.layers.schema_rules import SchemaRules
from annotations.services.layers.snapshot import content_snapshot
from config.errors import Conflict, Forbidden, GoldsetError, InvalidInput, NotFound
from corpus.models import Membership
from corpus.selectors import user_roles

FINISHED = {Annotation.Status.SUBMITTED, Annotation.Status.SKIPPED}


def layer_save(
    *, layer: Annotation, user: AbstractBaseUser, version: int, spans: Any, events: Any
) -> Annotation:
    """Replace the content of `layer` with `spans` and `events`, given in the exchange format.

    `version` is the one the client loaded: if the layer was saved since, nothing is written
    and Conflict says by whom. Nothing is written either when any item is invalid; every
    problem is listed. A saved layer is one version further and has a revision of it.
    Items sent with their database ids keep them, so relations between them survive.
    """
    _require_editor(layer=layer, user=user)
    rules = SchemaRules.of(layer.document.corpus.schema)
    content = layer_content_parse(
        layer=layer, version=version, spans=spans, events=events, rules=rules
    )
    now = timezone.now()
    with transaction.atomic():
        claimed = Annotation.objects.filter(pk=layer.pk, version=version).update(
            version=version + 1, updated_at=now
        )
        if not claimed:
            raise _stale(layer)
        _content_replace(layer=layer, content=content)
        snapshot = content_snapshot(
            version=version + 1,
            spans=content.spans.values(),
            events=content.events.values(),
            arguments=content.arguments,
        )
        Revision.objects.create(annotation=layer, version=version + 1, snapshot=snapshot, user=user)
    layer.version, layer.updated_at = version + 1, now
    return layer


def layer_finish(
    *, layer: Annotation, user: AbstractBaseUser, version: int, status: str
) -> Annotation:
    """Mark the user's own layer submitted or skipped, if it is saved at `version`."""
    if layer.kind != Annotation.Kind.ANNOTATOR or layer.user_id != user.pk:
        raise Forbidden("Only the layer's annotator can submit or skip it.")
    if status not in FINISHED:
        raise InvalidInput(f"A layer can be submitted or skipped, not {status!r}.")
    if not is_integer(version) or version < 1:
        message = "version must be a positive integer: the one you loaded."
        raise InvalidInput(message, extra={"errors": [{"field": "version", "message": message}]})
    if not Annotation.objects.filter(pk=layer.pk, version=version).update(status=status):
        raise _stale(layer)
    layer.status = status
    return layer


def _require_editor(*, layer: Annotation, user: AbstractBaseUser) -> None:
    if layer.kind == Annotation.Kind.PREDICTION:
        raise Forbidden(
            "Prediction layers are written by the model; annotate the document to correct them."
        )
    if layer.kind == Annotation.Kind.ANNOTATOR and layer.user_id != user.pk:
        raise Forbidden("Only the layer's annotator can change it.")
    if layer.kind == Annotation.Kind.GOLD and not user_roles(
        user=user, corpus=layer.document.corpus
    ) & {Membership.Role.OWNER, Membership.Role.REVIEWER}:
        raise Forbidden("Only a corpus owner or reviewer can change the gold layer.")


def _stale(layer: Annotation) -> GoldsetError:
    """Return the error for a client holding an old version: which version, by whom, when."""
    current = Annotation.objects.filter(pk=layer.pk).first()
    if current is None:
        return NotFound(f"No annotation layer {layer.pk}.")
    revision = current.revisions.filter(version=current.version).select_related("user").first()
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


def _content_replace(*, layer: Annotation, content: LayerContent) -> None:
    """Delete the layer's items and write `content`, one statement per table and batch.

    Items keep the database ids they were sent with, and relations (which the editor does
    not send) are written back when both of their spans are still there.
    """
    span_ids = set(layer.spans.values_list("pk", flat=True))
    event_ids = set(layer.events.values_list("pk", flat=True))
    relations = list(layer.relations.all())
    Argument.objects.filter(event__annotation=layer).delete()
    layer.relations.all().delete()
    # Nothing points at the spans and events any more; the ORM's cascade would still load
    # every row and delete them a hundred at a time.
    Span.objects.filter(annotation=layer)._raw_delete(Span.objects.db)
    Event.objects.filter(annotation=layer)._raw_delete(Event.objects.db)
    for key, span in content.spans.items():
        span.pk = key if key in span_ids else None
    for key, event in content.events.items():
        event.pk = key if key in event_ids else None
    Span.objects.bulk_create(content.spans.values())
    Event.objects.bulk_create(content.events.values())
    Argument.objects.bulk_create(content.arguments)
    kept = {span.pk for span in content.spans.values()}
    Relation.objects.bulk_create(
        relation for relation in relations if {relation.head_id, relation.tail_id} <= kept
    )
