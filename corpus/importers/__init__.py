"""Readers that turn files into article records and problems, one module per format.

Each reader is `read(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord |
Problem]`: it streams, yields a problem for each bad record and goes on with the next.
"""

from collections.abc import Callable, Iterator

from django.utils.module_loading import import_string

from corpus.errors import InvalidInput
from corpus.importers.files import ImportSource
from corpus.importers.options import ReadOptions
from corpus.importers.records import ArticleRecord, Problem
from corpus.importers.sniffing import detect_format

Reader = Callable[[ImportSource, ReadOptions], Iterator[ArticleRecord | Problem]]

READERS = {
    "txt": "corpus.importers.plaintext.read_plaintext",
    "jsonl": "corpus.importers.jsonl.read_jsonl",
    "csv": "corpus.importers.tables.read_csv",
    "brat": "corpus.importers.brat.read_brat",
    "doccano": "corpus.importers.doccano.read_doccano",
    "prodigy": "corpus.importers.prodigy.read_prodigy",
    "conll": "corpus.importers.conll.read_conll",
}
FORMATS = ("auto", *READERS)


def records_read(
    source: ImportSource, *, format: str = "auto", options: ReadOptions | None = None
) -> tuple[str, Iterator[ArticleRecord | Problem]]:
    """Return the format used (detected when "auto") and the records it reads from `source`."""
    if format == "auto":
        format = detect_format(source)
    if format not in READERS:
        raise InvalidInput(f"Unknown format {format!r}: use one of {', '.join(FORMATS)}")
    reader: Reader = import_string(READERS[format])
    return format, reader(source, options or ReadOptions())
