"""Turn the annotations a record came with into an unsaved layer, reporting what cannot be kept.

Span labels that name an event type become event triggers; a relation from a trigger whose
type is a role of that event becomes an argument. Every item left out gets a warning on
the record, with the source's line and id.
"""

from collections import Counter

from annotations.content import ArgumentItem, EventItem, LayerContent, RelationItem, SpanItem
from annotations.models import Source
from annotations.services.layers.attributes import attribute_value_fixed
from annotations.services.layers.document_labels import labels_parse
from annotations.services.layers.fields import Problems
from annotations.services.layers.schema_rules import SchemaRules
from corpus.models import EventType
from formats.records import ArticleRecord, EventRecord, RelationRecord, SpanRecord
from imports.services.labels import LabelResolver


class DraftBuilder:
    """Build one record's layer draft against the schema (shared by every record)."""

    def __init__(self, resolver: LabelResolver, rules: SchemaRules, *, gold: bool) -> None:
        self.resolver = resolver
        self.rules = rules
        self.gold = gold
        self.missing: Counter[str] = Counter()
        # Span label → (id, key) of its entity type, as the resolver found it.
        self.entity_types: dict[str, tuple[int, str]] = {}
        self.unscored = self.provenance_of(None)  # most items'

    def build(self, record: ArticleRecord) -> LayerContent:
        return _Build(self, record).run()

    def provenance_of(self, score: float | None) -> tuple[str, bool, float | None]:
        """(source, accepted, score) of an imported item: gold is human and accepted; anything
        else a model's proposal, with its score when it is a probability. The source is the
        plain string, which the database driver binds faster than the enum's member."""
        if self.gold:
            return Source.HUMAN.value, True, None
        return Source.MODEL.value, False, score if score is not None and 0 < score <= 1 else None


