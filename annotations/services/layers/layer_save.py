"""Save a layer from the editor (its whole content, with optimistic locking); submit or skip it."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from annotations.content import LayerContent
from annotations.layer_json import layer_state_kept
from annotations.limits import layer_content_check, layer_items_check, payload_item_count
from annotations.models import Annotation, Event, Span
from annotations.queue import reservation_renew
from annotations.services.content import layer_content_read, layer_content_write
from annotations.services.layers.conflicts import version_conflict
from annotations.services.layers.fields import is_integer
from annotations.services.layers.gold import gold_copy_from, gold_needs_no_review
from annotations.services.layers.kept import held_sent_back
from annotations.services.layers.payload import layer_content_parse
from annotations.services.layers.schema_rules import SchemaRules
from annotations.services.layers.snapshot import layer_snapshot
from annotations.services.revisions import revision_write
from config.errors import Conflict, Forbidden, GoldsetError, InvalidInput, NotFound
from corpus.selectors import REVIEWING_ROLES, schema_stamp, user_roles

FINISHED = {Annotation.Status.SUBMITTED, Annotation.Status.SKIPPED}


def layer_save(
    *,
    layer: Annotation,
    user: AbstractBaseUser,
    version: int,
    spans: Any,
    events: Any,
    relations: Any = None,
    labels: Any = None,
) -> Annotation:
    """Replace the content of `layer` with `spans`, `events` and `relations` (exchange format).

    `version` is the one the client loaded: if the layer was saved since, nothing is written
    and Conflict says by whom. Nothing is written either when any item is invalid; every
    problem is listed. A saved layer is one version further and has a revision of it.
    Items sent with their database ids keep them. `relations` None (a client that does not
    send them) keeps the layer's relations whose two spans are still there; a list replaces
    them (relations refer to spans by the ids sent, and the relation type must take the
    entity types at each end). `labels` None keeps the layer's document labels; an object
    replaces them (`labels_parse` says what each label takes).
    A payload over LAYER_MAX_ITEMS is refused before anything is read (its items are only
    counted), and attributes must agree with the schema (`attribute_problem`).
    """
    layer_require_editor(layer=layer, user=user)
    layer_items_check(items=payload_item_count(spans, events, relations))
    rules = layer_rules(layer)
    # Read before the write lock: the claim below succeeds only if the layer is still at
    # `version`, and every change of a layer's items moves its version on, so what is read
    # here is what the claimed layer holds.
    before, held = layer_held(layer, version=version)
    spans, events, relations = held_sent_back(before, held, spans, events, relations)
    content = layer_content_parse(
        layer=layer,
        version=version,
        spans=spans,
        events=events,
        rules=rules,
        held=before,
        relations=relations,
        labels=labels,
    )
    if relations is None:
        kept = {span.id for span in content.spans if isinstance(span.id, int)}
        content.relations = [
            relation for relation in before.relations if {relation.head, relation.tail} <= kept
        ]
    return layer_content_commit(
        layer=layer,
        user=user,
        version=version,
        content=content,
        rules=rules,
        before=before,
        held=held,
    )


def layer_rules(layer: Annotation) -> SchemaRules:
    """Return the rules a save of `layer` checks against, reading the schema's stamp once.

    The stamp is left on the layer (`schema_stamp`), so the state the save reads and the
    answer it keeps go under the same one (`annotations.layer_json.layer_key`).
    """
    layer.schema_stamp = schema_stamp(layer.document.corpus)
    return SchemaRules.of_corpus(layer.document.corpus, stamp=layer.schema_stamp)


def layer_held(layer: Annotation, *, version: Any) -> tuple[LayerContent, dict[str, Any]]:
    """Return what `layer` holds at its version, as content and in the exchange format (at
    `version`, the one the client loaded): the JSON kept for that version when there is
    some (`annotations.layer_json`), else read (four queries)."""
    state = layer_state_kept(layer)
    if state is None:
        before = layer_content_read(layer)
        return before, before.exchange(version=version)
    return LayerContent.from_exchange(state), {"version": version, **state}


def layer_content_commit(
    *,
    layer: Annotation,
    user: AbstractBaseUser,
    version: int,
    content: LayerContent,
    rules: SchemaRules,
    before: LayerContent,
    held: dict[str, Any],
) -> Annotation:
    """Write checked `content` as the layer's next version if it is still at `version`.

    `before` is what it held at `version` (read before the claim: every change of a layer's
    items moves its version on, so it is what the claimed layer holds) and `held` the same
    in the exchange format. Labels None keep the layer's. Writes the revision, renews the
    reservation and leaves the content written on `layer.snapshot` for the answer.
    """
    if content.labels is None:
        content.labels = before.labels
    layer_content_check(content)
    now = timezone.now()
    with transaction.atomic():
        claimed = Annotation.objects.filter(pk=layer.pk, version=version).update(
            version=version + 1, updated_at=now
        )
        if not claimed:
            raise _stale(layer)
        written = layer_content_write(layer, content, labels=rules.labels, before=before)
        layer.version = version + 1
        snapshot = written.exchange(version=version + 1)
        revision_write(layer=layer, snapshot=snapshot, user=user, before=held)
        reservation_renew(layer=layer)  # in the same transaction: one commit to wait for
    layer.version, layer.updated_at = version + 1, now
    # What it holds now, as `layer_snapshot` would read it back: the API answers with it.
    layer.snapshot = snapshot
    layer.written_ids = written.written_ids
    return layer


def layer_finish(
    *,
    layer: Annotation,
    user: AbstractBaseUser,
    version: int,
    status: str,
    accept_pending: bool = False,
) -> Annotation:
    """Mark the user's own layer submitted or skipped, if it is saved at `version`.

    Submitting endorses the layer: while model items wait to be accepted, it is refused
    (Conflict with the count in `extra.pending`) unless `accept_pending` says to accept
    them all, which writes the next version, a revision, and the count in `origin`.
    Where the corpus needs no review and one annotator per document, the submitted
    layer becomes the document's gold layer at once. Skipping needs no endorsement.
    """
    if layer.kind != Annotation.Kind.ANNOTATOR or layer.user_id != user.pk:
        raise Forbidden("Only the layer's annotator can submit or skip it.")
    if status not in FINISHED:
        raise InvalidInput(f"A layer can be submitted or skipped, not {status!r}.")
    if not is_integer(version) or version < 1:
        message = "version must be a positive integer: the one you loaded."
        raise InvalidInput(message, extra={"errors": [{"field": "version", "message": message}]})
    if not isinstance(accept_pending, bool):
        raise InvalidInput("accept_pending must be true or false.")
    with transaction.atomic():
        if not Annotation.objects.filter(pk=layer.pk, version=version).update(status=status):
            raise _stale(layer)
        if status == Annotation.Status.SKIPPED:
            layer.status = status
            return layer
        pending = _pending_count(layer)
        if pending and not accept_pending:
            raise Conflict(
                f"{pending} prediction{'s' if pending != 1 else ''} not reviewed: "
                "accept them all and submit, or go back.",
                extra={"pending": pending},
            )
        if pending:
            _pending_accept(layer=layer, user=user, count=pending)
        layer.status = status
        if gold_needs_no_review(layer.document.corpus):
            gold_copy_from(layer=layer, user=user)
    return layer


def _pending_count(layer: Annotation) -> int:
    """Return how many of the layer's spans and events wait for a person to accept them."""
    spans = Span.objects.filter(annotation=layer, accepted=False).count()
    return spans + Event.objects.filter(annotation=layer, accepted=False).count()


