"""Learn from a corpus's reviewed gold what the base pipeline keeps getting wrong, and apply it.

Three things are learned, all keyed by normalised text (casefolded, whitespace collapsed):
names whose entity type gold agrees on ("baba amr" is a GPE, whatever the base says),
trigger words whose event type gold agrees on, and event types the base rules keep
proposing on a word where gold never has them. `apply` puts them on top of a base
Analysis, so a correction in gold fixes the next pre-annotation.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from corpus.nlp.analysis import Analysis, EntityMention
from corpus.nlp.events import EventMention
from corpus.nlp.occurrences import Taken, normalised, occurrences

MIN_SHARE = 0.8
MIN_PROPOSALS = 2  # one rejected proposal is not yet a habit of the base rules
MIN_LENGTH = 2
MAX_LENGTH = 100  # a longer span is a description, not a name to look for elsewhere
LEARNED_TRIGGER_SCORE = 0.5


@dataclass(frozen=True)
class GoldDocument:
    """A reviewed gold document: entity spans (start, end, label), triggers (start, end, type)."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    events: tuple[tuple[int, int, str], ...]
    # (trigger_start, trigger_end, role, filler_start, filler_end)
    arguments: tuple[tuple[int, int, str, int, int], ...] = ()


@dataclass
class LearnedModel:
    """What a corpus learned from its gold; `to_json` / `from_json` store it in a JSONField."""

    names: dict[str, dict[str, Any]] = field(default_factory=dict)  # {"label", "documents"}
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)  # {"type", "documents"}
    suppressed: dict[str, list[str]] = field(default_factory=dict)  # word -> event types
    documents: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "names": {name: dict(entry) for name, entry in self.names.items()},
            "triggers": {word: dict(entry) for word, entry in self.triggers.items()},
            "suppressed": {word: list(types) for word, types in self.suppressed.items()},
            "documents": self.documents,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LearnedModel":
        """Read what `to_json` wrote; an empty dict (a JSONField's default) is an empty model."""
        return cls(
            names={
                name: {"label": entry["label"], "documents": int(entry["documents"])}
                for name, entry in data.get("names", {}).items()
            },
            triggers={
                word: {"type": entry["type"], "documents": int(entry["documents"])}
                for word, entry in data.get("triggers", {}).items()
            },
            suppressed={word: list(types) for word, types in data.get("suppressed", {}).items()},
            documents=int(data.get("documents", 0)),
        )


def learn(
    gold: Sequence[GoldDocument], base: Sequence[Analysis], *, min_share: float = MIN_SHARE
) -> LearnedModel:
    """Learn from `gold`; `base[i]` is the base pipeline's Analysis of `gold[i].text`.

    A name or trigger word is learned when at least `min_share` of its gold occurrences
    carry its most frequent label. A (word, event type) is suppressed when the base
    proposed it at least MIN_PROPOSALS times and at least `min_share` of those proposals
    are not in gold; a trigger word is not learned with a type that is suppressed on it.
    """
    if len(gold) != len(base):
        raise ValueError(f"{len(gold)} gold documents but {len(base)} base analyses")
    suppressed = _suppressed(gold, base, min_share=min_share)
    triggers = _consistent(
        (
            (i, normalised(document.text[start:end]), kind)
            for i, document in enumerate(gold)
            for start, end, kind in document.events
        ),
        key="type",
        min_share=min_share,
    )
    return LearnedModel(
        names=_consistent(_nameoccurrences(gold), key="label", min_share=min_share),
        triggers={
            word: entry
            for word, entry in triggers.items()
            if entry["type"] not in suppressed.get(word, ())
        },
        suppressed=suppressed,
        documents=len(gold),
    )


def _nameoccurrences(gold: Sequence[GoldDocument]) -> list[tuple[int, str, str]]:
    """(document, name, label) of gold spans, without names ever written as a common word."""
    occurrences = []
    common = set()
    for i, document in enumerate(gold):
        for start, end, label in document.spans:
            surface = document.text[start:end]
            name = normalised(surface)
            if _common_word(surface):
                common.add(name)
            occurrences.append((i, name, label))
    return [occurrence for occurrence in occurrences if occurrence[1] not in common]


def _common_word(surface: str) -> bool:
    """A single word in lower case without digits ("civilians"), which gold also marks.

    Looked up everywhere it would over-fire; a name with a capital or a digit is specific.
    """
    return (
        len(surface.split()) == 1
        and surface == surface.lower()
        and not any(character.isdigit() for character in surface)
    )


