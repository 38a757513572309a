"""One writer per export format, imported when used (spaCy loads only for DocBin)."""

from django.utils.module_loading import import_string

from annotations.exporters.writers.base import Writer

WRITERS = {
    "spacy": "annotations.exporters.writers.spacy.SpacyWriter",
    "jsonl": "annotations.exporters.writers.jsonl.JsonlWriter",
    "doccano": "annotations.exporters.writers.doccano.DoccanoWriter",
    "conll": "annotations.exporters.writers.conll.ConllWriter",
    "brat": "annotations.exporters.writers.brat.BratWriter",
    "dygiepp": "annotations.exporters.writers.dygiepp.DygieppWriter",
}


def writer_class(format: str) -> type[Writer]:
    return import_string(WRITERS[format])
