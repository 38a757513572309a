"""Read Prodigy JSONL (`prodigy db-out`): accepted tasks with their spans and relations.

See FORMATS.md §4. Span offsets are code points already. For each task:

- `answer: "accept"` and tasks without an answer (input tasks) are imported; any other answer
  (`reject`, `ignore`, binary negatives) is not, and each file ends with one warning per answer
  saying how many tasks were left out and on which lines;
- spans get refs `s0`, `s1`, … by their position in `spans`; offsets outside the text, not
  increasing or without a label are warnings and the span is left out; offsets that disagree
  with `tokens[token_start].start` / `tokens[token_end].end` (token_end inclusive) or with the
  span's `text` are warnings, and the character offsets are kept;
- a relation's `head_span` / `child_span` (or, without them, its `head` / `child` token, the
  span's token_end) must be one of the spans, else it is a warning and left out;
- every key but text, spans, tokens, relations and answer goes into metadata (`meta`, the
  hashes, `_view_id`, `_session_id`, `_annotator_id`, `_timestamp`, `accept`, `options`, …);
  the external id is `meta.id`, or else `_input_hash`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from formats.files import ImportSource, InputFile
from formats.jsonlines import json_records, list_field
from formats.options import ReadOptions
from formats.records import (
    WARNING,
    ArticleRecord,
    Problem,
    RecordAnnotations,
    RelationRecord,
    SpanRecord,
)
from formats.sniffing import JSON_SUFFIXES

TASK_KEYS = {"text", "spans", "tokens", "relations", "answer"}
SPAN_KEYS = {"start", "end", "token_start", "token_end", "label", "text", "score"}
RELATION_KEYS = {"head", "child", "head_span", "child_span", "label"}
LINES_SHOWN = 10


@dataclass
class _Skipped:
    """Tasks left out for one answer: how many, and the first few lines."""

    count: int = 0
    lines: list[int] = field(default_factory=list)

    def add(self, line: int) -> None:
        self.count += 1
        if len(self.lines) < LINES_SHOWN:
            self.lines.append(line)


class _SpanIndex:
    """A task's spans by offsets and by last token, for relations to find their ends."""

    def __init__(self) -> None:
        self.by_offsets: dict[tuple[int, int], list[SpanRecord]] = {}
        self.by_token_end: dict[int, list[SpanRecord]] = {}

    def add(self, span: SpanRecord, token_end: Any) -> None:
        self.by_offsets.setdefault((span.start, span.end), []).append(span)
        if isinstance(token_end, int):
            self.by_token_end.setdefault(token_end, []).append(span)

    def find(self, described: Any, token: Any) -> SpanRecord | None:
        """Find the span a relation end names: by its exact span, else by its token_end."""
        if isinstance(described, dict):
            label = described.get("label")
            matches = self.by_offsets.get((described.get("start"), described.get("end")), [])
        else:
            label = None
            matches = self.by_token_end.get(token, []) if isinstance(token, int) else []
        labelled = [span for span in matches if span.label == label]
        return (labelled or matches or [None])[0]


