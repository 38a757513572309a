"""Every format Goldset reads or writes, one record each, for the CLI, API, pages and README.

A reader or writer is named by its dotted path and imported when first asked for, so spaCy
loads only for a DocBin export.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.module_loading import import_string

from config.errors import InvalidInput
from formats.files import ImportSource
from formats.options import ReadOptions
from formats.records import ArticleRecord, Problem
from formats.writing import Writer

Reader = Callable[[ImportSource, ReadOptions], Iterator[ArticleRecord | Problem]]

AUTO = "auto"  # an import choice, not a format: the sniffer picks the reader
AUTO_HINT = "detect from the files' names and contents"


@dataclass(frozen=True)
class Format:
    """One format: its key and name, what the pages say of it, and the code that reads or writes it.

    `reader` is the dotted path of a `read(source, options)` function, `writer` of a Writer
    class; None where Goldset does not go that way. `folder`: an export is many files, so
    the command line writes a folder. `tokens`: the writer needs each document's tokens.
    """

    key: str
    name: str
    import_hint: str = ""
    export_hint: str = ""
    reader: str | None = None
    writer: str | None = None
    folder: bool = False
    tokens: bool = False


# In the order the import form and `import_documents --format` list them.
FORMATS = (
    Format(
        "txt",
        "Plain text",
        import_hint="one article per .txt file",
        reader="formats.txt.reader.read_plaintext",
    ),
    Format(
        "jsonl",
        "Goldset JSONL",
        import_hint="one JSON object per line with text (and id, title, date, url)",
        export_hint="every field of every entity, event and relation; Goldset imports it back"
        " exactly",
        reader="formats.jsonl.reader.read_jsonl",
        writer="formats.jsonl.writer.JsonlWriter",
    ),
    Format(
        "csv",
        "CSV or TSV",
        import_hint="a table with a header row (.csv or .tsv); columns below",
        reader="formats.csv.reader.read_csv",
    ),
    Format(
        "brat",
        "brat standoff",
        import_hint="brat standoff: .txt and .ann pairs (and annotation.conf), as files or a zip",
        export_hint="a .txt and .ann pair per document with annotation.conf: entities, events,"
        " relations",
        reader="formats.brat.reader.read_brat",
        writer="formats.brat.writer.BratWriter",
        folder=True,
    ),
    Format(
        "doccano",
        "doccano JSONL",
        import_hint="doccano JSONL: text with label or entities",
        export_hint="text with entity spans and relations, for a doccano sequence-labelling"
        " project",
        reader="formats.doccano.reader.read_doccano",
        writer="formats.doccano.writer.DoccanoWriter",
    ),
    Format(
        "prodigy",
        "Prodigy JSONL",
        import_hint="Prodigy JSONL: text with spans",
        reader="formats.prodigy.reader.read_prodigy",
    ),
    Format(
        "conll",
        "CoNLL-2003",
        import_hint="CoNLL: a token and its BIO tag per line, blank lines between sentences",
        export_hint="one token and its IOB entity tag per line, sentences apart; entities only",
        reader="formats.conll.reader.read_conll",
        writer="formats.conll.writer.ConllWriter",
        tokens=True,
    ),
    Format(
        "spacy",
        "spaCy DocBin",
        export_hint=".spacy files of tokenised documents with their entities, for spacy train",
        writer="formats.spacy.writer.SpacyWriter",
        folder=True,
        tokens=True,
    ),
    Format(
        "dygiepp",
        "DyGIE++",
        export_hint="tokenised sentences with entities, event triggers and arguments, and"
        " relations",
        writer="formats.dygiepp.writer.DygieppWriter",
        tokens=True,
    ),
)
# The export page, `export_corpus --format` and the API list writers in this order.
EXPORT_ORDER = ("spacy", "jsonl", "doccano", "conll", "brat", "dygiepp")
EXPORT_DEFAULT = "jsonl"  # what an export writes when no format is asked for

_BY_KEY = {format.key: format for format in FORMATS}
_IMPORT = tuple(format for format in FORMATS if format.reader)
_EXPORT = tuple(_BY_KEY[key] for key in EXPORT_ORDER)


def import_formats() -> tuple[Format, ...]:
    """Return the formats Goldset reads, in the order the import choices list them."""
    return _IMPORT


def export_formats() -> tuple[Format, ...]:
    """Return the formats Goldset writes, in the order the export choices list them."""
    return _EXPORT


def import_choices() -> tuple[str, ...]:
    """Return what an import's format may be: `auto`, then each readable format's key."""
    return (AUTO, *(format.key for format in _IMPORT))


def export_choices() -> tuple[str, ...]:
    """Return what an export's format may be: each writable format's key."""
    return tuple(format.key for format in _EXPORT)


def format_get(key: str) -> Format:
    """Return the format called `key`; raise KeyError for an unknown one."""
    return _BY_KEY[key]


def reader_for(key: str) -> Reader:
    """Return the read function of `key`; raise InvalidInput naming the choices."""
    format = _BY_KEY.get(key)
    if format is None or format.reader is None:
        raise InvalidInput(f"Unknown format {key!r}: use one of {', '.join(import_choices())}")
    return import_string(format.reader)


def writer_for(key: str) -> type[Writer]:
    """Return the Writer class of `key`; raise InvalidInput naming the choices."""
    format = _BY_KEY.get(key)
    if format is None or format.writer is None:
        raise InvalidInput(f"format {key!r}: use one of {', '.join(export_choices())}")
    return import_string(format.writer)
