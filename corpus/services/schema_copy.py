"""Copy on write for schema edits: give a corpus its own schema and move its items onto it.

A schema shared with another corpus or shipped as a preset is copied to the corpus before its
first change, and the corpus's existing items are re-pointed to the copy's types by key, so
no other corpus changes.
"""

from typing import Any

from django.db import transaction

from config.errors import InvalidInput
from corpus.models import Corpus, LabelSchema
from corpus.services.schema_common import change_record, label_items
from corpus.services.schemas import _free_key, schema_create, schema_data_dump


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
    items_repoint(corpus=corpus, old=schema, new=copy)
    corpus.schema = copy
    corpus.save(update_fields=["schema"])
    change_record(corpus, actor, "copy", f"copied the shared schema {schema.key} to {copy.key}")
    return copy


def items_repoint(*, corpus: Corpus, old: LabelSchema, new: LabelSchema) -> None:
    """Point the corpus's items from `old`'s types to `new`'s types of the same keys.

    Refuses, with counts, when `new` lacks a type, role or relation type the items use.
    """
    missing: list[str] = []
    new_entities = {item.key: item for item in new.entity_types.all()}
    new_events = {item.key: item for item in new.event_types.prefetch_related("roles")}
    new_relations = {item.key: item for item in new.relation_types.all()}
    moves = []
    for label in old.entity_types.all():
        moves.append(
            (label_items(label, corpus), "entity_type", new_entities.get(label.key), label)
        )
    for label in old.event_types.prefetch_related("roles"):
        target = new_events.get(label.key)
        moves.append((label_items(label, corpus), "event_type", target, label))
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
