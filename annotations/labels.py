"""A schema's label keys and the ids of their rows, read in one query."""

from dataclasses import dataclass, field

from django.db.models import CharField, Value

from corpus.models import EntityType, EventRole, EventType, LabelSchema, RelationType


@dataclass
class LabelIndex:
    """A schema's entity types, event types, roles and relation types: key → row id.

    Each dict is in schema order (`order`, then key), as messages list them. Roles are
    keyed by (event type key, role key); `role_order` gives each role's place among its
    event's roles, the order in which arguments are shown.
    """

    entity_types: dict[str, int] = field(default_factory=dict)
    event_types: dict[str, int] = field(default_factory=dict)
    roles: dict[tuple[str, str], int] = field(default_factory=dict)
    role_order: dict[tuple[str, str], int] = field(default_factory=dict)
    relation_types: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, schema: LabelSchema | int) -> "LabelIndex":
        """Return the index of a schema (or of its id)."""
        schema_id = getattr(schema, "pk", schema)
        rows = _rows(EntityType.objects.filter(schema_id=schema_id), "entity").union(
            _rows(EventType.objects.filter(schema_id=schema_id), "event"),
            _rows(EventRole.objects.filter(event_type__schema_id=schema_id), "role"),
            _rows(RelationType.objects.filter(schema_id=schema_id), "relation"),
            all=True,
        )
        index = cls()
        for kind, owner, key, pk, order in sorted(rows, key=lambda row: (row[4], row[2])):
            if kind == "role":
                index.roles[owner, key] = pk
                index.role_order[owner, key] = order
            else:
                getattr(index, f"{kind}_types")[key] = pk
        return index

    @classmethod
    def from_rows(cls, *, entity_types, event_types, roles, relation_types) -> "LabelIndex":
        """Return the index of label rows already in hand (EntityType, ..., EventRole)."""
        return cls(
            entity_types={item.key: item.pk for item in entity_types},
            event_types={item.key: item.pk for item in event_types},
            roles={(role.event_type.key, role.key): role.pk for role in roles},
            role_order={(role.event_type.key, role.key): role.order for role in roles},
            relation_types={item.key: item.pk for item in relation_types},
        )


def _rows(queryset, kind: str):
    """The rows of one label kind as (kind, event type key or "", key, id, order)."""
    owner = "event_type__key" if kind == "role" else Value("", output_field=CharField())
    kind_value = Value(kind, output_field=CharField())
    return queryset.order_by().values_list(kind_value, owner, "key", "pk", "order")
