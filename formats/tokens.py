"""Tokens and sentences of an exported document, and spans aligned to them.

Token formats (spaCy, CoNLL, DyGIE++) need every span on token boundaries. A document
keeps the tokens and sentences pre-annotation found; one that was never pre-annotated is
tokenised here with spaCy's rule-based English tokenizer and sentencizer (no model).
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy loads only when a document must be tokenised
    from spacy.tokens import Doc

Offsets = tuple[int, int]


@dataclass(frozen=True)
class TokenSpan:
    """Tokens `first..last` (inclusive) and the characters `[start, end)` they cover."""

    first: int
    last: int
    start: int
    end: int


@dataclass
class Tokenized:
    """Non-space tokens as character offsets, and sentences as token ranges `[first, last)`."""

    text: str
    tokens: list[Offsets]
    sentences: list[Offsets]

    def __post_init__(self) -> None:
        self.starts = [start for start, _ in self.tokens]
        self.ends = [end for _, end in self.tokens]
        self._sentence_starts = [first for first, _ in self.sentences]

    def words(self) -> list[str]:
        return [self.text[start:end] for start, end in self.tokens]

    def sentence_of(self, token: int) -> int:
        """Return the index of the sentence holding `token`."""
        return bisect_right(self._sentence_starts, token) - 1

    def align(self, start: int, end: int, snap: str) -> TokenSpan | None:
        """Return the tokens of `[start, end)`, or None if it does not align under `snap`.

        `none` needs both ends on token boundaries; `expand` takes every token the span
        touches; `contract` keeps the tokens wholly inside it.
        """
        if snap == "expand":
            first = bisect_right(self.ends, start)
            last = bisect_left(self.starts, end) - 1
        elif snap == "contract":
            first = bisect_left(self.starts, start)
            last = bisect_right(self.ends, end) - 1
        else:
            first = bisect_left(self.starts, start)
            last = bisect_left(self.ends, end)
            if first >= len(self.tokens) or last >= len(self.tokens):
                return None
            if self.starts[first] != start or self.ends[last] != end:
                return None
        if first > last or first >= len(self.tokens) or last < 0:
            return None
        return TokenSpan(first, last, self.starts[first], self.ends[last])


def tokenized(text: str, tokens: list | None, sentences: list | None) -> Tokenized:
    """Return the document's stored tokens and sentences, or tokenise it now."""
    if tokens is None:
        tokens, sentences = _tokenize(text)
    tokens = [(start, end) for start, end in tokens]
    token_starts = [start for start, _ in tokens]
    starts = sorted({bisect_left(token_starts, start) for start, _ in sentences or []})
    starts = [first for first in starts if first < len(tokens)]
    if tokens and (not starts or starts[0] != 0):
        starts.insert(0, 0)
    bounds = [*starts, len(tokens)]
    ranges = [(bounds[i], bounds[i + 1]) for i in range(len(starts)) if bounds[i] < bounds[i + 1]]
    return Tokenized(text, tokens, ranges)


def _tokenize(text: str) -> tuple[list[Offsets], list[Offsets]]:
    doc = _blank_english()(text)
    return doc_offsets(doc)


@cache
def _blank_english() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def doc_offsets(doc: "Doc") -> tuple[list[Offsets], list[Offsets]]:
    """Return the offsets of every token that is not whitespace, and of every sentence
    without its leading or trailing whitespace (the whole text if the doc has no sentence
    boundaries)."""
    # From the doc's arrays: a Token object per token cost more than the rest of an analysis.
    import numpy
    from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START

    if not len(doc):
        return [], []
    columns = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).astype(numpy.int64)
    words = columns[:, 2] == 0
    starts = columns[words, 0]
    ends = starts + columns[words, 1]
    tokens = list(zip(starts.tolist(), ends.tolist(), strict=True))
    if not doc.has_annotation("SENT_START"):
        return tokens, [(0, len(doc.text))]
    if not tokens:
        return tokens, []
    # Each word's sentence, cut where a token starts one (as `doc.sents` cuts).
    sentence = numpy.cumsum(columns[:, 3] == 1)[words]
    changes = numpy.flatnonzero(sentence[1:] != sentence[:-1]) + 1  # a sentence's first word
    firsts = numpy.concatenate(([0], changes))
    lasts = numpy.concatenate((changes - 1, [len(sentence) - 1]))
    return tokens, list(zip(starts[firsts].tolist(), ends[lasts].tolist(), strict=True))
