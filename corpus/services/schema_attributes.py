"""Edit the attribute types of a corpus's schema: add, edit (values, item kind) and delete one.

Items keep their attributes in their `attributes` JSON (`{"Polarity": "Negative"}`; a yes/no
attribute holds true or false); layers keep their document labels the same way, a label with
values as a list (`{"Topic": ["conflict", "aid"]}`). A change that would leave values items
hold outside the schema is refused with counts; deleting an attribute items hold needs
`with_items`, which removes it from them. Items are reached through the types' reverse
relations (corpus may not import annotations). Every change copies a shared schema first and
is recorded.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.json import KeyTransform

from config.errors import InvalidInput, NotFound
from corpus.models import AttributeType, Corpus, Document, EntityType, EventType, RelationType
from corpus.services.schema_common import (
    change_record,
    counts_text,
    field_invalid,
    row_clean,
    usage_count,
)
from corpus.services.schema_copy import corpus_schema_writable

# The kind of item an attribute applies to -> the model its holders are reached from and
# their related name; document labels are held by the layers themselves.
ITEMS_OF = {"entity": (EntityType, "spans"), "event": (EventType, "events")}
ITEMS_OF["relation"] = (RelationType, "relations")
ITEMS_OF["document"] = (Document, "annotations")
ATTRIBUTE_EDITABLE = ("name", "description", "default", "applies_to")


def _items(corpus: Corpus, applies_to: str) -> QuerySet:
    """Return the corpus's holders of one kind: spans, events, relations, or layers."""
    model, related_name = ITEMS_OF[applies_to]
    items = model._meta.get_field(related_name).related_model
    if applies_to == "document":
        return items.objects.filter(document__corpus=corpus)
    return items.objects.filter(annotation__document__corpus=corpus)


def attribute_get(*, corpus: Corpus, applies_to: str, key: str) -> AttributeType:
    """Return attribute `key` of `applies_to` items in the corpus's schema, or NotFound."""
    attribute = AttributeType.objects.filter(
        schema=corpus.schema_id, applies_to=applies_to, key=key
    ).first()
    if attribute is None:
        raise NotFound(f"No {applies_to[:20]} attribute {key[:100]!r} in this corpus's schema.")
    return attribute


def attribute_usage(
    *, corpus: Corpus, applies_to: str, key: str, value: Any = None
) -> dict[str, int]:
    """Return how many items hold attribute `key` (with `value` if given), in how many layers."""
    if applies_to not in ITEMS_OF:
        return {"items": 0, "layers": 0}
    items = _items(corpus, applies_to).filter(attributes__has_key=key)
    if applies_to == "document":  # layers hold a list of values: counted here, not in SQL
        held = items.values_list("attributes", flat=True).iterator()
        count = sum(value is None or value in _chosen(labels[key]) for labels in held)
        return {"items": count, "layers": count}
    if value is not None:
        items = items.alias(held=KeyTransform(key, "attributes")).filter(held=value)
    return usage_count(items)


def _chosen(held: Any) -> list:
    """The values a layer holds for a document label (a list; a yes/no one holds none)."""
    return held if isinstance(held, list) else []


def _several_held(corpus: Corpus, key: str) -> int:
    """How many layers hold more than one value of document label `key`."""
    held = _items(corpus, "document").filter(attributes__has_key=key)
    labels = held.values_list("attributes", flat=True)
    return sum(len(_chosen(chosen[key])) > 1 for chosen in labels)


