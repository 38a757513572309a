"""What a layer holds, as one value: spans, events with their arguments, and relations.

Every path that reads or writes a layer's items goes through this type: pre-annotation,
opening a copy of the predictions, the editor's save, import, revision snapshots, export
and the pages. Labels are schema keys (`PER`, `Conflict.Attack`, `Attacker`), not rows.

Item ids are database ids once read or written; before a write they may be any key the
caller chose ("T1", "n7"), and arguments and relations refer to items by these ids.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ItemId = int | str | tuple[str, int]


@dataclass(slots=True)
class SpanItem:
    """An entity mention `[start, end)` in code points of the document text."""

    id: ItemId | None
    start: int
    end: int
    label: str
    source: str = "human"
    score: float | None = None
    accepted: bool = True
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(slots=True)
class ArgumentItem:
    """A role of an event, filled by a span or by another event of the same layer."""

    role: str
    span: ItemId | None = None
    target_event: ItemId | None = None
    index: int = 1
    source: str = "human"
    score: float | None = None
    id: int | None = None


@dataclass(slots=True)
class EventItem:
    """An event mention: a trigger `[trigger_start, trigger_end)` of an event type."""

    id: ItemId | None
    type: str
    trigger_start: int
    trigger_end: int
    source: str = "human"
    score: float | None = None
    accepted: bool = True
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    arguments: list[ArgumentItem] = field(default_factory=list)


@dataclass(slots=True)
class RelationItem:
    """A typed, directed relation between two spans of the same layer."""

    id: ItemId | None
    type: str
    head: ItemId
    tail: ItemId
    source: str = "human"
    score: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class LayerContent:
    """The items of one layer, spans and events in text order, and its document labels.

    `labels` are the schema's document attributes chosen for the whole document: `{key:
    [values]}` for a label with values, `{key: true/false}` for a yes/no one. None means
    "not given": a write leaves the layer's labels as they are.
    """

    spans: list[SpanItem] = field(default_factory=list)
    events: list[EventItem] = field(default_factory=list)
    relations: list[RelationItem] = field(default_factory=list)
    labels: dict[str, Any] | None = None
    # Filled by a write: the database id each item sent under another key ("n7") got, by kind.
    written_ids: dict[str, dict[ItemId, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def counts(self) -> Counter[str]:
        """Return how many spans, events, arguments and relations the layer holds."""
        return Counter(
            spans=len(self.spans),
            events=len(self.events),
            arguments=sum(len(event.arguments) for event in self.events),
            relations=len(self.relations),
        )

    @classmethod
    def from_exchange(cls, state: dict[str, Any]) -> "LayerContent":
        """Return the content a state in the exchange format holds (`exchange` undone)."""
        return cls(
            spans=[SpanItem(**span) for span in state["spans"]],
            events=[
                EventItem(**{**event, "arguments": [ArgumentItem(**a) for a in event["arguments"]]})
                for event in state["events"]
            ],
            relations=[RelationItem(**relation) for relation in state["relations"]],
            labels=dict(state["labels"]),
        )

    def exchange(self, *, version: int) -> dict[str, Any]:
        """Return the exchange format: what the editor GETs and PUTs back, and revisions keep."""
        return {
            "version": version,
            "spans": [_span_json(span) for span in self.spans],
            "events": [_event_json(event) for event in self.events],
            "relations": [_relation_json(relation) for relation in self.relations],
            "labels": self.labels or {},
        }


def _span_json(span: SpanItem) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "source": span.source,
        "score": span.score,
        "accepted": span.accepted,
        "attributes": span.attributes,
        "note": span.note,
    }


def _event_json(event: EventItem) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "trigger_start": event.trigger_start,
        "trigger_end": event.trigger_end,
        "source": event.source,
        "score": event.score,
        "accepted": event.accepted,
        "attributes": event.attributes,
        "note": event.note,
        "arguments": [
            {
                "id": argument.id,
                "role": argument.role,
                "span": argument.span,
                "target_event": argument.target_event,
                "index": argument.index,
                "source": argument.source,
                "score": argument.score,
            }
            for argument in event.arguments
        ],
    }


def _relation_json(relation: RelationItem) -> dict[str, Any]:
    return {
        "id": relation.id,
        "type": relation.type,
        "head": relation.head,
        "tail": relation.tail,
        "source": relation.source,
        "score": relation.score,
        "attributes": relation.attributes,
        "note": relation.note,
    }
