"""Edit the relation types of a corpus's schema: add, edit, rename or merge, and delete one.

Relations refer to their RelationType row by foreign key, so a rename changes a key and a
merge re-points the corpus's relations. Every change copies a shared schema first
(`corpus_schema_writable`) and is recorded as a SchemaChange.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet

from config.errors import InvalidInput, NotFound
from corpus.models import Corpus, RelationType
from corpus.models.schema_formats import RELATION_PALETTE
from corpus.services.schema_common import (
    change_record,
    counts_text,
    entity_types_pick,
    field_invalid,
    row_clean,
    usage_count,
)
from corpus.services.schema_copy import corpus_schema_writable

RELATION_EDITABLE = ("name", "description", "group", "color", "hotkey")


def relation_type_get(*, corpus: Corpus, key: str) -> RelationType:
    """Return relation type `key` of the corpus's schema, or raise NotFound."""
    relation_type = RelationType.objects.filter(schema=corpus.schema_id, key=key).first()
    if relation_type is None:
        raise NotFound(f"No relation type {key[:100]!r} in this corpus's schema.")
    return relation_type


def _relations(relation_type: RelationType, corpus: Corpus) -> QuerySet:
    return relation_type.relations.filter(annotation__document__corpus=corpus)


def relation_usage(*, corpus: Corpus, key: str) -> dict[str, int]:
    """Return how many relations of type `key` the corpus has, in how many layers."""
    return usage_count(_relations(relation_type_get(corpus=corpus, key=key), corpus))


def _ends(relation_type: RelationType) -> str:
    first = ", ".join(t.key for t in relation_type.arg1_types.all()) or "any entity"
    second = ", ".join(t.key for t in relation_type.arg2_types.all()) or "any entity"
    return f"{first} to {second}"


def relation_type_save(
    *,
    corpus: Corpus,
    actor: Any,
    key: str | None,
    fields: dict[str, str],
    arg1_keys: list[str],
    arg2_keys: list[str],
) -> RelationType:
    """Add (key None, `fields["key"]` new) or edit a relation type and the entity types it joins.

    Empty `arg1_keys` or `arg2_keys` let any entity stand at that end. A new type without a
    colour takes the next of the relation palette; a bad colour or a hotkey another relation
    type has is InvalidInput naming the field.
    """
    with transaction.atomic():
        schema = corpus_schema_writable(corpus=corpus, actor=actor)
        if key is None:
            order = schema.relation_types.count()
            relation_type = RelationType(
                schema=schema,
                key=fields.get("key", "").strip(),
                order=order,
                color=RELATION_PALETTE[order % len(RELATION_PALETTE)],  # unless one is given
            )
        else:
            relation_type = relation_type_get(corpus=corpus, key=key)
        for name in RELATION_EDITABLE:
            if name in fields:
                setattr(relation_type, name, fields[name].strip())
        row_clean(relation_type)
        if key is None and schema.relation_types.filter(key=relation_type.key).exists():
            raise field_invalid(
                "key", f"the schema has a relation type {relation_type.key} already."
            )
        arg1 = entity_types_pick(corpus=corpus, keys=arg1_keys, field="arg1_types")
        arg2 = entity_types_pick(corpus=corpus, keys=arg2_keys, field="arg2_types")
        relation_type.save()
        relation_type.arg1_types.set(arg1)
        relation_type.arg2_types.set(arg2)
        detail = f"relation type {relation_type.key} ({_ends(relation_type)})"
        change_record(corpus, actor, "add" if key is None else "edit", detail)
    return relation_type


def relation_type_rename(*, corpus: Corpus, actor: Any, key: str, new_key: str) -> str:
    """Rename relation type `key` to `new_key`, or merge it into `new_key` when that exists."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        relation_type = relation_type_get(corpus=corpus, key=key)
        counts = counts_text(relation_usage(corpus=corpus, key=key), "relation")
        target = RelationType.objects.filter(schema=corpus.schema_id, key=new_key).first()
        if target is None:
            relation_type.key = new_key
            row_clean(relation_type, exclude=["name", "description"], names={"key": "new_key"})
            relation_type.save(update_fields=["key"])
            detail = f"renamed relation type {key} to {new_key} ({counts})"
        elif target.pk == relation_type.pk:
            raise field_invalid("new_key", f"{new_key!r} is the relation type's key already.")
        else:
            try:
                with transaction.atomic():
                    _relations(relation_type, corpus).update(relation_type=target)
                    relation_type.delete()
            except (IntegrityError, ProtectedError) as problem:
                raise InvalidInput(
                    f"Cannot merge {key} into {new_key}: two relations between the same spans"
                    " would then be duplicates, or another corpus still uses the type.",
                    extra={"fields": {"new_key": "some relations would be duplicates"}},
                ) from problem
            detail = f"merged relation type {key} into {new_key} ({counts})"
        change_record(corpus, actor, "rename", detail)
    return detail


def relation_type_delete(*, corpus: Corpus, actor: Any, key: str, with_relations: bool) -> str:
    """Delete a relation type; refuse while relations use it unless `with_relations`."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        relation_type = relation_type_get(corpus=corpus, key=key)
        usage = relation_usage(corpus=corpus, key=key)
        counts = counts_text(usage, "relation")
        if usage["items"] and not with_relations:
            raise InvalidInput(
                f"Relation type {key} is used by {counts}: tick 'delete its relations too' to"
                " delete them with it.",
                extra={**usage, "fields": {"with_relations": f"used by {counts}"}},
            )
        try:
            with transaction.atomic():
                _relations(relation_type, corpus).delete()
                relation_type.delete()
        except (ProtectedError, IntegrityError) as problem:
            raise InvalidInput(f"Cannot delete relation type {key}: relations use it.") from problem
        change_record(corpus, actor, "delete", f"deleted relation type {key} ({counts})")
    return f"Deleted relation type {key} ({counts})."
