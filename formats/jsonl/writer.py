"""Goldset JSONL: every field of every item, which the `jsonl` importer reads back exactly.

A line is the export's record as it is (`exports.records`); its keys are `keys.LINE_KEYS`.
"""

import json

from formats.writing import ExportDocument, LinesWriter


class JsonlWriter(LinesWriter):
    format = "jsonl"
    extension = ".jsonl"

    def block(self, document: ExportDocument) -> str:
        return json.dumps(document.record, ensure_ascii=False) + "\n"
