"""Edit a corpus's schema in the app: span types, rename, merge and delete labels, replace it.

Every change goes through `corpus_schema_writable` first (`schema_copy`: copy on write).
Annotation items refer to type rows by foreign key (reached here through the reverse
relations, as corpus may not import annotations), so a rename changes a key and a merge
re-points items. Each change is recorded as a SchemaChange. Roles, relation types and
attributes have their own modules (`schema_roles`, `schema_relations`, `schema_attributes`).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from config.errors import InvalidInput
from corpus.models import Corpus, LabelSchema
from corpus.services.schema_common import (
    CONTRAST_MIN,
    INK,
    KINDS,
    change_record,
    contrast_ratio,
    items_deleted_notify,
    label_get,
    label_items,
)
from corpus.services.schema_copy import corpus_schema_writable, items_repoint
from corpus.services.schemas import _free_key, schema_create

# Re-exported: callers and tests import these from here.
__all__ = [
    "CONTRAST_MIN",
    "EDITABLE",
    "INK",
    "KINDS",
    "contrast_ratio",
    "corpus_schema_replace",
    "corpus_schema_writable",
    "label_delete",
    "label_get",
    "label_rename",
    "label_usage",
    "span_type_save",
]

EDITABLE = ("name", "description", "color", "hotkey")


def label_usage(*, corpus: Corpus, kind: str, key: str) -> dict[str, int]:
    """Return how many items of label `key` the corpus has, in how many layers."""
    items = label_items(label_get(corpus=corpus, kind=kind, key=key), corpus)
    return {
        "items": items.count(),
        "layers": items.values("annotation_id").distinct().count(),
    }


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
        change_record(corpus, actor, "add" if key is None else "edit", f"{kind} type {label.key}")
    return label


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
                    label_items(label, corpus).update(**{field: target})
                    label.delete()
            except IntegrityError as problem:
                raise InvalidInput(
                    f"Cannot merge {key} into {new_key}: some items would then be duplicates"
                    " or the label is still used by another corpus."
                ) from problem
            detail = f"merged {kind} type {key} into {new_key} ({counts})"
        change_record(corpus, actor, "rename", detail)
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
        items = label_items(label, corpus)
        documents = list(items.values_list("annotation__document_id", flat=True).distinct())
        try:
            with transaction.atomic():
                items.delete()
                label.delete()
        except (ProtectedError, IntegrityError) as problem:
            raise InvalidInput(f"Cannot delete {kind} type {key}: items still use it.") from problem
        items_deleted_notify(documents)
        change_record(corpus, actor, "delete", f"deleted {kind} type {key} ({counts})")
    return f"Deleted {kind} type {key} ({counts})."


@transaction.atomic
def corpus_schema_replace(*, corpus: Corpus, actor: Any, data: Any) -> LabelSchema:
    """Replace the corpus's schema with schema data (JSON), keeping every existing item valid."""
    if not isinstance(data, dict):
        raise InvalidInput("schema: a schema file is a JSON object with 'key' and 'name'.")
    old = corpus.schema
    data = {**data, "key": _free_key(str(data.get("key") or corpus.slug))}
    new = schema_create(data=data)
    items_repoint(corpus=corpus, old=old, new=new)
    corpus.schema = new
    corpus.save(update_fields=["schema"])
    change_record(corpus, actor, "upload", f"replaced schema {old.key} with an upload ({new.key})")
    return new
