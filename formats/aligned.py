"""A document's entities and events on its tokens, for the token formats.

Nothing is dropped silently: a span that does not fall on token boundaries is snapped
(if asked) or left out, and either way the report lists it; an argument whose filler was
left out is reported too.
"""

from bisect import bisect_left
from dataclasses import dataclass, field

from formats.tokens import Offsets, Tokenized, TokenSpan
from formats.writing import ExportDocument, Report


@dataclass(frozen=True)
class AlignedEntity:
    id: str
    label: str
    span: TokenSpan


@dataclass(frozen=True)
class AlignedArgument:
    """A role filled by an entity (`span` set) or by another event (`event` set)."""

    role: str
    index: int
    span: TokenSpan | None = None
    event: str = ""


@dataclass
class AlignedEvent:
    id: str
    type: str
    trigger: TokenSpan
    arguments: list[AlignedArgument] = field(default_factory=list)


@dataclass
class AlignedDocument:
    key: str
    tokenized: Tokenized
    entities: list[AlignedEntity]
    events: list[AlignedEvent]


def aligned_document(document: ExportDocument, *, snap: str, report: Report) -> AlignedDocument:
    """Return `document`'s entities and events on its tokens, reporting what moved or went."""
    record = document.record
    tokens = document.tokenized
    entities = []
    for entity in record["entities"]:
        span = _aligned(document, entity["start"], entity["end"], entity["label"], snap, report)
        if span is not None:
            entities.append(AlignedEntity(entity["id"], entity["label"], span))
    by_id = {entity.id: entity for entity in entities}
    events = []
    for event in record["events"]:
        trigger = event["trigger"]
        span = _aligned(document, trigger["start"], trigger["end"], event["type"], snap, report)
        if span is not None:
            events.append(AlignedEvent(event["id"], event["type"], span))
    event_ids = {event.id for event in events}
    by_event = {event["id"]: event for event in record["events"]}
    for aligned in events:
        for argument in by_event[aligned.id]["arguments"]:
            ref = argument["ref"]
            if ref in by_id:
                aligned.arguments.append(
                    AlignedArgument(argument["role"], argument["index"], span=by_id[ref].span)
                )
            elif ref in event_ids:
                aligned.arguments.append(
                    AlignedArgument(argument["role"], argument["index"], event=ref)
                )
            else:
                report.warn(
                    "dropped-argument",
                    f"{aligned.type} {argument['role']} left out: its filler {ref} was",
                    document=document.key,
                    split=document.split,
                )
    return AlignedDocument(document.key, tokens, entities, events)


def _aligned(
    document: ExportDocument, start: int, end: int, label: str, snap: str, report: Report
) -> TokenSpan | None:
    tokens = document.tokenized
    span = tokens.align(start, end, "none")
    if span is not None:
        return span
    text = tokens.text[start:end]
    snapped = tokens.align(start, end, snap) if snap != "none" else None
    if snapped is None:
        outcome = "left out"
    else:
        outcome = f"{snap}ed to {tokens.text[snapped.start : snapped.end]!r}"
    report.warn(
        "misaligned",
        f"{label} {text!r} [{start}, {end}) is not on token boundaries: {outcome}",
        document=document.key,
        split=document.split,
        label=label,
        start=start,
        end=end,
        text=text,
        outcome="dropped" if snapped is None else snap,
    )
    return snapped


def entities_without_overlaps(
    document: ExportDocument, entities: list[AlignedEntity], *, report: Report, message: str
) -> list[AlignedEntity]:
    """Keep the longest entities, then the earliest, that share no token with a kept one.

    Each one left out is reported as an overlap; `message` words it from `{entity}` and
    `{clash}` (such as `GPE 'New York'`). The kept ones come back in text order.
    """
    text = document.tokenized.text
    taken: dict[int, AlignedEntity] = {}
    kept = []
    for entity in sorted(entities, key=_longest_first):
        span = entity.span
        clash = next((taken[t] for t in range(span.first, span.last + 1) if t in taken), None)
        if clash is None:
            kept.append(entity)
            taken.update((t, entity) for t in range(span.first, span.last + 1))
            continue
        report.warn(
            "overlap",
            message.format(entity=_named(entity, text), clash=_named(clash, text)),
            document=document.key,
            split=document.split,
            label=entity.label,
            start=span.start,
            end=span.end,
            text=text[span.start : span.end],
        )
    return sorted(kept, key=lambda entity: entity.span.first)


def _longest_first(entity: AlignedEntity) -> tuple:
    span = entity.span
    return (span.first - span.last, span.first, entity.label, entity.id)


def _named(entity: AlignedEntity, text: str) -> str:
    return f"{entity.label} {text[entity.span.start : entity.span.end]!r}"


def whole_entity_sentences(
    tokens: Tokenized,
    entities: list[AlignedEntity],
    *,
    document: ExportDocument,
    report: Report,
) -> list[Offsets]:
    """Return the sentences as token ranges, joining those an entity runs across.

    Sentence splitting is a guess of the tokenizer; an entity is an annotator's decision,
    so the sentence boundary gives way.
    """
    starts = [first for first, _ in tokens.sentences]
    removed: set[int] = set()
    for entity in entities:
        span = entity.span
        crossed = starts[bisect_left(starts, span.first + 1) : bisect_left(starts, span.last + 1)]
        for start in crossed:
            if start in removed:
                continue
            removed.add(start)
            report.warn(
                "sentences-joined",
                f"{entity.label} {tokens.text[span.start : span.end]!r} runs across a sentence "
                "boundary: the sentences on both sides are written as one",
                document=document.key,
                split=document.split,
                label=entity.label,
                start=span.start,
                end=span.end,
            )
    kept = [start for start in starts if start not in removed]
    bounds = [*kept, len(tokens.tokens)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(kept))]


def empty_document_warn(*, document: ExportDocument, report: Report) -> None:
    """Warn that `document` has no tokens, so there is nothing to write for it."""
    report.warn(
        "empty-document",
        "the document has no tokens: left out",
        document=document.key,
        split=document.split,
    )


def aligned_tokens_document(
    document: ExportDocument, *, snap: str, report: Report
) -> AlignedDocument | None:
    """Return `document` aligned to its tokens; None, warned, when it has no tokens."""
    aligned = aligned_document(document, snap=snap, report=report)
    if aligned.tokenized.tokens:
        return aligned
    empty_document_warn(document=document, report=report)
    return None
