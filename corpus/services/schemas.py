"""Create label schemas from preset data files or schema files."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from config.errors import InvalidInput
from corpus.models import (
    AttributeType,
    Corpus,
    EntityType,
    EventRole,
    EventType,
    LabelSchema,
    RelationType,
)
from corpus.models.schema_formats import RELATION_PALETTE
from corpus.services.schema_check import schema_data_check
from formats.brat.conf import schema_data_from_conf

PRESETS_DIR = Path(__file__).resolve().parent.parent / "presets"


def schema_presets() -> list[str]:
    """Return the keys of the shipped presets (`ace2005`, `ontonotes`)."""
    return sorted(path.stem for path in PRESETS_DIR.glob("*.json"))


def schema_data_read(path: Path) -> dict[str, Any]:
    """Read a schema file, saying what is wrong and where when it cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the schema file ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path}, line {exc.lineno}: invalid JSON ({exc.msg})",
            extra={"file": str(path), "line": exc.lineno},
        ) from exc
    if not isinstance(data, dict) or not data.get("key") or not data.get("name"):
        raise InvalidInput(f"{path}: a schema needs a top-level object with 'key' and 'name'")
    return data


def schema_conf_read(path: Path) -> dict[str, Any]:
    """Read a brat annotation.conf as schema data, keyed by its folder's name."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the annotation.conf ({exc})") from exc
    folder = path.resolve().parent.name
    key = slugify(folder) or "brat"
    try:
        return schema_data_from_conf(text, key=key, name=f"{folder} (brat)")
    except InvalidInput as exc:
        raise InvalidInput(f"{path}, {exc.message}", extra=exc.extra) from exc


def schema_get_or_create(*, name_or_path: str) -> LabelSchema:
    """Return the schema for a preset key, a schema file or an annotation.conf (made once)."""
    if name_or_path in schema_presets():
        data = schema_data_read(PRESETS_DIR / f"{name_or_path}.json")
        preset = name_or_path
    else:
        path = Path(name_or_path)
        if not path.is_file():
            presets = ", ".join(schema_presets())
            raise InvalidInput(f"Unknown schema {name_or_path!r}: use one of {presets} or a file")
        data = schema_conf_read(path) if path.suffix == ".conf" else schema_data_read(path)
        preset = ""
    existing = LabelSchema.objects.filter(key=data["key"]).first()
    return existing or schema_create(data=data, preset=preset)


@transaction.atomic
def schema_create(*, data: dict[str, Any], preset: str = "") -> LabelSchema:
    """Create a schema with all its types from schema data (the preset file format).

    Every way a schema is made comes here, and the data is checked first
    (`schema_data_check`): InvalidInput lists every problem, and nothing is written.
    """
    data = schema_data_check(data=data)
    schema = LabelSchema.objects.create(
        key=data["key"], name=data["name"], description=data.get("description", ""), preset=preset
    )
    created = EntityType.objects.bulk_create(
        EntityType(
            schema=schema,
            order=order,
            **_fields(item, "key", "name", "description", "examples", "color", "hotkey"),
            spacy_labels=item.get("spacy_labels", []),
            subtypes=item.get("subtypes", []),
            nominals=item.get("nominals", []),
        )
        for order, item in enumerate(data.get("entity_types", []))
    )
    entity_types = {item.key: item for item in created}
    event_items = data.get("event_types", [])
    event_types = EventType.objects.bulk_create(
        EventType(
            schema=schema,
            order=order,
            **_fields(item, "key", "name", "group", "description", "examples", "color", "hotkey"),
            triggers=item.get("triggers", []),
        )
        for order, item in enumerate(event_items)
    )
    role_items = [
        (
            EventRole(
                event_type=event_type,
                order=role_order,
                **_fields(role_item, "key", "name", "description"),
                syntax=role_item.get("syntax", []),
            ),
            role_item,
        )
        for event_type, item in zip(event_types, event_items, strict=True)
        for role_order, role_item in enumerate(item.get("roles", []))
    ]
    fillers = [
        _lookup(entity_types, role_item.get("entity_types", []), where=str(role))
        for role, role_item in role_items
    ]
    roles = EventRole.objects.bulk_create(role for role, _ in role_items)
    EventRole.entity_types.through.objects.bulk_create(
        EventRole.entity_types.through(eventrole_id=role.pk, entitytype_id=entity_type.pk)
        for role, types in zip(roles, fillers, strict=True)
        for entity_type in dict.fromkeys(types)  # once each, as `.set()` did
    )
    relation_items = data.get("relation_types", [])
    arguments = [
        (
            _lookup(entity_types, item.get("arg1_types", []), f"relation {item['key']}"),
            _lookup(entity_types, item.get("arg2_types", []), f"relation {item['key']}"),
        )
        for item in relation_items
    ]
    relation_types = RelationType.objects.bulk_create(
        RelationType(
            schema=schema,
            order=order,
            **{
                "color": RELATION_PALETTE[order % len(RELATION_PALETTE)],  # when it has none
                **_fields(item, "key", "name", "group", "description", "color", "hotkey"),
            },
        )
        for order, item in enumerate(relation_items)
    )
    for field, side in (("arg1_types", 0), ("arg2_types", 1)):
        through = getattr(RelationType, field).through
        through.objects.bulk_create(
            through(relationtype_id=relation.pk, entitytype_id=entity_type.pk)
            for relation, types in zip(relation_types, arguments, strict=True)
            for entity_type in dict.fromkeys(types[side])
        )
    AttributeType.objects.bulk_create(
        AttributeType(
            schema=schema,
            order=order,
            **_fields(
                item, "key", "name", "description", "applies_to", "values", "default", "multiple"
            ),
        )
        for order, item in enumerate(data.get("attribute_types", []))
    )
    return schema


def _fields(item: dict[str, Any], *names: str) -> dict[str, Any]:
    """Pick the given keys of a schema item that are present (the model has defaults)."""
    fields = {name: item[name] for name in names if name in item and item[name] is not None}
    fields.setdefault("name", item["key"])
    return fields


def _lookup(entity_types: dict[str, EntityType], keys: list[str], where: str) -> list[EntityType]:
    unknown = [key for key in keys if key not in entity_types]
    if unknown:
        raise InvalidInput(f"{where}: unknown entity types {', '.join(unknown)}")
    return [entity_types[key] for key in keys]


def schema_data_dump(schema: LabelSchema) -> dict[str, Any]:
    """Return a schema as schema data (the preset file format), to copy or save it."""
    entity_fields = ("key", "name", "description", "examples", "color", "hotkey")
    entity_fields += ("spacy_labels", "subtypes", "nominals")
    event_fields = ("key", "name", "group", "description", "examples", "color", "hotkey")
    return {
        "key": schema.key,
        "name": schema.name,
        "description": schema.description,
        "entity_types": [_pick(item, entity_fields) for item in schema.entity_types.all()],
        "event_types": [
            {
                **_pick(item, (*event_fields, "triggers")),
                "roles": [
                    {
                        **_pick(role, ("key", "name", "description", "syntax")),
                        "entity_types": [t.key for t in role.entity_types.all()],
                    }
                    for role in item.roles.all()
                ],
            }
            for item in schema.event_types.prefetch_related("roles__entity_types")
        ],
        "relation_types": [
            {
                **_pick(item, ("key", "name", "group", "description", "color", "hotkey")),
                "arg1_types": [t.key for t in item.arg1_types.all()],
                "arg2_types": [t.key for t in item.arg2_types.all()],
            }
            for item in schema.relation_types.prefetch_related("arg1_types", "arg2_types")
        ],
        "attribute_types": [
            _pick(
                item, ("key", "name", "description", "applies_to", "values", "default", "multiple")
            )
            for item in schema.attribute_types.all()
        ],
    }


@transaction.atomic
def corpus_schema_own(corpus: Corpus) -> LabelSchema:
    """Return a schema `corpus` alone uses, copying a shared one first, so it can change.

    A preset (ace2005, ontonotes) is always copied: new corpora must get it as shipped. A
    corpus whose documents already have layers keeps its schema: they refer to its types.
    """
    schema = corpus.schema
    shared = schema.corpora.exclude(pk=corpus.pk)
    if not schema.preset and not shared.exists():
        return schema
    if corpus.documents.filter(annotations__isnull=False).exists():
        users = ", ".join(shared.values_list("slug", flat=True)) or "new corpora"
        raise InvalidInput(
            f"Schema {schema.key} is shared with {users}, and {corpus.slug} already has"
            " annotations in it: map the labels instead of adding them"
        )
    data = schema_data_dump(schema)
    data["key"] = _free_key(f"{schema.key}-{corpus.slug}")
    data["name"] = f"{schema.name} ({corpus.slug})"
    corpus.schema = schema_create(data=data, preset=schema.preset)
    corpus.save(update_fields=["schema"])
    return corpus.schema


def _pick(item: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in names}


def _free_key(key: str) -> str:
    key = key[:90]
    candidate, number = key, 1
    while LabelSchema.objects.filter(key=candidate).exists():
        number += 1
        candidate = f"{key}-{number}"
    return candidate
