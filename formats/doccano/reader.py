"""Read doccano sequence-labelling and relation JSONL, its offsets turned into code points.

Two record shapes, one per line (see FORMATS.md §3):

    {"text": "…", "label": [[0, 2, "ORG"], {"start_offset": 3, "end_offset": 9, "label": "LOC"}]}
    {"text": "…", "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "ORG"}],
     "relations": [{"id": 1, "from_id": 0, "to_id": 2, "type": "foundedBy"}]}

- The text and label keys may be renamed (`ReadOptions.text_key`, `.label_key`).
- doccano counts offsets in UTF-16 code units (as JavaScript does); they are converted to code
  points. Grapheme-cluster offsets (doccano's "grapheme mode") cannot be told apart and are not
  supported.
- A record without text is an error and is skipped. A span with offsets that are not integers,
  negative, not increasing, past the text or inside a surrogate pair, or with an empty label, is
  a warning naming the line and the span, and is left out; the rest of the record is kept.
- Overlapping and duplicate spans are all kept (doccano drops them silently by default).
- An entity's `id` becomes the span's ref; a relation naming no kept entity is a warning.
- `id` becomes `metadata["doccano_id"]` and the external id; every other key (`meta`,
  `Comments`, …) goes into metadata as it is.
- `.conll` files beside the JSONL are read as CoNLL, as doccano imports them.
"""

import json
from collections.abc import Iterator
from typing import Any

from formats.conll.reader import conll_records
from formats.doccano.line import Utf16Offsets, line_keys
from formats.files import ImportSource, InputFile
from formats.jsonlines import json_records, list_field
from formats.options import ReadOptions
from formats.records import (
    ArticleRecord,
    Problem,
    RecordAnnotations,
    RelationRecord,
    SpanRecord,
)
from formats.sniffing import CONLL_SUFFIXES, JSON_SUFFIXES


def read_doccano(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield a record per JSON line of the .jsonl/.json files, and the documents of .conll files."""
    for file in source.files:
        if file.suffix in JSON_SUFFIXES:
            yield from doccano_records(source, file, options)
        elif file.suffix in CONLL_SUFFIXES:
            yield from conll_records(source, file)


def doccano_records(
    source: ImportSource, file: InputFile, options: ReadOptions
) -> Iterator[ArticleRecord | Problem]:
    """Yield a record, or the problem that stopped it, for each JSON object of one file."""
    for item in json_records(source, file):
        if isinstance(item, Problem):
            yield item
        else:
            yield article_from_doccano(item[1], file=file.name, line=item[0], options=options)


def article_from_doccano(
    fields: dict[str, Any], *, file: str, line: int, options: ReadOptions
) -> ArticleRecord | Problem:
    """Turn one doccano object into a record; bad spans are warnings, no text an error."""
    text_key, label_key = options.text_key, options.label_key
    text = fields.get(text_key)
    if not isinstance(text, str) or not text.strip():
        what = "no" if text is None else "an empty or non-string"
        return Problem(file, f"the record has {what} text (key {text_key!r})", line)
    taken = line_keys(text_key=text_key, label_key=label_key)
    record = ArticleRecord(
        text=text,
        source=file,
        line=line,
        metadata={key: value for key, value in fields.items() if key not in taken},
        annotations=RecordAnnotations(),
    )
    if fields.get("id") is not None:
        record.external_id = str(fields["id"])
        record.metadata["doccano_id"] = fields["id"]
    offsets = Utf16Offsets(text)
    for item in list_field(record, fields, label_key):
        _add_span(record, offsets, item, ref="")
    entity_ids = set()
    for item in list_field(record, fields, "entities"):
        ident = item.get("id") if isinstance(item, dict) else None
        ref = "" if ident is None else str(ident)
        if ref and ref in entity_ids:
            record.warn(f"entity id {ident} appears twice; the second is kept without its id")
            ref = ""
        if ref:
            entity_ids.add(ref)
        _add_span(record, offsets, item, ref=ref)
    kept = {span.ref for span in record.annotations.spans if span.ref}
    for item in list_field(record, fields, "relations"):
        _add_relation(record, item, kept=kept, entity_ids=entity_ids)
    return record


def _add_span(record: ArticleRecord, offsets: Utf16Offsets, item: Any, *, ref: str) -> None:
    if isinstance(item, list | tuple) and len(item) == 3:
        start, end, label = item
    elif isinstance(item, dict):
        start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
    else:
        record.warn(f"span {_shown(item)} is not [start, end, label] or an object; left out")
        return
    where = f"span {_shown([start, end, label])}" + (f" (entity {ref})" if ref else "")
    problem = _offset_problem(start, end, offsets.length)
    if problem is None and not (isinstance(label, str) and label.strip()):
        problem = "has no label"
    if problem is None:
        start, end = offsets.code_point(start), offsets.code_point(end)
        if start is None or end is None:
            problem = "splits a character outside the BMP (an emoji?) in the middle"
    if problem:
        record.warn(f"{where} {problem}; left out")
        return
    record.annotations.spans.append(SpanRecord(start, end, label, ref=ref, line=record.line))


def _offset_problem(start: Any, end: Any, length: int) -> str | None:
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end)):
        return "has offsets that are not whole numbers"
    if start < 0:
        return "has a negative offset"
    if start >= end:
        return "does not start before it ends"
    if end > length:
        return f"ends past the text ({length} UTF-16 units)"
    return None


def _add_relation(
    record: ArticleRecord, item: Any, *, kept: set[str], entity_ids: set[str]
) -> None:
    if not isinstance(item, dict):
        record.warn(f"relation {_shown(item)} is not an object; left out")
        return
    head, tail, label = item.get("from_id"), item.get("to_id"), item.get("type")
    where = f"relation {_shown(item)}"
    if not (isinstance(label, str) and label.strip()):
        record.warn(f"{where} has no type; left out")
        return
    for ident in (head, tail):
        if ident is None or str(ident) not in kept:
            why = "was left out" if str(ident) in entity_ids else "is not in the record"
            record.warn(f"{where} names entity {ident}, which {why}; left out")
            return
    ref = "" if item.get("id") is None else str(item["id"])
    relation = RelationRecord(label, str(head), str(tail), ref=ref, line=record.line)
    record.annotations.relations.append(relation)


def _shown(value: Any) -> str:
    """Show a piece of the source as JSON, shortened for a message."""
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 80 else f"{shown[:77]}..."
