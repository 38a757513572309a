"""Edit a corpus's schema in the app: copy on write, span types, rename, merge and delete labels.

Every change goes through `corpus_schema_writable` first: a schema shared with another corpus
or shipped as a preset is copied to the corpus, and the corpus's existing items are re-pointed
to the copy's types, so no other corpus changes. Annotation items refer to type rows by foreign
key (reached here through the reverse relations, as corpus may not import annotations), so a
rename changes a key and a merge re-points items. Each change is recorded as a SchemaChange.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from config.errors import InvalidInput, NotFound
from corpus.models import Corpus, EntityType, EventType, LabelSchema, SchemaChange
from corpus.services.schemas import _free_key, schema_create, schema_data_dump

INK = "#1d232a"  # the text colour labels are drawn with (goldset.css --ink)
CONTRAST_MIN = 4.5  # WCAG AA for normal text
KINDS = {"entity": EntityType, "event": EventType}
EDITABLE = ("name", "description", "color", "hotkey")


def contrast_ratio(colour: str, text: str = INK) -> float:
    """Return the WCAG contrast ratio of `text` on a `colour` background (1 to 21)."""

    def luminance(value: str) -> float:
        channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(text)), reverse=True)
    return round((light + 0.05) / (dark + 0.05), 2)


def _items(label: Any, corpus: Corpus):
    """Return the corpus's items of `label` (spans of an entity type, events of an event type)."""
    related = label.spans if isinstance(label, EntityType) else label.events
    return related.filter(annotation__document__corpus=corpus)


def label_get(*, corpus: Corpus, kind: str, key: str) -> Any:
    """Return the entity or event type `key` of the corpus's schema, or raise NotFound."""
    if kind not in KINDS:
        raise InvalidInput(f"kind: expected entity or event, got {kind[:40]!r}.")
    label = KINDS[kind].objects.filter(schema=corpus.schema_id, key=key).first()
    if label is None:
        raise NotFound(f"No {kind} type {key[:100]!r} in this corpus's schema.")
    return label


def label_usage(*, corpus: Corpus, kind: str, key: str) -> dict[str, int]:
    """Return how many items of label `key` the corpus has, in how many layers."""
    items = _items(label_get(corpus=corpus, kind=kind, key=key), corpus)
    return {
        "items": items.count(),
        "layers": items.values("annotation_id").distinct().count(),
    }


def _record(corpus: Corpus, actor: Any, action: str, detail: str) -> None:
    SchemaChange.objects.create(corpus=corpus, actor=actor, action=action, detail=detail)


@transaction.atomic
def corpus_schema_writable(*, corpus: Corpus, actor: Any) -> LabelSchema:
    """Return a schema the corpus alone uses, copying a shared or preset one (copy on write)."""
    schema = corpus.schema
    if not schema.preset and not schema.corpora.exclude(pk=corpus.pk).exists():
        return schema
    data = schema_data_dump(schema)
    data["key"] = _free_key(f"{schema.key}-{corpus.slug}")
    data["name"] = f"{schema.name} ({corpus.slug})"
    copy = schema_create(data=data)
    _repoint(corpus, schema, copy)
    corpus.schema = copy
    corpus.save(update_fields=["schema"])
    _record(corpus, actor, "copy", f"copied the shared schema {schema.key} to {copy.key}")
    return copy


def span_type_save(
    *, corpus: Corpus, actor: Any, kind: str, key: str | None, fields: dict[str, str]
) -> Any:
    """Add (key None) or edit an entity or event type; InvalidInput's extra has field errors."""
    with transaction.atomic():
        schema = corpus_schema_writable(corpus=corpus, actor=actor)
        if key is None:
            if kind not in KINDS:
                raise InvalidInput(f"kind: expected entity or event, got {kind[:40]!r}.")
            label = KINDS[kind](
                schema=schema, order=KINDS[kind].objects.filter(schema=schema).count()
            )
            label.key = fields.get("key", "")
        else:
            label = label_get(corpus=corpus, kind=kind, key=key)
        for name in EDITABLE:
            if name in fields:
                setattr(label, name, fields[name].strip())
        try:
            label.full_clean()
        except ValidationError as problem:
            errors = {field: " ".join(messages) for field, messages in problem.message_dict.items()}
            errors = {("key" if f == "__all__" else f): m for f, m in errors.items()}
            raise InvalidInput(
                "; ".join(f"{field}: {message}" for field, message in errors.items()),
                extra={"fields": errors},
            ) from problem
        label.save()
        _record(corpus, actor, "add" if key is None else "edit", f"{kind} type {label.key}")
    return label


def role_fillers_set(
    *, corpus: Corpus, actor: Any, event_key: str, role_key: str, entity_keys: list[str]
) -> list[str]:
    """Set the entity types that may fill role `role_key` of event type `event_key`."""
    with transaction.atomic():
        schema = corpus_schema_writable(corpus=corpus, actor=actor)
        event_type = label_get(corpus=corpus, kind="event", key=event_key)
        role = event_type.roles.filter(key=role_key).first()
        if role is None:
            raise NotFound(f"No role {role_key[:100]!r} of event type {event_key}.")
        allowed = list(schema.entity_types.filter(key__in=entity_keys))
        unknown = sorted(set(entity_keys) - {item.key for item in allowed})
        if unknown:
            raise InvalidInput(f"entity_types: unknown entity types {', '.join(unknown)[:200]}.")
        role.entity_types.set(allowed)
        keys = [item.key for item in allowed]
        detail = f"role {role_key} of {event_key} now takes {', '.join(keys) or 'any entity'}"
        _record(corpus, actor, "role", detail)
    return keys


