"""DyGIE++ JSONL (files named `.json`): one document per line, everything per sentence.

FORMATS.md §7.1: `sentences` are lists of tokens; `ner`, `relations` and `events` hold one
list per sentence, with document-level token indices and inclusive ends. `dataset` is the
corpus's schema key: it names the label namespace, which is what the schema is.

How our model is cut down to fit, each cut reported:

- a sentence boundary inside an entity joins the two sentences ("sentences-joined"), so
  every entity, and so every argument and relation end, lies in one sentence;
- a trigger is one token: a longer trigger keeps its head ("trigger-reduced"). Without a
  parse the head is the last token that is not a particle or punctuation: English noun
  compounds end in their head ("car bomb attack") and phrasal verbs put a particle after
  theirs ("blew up"). The event belongs to the head's sentence;
- an argument outside that sentence is left out ("cross-sentence"), and so is a relation
  whose ends lie in two sentences;
- an argument filled by another event is left out ("event-argument"): DyGIE++ arguments
  are spans.
"""

import json
from bisect import bisect_right
from typing import Any

from formats.aligned import (
    AlignedDocument,
    AlignedEvent,
    aligned_tokens_document,
    whole_entity_sentences,
)
from formats.tokens import Tokenized, TokenSpan
from formats.writing import ExportDocument, LinesWriter

# Words that follow the head of a multi-word trigger: particles of phrasal verbs
# ("broke out", "set off") and prepositions ("opened fire on").
AFTER_HEAD = frozenset(
    {
        "about", "across", "along", "apart", "around", "aside", "at", "away", "back", "by",
        "down", "for", "forth", "from", "in", "into", "of", "off", "on", "onto", "out",
        "over", "through", "to", "together", "up", "upon", "with",
    }
)  # fmt: skip


class DygieppWriter(LinesWriter):
    format = "dygiepp"
    extension = ".json"

    def begin(self) -> None:
        self.dataset = self.target.schema.get("key") or self.target.name

    def block(self, document: ExportDocument) -> str:
        # DyGIE++ cannot read a document without sentences: one without tokens is left out.
        aligned = aligned_tokens_document(document, snap=self.target.snap, report=self.report)
        if aligned is None:
            return ""
        tokens = aligned.tokenized
        sentences = whole_entity_sentences(
            tokens, aligned.entities, document=document, report=self.report
        )
        starts = [first for first, _ in sentences]
        words = tokens.words()
        ner: list[list] = [[] for _ in sentences]
        for entity in sorted(aligned.entities, key=lambda e: (e.span.first, e.span.last)):
            span = entity.span
            ner[_sentence(starts, span.first)].append([span.first, span.last, entity.label])
        record = {
            "doc_key": document.key,
            "dataset": self.dataset,
            "sentences": [words[first:last] for first, last in sentences],
            "ner": ner,
            "relations": self._relations(document, aligned, starts),
            "events": self._events(document, aligned, starts),
        }
        return json.dumps(record, ensure_ascii=False) + "\n"

    def _relations(
        self, document: ExportDocument, aligned: AlignedDocument, starts: list[int]
    ) -> list[list]:
        by_id = {entity.id: entity.span for entity in aligned.entities}
        relations: list[list] = [[] for _ in starts]
        for relation in document.record["relations"]:
            head, tail = by_id.get(relation["head"]), by_id.get(relation["tail"])
            kind = relation["type"]
            if head is None or tail is None:
                missing = relation["head"] if head is None else relation["tail"]
                self._warn(document, "dropped-argument", f"relation {kind} left out: {missing} was")
                continue
            sentence = _sentence(starts, head.first)
            if _sentence(starts, tail.first) != sentence:
                text = aligned.tokenized.text
                self._warn(
                    document,
                    "cross-sentence",
                    f"relation {kind} left out: {text[head.start : head.end]!r} and "
                    f"{text[tail.start : tail.end]!r} are in different sentences",
                )
                continue
            relations[sentence].append([head.first, head.last, tail.first, tail.last, kind])
        return relations

    def _events(
        self, document: ExportDocument, aligned: AlignedDocument, starts: list[int]
    ) -> list[list]:
        events: list[list] = [[] for _ in starts]
        text = aligned.tokenized.text
        by_id = {event.id: event for event in aligned.events}
        for event in aligned.events:
            head = self._head(document, aligned.tokenized, event)
            sentence = _sentence(starts, head)
            entry: list[list[Any]] = [[head, event.type]]
            for argument in event.arguments:
                where = f"{event.type} {text[event.trigger.start : event.trigger.end]!r}"
                if argument.span is None:
                    filler = by_id[argument.event]
                    trigger = text[filler.trigger.start : filler.trigger.end]
                    self._warn(
                        document,
                        "event-argument",
                        f"{where} {argument.role} left out: it is the {filler.type} {trigger!r}",
                    )
                elif _sentence(starts, argument.span.first) != sentence:
                    span = argument.span
                    self._warn(
                        document,
                        "cross-sentence",
                        f"{where} {argument.role} {text[span.start : span.end]!r} left out: "
                        "it is in another sentence",
                    )
                else:
                    entry.append([argument.span.first, argument.span.last, argument.role])
            events[sentence].append(entry)
        return events

    def _head(self, document: ExportDocument, tokens: Tokenized, event: AlignedEvent) -> int:
        """Return the trigger's head token, reporting a trigger of several tokens."""
        trigger = event.trigger
        if trigger.first == trigger.last:
            return trigger.first
        head = trigger_head(tokens, trigger)
        start, end = tokens.tokens[head]
        self._warn(
            document,
            "trigger-reduced",
            f"{event.type} trigger {tokens.text[trigger.start : trigger.end]!r} "
            f"reduced to {tokens.text[start:end]!r}",
        )
        return head

    def _warn(self, document: ExportDocument, kind: str, message: str) -> None:
        self.report.warn(kind, message, document=document.key, split=document.split)


def trigger_head(tokens: Tokenized, trigger: TokenSpan) -> int:
    """Return the last token of `trigger` that is a word and not a particle (else its last)."""
    for token in range(trigger.last, trigger.first - 1, -1):
        start, end = tokens.tokens[token]
        word = tokens.text[start:end]
        if any(char.isalnum() for char in word) and word.lower() not in AFTER_HEAD:
            return token
    return trigger.last


def _sentence(starts: list[int], token: int) -> int:
    return bisect_right(starts, token) - 1
