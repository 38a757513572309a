"""Learn from reviewed gold which grammatical slots fill which roles, and rewrite the rules' spec.

The base rules fill a role from the slots its `syntax` lists ("subj", "obj", "prep:with",
...). Gold shows, per event type and slot, what annotators made of the filler found there:
a role the rules never take from that slot ("paid $5 million": Money from the object), or
no argument (or another role) where the rules take one. `roles_learn` turns consistent
evidence into slots added to and removed from roles; `spec_with_roles` writes them into a
new pipeline spec for `pipeline_load`.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from corpus.nlp.events import LOCATIVE, EventProposer

MIN_SHARE = 0.8
MIN_COUNT = 2

# {event_type: {role: [slots]}}
RoleSlots = dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class RoleObservation:
    """What gold made of the filler in one slot of one event: a role, or None (no argument)."""

    event_type: str
    slot: str
    role: str | None
    label: str  # the filler's entity type, gold's where gold has the span


@dataclass
class LearnedRoles:
    """Slots to add to and remove from roles; `to_json` / `from_json` store it in a JSONField."""

    added: RoleSlots = field(default_factory=dict)
    removed: RoleSlots = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"added": _copied(self.added), "removed": _copied(self.removed)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LearnedRoles":
        """Read what `to_json` wrote; an empty dict (a JSONField's default) learned nothing."""
        return cls(added=_copied(data.get("added", {})), removed=_copied(data.get("removed", {})))


def _copied(slots: RoleSlots) -> RoleSlots:
    return {
        event_type: {role: list(role_slots) for role, role_slots in roles.items()}
        for event_type, roles in slots.items()
    }


def role_observations(
    doc: Doc,
    proposer: EventProposer,
    gold_events: Sequence[tuple[int, int, str]],
    gold_arguments: Sequence[tuple[int, int, str, int, int]],
    *,
    gold_spans: Sequence[tuple[int, int, str]] = (),
) -> list[RoleObservation]:
    """One observation per filler the rules find around each gold trigger in `doc`.

    `gold_events` are (start, end, type), `gold_arguments` (trigger_start, trigger_end,
    role, filler_start, filler_end) and `gold_spans` (start, end, label), all code-point
    offsets into `doc.text`. A filler is the argument it overlaps most; the label is the
    gold span's at the argument's (or else the filler's) offsets, since the base may
    call a town a PER.
    """
    labels = {(start, end): label for start, end, label in gold_spans}
    arguments: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    for trigger_start, trigger_end, role, start, end in gold_arguments:
        arguments[trigger_start, trigger_end].append((start, end, role))
    observations = []
    for start, end, event_type in gold_events:
        token = _trigger_token(doc, start, end)
        if token is None:
            continue
        for filler in proposer.fillers_of(doc, token, event_type=event_type):
            argument = _overlapping(filler.start, filler.end, arguments[start, end])
            offsets = argument[:2] if argument else (filler.start, filler.end)
            label = labels.get(offsets) or labels.get((filler.start, filler.end)) or filler.label
            role = argument[2] if argument else None
            observations.append(RoleObservation(event_type, filler.slot, role, label))
    return observations


def _trigger_token(doc: Doc, start: int, end: int) -> Token | None:
    """The token starting at `start`, or else the syntactic head of the tokens in the span."""
    if not 0 <= start < end <= len(doc.text):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return next((token for token in span if token.idx == start), span.root)


def _overlapping(
    start: int, end: int, arguments: Iterable[tuple[int, int, str]]
) -> tuple[int, int, str] | None:
    best, most = None, 0
    for argument in arguments:
        overlap = min(end, argument[1]) - max(start, argument[0])
        if overlap > most:
            best, most = argument, overlap
    return best


def roles_learn(
    observations: Iterable[RoleObservation],
    spec: dict[str, Any],
    *,
    min_share: float = MIN_SHARE,
    min_count: int = MIN_COUNT,
) -> LearnedRoles:
    """Learn slots to add to and remove from the roles of `spec`'s event types.

    For a role and an (event type, slot), the evidence is the observations whose label
    the role allows: the others it could never take from the slot, whatever its syntax.
    With at least `min_count` of them, the slot is added to a role that lacks it when at
    least `min_share` are that role, and removed from a role that lists it when at least
    `min_share` are no argument or another role.
    """
    evidence: dict[tuple[str, str], list[RoleObservation]] = defaultdict(list)
    for observation in observations:
        evidence[observation.event_type, observation.slot].append(observation)
    roles = {
        event_type["key"]: event_type.get("roles", []) for event_type in spec.get("event_types", [])
    }
    learned = LearnedRoles()
    for (event_type, slot), seen in sorted(evidence.items()):
        for role in roles.get(event_type, []):
            allowed = [o for o in seen if o.label in role.get("entity_types", ())]
            if not allowed or len(allowed) < min_count:
                continue
            share = sum(o.role == role["key"] for o in allowed) / len(allowed)
            if share >= min_share and not _takes(role, slot):
                learned.added.setdefault(event_type, {}).setdefault(role["key"], []).append(slot)
            elif 1 - share >= min_share and slot in role.get("syntax", ()):
                learned.removed.setdefault(event_type, {}).setdefault(role["key"], []).append(slot)
    return learned


def _takes(role: dict[str, Any], slot: str) -> bool:
    """Whether the rules already fill `role` from `slot` ("place" covers "in", "at", ...)."""
    syntax = role.get("syntax", ())
    locative = slot.startswith("prep:") and slot[5:] in LOCATIVE
    return slot in syntax or (locative and "place" in syntax)


def spec_with_roles(spec: dict[str, Any], learned: LearnedRoles) -> dict[str, Any]:
    """A new spec with `learned` applied to its roles' syntax; `spec` is left as it is.

    A changed role's slots come out sorted; an unchanged one keeps its order, so nothing
    learned gives an equal spec (and `pipeline_load`'s cached pipeline).
    """
    new = deepcopy(spec)
    for event_type in new.get("event_types", []):
        added = learned.added.get(event_type["key"], {})
        removed = learned.removed.get(event_type["key"], {})
        for role in event_type.get("roles", []):
            more, fewer = set(added.get(role["key"], ())), set(removed.get(role["key"], ()))
            if more or fewer:
                role["syntax"] = sorted((set(role.get("syntax", ())) | more) - fewer)
    return new
