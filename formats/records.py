"""What readers produce: article records (with any annotations they carry) and problems.

Offsets are code points of `ArticleRecord.text`, end-exclusive, whatever the source format
counts in: a reader converts UTF-16 units, tokens or inclusive ends before it yields.
Items refer to each other by `ref`, the id the source gave them (brat `T1`, doccano `3`).
Labels are the source's own; the import maps them onto the corpus schema.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something wrong with one record: where it is and what is wrong.

    An error means the record was not imported; a warning means it was, with the
    change or omission the message describes.
    """

    file: str
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = ERROR

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class SpanRecord:
    """A labelled span: an entity mention, or an event trigger when the label is an event type."""

    start: int
    end: int
    label: str
    ref: str = ""
    line: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    score: float | None = None


@dataclass
class ArgumentRecord:
    """A role of an event filled by the span or event whose `ref` is given."""

    role: str
    ref: str
    index: int = 1


@dataclass
class EventRecord:
    """An event: a trigger `[start, end)` with an event type, and its arguments."""

    start: int
    end: int
    label: str
    arguments: list[ArgumentRecord] = field(default_factory=list)
    ref: str = ""
    line: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    score: float | None = None


@dataclass
class RelationRecord:
    """A directed relation between two items, by ref; from a trigger it may be an argument."""

    label: str
    head: str
    tail: str
    ref: str = ""
    line: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class RecordAnnotations:
    """The annotations a record came with (possibly none: an empty brat .ann)."""

    spans: list[SpanRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    labels: dict[str, Any] = field(default_factory=dict)  # document labels, as Goldset's JSONL

    def __len__(self) -> int:
        return len(self.spans) + len(self.events) + len(self.relations) + len(self.labels)


@dataclass
class ArticleRecord:
    """One article read from a file, before cleaning.

    `line` is where the record starts (JSONL and CSV), `annotations` is None when the
    format carries none, and `warnings` are problems that did not stop the record.
    """

    text: str
    source: str
    external_id: str = ""
    title: str = ""
    url: str = ""
    published: datetime.date | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    annotations: RecordAnnotations | None = None
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, message: str, line: int | None = None) -> None:
        """Note a warning about this record, at `line` or the record's own line."""
        self.warnings.append(Problem(self.source, message, line or self.line, WARNING))
