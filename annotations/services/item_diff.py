"""What a save leaves as it was: items whose every stored field is the same as before.

A save sends the whole layer, but an annotator changes one label at a time. The items that
come back with their id and unchanged are neither deleted nor written again; only the
others are (`annotations.services.item_rows`), so a save costs what it changes.
"""

from dataclasses import dataclass, field

from annotations.content import LayerContent
from annotations.models import Annotation


@dataclass
class Unchanged:
    """Ids of the items, by kind, that a write leaves in place."""

    spans: set[int] = field(default_factory=set)
    events: set[int] = field(default_factory=set)
    arguments: set[int] = field(default_factory=set)
    relations: set[int] = field(default_factory=set)


def items_unchanged(pairs, before: dict[int, LayerContent]) -> Unchanged:
    """The items of `pairs` (layer, content) that their layer holds exactly so in `before`."""
    unchanged = Unchanged()
    for layer, content in pairs:
        held = before.get(layer.pk)
        if held is None:
            continue
        gold = layer.kind == Annotation.Kind.GOLD
        spans = {span.id: _span(span, gold) for span in held.spans}
        for span in content.spans:
            if isinstance(span.id, int) and spans.pop(span.id, None) == _span(span, gold):
                unchanged.spans.add(span.id)
        events = {event.id: _event(event, gold) for event in held.events}
        arguments = {
            argument.id: _argument(event.id, argument)
            for event in held.events
            for argument in event.arguments
        }
        for event in content.events:
            if isinstance(event.id, int) and events.pop(event.id, None) == _event(event, gold):
                unchanged.events.add(event.id)
            for argument in event.arguments:
                same = arguments.pop(argument.id, None) == _argument(event.id, argument)
                if isinstance(argument.id, int) and same:
                    unchanged.arguments.add(argument.id)
        relations = {relation.id: _relation(relation) for relation in held.relations}
        for relation in content.relations:
            if isinstance(relation.id, int) and relations.pop(relation.id, None) == _relation(
                relation
            ):
                unchanged.relations.add(relation.id)
    return unchanged


def _span(span, gold: bool) -> tuple:
    return (span.start, span.end, span.label, span.source, span.score, span.accepted or gold,
            span.attributes, span.note)  # fmt: skip


def _event(event, gold: bool) -> tuple:
    return (event.type, event.trigger_start, event.trigger_end, event.source, event.score,
            event.accepted or gold, event.attributes, event.note)  # fmt: skip


def _argument(event_id, argument) -> tuple:
    return (event_id, argument.role, argument.span, argument.target_event, argument.index,
            argument.source, argument.score)  # fmt: skip


def _relation(relation) -> tuple:
    return (relation.type, relation.head, relation.tail, relation.source, relation.score,
            relation.attributes, relation.note)  # fmt: skip