def read_prodigy(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield a record per accepted (or unanswered) task of every .jsonl/.json file."""
    for file in source.with_suffix(*JSON_SUFFIXES):
        yield from prodigy_records(source, file)


def prodigy_records(source: ImportSource, file: InputFile) -> Iterator[ArticleRecord | Problem]:
    """Yield the tasks of one file, then a warning per answer that was left out."""
    skipped: dict[str, _Skipped] = {}
    for item in json_records(source, file):
        if isinstance(item, Problem):
            yield item
            continue
        line, fields = item
        answer = fields.get("answer")
        if answer is None or answer == "accept":
            yield article_from_prodigy(fields, file=file.name, line=line)
            continue
        kind = f"answered {answer!r}"
        if fields.get("_is_binary") and answer == "reject":
            kind += " (binary negative examples)"
        skipped.setdefault(kind, _Skipped()).add(line)
    for kind, tasks in skipped.items():
        lines = ", ".join(str(line) for line in tasks.lines)
        unshown = tasks.count - len(tasks.lines)
        more = f" and {unshown} more" if unshown else ""
        what = "task" if tasks.count == 1 else "tasks"
        message = f"{tasks.count} {what} {kind} not imported (lines {lines}{more})"
        yield Problem(file.name, message, tasks.lines[0], WARNING)


def article_from_prodigy(
    fields: dict[str, Any], *, file: str, line: int
) -> ArticleRecord | Problem:
    """Turn one Prodigy task into a record; bad spans and relations are warnings."""
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        what = "no" if text is None else "an empty or non-string"
        return Problem(file, f"the task has {what} text", line)
    record = ArticleRecord(
        text=text,
        source=file,
        line=line,
        external_id=_external_id(fields),
        metadata={key: value for key, value in fields.items() if key not in TASK_KEYS},
        annotations=RecordAnnotations(),
    )
    tokens = fields.get("tokens") if isinstance(fields.get("tokens"), list) else None
    spans = _SpanIndex()
    for index, item in enumerate(list_field(record, fields, "spans")):
        span = _span(record, item, f"s{index}", tokens)
        if span:
            record.annotations.spans.append(span)
            spans.add(span, item.get("token_end"))
    for index, item in enumerate(list_field(record, fields, "relations")):
        _add_relation(record, item, index, spans)
    return record


def _span(record: ArticleRecord, item: Any, ref: str, tokens: list | None) -> SpanRecord | None:
    if not isinstance(item, dict):
        record.warn(f"span {ref} is not an object; left out")
        return None
    start, end, label = item.get("start"), item.get("end"), item.get("label")
    where = f"span {ref} [{start!r}, {end!r}, {label!r}]"
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end)):
        record.warn(f"{where} has offsets that are not whole numbers; left out")
        return None
    if not 0 <= start < end <= len(record.text):
        length = len(record.text)
        record.warn(f"{where} is not a stretch of the text ({length} characters); left out")
        return None
    if not (isinstance(label, str) and label.strip()):
        record.warn(f"{where} has no label; left out")
        return None
    disagreement = _token_disagreement(item, tokens, start, end)
    if disagreement:
        record.warn(f"{where}: {disagreement}; its character offsets are kept")
    quoted = item.get("text")
    if isinstance(quoted, str) and quoted != record.text[start:end]:
        found = record.text[start:end]
        record.warn(f"{where}: its text {quoted!r} is not the text there, {found!r}; kept")
    score = item.get("score")
    is_number = isinstance(score, int | float) and not isinstance(score, bool)
    return SpanRecord(
        start,
        end,
        label,
        ref=ref,
        line=record.line,
        attributes={key: value for key, value in item.items() if key not in SPAN_KEYS},
        score=float(score) if is_number else None,
    )


def _token_disagreement(item: dict, tokens: list | None, start: int, end: int) -> str | None:
    """Say how a span's token_start/token_end (end inclusive) disagree with its offsets."""
    first, last = item.get("token_start"), item.get("token_end")
    if tokens is None or (first is None and last is None):
        return None
    named = isinstance(first, int) and isinstance(last, int) and 0 <= first <= last < len(tokens)
    if not named or not isinstance(tokens[first], dict) or not isinstance(tokens[last], dict):
        return f"tokens {first!r}..{last!r} are not among the task's {len(tokens)} tokens"
    covered = tokens[first].get("start"), tokens[last].get("end")
    if covered != (start, end):
        return f"its tokens {first}..{last} cover characters {covered[0]}..{covered[1]}"
    return None


def _add_relation(record: ArticleRecord, item: Any, index: int, spans: "_SpanIndex") -> None:
    where = f"relation {index}"
    if not isinstance(item, dict):
        record.warn(f"{where} is not an object; left out")
        return
    label = item.get("label")
    if not (isinstance(label, str) and label.strip()):
        record.warn(f"{where} has no label; left out")
        return
    refs = []
    for end in ("head", "child"):
        span = spans.find(item.get(f"{end}_span"), item.get(end))
        if span is None:
            record.warn(f"{where} ({label}): its {end} is not one of the task's spans; left out")
            return
        refs.append(span.ref)
    attributes = {key: value for key, value in item.items() if key not in RELATION_KEYS}
    relation = RelationRecord(label, refs[0], refs[1], line=record.line, attributes=attributes)
    record.annotations.relations.append(relation)


def _external_id(fields: dict[str, Any]) -> str:
    meta = fields.get("meta")
    if isinstance(meta, dict) and meta.get("id") is not None:
        return str(meta["id"])
    return "" if fields.get("_input_hash") is None else str(fields["_input_hash"])
