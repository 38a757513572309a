"""What a layer's content must agree with: the schema's types, role fillers, attribute values."""

from dataclasses import dataclass

from django.core.cache import caches

from annotations.labels import LabelIndex
from corpus.models import AttributeType, Corpus, EventRole, LabelSchema
from corpus.selectors import relation_end_types, schema_stamp

# What a save answers for a relation whose head or tail has a type the relation does not
# take. The editor shows the same text (RELATION_END_REFUSED in static/goldset/js/relation-state.js;
# tests/annotations/test_relation_message.py keeps the two equal).
RELATION_END_REFUSED = 'Relation {type} takes {allowed} as its {end}, not {label} ("{text}").'


def either(keys: list[str]) -> str:
    """Return keys as a message lists alternatives: "PER", "PER or ORG", "PER, ORG or GPE"."""
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"


@dataclass(frozen=True)
class SchemaRules:
    """A schema read once (six queries), so checking a large layer needs no more."""

    labels: LabelIndex
    fillers: dict[tuple[str, str], list[str]]
    # relation type key -> the entity types its head and its tail take (empty: any)
    relation_ends: dict[str, tuple[list[str], list[str]]]
    attribute_values: dict[tuple[str, str], list[str]]  # the closed ones only
    attributes: dict[tuple[str, str], list[str]]  # every one; no values: a yes/no attribute
    multiple: frozenset[str] = frozenset()  # document labels that take several values

    @classmethod
    def of_corpus(cls, corpus: Corpus, *, stamp: str | None = None) -> "SchemaRules":
        """Return the rules of the corpus's schema, read once per schema edit (one query,
        none when the caller has read the stamp).

        They are kept in the `layers` cache under the schema's stamp (`schema_stamp`), which
        every edit of the schema changes.
        """
        key = f"schema-rules:{stamp or schema_stamp(corpus)}"
        rules = caches["layers"].get(key)
        if rules is None:
            rules = cls.of(corpus.schema)
            caches["layers"].set(key, rules)
        return rules

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
        labels = LabelIndex.of(schema)
        relation_ends = relation_end_types(schema, labels.relation_types)
        rows = (
            AttributeType.objects.filter(schema=schema)
            .order_by("applies_to", "order", "key")
            .values_list("applies_to", "key", "values", "multiple")
        )
        attributes, multiple = {}, set()
        for applies_to, key, values, several in rows:
            attributes[applies_to, key] = list(values)
            if several and applies_to == AttributeType.AppliesTo.DOCUMENT:
                multiple.add(key)
        return cls(
            labels=labels,
            fillers=fillers,
            relation_ends=relation_ends,
            attribute_values={key: values for key, values in attributes.items() if values},
            attributes=attributes,
            multiple=frozenset(multiple),
        )

    def role_keys(self, event_type: str) -> list[str]:
        """Return the role keys of `event_type`, in schema order."""
        return [role for (owner, role) in self.labels.roles if owner == event_type]