class _Build:
    """The state of building one record's draft: refs seen so far and what was left out."""

    def __init__(self, builder: DraftBuilder, record: ArticleRecord) -> None:
        self.builder = builder
        self.resolver = builder.resolver
        self.record = record
        self.length = len(record.text)
        self.draft = LayerContent()
        self.event_types: list[EventType] = []  # of each event of the draft, for its roles
        self.refs: dict[str, tuple[str, int]] = {}
        self.span_keys: dict[tuple[int, int, int], int] = {}
        self.left_out: Counter[str] = Counter()

    def run(self) -> LayerContent:
        annotations = self.record.annotations
        for span in annotations.spans:
            self._span(span)
        for event in annotations.events:
            self._event(event)
        for event in annotations.events:
            self._arguments(event)
        for relation in annotations.relations:
            self._relation(relation)
        if annotations.labels:
            self.draft.labels = self._labels(annotations.labels)
        for what, count in self.left_out.items():
            items = "item" if count == 1 else "items"
            self.record.warn(
                f"{what} is not in the schema: {count} {items} not imported"
                " (map the label or add it to the schema)"
            )
            self.builder.missing[what] += count
        return self.draft

    def _offsets_ok(self, item: SpanRecord | EventRecord, what: str) -> bool:
        if 0 <= item.start < item.end <= len(self.record.text):
            return True
        what = what or _name(item.ref, item.label)
        self.record.warn(f"{what} has offsets {item.start}-{item.end} outside the text", item.line)
        return False

    def _span(self, item: SpanRecord) -> None:
        # The hot path of an annotated import: one call per span, so names are only made
        # for a warning, empty attributes are not checked, and an entity type's id and key
        # are looked up once per label for the whole import.
        start, end, label = item.start, item.end, item.label
        if not 0 <= start < end <= self.length:
            self._offsets_ok(item, "")  # says what is wrong
            return
        builder = self.builder
        entity = builder.entity_types.get(label)
        if entity is None:
            found = self.resolver.span_type(label)
            if found is None:
                self.left_out[f"span label {label!r}"] += 1
                return
            if isinstance(found, EventType):
                self._add_event(item, found)
                return
            entity = builder.entity_types[label] = (found.pk, found.key)
        key = (start, end, entity[0])
        number = self.span_keys.get(key)
        if number is None:
            attributes = item.attributes
            if attributes:
                attributes = self._attributes(
                    attributes, "entity", _name(item.ref, label), item.line
                )
            spans = self.draft.spans
            number = self.span_keys[key] = len(spans)
            score = item.score
            source, accepted, score = (
                builder.unscored if score is None else builder.provenance_of(score)
            )
            spans.append(
                SpanItem(number, start, end, entity[1], source, score, accepted,
                         attributes or {}, item.note)
            )  # fmt: skip
        self.refs[item.ref] = ("span", number)

    def _event(self, item: EventRecord) -> None:
        if not 0 <= item.start < item.end <= self.length:
            self._offsets_ok(item, _name(item.ref, item.label))  # says what is wrong
            return
        found = self.resolver.span_type(item.label, as_event=True)
        if isinstance(found, EventType):
            self._add_event(item, found)
        else:
            self.left_out[f"event type {item.label!r}"] += 1

    def _add_event(self, item: SpanRecord | EventRecord, event_type: EventType) -> None:
        attributes = item.attributes
        if attributes:
            name = _name(item.ref, item.label)
            attributes = self._attributes(attributes, "event", name, item.line)
        builder, score = self.builder, item.score
        source, accepted, score = (
            builder.unscored if score is None else builder.provenance_of(score)
        )
        events = self.draft.events
        events.append(
            EventItem(len(events), event_type.key, item.start, item.end, source, score, accepted,
                      attributes or {}, item.note)
        )  # fmt: skip
        self.event_types.append(event_type)
        if item.ref:
            self.refs[item.ref] = ("event", len(self.draft.events) - 1)

    def _arguments(self, item: EventRecord) -> None:
        if self.refs.get(item.ref, ("", 0))[0] != "event":
            return
        event = self.refs[item.ref][1]
        for argument in item.arguments:
            self._argument(event, argument.role, argument.ref, argument.index, item.line)

    def _argument(self, event: int, label: str, ref: str, index: int | None, line) -> bool:
        event_type = self.event_types[event]
        role = self.resolver.role(event_type, label)
        if role is None:
            self.left_out[f"role {label!r} of {event_type.key}"] += 1
            return False
        if ref not in self.refs:
            self.record.warn(f"{label} argument refers to {ref!r}, which was not imported", line)
            return False
        kind, target = self.refs[ref]
        if kind == "span":
            allowed = self.builder.rules.fillers.get((event_type.key, role.key), [])
            filler = self.draft.spans[target]
            if allowed and filler.label not in allowed:
                self.record.warn(
                    f"role {role.key} of {event_type.key} takes {', '.join(allowed)}, not"
                    f" {filler.label} ({ref}); argument left out",
                    line,
                )
                return False
        if kind == "event" and target == event:
            self.record.warn(f"event {ref} cannot be its own {label} argument", line)
            return False
        item = self.draft.events[event]
        same = [argument for argument in item.arguments if argument.role == role.key]
        filled = {"span": target} if kind == "span" else {"target_event": target}
        wanted = (filled.get("span"), filled.get("target_event"))
        if any((argument.span, argument.target_event) == wanted for argument in same):
            return True
        index = index if index and index > len(same) else len(same) + 1
        item.arguments.append(ArgumentItem(role.key, index=index, source=item.source, **filled))
        return True

    def _relation(self, item: RelationRecord) -> None:
        head, tail = self.refs.get(item.head), self.refs.get(item.tail)
        if head and head[0] == "event":
            event_type = self.event_types[head[1]]
            if self.resolver.has_role(event_type, item.label) or self.resolver.add_labels:
                self._argument(head[1], item.label, item.tail, None, item.line)
                return
        if head is None or tail is None:
            missing = item.head if head is None else item.tail
            self.record.warn(
                f"relation {_name(item.ref, item.label)} refers to {missing!r}, which was not"
                " imported",
                item.line,
            )
            return
        if head[0] != "span" or tail[0] != "span":
            self.record.warn(
                f"relation {_name(item.ref, item.label)} links an event; only spans can be"
                " related (an event's arguments must be roles of its type)",
                item.line,
            )
            return
        relation_type = self.resolver.relation_type(item.label)
        if relation_type is None:
            self.left_out[f"relation type {item.label!r}"] += 1
            return
        if head[1] == tail[1]:
            self.record.warn(f"relation {_name(item.ref, item.label)} links a span to itself")
            return
        if any(
            (r.type, r.head, r.tail) == (relation_type.key, head[1], tail[1])
            for r in self.draft.relations
        ):
            return
        self.draft.relations.append(
            RelationItem(
                id=len(self.draft.relations),
                type=relation_type.key,
                head=head[1],
                tail=tail[1],
                source=self.draft.spans[head[1]].source,
                attributes=dict(item.attributes),
                note=item.note,
            )
        )

    def _attributes(self, attributes: dict, applies_to: str, name: str, line) -> dict:
        kept = {}
        for key, value in attributes.items():
            allowed = self.builder.rules.attribute_values.get((applies_to, key))
            if allowed and value not in allowed:
                self.record.warn(
                    f"{name}: attribute {key}={value!r} is not one of {', '.join(allowed)};"
                    " left out",
                    line,
                )
            else:
                kept[key] = value
        return kept

    def _labels(self, labels: dict) -> dict:
        """Return the document labels the schema takes, warning about each one left out.

        Of a label with values, the values the schema has are kept (in its spelling when
        only the case differs) and the others said.
        """
        rules = self.builder.rules
        taken = {}
        for key, value in labels.items():
            allowed = rules.attributes.get(("document", key))
            if allowed and isinstance(value, list):
                value = [attribute_value_fixed(rules, "document", key, item) for item in value]
                unknown = ", ".join(repr(item) for item in value if item not in allowed)
                if unknown:
                    self.record.warn(
                        f"document label left out: {key} has no value {unknown};"
                        f" its values are {', '.join(allowed)}"
                    )
                value = [item for item in value if item in allowed]
            taken[key] = value
        problems = Problems()
        kept = labels_parse(taken, rules, problems)
        for problem in problems:
            self.record.warn(f"document label left out: {problem['message']}")
        return kept


def _name(ref: str, label: str) -> str:
    return f"{ref} ({label})" if ref else repr(label)
