"""What a layer's content must agree with: the schema's types, role fillers, attribute values."""

from dataclasses import dataclass

from annotations.labels import LabelIndex
from corpus.models import AttributeType, EventRole, LabelSchema


@dataclass(frozen=True)
class SchemaRules:
    """A schema read once (five queries), so checking a large layer needs no more."""

    labels: LabelIndex
    fillers: dict[tuple[str, str], list[str]]
    attribute_values: dict[tuple[str, str], list[str]]

    @classmethod
    def of(cls, schema: LabelSchema) -> "SchemaRules":
        fillers: dict[tuple[str, str], list[str]] = {}
        allowed = (
            EventRole.entity_types.through.objects.filter(eventrole__event_type__schema=schema)
            .order_by("entitytype__order", "entitytype__key")
            .values_list("eventrole__event_type__key", "eventrole__key", "entitytype__key")
        )
        for event_type, role, entity_type in allowed:
            fillers.setdefault((event_type, role), []).append(entity_type)
        closed = AttributeType.objects.filter(schema=schema).exclude(values=[])
        return cls(
            labels=LabelIndex.of(schema),
            fillers=fillers,
            attribute_values={
                (attribute.applies_to, attribute.key): list(attribute.values)
                for attribute in closed
            },
        )

    def role_keys(self, event_type: str) -> list[str]:
        """Return the role keys of `event_type`, in schema order."""
        return [role for (owner, role) in self.labels.roles if owner == event_type]
