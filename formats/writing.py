"""What every format writer does; the runner calls these in order.

    begin()                          once, before any document
    open_split(split) ... write(doc)  for each part of the split (split is None without one)
    close_split()
    finish()                         once, at the end

A writer opens files through its sink one at a time and closes each before the next.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, BinaryIO, Protocol

from formats.tokens import Tokenized, tokenized


class Sink(Protocol):
    """Where a writer's files go: a folder, a zip, a stream, or nowhere (a preview)."""

    def open(self, name: str) -> BinaryIO: ...


class Report(Protocol):
    """What a writer tells about its export: the files it wrote and what it could not keep."""

    files: list[str]

    def warn(self, kind: str, message: str, *, document: str = "", **where: Any) -> None: ...


@dataclass(frozen=True)
class Target:
    """What is exported, as writers need it: a name for files and the label schema's data.

    `schema` is the schema as data (the preset file format: key, entity_types, ...).
    """

    name: str
    schema: dict[str, Any] = field(default_factory=dict)
    snap: str = "none"


@dataclass
class ExportDocument:
    """One document to export: its Goldset record, its part of the split, and its tokens."""

    record: dict[str, Any]
    split: str | None = None
    stored_tokens: list | None = None
    stored_sentences: list | None = None

    @property
    def key(self) -> str:
        return self.record["id"]

    @cached_property
    def tokenized(self) -> Tokenized:
        return tokenized(self.record["text"], self.stored_tokens, self.stored_sentences)


class Writer:
    format = ""
    extension = ""

    def __init__(self, *, target: Target, report: Report, sink: Sink) -> None:
        self.target = target
        self.report = report
        self.sink = sink
        self.split: str | None = None

    def file_name(self, split: str | None) -> str:
        """`train.jsonl` in a split, else `<name>.jsonl`."""
        return f"{split or self.target.name}{self.extension}"

    def open(self, name: str) -> BinaryIO:
        self.report.files.append(name)
        return self.sink.open(name)

    def begin(self) -> None:
        """Write what comes before the documents."""

    def open_split(self, split: str | None) -> None:
        self.split = split

    def write(self, document: ExportDocument) -> None:
        raise NotImplementedError

    def close_split(self) -> None:
        """Finish the current part."""

    def finish(self) -> None:
        """Write what comes after the documents."""


class LinesWriter(Writer):
    """One JSON (or text) block per document in one file per part of the split."""

    def open_split(self, split: str | None) -> None:
        super().open_split(split)
        self.stream = self.open(self.file_name(split))

    def write(self, document: ExportDocument) -> None:
        self.stream.write(self.block(document).encode("utf-8"))

    def block(self, document: ExportDocument) -> str:
        raise NotImplementedError

    def close_split(self) -> None:
        self.stream.close()
