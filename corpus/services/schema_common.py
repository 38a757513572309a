"""What the schema editor's services share: label lookup, usage counts, field errors, the record.

Annotation items are reached through the reverse relations of the schema's types (`spans`,
`events`, `arguments`, `relations`): corpus may not import annotations.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string

from config.errors import InvalidInput, NotFound
from corpus.models import Corpus, EntityType, EventType, SchemaChange

INK = "#1d232a"  # the text colour labels are drawn with (goldset.css --ink)
CONTRAST_MIN = 4.5  # WCAG AA for normal text
KINDS = {"entity": EntityType, "event": EventType}


def contrast_ratio(colour: str, text: str = INK) -> float:
    """Return the WCAG contrast ratio of `text` on a `colour` background (1 to 21)."""

    def luminance(value: str) -> float:
        channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(text)), reverse=True)
    return round((light + 0.05) / (dark + 0.05), 2)


def label_items(label: Any, corpus: Corpus) -> QuerySet:
    """Return the corpus's items of `label` (spans of an entity type, events of an event type)."""
    related = label.spans if isinstance(label, EntityType) else label.events
    return related.filter(annotation__document__corpus=corpus)


def items_deleted_notify(documents: list[int]) -> None:
    """Tell the apps in `settings.SCHEMA_ITEMS_DELETED` that items of `documents` were deleted."""
    for path in settings.SCHEMA_ITEMS_DELETED:
        import_string(path)(documents)


def label_get(*, corpus: Corpus, kind: str, key: str) -> Any:
    """Return the entity or event type `key` of the corpus's schema, or raise NotFound."""
    if kind not in KINDS:
        raise InvalidInput(f"kind: expected entity or event, got {kind[:40]!r}.")
    label = KINDS[kind].objects.filter(schema=corpus.schema_id, key=key).first()
    if label is None:
        raise NotFound(f"No {kind} type {key[:100]!r} in this corpus's schema.")
    return label


def usage_count(items: QuerySet, layer: str = "annotation_id") -> dict[str, int]:
    """Return how many `items` there are and in how many layers (`layer` names the layer id)."""
    return {"items": items.count(), "layers": items.values(layer).distinct().count()}


def counts_text(usage: dict[str, int], noun: str = "item") -> str:
    """Return "3 arguments in 2 layers" for a usage count."""
    items, layers = usage["items"], usage["layers"]
    return (
        f"{items} {noun}{'' if items == 1 else 's'} in {layers} layer{'' if layers == 1 else 's'}"
    )


def change_record(corpus: Corpus, actor: Any, action: str, detail: str) -> None:
    """Record one schema edit of the corpus (shown on the schema page)."""
    SchemaChange.objects.create(corpus=corpus, actor=actor, action=action[:20], detail=detail)


def field_invalid(field: str, message: str) -> InvalidInput:
    """Return InvalidInput for one form field: the page shows `message` on that field."""
    return InvalidInput(f"{field.replace('_', ' ')}: {message}", extra={"fields": {field: message}})


def row_clean(row: Model, *, exclude: list[str] | None = None, names: dict | None = None) -> None:
    """Check a schema row's fields (formats, lengths); raise InvalidInput with field errors.

    `names` maps a model field to the form field that shows its error; errors that belong to
    no field (constraints) are shown on the key.
    """
    try:
        row.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as problem:
        errors: dict[str, str] = {}
        for field, messages in problem.message_dict.items():
            shown = "key" if field == NON_FIELD_ERRORS else (names or {}).get(field, field)
            errors[shown] = " ".join(dict.fromkeys([errors.get(shown, ""), *messages])).strip()
        raise InvalidInput(
            "; ".join(f"{field.replace('_', ' ')}: {text}" for field, text in errors.items()),
            extra={"fields": errors},
        ) from problem


def entity_types_pick(
    *, corpus: Corpus, keys: list[str], field: str = "entity_types"
) -> list[EntityType]:
    """Return the corpus schema's entity types of `keys`; unknown keys are a field error."""
    keys = [key for key in dict.fromkeys(keys) if key]
    found = {item.key: item for item in corpus.schema.entity_types.filter(key__in=keys)}
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise field_invalid(field, f"unknown entity types {', '.join(unknown)[:200]}.")
    return [found[key] for key in keys]
