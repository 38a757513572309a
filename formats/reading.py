"""Readers that turn files into article records and problems, one module per format.

Each reader is `read(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord |
Problem]`: it streams, yields a problem for each bad record and goes on with the next.
"""

from collections.abc import Callable, Iterator

from django.utils.module_loading import import_string

from config.errors import InvalidInput
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import ArticleRecord, Problem
from formats.sniffing import detect_format

Reader = Callable[[ImportSource, ReadOptions], Iterator[ArticleRecord | Problem]]

READERS = {
    "txt": "formats.txt.reader.read_plaintext",
    "jsonl": "formats.jsonl.reader.read_jsonl",
    "csv": "formats.csv.reader.read_csv",
    "brat": "formats.brat.reader.read_brat",
    "doccano": "formats.doccano.reader.read_doccano",
    "prodigy": "formats.prodigy.reader.read_prodigy",
    "conll": "formats.conll.reader.read_conll",
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
