"""Merge the layers of one document into candidates for gold, and choose among them (no ORM).

Voters are the layers compared: each submitted annotator layer (by username) and, when
given, "model" for the newest prediction layer. A candidate is one distinct entity
(start, end, label), event (trigger start, end, type) or argument (event, role, filler:
a span or another event), with the voters who have it. Only people count towards
agreement: `agreed` means every human voter has the item, `disputed` that some but not
all do; an item only the model has is neither.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from annotations.content import ArgumentItem, EventItem, ItemId, LayerContent, SpanItem

MODEL = "model"

SpanKey = tuple[int, int, str]  # start, end, entity type
EventKey = tuple[int, int, str]  # trigger start, trigger end, event type
FillerKey = tuple[str, SpanKey | EventKey]  # ("span", span key) or ("event", event key)
ArgumentKey = tuple[EventKey, str, FillerKey]  # event, role, filler


@dataclass(frozen=True)
class Candidate:
    """One distinct item of the merged layers and who has it.

    `attributes` and `note` are those of the first voter (in voter order) who has the item;
    `details_from` names that voter. `conflicts` lists the other labels (types) found on the
    same offsets: a label disagreement.
    """

    kind: str  # "entity", "event" or "argument"
    key: Any
    voters: tuple[str, ...]
    agreed: bool
    disputed: bool
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    details_from: str = ""
    conflicts: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Return a stable id of the candidate, usable as an item id in the exchange format."""
        return candidate_id(self.kind, self.key)

    def human_votes(self, humans: Iterable[str]) -> int:
        """Return how many of `humans` have the item."""
        return len(set(self.voters) & set(humans))


@dataclass(frozen=True)
class Candidates:
    """The candidates of one document in text order, and the voters they came from."""

    voters: tuple[str, ...]
    entities: tuple[Candidate, ...] = ()
    events: tuple[Candidate, ...] = ()
    arguments: tuple[Candidate, ...] = ()

    @property
    def humans(self) -> tuple[str, ...]:
        """Return the voters that are people (every voter but the model)."""
        return tuple(voter for voter in self.voters if voter != MODEL)

    def all(self) -> tuple[Candidate, ...]:
        return (*self.entities, *self.events, *self.arguments)


def candidate_id(kind: str, key: Any) -> str:
    """Return the id of a candidate: `span:0:10:PER`, `event:11:18:Life.Die`, `arg:...`."""
    if kind == "entity":
        return "span:{}:{}:{}".format(*key)
    if kind == "event":
        return "event:{}:{}:{}".format(*key)
    event, role, (filler_kind, filler) = key
    return f"arg:{candidate_id('event', event)}:{role}:{candidate_id(_KINDS[filler_kind], filler)}"


_KINDS = {"span": "entity", "event": "event"}


def layers_merge(layers: Mapping[str, LayerContent]) -> Candidates:
    """Return the candidates of the layers of one document, `{voter: content}`, in text order.

    Voter order is the mapping's order; it decides whose attributes and note an item
    takes when voters differ on them. Two events of one layer with the same trigger and
    type count as one, their arguments together.
    """
    voters = tuple(layers)
    humans = {voter for voter in voters if voter != MODEL}
    found: dict[str, dict[Any, list]] = {"entity": {}, "event": {}, "argument": {}}
    for voter, content in layers.items():
        spans = {span.id: _span_key(span) for span in content.spans}
        events = {event.id: _event_key(event) for event in content.events}
        for span in content.spans:
            _vote(found["entity"], spans[span.id], voter, span)
        for event in content.events:
            _vote(found["event"], events[event.id], voter, event)
            for argument in event.arguments:
                filler = _filler_key(argument, spans, events)
                if filler is not None:
                    key = (events[event.id], argument.role, filler)
                    _vote(found["argument"], key, voter, None)
    entities = _candidates("entity", found["entity"], humans)
    events = _candidates("event", found["event"], humans)
    arguments = _candidates("argument", found["argument"], humans)
    return Candidates(
        voters=voters,
        entities=tuple(sorted(entities, key=lambda c: _text_order(c.key))),
        events=tuple(sorted(events, key=lambda c: _text_order(c.key))),
        arguments=tuple(sorted(arguments, key=lambda c: _argument_order(c.key))),
    )


def select_agreed(candidates: Candidates, k: int) -> Candidates:
    """Return what at least `k` human voters have; an argument only with its event and filler."""
    humans = candidates.humans
    return _selected(candidates, lambda candidate: candidate.human_votes(humans) >= k)


def select_voter(candidates: Candidates, voter: str) -> Candidates:
    """Return every item `voter` has: "take all of annotator X"."""
    return _selected(candidates, lambda candidate: voter in candidate.voters)


