"""What every format writer does; the runner calls these in order.

    begin()                          once, before any document
    open_split(split) ... write(doc)  for each part of the split (split is None without one)
    close_split()
    finish()                         once, at the end

A writer opens files through its sink one at a time and closes each before the next.
"""

from typing import BinaryIO

from annotations.exporters.layers import ExportDocument
from annotations.exporters.options import ExportOptions
from annotations.exporters.report import ExportReport
from annotations.exporters.sinks import Sink
from corpus.models import Corpus


class Writer:
    format = ""
    extension = ""

    def __init__(
        self, *, corpus: Corpus, options: ExportOptions, report: ExportReport, sink: Sink
    ) -> None:
        self.corpus = corpus
        self.options = options
        self.report = report
        self.sink = sink
        self.split: str | None = None

    def file_name(self, split: str | None) -> str:
        """`train.jsonl` in a split, else `<corpus slug>.jsonl`."""
        return f"{split or self.corpus.slug}{self.extension}"

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
