"""Readers that turn files into article records and problems, one module per format.

Each reader is `read(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord |
Problem]` (`formats.registry.Reader`): it streams, yields a problem for each bad record and
goes on with the next.
"""

from collections.abc import Iterator

from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import ArticleRecord, Problem
from formats.registry import AUTO, reader_for
from formats.sniffing import detect_format


def records_read(
    source: ImportSource, *, format: str = AUTO, options: ReadOptions | None = None
) -> tuple[str, Iterator[ArticleRecord | Problem]]:
    """Return the format used (detected when "auto") and the records it reads from `source`."""
    if format == AUTO:
        format = detect_format(source)
    reader = reader_for(format)
    return format, reader(source, options or ReadOptions())
