"""Read CoNLL/IOB token-and-tag files (CoNLL-2003, doccano's CoNLL, spaCy's `.iob`) as articles.

Two layouts, chosen per file from its first token line (see FORMATS.md §5.4 and §6):

- one token per line, columns separated by TABs or spaces: the first column is the word, the
  last the tag (2 to 5 columns: CoNLL-2003 has word, POS, chunk, tag); a blank line ends a
  sentence;
- spaCy's one sentence per line, tokens `word|TAG` or `word|POS|TAG` separated by spaces.

A line starting with `-DOCSTART-` (any variant) starts a new document; a file without one is
one document. The external id is the file stem, or `stem-N` when a file holds several
documents. Tags may be IOB1 (an `I-` after `O` or another label opens an entity), IOB2, BIOES
or BILOU; entities end at sentence ends.

The text is rebuilt: tokens joined by single spaces, sentences by "\\n". The original spacing
is lost (as in doccano's CoNLL import and spaCy's converters) and offsets refer to the rebuilt
text. `metadata["sentences"]` holds each sentence's `[start, end]` there, `metadata["lines"]`
the document's first and last token lines.

An invalid tag or a line with one column is a warning: the word is kept, tagged O. A line that
is not UTF-8 is a warning and is left out. Files are streamed: one document is held at a time.
"""

import io
from collections.abc import Iterator

from formats.conll.tags import CLOSES, DOCSTART, GOES_ON, OUTSIDE, TAG
from formats.files import ImportSource, InputFile, decoded_lines
from formats.options import ReadOptions
from formats.records import (
    WARNING,
    ArticleRecord,
    Problem,
    RecordAnnotations,
    SpanRecord,
)
from formats.sniffing import CONLL_SUFFIXES

MAX_COLUMNS = 5


def read_conll(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield one record per document of every CoNLL, IOB or token-per-line .txt file."""
    for file in source.with_suffix(*CONLL_SUFFIXES, ".txt"):
        yield from conll_records(source, file)


def conll_records(source: ImportSource, file: InputFile) -> Iterator[ArticleRecord | Problem]:
    """Yield the documents of one file, each as soon as it ends."""
    document = _Document(file, index=1)
    sentence_per_line = None
    for item in decoded_lines(source, file):
        if isinstance(item, Problem):
            if item.line is None:
                yield item
                return
            document.warn(item.line, f"{item.message}; line left out")
            continue
        number, line = item
        stripped = line.strip()
        if stripped.startswith(DOCSTART):
            if document.has_tokens:
                yield document.record(numbered=True)
                document = _Document(file, index=document.index + 1)
        elif not stripped:
            document.end_sentence()
        else:
            if sentence_per_line is None:
                sentence_per_line = all("|" in token for token in stripped.split())
            if sentence_per_line:
                for token in stripped.split():
                    document.add_columns(token.split("|"), number)
                document.end_sentence()
            else:
                document.add_columns(stripped.split(), number)
    if document.has_tokens:
        yield document.record(numbered=document.index > 1)
        return
    for problem in document.problems:
        yield Problem(problem.file, problem.message, problem.line)
    if document.index == 1:
        yield Problem(file.name, "the file holds no tokens")


class _Document:
    """One document being read: its rebuilt text, sentences, entities and warnings."""

    def __init__(self, file: InputFile, *, index: int) -> None:
        self.file = file
        self.index = index
        self.text = io.StringIO()
        self.length = 0
        self.sentences: list[list[int]] = []
        self.sentence_start: int | None = None
        self.spans: list[SpanRecord] = []
        self.entity: SpanRecord | None = None
        self.problems: list[Problem] = []
        self.first_line: int | None = None
        self.last_line = 0

    @property
    def has_tokens(self) -> bool:
        return self.first_line is not None

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file.name, message, line, WARNING))

    def add_columns(self, columns: list[str], line: int) -> None:
        """Add a token from its columns (or `|` parts): the first is the word, the last the tag."""
        if len(columns) == 1:
            self.warn(line, f"{columns[0]!r} has no tag; read as O")
            columns = [columns[0], OUTSIDE]
        elif len(columns) > MAX_COLUMNS:
            self.warn(line, f"{len(columns)} columns, more than {MAX_COLUMNS}; the last is the tag")
        self.add_token(columns[0], columns[-1], line)

    def add_token(self, word: str, tag: str, line: int) -> None:
        if self.sentence_start is None:
            if self.sentences:
                self._write("\n")
            self.sentence_start = self.length
        else:
            self._write(" ")
        start = self.length
        self._write(word)
        self._tag(tag, start, line)
        if self.first_line is None:
            self.first_line = line
        self.last_line = line

    def end_sentence(self) -> None:
        self._close_entity()
        if self.sentence_start is not None:
            self.sentences.append([self.sentence_start, self.length])
            self.sentence_start = None

    def record(self, *, numbered: bool) -> ArticleRecord:
        """Finish the document and return it as a record."""
        self.end_sentence()
        stem = self.file.stem
        return ArticleRecord(
            text=self.text.getvalue(),
            source=self.file.name,
            external_id=f"{stem}-{self.index}" if numbered else stem,
            line=self.first_line,
            metadata={"lines": [self.first_line, self.last_line], "sentences": self.sentences},
            annotations=RecordAnnotations(spans=self.spans),
            warnings=self.problems,
        )

    def _tag(self, tag: str, start: int, line: int) -> None:
        if tag == OUTSIDE:
            self._close_entity()
            return
        match = TAG.fullmatch(tag)
        if not match:
            self.warn(line, f"tag {tag!r} is not O or B-, I-, E-, S-, L-, U- + label; read as O")
            self._close_entity()
            return
        prefix, label = match.groups()
        if self.entity and self.entity.label == label and prefix in GOES_ON:
            self.entity.end = self.length
        else:
            self._close_entity()
            self.entity = SpanRecord(start, self.length, label, line=line)
        if prefix in CLOSES:
            self._close_entity()

    def _close_entity(self) -> None:
        if self.entity:
            self.spans.append(self.entity)
            self.entity = None

    def _write(self, piece: str) -> None:
        self.text.write(piece)
        self.length += len(piece)
