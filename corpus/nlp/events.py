"""Propose events from the parse: triggers from a lexicon, arguments from dependency rules.

The component is configured from schema data (see `corpus.selectors.schema_pipeline_spec`):

- each event type lists trigger entries `{"lemma", "pos", ["particle"], ["slots"]}`;
- each role lists the entity types that may fill it and the grammatical slots it takes
  (`subj`, `obj`, `prep:with`, `place`, `time`, ...); a trigger entry may override
  them for its verb (`"slots": {"subj": "Victim"}` for "die");
- `entity_labels` maps spaCy labels onto schema entity types, and `nominals` lists
  common-noun heads per entity type ("civilians" is a PER) so that "the killing of
  civilians" gets its Victim although no named entity is there.

A role is only ever filled with an entity type the schema allows for it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

EVENTS = "goldset_events"
Doc.set_extension(EVENTS, default=None, force=True)

VERBAL = {"VERB", "AUX"}
NOMINAL = {"NOUN", "PROPN", "PRON"}
MODIFIES_NOUN = {"relcl", "acl"}
SUBJECT_DEPS = {"nsubj", "csubj"}
INHERITS_SUBJECT = {"advcl", "xcomp", "conj", "pcomp"}
LOCATIVE = {"in", "at", "near", "across", "inside", "outside", "around", "throughout", "on"}
RELATIVE_PRONOUN_TAGS = {"WP", "WDT"}

# Scores of a rule's proposals: how often such a rule is right, roughly, on news text.
TRIGGER_SCORE = {"VERB": 0.7, "NOUN": 0.6, "ADJ": 0.45}
SLOT_SCORE = {"subj": 0.75, "obj": 0.75, "place": 0.6, "time": 0.5}
PREP_SCORE = 0.65
INDIRECT = 0.8  # the filler was reached through a governing verb, or is a common noun


@dataclass(frozen=True)
class ArgumentMention:
    """A role filled by an entity span (code-point offsets over the text)."""

    role: str
    start: int
    end: int
    label: str
    score: float
    nominal: bool = False
    raw_score: float | None = None  # the rule's own score, when `score` is calibrated


@dataclass(frozen=True)
class EventMention:
    """An event proposed by the rules: trigger offsets, type, score and arguments."""

    type: str
    start: int
    end: int
    score: float
    arguments: tuple[ArgumentMention, ...] = ()
    learned_from: int = 0  # how many gold documents taught this (0: the rules)
    raw_score: float | None = None  # the rule's own score, when `score` is calibrated


@dataclass(frozen=True)
class _Filler:
    slot: str
    start: int
    end: int
    label: str
    score: float
    nominal: bool


@dataclass
class _Role:
    key: str
    entity_types: frozenset[str]
    syntax: tuple[str, ...]


@dataclass
class _EventType:
    key: str
    roles: list[_Role]
    overrides: dict[int, dict[str, str]] = field(default_factory=dict)


@Language.factory("goldset_events")
def make_event_proposer(nlp: Language, name: str) -> "EventProposer":
    return EventProposer(name=name)


class EventProposer:
    """Sets `doc._.goldset_events` to the events the rules find, in text order."""

    def __init__(self, *, name: str) -> None:
        self.name = name
        self.data: dict[str, Any] = {}
        self.lexicon: dict[tuple[str, str], list[tuple[_EventType, dict[str, Any]]]] = {}
        self.entity_labels: dict[str, str] = {}
        self.nominals: dict[str, str] = {}

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        event_types: list[dict[str, Any]],
        entity_labels: dict[str, str],
        nominals: dict[str, list[str]] | None = None,
    ) -> None:
        """Build the trigger lexicon and role table from schema data."""
        self.data = {
            "event_types": event_types,
            "entity_labels": entity_labels,
            "nominals": nominals or {},
        }
        self.entity_labels = dict(entity_labels)
        self.nominals = {
            head.lower(): label for label, heads in (nominals or {}).items() for head in heads
        }
        self.lexicon = {}
        for data in event_types:
            event_type = _EventType(
                key=data["key"],
                roles=[
                    _Role(
                        key=role["key"],
                        entity_types=frozenset(role.get("entity_types", [])),
                        syntax=tuple(role.get("syntax", [])),
                    )
                    for role in data.get("roles", [])
                ],
            )
            for entry in data.get("triggers", []):
                for pos in entry.get("pos", []):
                    key = (entry["lemma"].lower(), pos)
                    self.lexicon.setdefault(key, []).append((event_type, entry))

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(EVENTS, list(self.events(doc)))
        return doc

    def events(self, doc: Doc) -> Iterator[EventMention]:
        """Yield one event per trigger token whose lemma and part of speech are in the lexicon."""
        entities = self._entities(doc)
        for token in doc:
            if token.i in entities:
                continue  # "Attack" in a name is not an event
            candidates = self._candidates(token)
            if not candidates:
                continue
            fillers = list(self._fillers(token, entities))
            proposals = [self._propose(token, et, entry, fillers) for et, entry in candidates]
            best = max(proposals, key=lambda event: len(event.arguments))
            ambiguity = len(proposals) ** -0.5
            yield EventMention(
                type=best.type,
                start=best.start,
                end=best.end,
                score=round(min(0.95, best.score * ambiguity), 3),
                arguments=best.arguments,
            )

    def fillers_of(self, doc: Doc, token: Token, *, event_type: str | None = None) -> list[_Filler]:
        """The candidate fillers of `token`'s grammatical slots, as `events` finds them.

        With `event_type`, less the slots that type's trigger entry for `token` assigns
        itself ("die" puts its subject in Victim): they say nothing about the type's roles.
        """
        fillers = list(self._fillers(token, self._entities(doc)))
        if event_type is None:
            return fillers
        decided = {
            slot
            for candidate, entry in self._candidates(token)
            if candidate.key == event_type
            for slot in entry.get("slots", {})
        }
        return [filler for filler in fillers if filler.slot not in decided]

    def _candidates(self, token: Token) -> list[tuple[_EventType, dict[str, Any]]]:
        seen: set[str] = set()
        found = []
        for lemma in dict.fromkeys((token.lemma_.lower(), token.lower_)):
            for event_type, entry in self.lexicon.get((lemma, token.pos_), []):
                particle = entry.get("particle")
                if particle and not any(
                    child.dep_ == "prt" and child.lower_ == particle for child in token.children
                ):
                    continue
                if event_type.key not in seen:
                    seen.add(event_type.key)
                    found.append((event_type, entry))
        return found

    def _propose(
        self, token: Token, event_type: _EventType, entry: dict[str, Any], fillers: list[_Filler]
    ) -> EventMention:
        overrides: dict[str, str] = entry.get("slots", {})
        arguments: list[ArgumentMention] = []
        taken: set[tuple[int, int]] = set()
        for filler in fillers:
            if (filler.start, filler.end) in taken:
                continue
            role = self._role_for(event_type, filler, overrides)
            if role is None:
                continue
            taken.add((filler.start, filler.end))
            arguments.append(
                ArgumentMention(
                    role=role.key,
                    start=filler.start,
                    end=filler.end,
                    label=filler.label,
                    score=round(filler.score, 3),
                    nominal=filler.nominal,
                )
            )
        base = TRIGGER_SCORE.get(token.pos_, 0.5)
        return EventMention(
            type=event_type.key,
            start=token.idx,
            end=token.idx + len(token.text),
            score=min(0.95, base + 0.05 * len(arguments)),
            arguments=tuple(arguments),
        )

    def _role_for(
        self, event_type: _EventType, filler: _Filler, overrides: dict[str, str]
    ) -> _Role | None:
        slots = [filler.slot]
        if filler.slot.startswith("prep:") and filler.slot[5:] in LOCATIVE:
            slots.append("place")
        for slot in slots:
            if slot in overrides:
                candidates = [role for role in event_type.roles if role.key == overrides[slot]]
            else:
                candidates = [role for role in event_type.roles if slot in role.syntax]
            for role in candidates:
                if filler.label in role.entity_types:
                    return role
        return None

    def _entities(self, doc: Doc) -> dict[int, tuple[Span, str]]:
        """Map each token inside a schema-mapped entity to that entity and its schema type."""
        entities = {}
        for ent in doc.ents:
            label = self.entity_labels.get(ent.label_)
            if label is not None:
                for i in range(ent.start, ent.end):
                    entities[i] = (ent, label)
        return entities

    def _fillers(self, trigger: Token, entities: dict[int, tuple[Span, str]]) -> Iterator[_Filler]:
        """Yield candidate fillers of the trigger's grammatical slots, most direct first."""
        for slot, token, score in _slots(trigger):
            for part in [token, *(c for c in token.conjuncts if c.i > token.i)]:
                filler = self._filler(slot, part, entities, score)
                if filler is not None:
                    yield filler
        for ent_start, ent_end, label in self._clause_times(trigger):
            yield _Filler("time", ent_start, ent_end, label, SLOT_SCORE["time"], False)

    def _filler(
        self, slot: str, token: Token, entities: dict[int, tuple[Span, str]], score: float
    ) -> _Filler | None:
        if token.i in entities:
            ent, label = entities[token.i]
            return _Filler(slot, ent.start_char, ent.end_char, label, score, False)
        label = self.nominals.get(token.lemma_.lower()) or self.nominals.get(token.lower_)
        if label is not None:
            # ACE's minimal extent: the noun phrase from its left edge up to the head.
            start = token.left_edge if token.left_edge.sent == token.sent else token
            end = token.idx + len(token.text)
            return _Filler(slot, start.idx, end, label, score * INDIRECT, True)
        for child in token.lefts:
            if child.dep_ == "compound" and child.i in entities:
                ent, label = entities[child.i]
                return _Filler(slot, ent.start_char, ent.end_char, label, score * INDIRECT, False)
        return None

    def _clause_times(self, trigger: Token) -> Iterator[tuple[int, int, str]]:
        """Time expressions governed by the trigger's clause (DATE/TIME entities)."""
        clause = _clause_heads(trigger)
        for ent in trigger.sent.ents:
            label = self.entity_labels.get(ent.label_)
            if label is None or ent.label_ not in ("DATE", "TIME"):
                continue
            if _governing_verb(ent.root).i in clause:
                yield ent.start_char, ent.end_char, label

    def to_disk(self, path: Path | str, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "data.json", self.data)

    def from_disk(self, path: Path | str, *, exclude=()) -> "EventProposer":
        self.initialize(**srsly.read_json(Path(path) / "data.json"))
        return self


