"""spaCy v3 training data: a folder of DocBins per part (`train.spacy/0000.spacy`, ...).

The folder is named like the single file each part used to be, so `spacy train --paths.train
out/train.spacy` reads it as before (spaCy walks a directory for its `.spacy` files). Without a
split it is named after the corpus (`<name>.spacy/0000.spacy`); `docbin.py` says how many
documents go in each file and why.

Each document becomes a Doc whose text is the document's text, character for character:
the whitespace between tokens becomes a token's trailing space or a whitespace token, as
spaCy's own tokenizer makes them, so a pipeline's tokens line up with the stored ones.

    doc.ents             entities, without overlaps (longer first, then earlier); every
                         other token is O, because the export is complete gold
    doc.spans["sc"]      every entity, overlapping or not (spancat's default key)
    doc.spans["events"]  event triggers labelled with the event type
    sentence starts      from the document's sentences
    doc.user_data        {"id": document id,
                          "events": [{"id", "type", "trigger": [start, end], "arguments":
                              [{"role", "entity", "label", "start", "end"} | {"role", "event"}]}],
                          "relations": [{"id", "type", "head": {...}, "tail": {...}}]}

Span ids (`span.id_`) are the record's `T1`/`E1`, which `user_data` refers to; offsets are
characters. DocBin reads `user_data` back with tuples for lists. Entities left out of
`doc.ents` are reported as overlaps.
"""

from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from formats.aligned import (
    AlignedDocument,
    AlignedEntity,
    aligned_document,
    entities_without_overlaps,
)
from formats.spacy.docbin import DocBinFolder
from formats.tokens import Tokenized, TokenSpan
from formats.writing import ExportDocument, Writer


class SpacyWriter(Writer):
    format = "spacy"
    extension = ".spacy"

    def begin(self) -> None:
        # A blank, language-free vocabulary: the training pipeline brings its own norms.
        self.vocab = Vocab()

    def open_split(self, split: str | None) -> None:
        super().open_split(split)
        self.docbins = DocBinFolder(f"{split or self.target.name}.spacy", open=self.open)

    def write(self, document: ExportDocument) -> None:
        aligned = aligned_document(document, snap=self.target.snap, report=self.report)
        doc, positions = _doc(self.vocab, aligned.tokenized)
        spans = {
            entity.id: _span(doc, positions, entity.span, entity.label, entity.id)
            for entity in aligned.entities
        }
        unnested = entities_without_overlaps(
            document,
            aligned.entities,
            report=self.report,
            message="{entity} overlaps {clash}: it is in doc.spans['sc'], not in doc.ents",
        )
        doc.set_ents([spans[entity.id] for entity in unnested], default="outside")
        doc.spans["sc"] = list(spans.values())
        doc.spans["events"] = [
            _span(doc, positions, event.trigger, event.type, event.id) for event in aligned.events
        ]
        doc.cats = document_cats(document.record.get("labels") or {})
        doc.user_data["id"] = document.key
        doc.user_data["events"] = _events(document.record, aligned)
        doc.user_data["relations"] = self._relations(document, aligned)
        self.docbins.add(doc)

    def close_split(self) -> None:
        self.docbins.close()

    def _relations(self, document: ExportDocument, aligned: AlignedDocument) -> list[dict]:
        """Return the relations between exported entities; report those that lost an end."""
        entities = {entity.id: entity for entity in aligned.entities}
        relations = []
        for relation in document.record["relations"]:
            head, tail = entities.get(relation["head"]), entities.get(relation["tail"])
            if head is None or tail is None:
                end = "head" if head is None else "tail"
                self.report.warn(
                    "dropped-argument",
                    f"{relation['type']} {relation['id']} left out: its {end} {relation[end]} was",
                    document=document.key,
                    split=document.split,
                )
                continue
            relations.append(
                {
                    "id": relation["id"],
                    "type": relation["type"],
                    "head": _entity(head),
                    "tail": _entity(tail),
                }
            )
        return relations


def _doc(vocab: Vocab, tokenized: Tokenized) -> tuple[Doc, list[int]]:
    """Return the Doc of `tokenized.text`, and the Doc position of each non-space token."""
    text = tokenized.text
    words: list[str] = []
    spaces: list[bool] = []
    positions: list[int] = []

    def gap(between: str) -> None:
        # spaCy's tokenizer: one space trails the token before; the rest is one token.
        if between.startswith(" ") and words:
            spaces[-1] = True
            between = between[1:]
        if between:
            words.append(between)
            spaces.append(False)

    end = 0
    for start, token_end in tokenized.tokens:
        gap(text[end:start])
        positions.append(len(words))
        words.append(text[start:token_end])
        spaces.append(False)
        end = token_end
    gap(text[end:])
    sent_starts = [False] * len(words)
    for first, _ in tokenized.sentences[1:]:
        sent_starts[positions[first]] = True
    if sent_starts:
        sent_starts[0] = True  # whitespace before the first word opens the first sentence
    return Doc(vocab, words=words, spaces=spaces, sent_starts=sent_starts), positions


def _span(doc: Doc, positions: list[int], tokens: TokenSpan, label: str, key: str) -> Span:
    return Span(doc, positions[tokens.first], positions[tokens.last] + 1, label, span_id=key)


def _entity(entity: AlignedEntity) -> dict[str, Any]:
    span = entity.span
    return {"entity": entity.id, "label": entity.label, "start": span.start, "end": span.end}


def _events(record: dict[str, Any], aligned: AlignedDocument) -> list[dict[str, Any]]:
    """Return the exported events with their arguments (fillers that were exported too)."""
    entities = {entity.id: entity for entity in aligned.entities}
    exported = {event.id for event in aligned.events}
    arguments_of = {event["id"]: event["arguments"] for event in record["events"]}
    events = []
    for event in aligned.events:
        arguments: list[dict[str, Any]] = []
        for argument in arguments_of[event.id]:
            ref = argument["ref"]
            if ref in entities:
                arguments.append({"role": argument["role"], **_entity(entities[ref])})
            elif ref in exported:
                arguments.append({"role": argument["role"], "event": ref})
        trigger = [event.trigger.start, event.trigger.end]
        events.append(
            {"id": event.id, "type": event.type, "trigger": trigger, "arguments": arguments}
        )
    return events


def document_cats(labels: dict[str, Any]) -> dict[str, float]:
    """Return `doc.cats` for a layer's document labels.

    `Topic:aid` is 1.0 for each value chosen, `Breaking` 1.0 or 0.0 for a yes/no label.
    Values not chosen are left out: unknown to spaCy's text classifiers, not negative.
    """
    cats: dict[str, float] = {}
    for key, chosen in labels.items():
        if isinstance(chosen, bool):
            cats[key] = float(chosen)
        else:
            cats.update({f"{key}:{value}": 1.0 for value in chosen or []})
    return cats
