"""A schema's labels by key, read once, so turning keys into rows needs no more queries."""

from dataclasses import dataclass

from corpus.models import EntityType, EventRole, EventType, LabelSchema


@dataclass(frozen=True)
class LabelIndex:
    """A schema's types by key, to turn analysis labels into rows without queries."""

    entity_types: dict[str, EntityType]
    event_types: dict[str, EventType]
    roles: dict[tuple[str, str], EventRole]

    @classmethod
    def of(cls, schema: LabelSchema) -> "LabelIndex":
        roles = EventRole.objects.filter(event_type__schema=schema).select_related("event_type")
        return cls(
            entity_types={item.key: item for item in schema.entity_types.all()},
            event_types={item.key: item for item in schema.event_types.all()},
            roles={(role.event_type.key, role.key): role for role in roles},
        )
