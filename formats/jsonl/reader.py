"""Read Goldset's own JSONL: one article per line, optionally with entities and events.

    {"id": "a1", "title": "…", "url": "…", "published": "2012-03-08", "text": "…",
     "metadata": {…},
     "entities": [{"id": "T1", "start": 0, "end": 6, "label": "PER"}],
     "events": [{"id": "E1", "type": "Conflict.Attack", "trigger": {"start": 7, "end": 15},
                 "arguments": [{"role": "Attacker", "ref": "T1"}]}],
     "relations": [{"type": "PART-WHOLE", "head": "T3", "tail": "T4"}]}

Only `text` is required. Offsets are code points, end-exclusive. `goldset` (what an export
records about the document's database id and layer) is not imported. An entity without an `id`
is referred to by its position ("0", "1", …). Keys not listed here go into metadata.
Entities, events and relations may also carry `attributes`, `note` and `score`.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from formats.files import ImportSource
from formats.jsonl.keys import ALIASES, ANNOTATION_KEYS, LINE_KEYS
from formats.jsonlines import json_records, list_field
from formats.options import ReadOptions
from formats.records import (
    ArgumentRecord,
    ArticleRecord,
    EventRecord,
    Problem,
    RecordAnnotations,
    RelationRecord,
    SpanRecord,
)
from formats.sniffing import JSON_SUFFIXES

KNOWN_KEYS = {*LINE_KEYS, *ALIASES}


def read_jsonl(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield one record per JSON line of every .jsonl/.json file."""
    for file in source.with_suffix(*JSON_SUFFIXES):
        for item in json_records(source, file):
            if isinstance(item, Problem):
                yield item
            else:
                yield article_from_json(item[1], file=file.name, line=item[0])


def article_from_json(data: dict[str, Any], *, file: str, line: int) -> ArticleRecord | Problem:
    """Turn one JSON object into a record; a bad annotation is a warning, no text an error."""
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        what = "has no text" if text is None else "has an empty or non-string text"
        keys = ", ".join(sorted(data)[:8])
        return Problem(file, f"the record {what} (key 'text'; its keys: {keys})", line=line)
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    metadata = {**metadata, **{k: v for k, v in data.items() if k not in KNOWN_KEYS}}
    record = ArticleRecord(
        text=text,
        source=file,
        line=line,
        external_id=str(data.get("id", data.get("external_id", "")) or ""),
        title=_string(data.get("title")),
        url=_string(data.get("url")),
        metadata=metadata,
    )
    record.published = _date(record, data.get("published", data.get("date")))
    if any(key in data for key in (*ANNOTATION_KEYS, "labels")):
        record.annotations = _annotations(record, data)
    return record


def _annotations(record: ArticleRecord, data: dict[str, Any]) -> RecordAnnotations:
    annotations = RecordAnnotations()
    for index, item in enumerate(list_field(record, data, "entities")):
        span = _span(record, item, index)
        if span:
            annotations.spans.append(span)
    for index, item in enumerate(list_field(record, data, "events")):
        event = _event(record, item, index)
        if event:
            annotations.events.append(event)
    for index, item in enumerate(list_field(record, data, "relations")):
        relation = _relation(record, item, index)
        if relation:
            annotations.relations.append(relation)
    labels = data.get("labels")
    if isinstance(labels, dict):
        annotations.labels = labels
    elif labels is not None:
        record.warn(f"labels must be an object ({{label: [values]}}), not {type(labels).__name__}")
    return annotations


def _span(record: ArticleRecord, item: Any, index: int) -> SpanRecord | None:
    if isinstance(item, list) and len(item) == 3:
        item = {"start": item[0], "end": item[1], "label": item[2]}
    if not isinstance(item, dict):
        record.warn(f"entities[{index}] is not an object; left out")
        return None
    start, end, label = item.get("start"), item.get("end"), item.get("label")
    if not _offsets_valid(record, start, end) or not (isinstance(label, str) and label.strip()):
        where = f"entities[{index}]"  # named only when something is wrong: most spans are fine
        if _offsets(record, where, start, end):
            _label(record, where, label)
        return None
    ref = item.get("id", index)
    if "attributes" not in item and "score" not in item and "note" not in item:
        return SpanRecord(start, end, label, str(ref), record.line)  # most spans
    return SpanRecord(start=start, end=end, label=label, ref=str(ref), line=record.line,
                      **_extras(item))  # fmt: skip


