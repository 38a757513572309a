"""What a layer's content must agree with: the schema's types, role fillers, attribute values."""

from dataclasses import dataclass

from annotations.labels import LabelIndex
from corpus.models import AttributeType, EventRole, LabelSchema


@dataclass(frozen=True)
class SchemaRules:
    """A schema read once (five queries), so checking a large layer needs no more."""

    labels: LabelIndex
    fillers: dict[tuple[str, str], list[str]]
    attribute_values: dict[tuple[str, str], list[str]]  # the closed ones only
    attributes: dict[tuple[str, str], list[str]]  # every one; no values: a yes/no attribute

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
        attributes = {
            (applies_to, key): list(values)
            for applies_to, key, values in AttributeType.objects.filter(schema=schema)
            .order_by("applies_to", "order", "key")
            .values_list("applies_to", "key", "values")
        }
        return cls(
            labels=LabelIndex.of(schema),
            fillers=fillers,
            attribute_values={key: values for key, values in attributes.items() if values},
            attributes=attributes,
        )

    def role_keys(self, event_type: str) -> list[str]:
        """Return the role keys of `event_type`, in schema order."""
        return [role for (owner, role) in self.labels.roles if owner == event_type]