def _slots(trigger: Token) -> Iterator[tuple[str, Token, float]]:
    """Yield (slot, head token, score) for each grammatical dependent of the trigger."""
    verbal = trigger.pos_ in VERBAL
    has_subject = False
    for child in trigger.children:
        dep = child.dep_
        if dep in SUBJECT_DEPS and child.tag_ not in RELATIVE_PRONOUN_TAGS:
            has_subject = True
            yield "subj", child, SLOT_SCORE["subj"]
        elif dep in ("nsubjpass", "dobj", "obj"):
            yield "obj", child, SLOT_SCORE["obj"]
        elif dep == "dative":
            yield "prep:to", child, PREP_SCORE
        elif dep == "poss" and not verbal:
            has_subject = True
            yield "subj", child, SLOT_SCORE["subj"]
        elif dep in ("agent", "prep"):
            preposition = "by" if dep == "agent" else child.lower_
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if preposition == "by":
                    has_subject = True
                    yield "subj", pobj, SLOT_SCORE["subj"]
                elif preposition == "of" and not verbal:
                    yield "obj", pobj, SLOT_SCORE["obj"]
                yield f"prep:{preposition}", pobj, PREP_SCORE
        elif dep == "compound" and not verbal:
            yield "place", child, SLOT_SCORE["place"] * INDIRECT
    if not has_subject:
        subject = _inherited_subject(trigger)
        if subject is not None:
            yield "subj", subject, SLOT_SCORE["subj"] * INDIRECT