def select_ids(candidates: Candidates, ids: Iterable[str]) -> Candidates:
    """Return the candidates whose ids are in `ids` (a reviewer's choice, item by item)."""
    chosen = set(ids)
    return _selected(candidates, lambda candidate: candidate.id in chosen)


def undecided(candidates: Candidates, chosen: Candidates) -> tuple[Candidate, ...]:
    """Return the items some human voter has that `chosen` leaves out."""
    taken = {(candidate.kind, candidate.key) for candidate in chosen.all()}
    humans = set(candidates.humans)
    return tuple(
        candidate
        for candidate in candidates.all()
        if (candidate.kind, candidate.key) not in taken and humans & set(candidate.voters)
    )


def content_from(candidates: Candidates) -> LayerContent:
    """Return the candidates as a layer's content: fresh keys, human items, all accepted.

    Keys are the candidate ids. Attributes and notes are the first voter's (see
    `Candidate.details_from`). An argument whose event or filler is not among the
    candidates is left out; repeated fillers of a role are numbered from 1.
    """
    spans = {
        candidate.key: SpanItem(
            id=candidate.id,
            start=candidate.key[0],
            end=candidate.key[1],
            label=candidate.key[2],
            attributes=dict(candidate.attributes),
            note=candidate.note,
        )
        for candidate in candidates.entities
    }
    events = {
        candidate.key: EventItem(
            id=candidate.id,
            type=candidate.key[2],
            trigger_start=candidate.key[0],
            trigger_end=candidate.key[1],
            attributes=dict(candidate.attributes),
            note=candidate.note,
        )
        for candidate in candidates.events
    }
    indexes: dict[tuple[EventKey, str], int] = {}
    for candidate in candidates.arguments:
        event_key, role, (filler_kind, filler) = candidate.key
        held = spans if filler_kind == "span" else events
        if event_key not in events or filler not in held:
            continue
        index = indexes[event_key, role] = indexes.get((event_key, role), 0) + 1
        target = held[filler].id
        events[event_key].arguments.append(
            ArgumentItem(
                role=role,
                span=target if filler_kind == "span" else None,
                target_event=target if filler_kind == "event" else None,
                index=index,
            )
        )
    return LayerContent(spans=list(spans.values()), events=list(events.values()))


def _span_key(span: SpanItem) -> SpanKey:
    return (span.start, span.end, span.label)


def _event_key(event: EventItem) -> EventKey:
    return (event.trigger_start, event.trigger_end, event.type)


def _filler_key(
    argument: ArgumentItem, spans: dict[ItemId, SpanKey], events: dict[ItemId, EventKey]
) -> FillerKey | None:
    if argument.span is not None and argument.span in spans:
        return ("span", spans[argument.span])
    if argument.target_event is not None and argument.target_event in events:
        return ("event", events[argument.target_event])
    return None


def _vote(found: dict[Any, list], key: Any, voter: str, item: SpanItem | EventItem | None) -> None:
    """Note that `voter` has `key`; the first voter's item gives the details."""
    entry = found.setdefault(key, [[], item, voter])
    if voter not in entry[0]:
        entry[0].append(voter)


def _candidates(kind: str, found: dict[Any, list], humans: set[str]) -> list[Candidate]:
    labels: dict[tuple[int, int], list[str]] = {}
    if kind != "argument":
        for start, end, label in found:
            labels.setdefault((start, end), []).append(label)
    candidates = []
    for key, (voters, item, first) in found.items():
        votes = len(humans & set(voters))
        conflicts = () if kind == "argument" else labels[key[:2]]
        candidates.append(
            Candidate(
                kind=kind,
                key=key,
                voters=tuple(voters),
                agreed=bool(humans) and votes == len(humans),
                disputed=0 < votes < len(humans),
                attributes=dict(item.attributes) if item is not None else {},
                note=item.note if item is not None else "",
                details_from=first,
                conflicts=tuple(sorted(label for label in conflicts if label != key[2])),
            )
        )
    return candidates


def _text_order(key: SpanKey | EventKey) -> tuple:
    return (key[0], -key[1], key[2])


def _argument_order(key: ArgumentKey) -> tuple:
    event, role, (filler_kind, filler) = key
    return (_text_order(event), role, filler_kind, _text_order(filler))


def _selected(candidates: Candidates, keep) -> Candidates:
    """Return the candidates `keep` accepts; an argument also needs its event and filler."""
    entities = tuple(candidate for candidate in candidates.entities if keep(candidate))
    events = tuple(candidate for candidate in candidates.events if keep(candidate))
    present = {("span", c.key) for c in entities} | {("event", c.key) for c in events}
    arguments = tuple(
        candidate
        for candidate in candidates.arguments
        if keep(candidate)
        and ("event", candidate.key[0]) in present
        and candidate.key[2] in present
    )
    return replace(candidates, entities=entities, events=events, arguments=arguments)
