"""Edit the roles of a corpus's event types: add, edit, rename or merge, and delete a role.

Arguments refer to their Role row by foreign key, so a key change is enough to rename a role;
merging a role into another role of the same event type re-points its arguments. Every change
copies a shared schema first (`corpus_schema_writable`) and is recorded as a SchemaChange.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet

from config.errors import InvalidInput, NotFound
from corpus.models import Corpus, EventRole, EventType
from corpus.services.schema_common import (
    change_record,
    counts_text,
    entity_types_pick,
    field_invalid,
    label_get,
    row_clean,
    usage_count,
)
from corpus.services.schema_copy import corpus_schema_writable

ROLE_EDITABLE = ("name", "description")


def role_get(*, corpus: Corpus, event_key: str, role_key: str) -> EventRole:
    """Return role `role_key` of event type `event_key` in the corpus's schema, or NotFound."""
    event_type = label_get(corpus=corpus, kind="event", key=event_key)
    role = event_type.roles.filter(key=role_key).first()
    if role is None:
        raise NotFound(f"No role {role_key[:100]!r} of event type {event_key}.")
    return role


def _arguments(role: EventRole, corpus: Corpus) -> QuerySet:
    return role.arguments.filter(event__annotation__document__corpus=corpus)


def role_usage(*, corpus: Corpus, event_key: str, role_key: str) -> dict[str, int]:
    """Return how many arguments of the corpus fill the role, in how many layers."""
    role = role_get(corpus=corpus, event_key=event_key, role_key=role_key)
    return usage_count(_arguments(role, corpus), layer="event__annotation_id")


def _fillers_text(role: EventRole) -> str:
    return ", ".join(role.entity_types.values_list("key", flat=True)) or "any entity"


def role_add(
    *,
    corpus: Corpus,
    actor: Any,
    event_key: str,
    fields: dict[str, str],
    entity_keys: list[str],
) -> EventRole:
    """Add a role (key, name, description, allowed entity types) to event type `event_key`."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        event_type = label_get(corpus=corpus, kind="event", key=event_key)
        key = fields.get("key", "").strip()
        role = EventRole(event_type=event_type, key=key, order=event_type.roles.count())
        for name in ROLE_EDITABLE:
            setattr(role, name, fields.get(name, "").strip())
        row_clean(role)
        if event_type.roles.filter(key=role.key).exists():
            raise field_invalid("key", f"{event_key} already has a role {role.key}.")
        allowed = entity_types_pick(corpus=corpus, keys=entity_keys)
        role.save()
        role.entity_types.set(allowed)
        detail = f"role {role.key} of {event_key} (takes {_fillers_text(role)})"
        change_record(corpus, actor, "add", detail)
    return role


def role_save(
    *,
    corpus: Corpus,
    actor: Any,
    event_key: str,
    role_key: str,
    fields: dict[str, str],
    entity_keys: list[str],
) -> EventRole:
    """Edit a role: its name and description (those in `fields`) and the entity types it takes.

    An empty `entity_keys` lets any entity fill the role.
    """
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        role = role_get(corpus=corpus, event_key=event_key, role_key=role_key)
        for name in ROLE_EDITABLE:
            if name in fields:
                setattr(role, name, fields[name].strip())
        row_clean(role)
        allowed = entity_types_pick(corpus=corpus, keys=entity_keys)
        role.save()
        role.entity_types.set(allowed)
        detail = f"role {role_key} of {event_key} now takes {_fillers_text(role)}"
        change_record(corpus, actor, "role", detail)
    return role


def role_rename(*, corpus: Corpus, actor: Any, event_key: str, role_key: str, new_key: str) -> str:
    """Rename a role's key, or merge it into role `new_key` of the same event type.

    A merge re-points the arguments and lets the kept role take the entity types of both.
    """
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        role = role_get(corpus=corpus, event_key=event_key, role_key=role_key)
        counts = counts_text(
            role_usage(corpus=corpus, event_key=event_key, role_key=role_key), "argument"
        )
        target = role.event_type.roles.filter(key=new_key).first()
        if target is None:
            role.key = new_key
            row_clean(role, exclude=["name", "description"], names={"key": "new_key"})
            role.save(update_fields=["key"])
            detail = f"renamed role {role_key} of {event_key} to {new_key} ({counts})"
        elif target.pk == role.pk:
            raise field_invalid("new_key", f"{new_key!r} is the role's key already.")
        else:
            _merge(corpus, role, target)
            detail = f"merged role {role_key} of {event_key} into {new_key} ({counts})"
        change_record(corpus, actor, "rename", detail)
    return detail


def _merge(corpus: Corpus, role: EventRole, target: EventRole) -> None:
    mine, theirs = list(role.entity_types.all()), list(target.entity_types.all())
    try:
        with transaction.atomic():
            _arguments(role, corpus).update(role=target)
            role.delete()
    except (IntegrityError, ProtectedError) as problem:
        raise InvalidInput(
            f"Cannot merge role {role.key} into {target.key}: an event would then have the same"
            " filler twice in one role, or another corpus still uses the role.",
            extra={"fields": {"new_key": "an event would have the same filler twice"}},
        ) from problem
    if mine and theirs:  # an empty list takes any entity: keep the wider of the two
        target.entity_types.add(*mine)
    elif theirs:
        target.entity_types.clear()


def role_delete(
    *, corpus: Corpus, actor: Any, event_key: str, role_key: str, with_arguments: bool
) -> str:
    """Delete a role; refuse while arguments fill it unless `with_arguments` deletes them too."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        role = role_get(corpus=corpus, event_key=event_key, role_key=role_key)
        usage = role_usage(corpus=corpus, event_key=event_key, role_key=role_key)
        counts = counts_text(usage, "argument")
        if usage["items"] and not with_arguments:
            raise InvalidInput(
                f"Role {role_key} of {event_key} is used by {counts}: tick 'delete its arguments"
                " too' to delete them with it.",
                extra={**usage, "fields": {"with_arguments": f"used by {counts}"}},
            )
        try:
            with transaction.atomic():
                _arguments(role, corpus).delete()
                role.delete()
        except (ProtectedError, IntegrityError) as problem:
            raise InvalidInput(
                f"Cannot delete role {role_key}: arguments still use it."
            ) from problem
        change_record(corpus, actor, "delete", f"deleted role {role_key} of {event_key} ({counts})")
    return f"Deleted role {role_key} of {event_key} ({counts})."


def event_type_roles(*, corpus: Corpus, event_key: str) -> EventType:
    """Return event type `event_key` with its roles and their entity types loaded, for a page."""
    event_type = label_get(corpus=corpus, kind="event", key=event_key)
    return EventType.objects.prefetch_related("roles__entity_types").get(pk=event_type.pk)