def _inherited_subject(trigger: Token) -> Token | None:
    """The subject of the clause that governs the trigger.

    "Troops attacked ... and opened fire killing 13": climb from "killing" through the
    verbs it hangs from (adverbial, complement, conjoined) to the first one with a
    subject; a participle or relative clause takes the noun it modifies ("forces pressed
    on with deadly assaults").
    """
    verb = trigger
    if trigger.pos_ not in VERBAL:
        if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep":
            verb = trigger.head.head
        elif trigger.dep_ in ("dobj", "obj", "attr"):
            verb = trigger.head
        else:
            return None
    for _ in range(4):
        if verb.i != trigger.i:
            for child in verb.children:
                if child.dep_ in SUBJECT_DEPS and child.tag_ not in RELATIVE_PRONOUN_TAGS:
                    return child
        if verb.dep_ in MODIFIES_NOUN and verb.head.pos_ in NOMINAL:
            return verb.head
        if verb.dep_ not in INHERITS_SUBJECT or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _clause_heads(trigger: Token) -> set[int]:
    """Indexes of the trigger, the verb governing it and, for a subordinate verb, its head."""
    verb = _governing_verb(trigger)
    heads = {trigger.i, verb.i}
    if verb.dep_ in INHERITS_SUBJECT and verb.head.pos_ in VERBAL:
        heads.add(verb.head.i)
    return heads


def _governing_verb(token: Token) -> Token:
    """The nearest verb at or above `token` in the parse; the root in a verbless sentence."""
    current = token
    while current.pos_ not in VERBAL and current.head.i != current.i:
        current = current.head
    return current
