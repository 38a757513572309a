"""One writer per export format, imported when used (spaCy loads only for DocBin)."""

from django.utils.module_loading import import_string

from formats.writing import Writer

WRITERS = {
    "spacy": "formats.spacy.writer.SpacyWriter",
    "jsonl": "formats.jsonl.writer.JsonlWriter",
    "doccano": "formats.doccano.writer.DoccanoWriter",
    "conll": "formats.conll.writer.ConllWriter",
    "brat": "formats.brat.writer.BratWriter",
    "dygiepp": "formats.dygiepp.writer.DygieppWriter",
}


def writer_class(format: str) -> type[Writer]:
    return import_string(WRITERS[format])