def _pending_accept(*, layer: Annotation, user: AbstractBaseUser, count: int) -> None:
    """Accept every pending item of the (claimed) layer: its next version, with a revision."""
    before = layer_snapshot(layer)
    Span.objects.filter(annotation=layer, accepted=False).update(accepted=True)
    Event.objects.filter(annotation=layer, accepted=False).update(accepted=True)
    now = timezone.now()
    layer.version += 1
    layer.updated_at = now
    endorsed = {"accepted_on_submit": count, "at": now.isoformat(), "by": user.get_username()}
    layer.origin = {**layer.origin, "submitted": endorsed}
    Annotation.objects.filter(pk=layer.pk).update(
        version=layer.version, updated_at=now, origin=layer.origin
    )
    revision_write(layer=layer, snapshot=layer_snapshot(layer), user=user, before=before)


def layer_require_editor(*, layer: Annotation, user: AbstractBaseUser) -> None:
    if layer.kind == Annotation.Kind.PREDICTION:
        raise Forbidden(
            "Prediction layers are written by the model; annotate the document to correct them."
        )
    if layer.kind == Annotation.Kind.ANNOTATOR and layer.user_id != user.pk:
        raise Forbidden("Only the layer's annotator can change it.")
    if layer.kind == Annotation.Kind.GOLD and not REVIEWING_ROLES & user_roles(
        user=user, corpus=layer.document.corpus
    ):
        raise Forbidden("Only a corpus owner or reviewer can change the gold layer.")


def _stale(layer: Annotation) -> GoldsetError:
    """Return the error for a client holding an old version of `layer`."""
    current = Annotation.objects.filter(pk=layer.pk).first()
    if current is None:
        return NotFound(f"No annotation layer {layer.pk}.")
    return version_conflict(current)