def _values_dropped(corpus: Corpus, attribute: AttributeType, old: list[str], old_kind: str):
    """Refuse, with counts, a change that leaves values items hold outside the attribute."""
    key = attribute.key
    if attribute.applies_to != old_kind:
        usage = attribute_usage(corpus=corpus, applies_to=old_kind, key=key)
        if usage["items"]:
            raise field_invalid(
                "applies_to", f"{counts_text(usage)} of kind {old_kind} hold {key}: it stays."
            )
    if bool(old) != bool(attribute.values):  # yes/no <-> a set of values: every value changes
        usage = attribute_usage(corpus=corpus, applies_to=old_kind, key=key)
        if usage["items"]:
            was = "yes/no" if not old else "a set of values"
            raise field_invalid(
                "values", f"{counts_text(usage)} hold {key} as {was}: it must stay {was}."
            )
        return
    used = []
    for value in [value for value in old if value not in attribute.values]:
        usage = attribute_usage(corpus=corpus, applies_to=old_kind, key=key, value=value)
        if usage["items"]:
            used.append(f"{value} is held by {counts_text(usage)}")
    if used:
        raise field_invalid("values", f"cannot remove values items hold: {'; '.join(used)}.")


def attribute_save(
    *,
    corpus: Corpus,
    actor: Any,
    applies_to: str | None,
    key: str | None,
    fields: dict[str, str],
    values: list[str],
) -> AttributeType:
    """Add (key None, `fields` has key and applies_to) or edit an attribute.

    `values` are the values it allows, in order (none: a yes/no attribute).
    """
    with transaction.atomic():
        schema = corpus_schema_writable(corpus=corpus, actor=actor)
        if key is None:
            attribute = AttributeType(
                schema=schema,
                key=fields.get("key", "").strip(),
                order=schema.attribute_types.count(),
            )
            old_values, old_kind = [], None
        else:
            attribute = attribute_get(corpus=corpus, applies_to=applies_to or "", key=key)
            old_values, old_kind = list(attribute.values), attribute.applies_to
            old_multiple = attribute.multiple
        for name in ATTRIBUTE_EDITABLE:
            if name in fields:
                setattr(attribute, name, fields[name].strip())
        attribute.values = [value.strip() for value in values if value.strip()]
        attribute.multiple = fields.get("multiple") in ("on", "true", "1")
        row_clean(attribute)
        twin = schema.attribute_types.filter(applies_to=attribute.applies_to, key=attribute.key)
        if twin.exclude(pk=attribute.pk).exists():
            field = "key" if key is None else "applies_to"
            raise field_invalid(
                field, f"{attribute.applies_to} items have an attribute {attribute.key} already."
            )
        if old_kind is not None:
            _values_dropped(corpus, attribute, old_values, old_kind)
            several = _several_held(corpus, key) if old_multiple and not attribute.multiple else 0
            if several:
                raise field_invalid(
                    "multiple", f"{several} layers hold several values of {key}: it stays multiple."
                )
        attribute.save()
        allowed = ", ".join(attribute.values) or "yes/no"
        detail = f"{attribute.applies_to} attribute {attribute.key} ({allowed})"
        change_record(corpus, actor, "add" if key is None else "edit", detail)
    return attribute


def attribute_delete(
    *, corpus: Corpus, actor: Any, applies_to: str, key: str, with_items: bool
) -> str:
    """Delete an attribute; refuse while items hold it unless `with_items` removes it from them."""
    with transaction.atomic():
        corpus_schema_writable(corpus=corpus, actor=actor)
        attribute = attribute_get(corpus=corpus, applies_to=applies_to, key=key)
        usage = attribute_usage(corpus=corpus, applies_to=applies_to, key=key)
        counts = counts_text(usage)
        if usage["items"] and not with_items:
            raise InvalidInput(
                f"Attribute {key} is held by {counts}: tick 'remove it from items too' to delete"
                " it from them as well.",
                extra={**usage, "fields": {"with_items": f"held by {counts}"}},
            )
        holders = list(_items(corpus, applies_to).filter(attributes__has_key=key))
        for item in holders:
            del item.attributes[key]
        if holders:
            type(holders[0]).objects.bulk_update(holders, ["attributes"], batch_size=500)
        attribute.delete()
        change_record(corpus, actor, "delete", f"deleted {applies_to} attribute {key} ({counts})")
    return f"Deleted {applies_to} attribute {key} ({counts})."
