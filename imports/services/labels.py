"""Source labels onto the corpus schema: through the owner's mapping, by key, or added.

Keys are matched exactly first, then ignoring case and the separators formats disagree on
(`Conflict:Attack`, `Conflict.Attack`, `conflict_attack`). A label still unknown is added
to the schema when the owner asked for it; otherwise the caller reports it.
"""

import re

from annotations.labels import LabelIndex
from corpus.models import EntityType, EventRole, EventType, LabelSchema, RelationType
from corpus.models.schema_formats import NAME_MAX_LENGTH

SEPARATORS = re.compile(r"[\s.:_\-]+")
KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:\-]+")


def fold(label: str) -> str:
    """Return the label without case and separators, for lenient matching."""
    return SEPARATORS.sub("", label).casefold()


class LabelResolver:
    """Find (or add) the schema type for each source label, remembering what it added."""

    def __init__(self, schema: LabelSchema, *, label_map: dict[str, str], add_labels: bool) -> None:
        self.schema = schema
        self.label_map = label_map
        self.add_labels = add_labels
        self.entity_types = _index(schema.entity_types.all())
        self.event_types = _index(schema.event_types.all())
        self.relation_types = _index(schema.relation_types.all())
        roles = EventRole.objects.filter(event_type__schema=schema).select_related("event_type")
        self.roles: dict[str, dict[str, EventRole]] = {}
        for role in roles:
            self.roles.setdefault(role.event_type.key, {})[role.key] = role
            self.roles[role.event_type.key].setdefault(fold(role.key), role)
        self.added: list[str] = []
        self._labels: LabelIndex | None = None
        self._labels_added = 0
        self._span_types: dict[tuple[str, bool], EntityType | EventType | None] = {}

    def labels(self) -> LabelIndex:
        """Return the schema's labels as they are now, those added so far included."""
        if self._labels is None or self._labels_added != len(self.added):
            self._labels = LabelIndex.from_rows(
                entity_types=set(self.entity_types.values()),
                event_types=set(self.event_types.values()),
                roles=[role for roles in self.roles.values() for role in set(roles.values())],
                relation_types=set(self.relation_types.values()),
            )
            self._labels_added = len(self.added)
        return self._labels

    def mapped(self, label: str) -> str:
        return self.label_map.get(label, label)

    def entity_type(self, label: str) -> EntityType | None:
        return _find(self.entity_types, self.mapped(label))

    def event_type(self, label: str) -> EventType | None:
        return _find(self.event_types, self.mapped(label))

    def span_type(self, label: str, *, as_event: bool = False) -> EntityType | EventType | None:
        """Return the entity type (or else event type) of a span label, adding one if asked.

        Answers are remembered per label: an import asks about the same few labels for
        every one of its spans.
        """
        key = (label, as_event)
        if key in self._span_types:
            return self._span_types[key]
        found = self.event_type(label) if as_event else self.entity_type(label)
        found = found or (None if as_event else self.event_type(label))
        if found is None and self.add_labels:
            found = self._add_event_type(label) if as_event else self._add_entity_type(label)
        self._span_types[key] = found
        return found

    def role(self, event_type: EventType, label: str) -> EventRole | None:
        roles = self.roles.get(event_type.key, {})
        key = self.mapped(label)
        found = roles.get(key) or roles.get(fold(key))
        if found is None and self.add_labels:
            found = self._add_role(event_type, label)
        return found

    def has_role(self, event_type: EventType, label: str) -> bool:
        roles = self.roles.get(event_type.key, {})
        key = self.mapped(label)
        return key in roles or fold(key) in roles

    def relation_type(self, label: str) -> RelationType | None:
        found = _find(self.relation_types, self.mapped(label))
        if found is None and self.add_labels:
            found = self._add_type(RelationType, self.relation_types, label, "relation type")
        return found

    def _add_entity_type(self, label: str) -> EntityType:
        return self._add_type(EntityType, self.entity_types, label, "entity type")

    def _add_event_type(self, label: str) -> EventType:
        return self._add_type(EventType, self.event_types, label, "event type")

    def _add_type(self, model, index: dict, label: str, kind: str):
        created = model.objects.create(
            schema=self.schema,
            key=_key(self.mapped(label)),
            name=_name(self.mapped(label)),
            order=len(index),
        )
        return self._remember(index, created, kind)

    def _add_role(self, event_type: EventType, label: str) -> EventRole:
        roles = self.roles.setdefault(event_type.key, {})
        role = EventRole.objects.create(
            event_type=event_type,
            key=_key(self.mapped(label)),
            name=_name(self.mapped(label)),
            order=len(roles),
        )
        roles[role.key] = roles[fold(role.key)] = role
        self.added.append(f"role {role.key} of {event_type.key}")
        return role

    def _remember(self, index: dict, created, kind: str):
        index[created.key] = index[fold(created.key)] = created
        self.added.append(f"{kind} {created.key}")
        return created


def _index(items) -> dict:
    index = {}
    for item in items:
        index[item.key] = item
        index.setdefault(fold(item.key), item)
    return index


def _find(index: dict, label: str):
    return index.get(label) or index.get(fold(label))


def _key(label: str) -> str:
    """Turn a label into a valid schema key (letters, digits, `_ . : -`)."""
    key = KEY_UNSAFE.sub("_", label.strip()).strip("_.:-")
    return key[:100] or "label"


def _name(label: str) -> str:
    """A display name for a label an import adds: one line, within the schema's limit."""
    return " ".join(label.split())[:NAME_MAX_LENGTH] or "label"