def _consistent(
    occurrences: Iterable[tuple[int, str, str]], *, key: str, min_share: float
) -> dict[str, dict[str, Any]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    documents: dict[tuple[str, str], set[int]] = defaultdict(set)
    for document, word, label in occurrences:
        if MIN_LENGTH <= len(word) <= MAX_LENGTH:
            counts[word][label] += 1
            documents[word, label].add(document)
    learned = {}
    for word in sorted(counts):
        label, count = min(counts[word].items(), key=lambda item: (-item[1], item[0]))
        if count / counts[word].total() >= min_share:
            learned[word] = {key: label, "documents": len(documents[word, label])}
    return learned


def _suppressed(
    gold: Sequence[GoldDocument], base: Sequence[Analysis], *, min_share: float
) -> dict[str, list[str]]:
    proposed: Counter[tuple[str, str]] = Counter()
    rejected: Counter[tuple[str, str]] = Counter()
    for document, analysis in zip(gold, base, strict=True):
        kept = set(document.events)
        for event in analysis.events:
            key = (normalised(document.text[event.start : event.end]), event.type)
            proposed[key] += 1
            rejected[key] += (event.start, event.end, event.type) not in kept
    suppressed: dict[str, list[str]] = {}
    for (word, kind), count in sorted(proposed.items()):
        if count >= MIN_PROPOSALS and rejected[word, kind] / count >= min_share:
            suppressed.setdefault(word, []).append(kind)
    return suppressed


def apply(model: LearnedModel, text: str, analysis: Analysis) -> Analysis:
    """Return a new Analysis of `text`: the base `analysis` corrected by what `model` learned."""
    entities, moved = _names_applied(model, text, analysis.entities)
    # predictions.py finds an argument's span by (start, end, label): follow the relabelling,
    # and a filler a learned name replaced to that name.
    labels = {(mention.start, mention.end): mention.label for mention in entities}
    events = [
        replace(
            event,
            arguments=tuple(_followed(argument, labels, moved) for argument in event.arguments),
        )
        for event in analysis.events
        if event.type not in model.suppressed.get(normalised(text[event.start : event.end]), ())
    ]
    taken = Taken([*labels, *((event.start, event.end) for event in events)])
    for start, end, word in occurrences(model.triggers, text):
        if not taken.overlaps(start, end):
            entry = model.triggers[word]
            events.append(
                EventMention(
                    type=entry["type"],
                    start=start,
                    end=end,
                    score=LEARNED_TRIGGER_SCORE,
                    learned_from=entry["documents"],
                )
            )
    events.sort(key=lambda event: (event.start, event.end))
    return Analysis(
        tokens=list(analysis.tokens),
        sentences=list(analysis.sentences),
        entities=entities,
        events=events,
        unmapped=Counter(analysis.unmapped),
    )


def _names_applied(
    model: LearnedModel, text: str, base: Sequence[EntityMention]
) -> tuple[list[EntityMention], dict[tuple[int, int], tuple[int, int]]]:
    """The base entities relabelled, with every other occurrence of a learned name added.

    A name inside a base entity (the same span or a longer one) or crossing one is left to
    it; a base entity inside an occurrence ("Baba" of "Baba Amr") gives way to the name.
    Returns the entities in text order and where each replaced entity moved to.
    """
    entities = sorted(
        (_relabelled(mention, model, text) for mention in base),
        key=lambda mention: (mention.start, -mention.end),
    )
    starts = [mention.start for mention in entities]
    longest = max((mention.end - mention.start for mention in entities), default=0)
    removed: set[int] = set()
    added: list[EntityMention] = []
    moved: dict[tuple[int, int], tuple[int, int]] = {}
    for start, end, name in occurrences(model.names, text):
        near = range(bisect_left(starts, start - longest), bisect_left(starts, end))
        overlapping = [i for i in near if entities[i].end > start and i not in removed]
        inside = [i for i in overlapping if _within(entities[i], start, end)]
        if len(inside) < len(overlapping):
            continue  # the base's own entity there (relabelled), a longer or a crossing one
        entry = model.names[name]
        added.append(
            EntityMention(
                start, end, entry["label"], model_label="", learned_from=entry["documents"]
            )
        )
        for i in inside:
            removed.add(i)
            moved[entities[i].start, entities[i].end] = (start, end)
    kept = [mention for i, mention in enumerate(entities) if i not in removed]
    return sorted(kept + added, key=lambda mention: (mention.start, -mention.end)), moved


def _within(mention: EntityMention, start: int, end: int) -> bool:
    """Whether `mention` lies inside [start, end) and is shorter."""
    return (
        start <= mention.start and mention.end <= end and mention.end - mention.start < end - start
    )


def _followed(argument, labels: dict, moved: dict):
    """An argument pointing at its filler's offsets and label after the names were applied."""
    start, end = moved.get((argument.start, argument.end), (argument.start, argument.end))
    return replace(argument, start=start, end=end, label=labels.get((start, end), argument.label))


def _relabelled(mention: EntityMention, model: LearnedModel, text: str) -> EntityMention:
    """The base entity with the type gold gives its name; marked as taught only if it changed
    (a name the base already types right owes nothing to gold)."""
    entry = model.names.get(normalised(text[mention.start : mention.end]))
    if entry is None or entry["label"] == mention.label:
        return mention
    return replace(mention, label=entry["label"], learned_from=entry["documents"])
