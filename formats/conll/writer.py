"""CoNLL-2003 BIO: one `word _ _ TAG` line per token, a blank line after each sentence.

Each document starts with `-DOCSTART- -X- O O` and a blank line: the one delimiter
`spacy convert` recognises (FORMATS.md §5.4); CoNLL-2003 readers match any line starting
with `-DOCSTART-`. Four space-separated columns, as in CoNLL-2003 English, because some
readers (AllenNLP's, for one) need exactly four; we have no POS or chunk tags, so both
hold `_`, the placeholder spaCy's own CoNLL-2003 sample uses. Tags are IOB2: every entity
starts with `B-`.

What the format cannot hold is reported, never dropped silently:

- overlapping or nested entities: the longest is kept, then the earliest ("overlap");
- an entity across a sentence boundary: the two sentences are written as one, since a
  blank line would cut the entity in two ("sentences-joined");
- a token holding a space character (U+00A0 and the like) would become two columns, so
  it is written as one word per piece, all in the entity ("token-split");
- events and relations: one warning per document that has any ("unsupported");
- a document without tokens is left out ("empty-document").

The sentence joining and the empty-document warning live in `formats.aligned`, shared
with the DyGIE++ writer.
"""

from formats.aligned import (
    aligned_tokens_document,
    entities_without_overlaps,
    whole_entity_sentences,
)
from formats.conll.tags import DOCSTART_LINE, OUTSIDE, begin_tag, continued, inside_tag
from formats.tokens import Tokenized
from formats.writing import ExportDocument, LinesWriter, Report

NO_TAG = "_"


class ConllWriter(LinesWriter):
    format = "conll"
    extension = ".conll"

    def block(self, document: ExportDocument) -> str:
        aligned = aligned_tokens_document(document, snap=self.target.snap, report=self.report)
        if aligned is None:
            return ""
        tokens = aligned.tokenized
        unsupported_warn(document=document, report=self.report)
        entities = entities_without_overlaps(
            document,
            aligned.entities,
            report=self.report,
            message="{entity} left out: it overlaps {clash}",
        )
        tags = [OUTSIDE] * len(tokens.tokens)
        for entity in entities:
            tags[entity.span.first] = begin_tag(entity.label)
            for token in range(entity.span.first + 1, entity.span.last + 1):
                tags[token] = inside_tag(entity.label)
        sentences = whole_entity_sentences(tokens, entities, document=document, report=self.report)
        lines = [DOCSTART_LINE, ""]
        for first, last in sentences:
            for token in range(first, last):
                lines.extend(self._lines(document, tokens, token, tags[token]))
            lines.append("")
        return "\n".join(lines) + "\n"

    def _lines(
        self, document: ExportDocument, tokens: Tokenized, token: int, tag: str
    ) -> list[str]:
        start, end = tokens.tokens[token]
        word = tokens.text[start:end]
        # Readers split lines on any whitespace (str.split), so a word must hold none.
        pieces = word.split() or [NO_TAG]
        if pieces != [word]:
            self.report.warn(
                "token-split",
                f"token {word!r} holds a space character: written as {' '.join(pieces)!r}",
                document=document.key,
                split=document.split,
                start=start,
                end=end,
            )
        return [
            f"{piece} {NO_TAG} {NO_TAG} {tag if number == 0 else continued(tag)}"
            for number, piece in enumerate(pieces)
        ]


def unsupported_warn(*, document: ExportDocument, report: Report) -> None:
    """Warn once if `document` has events or relations, which CoNLL cannot hold."""
    record = document.record
    left_out = [
        f"{len(items)} {name if len(items) > 1 else name[:-1]}"
        for name, items in (("events", record["events"]), ("relations", record["relations"]))
        if items
    ]
    if left_out:
        report.warn(
            "unsupported",
            f"{' and '.join(left_out)} left out: CoNLL holds entities only",
            document=document.key,
            split=document.split,
            events=len(record["events"]),
            relations=len(record["relations"]),
        )
