"""Goldset JSONL: every field of every item, which the `jsonl` importer reads back exactly."""

import json

from annotations.exporters.layers import ExportDocument
from annotations.exporters.writers.base import LinesWriter


class JsonlWriter(LinesWriter):
    format = "jsonl"
    extension = ".jsonl"

    def block(self, document: ExportDocument) -> str:
        return json.dumps(document.record, ensure_ascii=False) + "\n"