def label_rename(*, corpus: Corpus, actor: Any, kind: str, key: str, new_key: str) -> str:
    """Rename label `key` to `new_key`, or merge it into `new_key` when that label exists."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        corpus.refresh_from_db(fields=["schema"])
        label = label_get(corpus=corpus, kind=kind, key=key)
        usage = label_usage(corpus=corpus, kind=kind, key=key)
        target = KINDS[kind].objects.filter(schema=corpus.schema_id, key=new_key).first()
        counts = f"{usage['items']} items in {usage['layers']} layers"
        if target is None:
            label.key = new_key
            try:
                label.full_clean(exclude=["color", "hotkey", "name"])
            except ValidationError as problem:
                raise InvalidInput(
                    f"new key: {' '.join(problem.messages)}", extra={"fields": {"new_key": ""}}
                ) from problem
            label.save(update_fields=["key"])
            detail = f"renamed {kind} type {key} to {new_key} ({counts})"
        elif target.pk == label.pk:
            raise InvalidInput(f"new key: {new_key!r} is the label's key already.")
        else:
            field = "entity_type" if kind == "entity" else "event_type"
            try:
                with transaction.atomic():
                    _items(label, corpus).update(**{field: target})
                    label.delete()
            except IntegrityError as problem:
                raise InvalidInput(
                    f"Cannot merge {key} into {new_key}: some items would then be duplicates"
                    " or the label is still used by another corpus."
                ) from problem
            detail = f"merged {kind} type {key} into {new_key} ({counts})"
        _record(corpus, actor, "rename", detail)
    return detail


def label_delete(*, corpus: Corpus, actor: Any, kind: str, key: str, with_items: bool) -> str:
    """Delete label `key`; refuse while items use it unless `with_items` deletes them too."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        corpus.refresh_from_db(fields=["schema"])
        usage = label_usage(corpus=corpus, kind=kind, key=key)
        counts = f"{usage['items']} items in {usage['layers']} layers"
        if usage["items"] and not with_items:
            raise InvalidInput(
                f"{kind.title()} type {key} is used by {counts}: tick 'delete its items too'"
                " to delete them with it.",
                extra=usage,
            )
        label = label_get(corpus=corpus, kind=kind, key=key)
        try:
            with transaction.atomic():
                _items(label, corpus).delete()
                label.delete()
        except (ProtectedError, IntegrityError) as problem:
            raise InvalidInput(f"Cannot delete {kind} type {key}: items still use it.") from problem
        _record(corpus, actor, "delete", f"deleted {kind} type {key} ({counts})")
    return f"Deleted {kind} type {key} ({counts})."


def _repoint(corpus: Corpus, old: LabelSchema, new: LabelSchema) -> None:
    """Point the corpus's items from `old`'s types to `new`'s types of the same keys.

    Refuses, with counts, when `new` lacks a type, role or relation type the items use.
    """
    missing: list[str] = []
    new_entities = {item.key: item for item in new.entity_types.all()}
    new_events = {item.key: item for item in new.event_types.prefetch_related("roles")}
    new_relations = {item.key: item for item in new.relation_types.all()}
    moves = []
    for label in old.entity_types.all():
        moves.append((_items(label, corpus), "entity_type", new_entities.get(label.key), label))
    for label in old.event_types.prefetch_related("roles"):
        target = new_events.get(label.key)
        moves.append((_items(label, corpus), "event_type", target, label))
        roles = {role.key: role for role in target.roles.all()} if target else {}
        for role in label.roles.all():
            used = role.arguments.filter(event__annotation__document__corpus=corpus)
            moves.append((used, "role", roles.get(role.key), f"role {role}"))
    for label in old.relation_types.all():
        used = label.relations.filter(annotation__document__corpus=corpus)
        moves.append((used, "relation_type", new_relations.get(label.key), label))
    for items, field, target, label in moves:
        if target is None:
            if count := items.count():
                missing.append(f"{label} ({count} items)")
        else:
            items.update(**{field: target})
    if missing:
        raise InvalidInput(
            f"The new schema lacks labels existing items use: {', '.join(missing[:20])}.",
            extra={"missing": missing},
        )


@transaction.atomic
def corpus_schema_replace(*, corpus: Corpus, actor: Any, data: Any) -> LabelSchema:
    """Replace the corpus's schema with schema data (JSON), keeping every existing item valid."""
    if not isinstance(data, dict):
        raise InvalidInput("schema: a schema file is a JSON object with 'key' and 'name'.")
    old = corpus.schema
    data = {**data, "key": _free_key(str(data.get("key") or corpus.slug))}
    new = schema_create(data=data)
    _repoint(corpus, old, new)
    corpus.schema = new
    corpus.save(update_fields=["schema"])
    _record(corpus, actor, "upload", f"replaced schema {old.key} with an upload ({new.key})")
    return new