def _event(record: ArticleRecord, item: Any, index: int) -> EventRecord | None:
    where = f"events[{index}]"
    if not isinstance(item, dict):
        record.warn(f"{where} is not an object; left out")
        return None
    trigger = item.get("trigger") if isinstance(item.get("trigger"), dict) else {}
    start = trigger.get("start", item.get("trigger_start", item.get("start")))
    end = trigger.get("end", item.get("trigger_end", item.get("end")))
    label = item.get("type", item.get("label"))
    if not _offsets(record, f"{where}.trigger", start, end) or not _label(record, where, label):
        return None
    arguments = []
    for position, argument in enumerate(list_field(record, item, "arguments")):
        argument = argument if isinstance(argument, dict) else {}
        ref = argument.get("ref", argument.get("entity", argument.get("event")))
        role = argument.get("role")
        if not isinstance(role, str) or ref is None:
            record.warn(f"{where}.arguments[{position}] needs a role and a ref; left out")
            continue
        index_ = argument.get("index", 1)
        arguments.append(ArgumentRecord(role, str(ref), index_ if isinstance(index_, int) else 1))
    return EventRecord(
        start=start,
        end=end,
        label=label,
        arguments=arguments,
        ref=str(item.get("id", f"event-{index}")),
        line=record.line,
        **_extras(item),
    )


def _relation(record: ArticleRecord, item: Any, index: int) -> RelationRecord | None:
    where = f"relations[{index}]"
    if not isinstance(item, dict) or item.get("head") is None or item.get("tail") is None:
        record.warn(f"{where} needs an object with head and tail; left out")
        return None
    label = item.get("type", item.get("label"))
    if not _label(record, where, label):
        return None
    extras = _extras(item)
    extras.pop("score")
    return RelationRecord(
        label=label,
        head=str(item["head"]),
        tail=str(item["tail"]),
        ref=str(item.get("id", "")),
        line=record.line,
        **extras,
    )


def _offsets_valid(record: ArticleRecord, start: Any, end: Any) -> bool:
    """Whether start and end are integers (not booleans) with 0 <= start < end <= the length."""
    return type(start) is int and type(end) is int and 0 <= start < end <= len(record.text)


def _offsets(record: ArticleRecord, where: str, start: Any, end: Any) -> bool:
    integers = all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end))
    if integers and 0 <= start < end <= len(record.text):
        return True
    if not integers:
        record.warn(f"{where}: start and end must be integers, not {start!r} and {end!r}")
    elif start >= end:
        record.warn(f"{where}: start {start} is not before end {end}; left out")
    else:
        record.warn(
            f"{where}: offsets {start}-{end} lie outside the text ({len(record.text)}"
            " characters); left out"
        )
    return False


def _label(record: ArticleRecord, where: str, label: Any) -> bool:
    if isinstance(label, str) and label.strip():
        return True
    record.warn(f"{where} has no label; left out")
    return False


def _extras(item: dict[str, Any]) -> dict[str, Any]:
    attributes = item.get("attributes")
    score = item.get("score")
    note = item.get("note")
    if attributes is None and score is None and note is None:  # most items: offsets and label
        return {"attributes": {}, "note": "", "score": None}
    return {
        "attributes": attributes if isinstance(attributes, dict) else {},
        "note": _string(note),
        "score": float(score) if isinstance(score, int | float) else None,
    }


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(record: ArticleRecord, value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        record.warn(f"published date {value!r} is not an ISO date (YYYY-MM-DD); left out")
        return None
