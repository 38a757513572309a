"""Read brat standoff: each `X.txt` with the annotations of the `X.ann` beside it.

Text-bound (T) lines become spans, except those an event (E) uses as its trigger: the
event takes their offsets. Relations (R), attributes (A, M), normalisations (N) and notes
(#) are kept; equivalences (*) have no place in Goldset and are reported. Whatever cannot
be imported is reported as a warning naming the .ann line. `annotation.conf` and the other
files of a brat collection are left to the schema step (`formats.brat.conf`).
"""

from collections.abc import Iterator

from formats.brat.lines import (
    AnnotationLine,
    AttributeLine,
    EquivalenceLine,
    EventLine,
    LineError,
    NormalizationLine,
    NoteLine,
    RelationLine,
    TextBoundLine,
    parse_line,
    text_matches,
    where,
)
from formats.brat.names import (
    NORMALIZATIONS_ATTRIBUTE,
    RELATION_ROLES,
    ROLES_ATTRIBUTE,
    split_role,
)
from formats.decoding import UTF8_BOM, DecodeError, decode_text
from formats.files import ImportSource, InputFile
from formats.options import ReadOptions
from formats.records import (
    WARNING,
    ArgumentRecord,
    ArticleRecord,
    EventRecord,
    Problem,
    RecordAnnotations,
    RelationRecord,
    SpanRecord,
)
from formats.txt.reader import article_from_file

Item = SpanRecord | EventRecord | RelationRecord


def read_brat(source: ImportSource, options: ReadOptions) -> Iterator[ArticleRecord | Problem]:
    """Yield a record per .txt (a missing .ann is an empty one) and a problem per lone .ann."""
    texts = {file.base for file in source.with_suffix(".txt")}
    annotations = {file.base: file for file in source.with_suffix(".ann")}
    for file in source.files:
        if file.suffix == ".txt":
            yield _document_read(source, file, annotations.get(file.base))
        elif file.suffix == ".ann" and file.base not in texts:
            yield Problem(file.name, f"{file.stem}.ann has no {file.stem}.txt beside it")


def _document_read(
    source: ImportSource, txt: InputFile, ann: InputFile | None
) -> ArticleRecord | Problem:
    content = source.read_bytes(txt)
    record = article_from_file(txt, content)
    if isinstance(record, Problem):
        return record
    record.annotations = RecordAnnotations()
    if ann is None:
        return record
    try:
        ann_text = decode_text(source.read_bytes(ann))
    except DecodeError as exc:
        return Problem(
            ann.name, f"{exc.message}; {txt.name} is not imported without its annotations", exc.line
        )
    record.metadata["brat"] = {"ann": ann.name}
    # brat reads the text as plain UTF-8, so a byte-order mark is a character it counts.
    shift = 1 if content.startswith(UTF8_BOM) else 0
    if shift:
        record.warn(
            "the file starts with a UTF-8 byte-order mark, which brat counts as a character;"
            f" the offsets of {ann.name} are moved back by one"
        )
    standoff = _Standoff(record.text, ann.name, shift)
    record.annotations = standoff.read(ann_text)
    record.warnings.extend(standoff.warnings)
    return record


class _Standoff:
    """The annotations of one .ann, read line by line and resolved once all lines are in."""

    def __init__(self, text: str, file: str, shift: int) -> None:
        self.text = text
        self.file = file
        self.shift = shift
        self.warnings: list[Problem] = []
        self.lines: dict[str, AnnotationLine] = {}
        self.spans: dict[str, SpanRecord] = {}
        self.events: dict[str, EventRecord] = {}
        self.relations: dict[str, RelationRecord] = {}
        self.triggered: dict[str, list[EventRecord]] = {}

    def warn(self, message: str, line: int) -> None:
        self.warnings.append(Problem(self.file, message, line, WARNING))

    def read(self, ann_text: str) -> RecordAnnotations:
        """Return the spans, events and relations of `ann_text`; warnings go to `warnings`."""
        for number, line in enumerate(ann_text.split("\n"), start=1):
            self._add_line(number, line)
        lines = list(self.lines.values())
        for line in lines:
            if isinstance(line, TextBoundLine):
                self._add_span(line)
        events = [line for line in lines if isinstance(line, EventLine)]
        for line in events:
            self._add_event(line)
        for line in events:
            if line.id in self.events:
                self._add_arguments(line, self.events[line.id])
        for line in lines:
            if isinstance(line, RelationLine):
                self._add_relation(line)
        for line in lines:
            if isinstance(line, AttributeLine | NormalizationLine | NoteLine):
                self._annotate(line)
        self.warnings.sort(key=lambda problem: problem.line or 0)
        spans = [span for ref, span in self.spans.items() if ref not in self.triggered]
        return RecordAnnotations(spans, list(self.events.values()), list(self.relations.values()))

    def _add_line(self, number: int, text: str) -> None:
        try:
            line = parse_line(number, text)
        except LineError as exc:
            self.warn(str(exc), number)
            return
        if line is None:
            return
        if isinstance(line, EquivalenceLine):
            self.warn(
                f"equivalence line {number} not imported ({line.data}):"
                " Goldset has no equivalence sets",
                number,
            )
        elif line.id in self.lines:
            first = self.lines[line.id].line
            self.warn(
                f"{where(line.id, number)}: duplicate id (first on line {first}); ignored", number
            )
        else:
            self.lines[line.id] = line

    def _add_span(self, line: TextBoundLine) -> None:
        here = where(line.id, line.line)
        fragments = [
            (max(start - self.shift, min(start, 0)), end - self.shift)
            for start, end in line.fragments
        ]
        written = ";".join(f"{start}-{end}" for start, end in fragments)
        for start, end in fragments:
            if start > end:
                self.warn(f"{here}: start {start} is after end {end}; dropped", line.line)
                return
            if start < 0 or end > len(self.text):
                self.warn(
                    f"{here}: offsets {written} are outside the text"
                    f" ({len(self.text)} characters); dropped",
                    line.line,
                )
                return
        start, end = min(start for start, _ in fragments), max(end for _, end in fragments)
        if start == end:
            self.warn(f"{here}: zero-length span at {start}; dropped", line.line)
            return
        if len(fragments) > 1:
            self.warn(f"{here}: discontinuous span {written} kept as {start}-{end}", line.line)
        pieces = [self.text[start:end] for start, end in fragments]
        expected = " ".join(pieces)
        if not line.text and expected.strip():
            self.warn(f"{here}: no text after the offsets; the document's text is used", line.line)
        elif line.text and not text_matches(line.text, expected, "".join(pieces)):
            self.warn(
                f"{here}: text {line.text!r} differs from the document's {expected!r}"
                f" at {written}; offsets kept",
                line.line,
            )
        self.spans[line.id] = SpanRecord(start, end, line.label, ref=line.id, line=line.line)

    def _add_event(self, line: EventLine) -> None:
        here = where(line.id, line.line)
        trigger = self.lines.get(line.trigger)
        if trigger is None:
            self.warn(f"{here}: trigger {line.trigger} is not defined; event dropped", line.line)
            return
        if not isinstance(trigger, TextBoundLine):
            self.warn(
                f"{here}: trigger {line.trigger} is not a text-bound (T) annotation; event dropped",
                line.line,
            )
            return
        span = self.spans.get(line.trigger)
        if span is None:
            self.warn(
                f"{here}: trigger {line.trigger} (line {trigger.line}) was not imported;"
                " event dropped",
                line.line,
            )
            return
        if trigger.label != line.label:
            self.warn(
                f"{here}: type {line.label} differs from its trigger {line.trigger}'s type"
                f" {trigger.label}; the event's type is kept",
                line.line,
            )
        event = EventRecord(span.start, span.end, line.label, ref=line.id, line=line.line)
        self.events[line.id] = event
        self.triggered.setdefault(line.trigger, []).append(event)

    def _add_arguments(self, line: EventLine, event: EventRecord) -> None:
        for written, ref in line.arguments:
            filler = self._resolve(ref, line, f"argument {written}:{ref}", "argument dropped")
            if filler is not None:
                role, index = split_role(written)
                event.arguments.append(ArgumentRecord(role, filler, index))

    def _add_relation(self, line: RelationLine) -> None:
        (head_role, head), (tail_role, tail) = line.arguments
        if head_role == tail_role:
            self.warn(
                f"{where(line.id, line.line)}: both arguments are called {head_role};"
                " the first is taken as the head",
                line.line,
            )
        head = self._resolve(head, line, f"argument {head_role}:{head}", "relation dropped")
        tail = self._resolve(tail, line, f"argument {tail_role}:{tail}", "relation dropped")
        if head is None or tail is None:
            return
        relation = RelationRecord(line.label, head, tail, ref=line.id, line=line.line)
        if (head_role, tail_role) != RELATION_ROLES:
            relation.attributes[ROLES_ATTRIBUTE] = [head_role, tail_role]
        self.relations[line.id] = relation

    def _resolve(self, ref: str, line: AnnotationLine, what: str, outcome: str) -> str | None:
        """Return the span or event `ref` names (an event for its trigger), or warn and None."""
        here = where(line.id, line.line)
        if ref in self.triggered:
            events = [event.ref for event in self.triggered[ref]]
            if len(events) == 1:
                self.warn(
                    f"{here}: {what} names the trigger of {events[0]}; taken as {events[0]}",
                    line.line,
                )
                return events[0]
            self.warn(
                f"{here}: {what} names the trigger of {', '.join(events)}; {outcome}", line.line
            )
            return None
        if ref in self.spans or ref in self.events:
            return ref
        missing = self._missing(ref, (TextBoundLine, EventLine), "a span or an event")
        self.warn(f"{here}: {what}: {missing}; {outcome}", line.line)
        return None

    def _annotate(self, line: AttributeLine | NormalizationLine | NoteLine) -> None:
        """Put an attribute, normalisation or note on its target (every event of a trigger)."""
        targets = self.triggered.get(line.target) or [
            table[line.target]
            for table in (self.spans, self.events, self.relations)
            if line.target in table
        ]
        if not targets:
            kinds = (TextBoundLine, EventLine, RelationLine)
            missing = self._missing(line.target, kinds, "a span, an event or a relation")
            self.warn(f"{where(line.id, line.line)}: target {missing}; ignored", line.line)
        for item in targets:
            if isinstance(line, AttributeLine):
                self._set_attribute(line, item)
            elif isinstance(line, NormalizationLine):
                item.attributes.setdefault(NORMALIZATIONS_ATTRIBUTE, []).append(
                    {"type": line.type, "rid": line.rid, "eid": line.eid, "text": line.text}
                )
            else:
                item.note = f"{item.note}\n{line.text}" if item.note else line.text

    def _set_attribute(self, line: AttributeLine, item: Item) -> None:
        earlier = item.attributes.get(line.name)
        if earlier is None:
            item.attributes[line.name] = line.value
        elif earlier != line.value:
            self.warn(
                f"{where(line.id, line.line)}: {line.name} of {item.ref} is set again"
                f" ({line.value!r}); the first value {earlier!r} is kept",
                line.line,
            )

    def _missing(self, ref: str, kinds: tuple[type, ...], wanted: str) -> str:
        """Say why `ref` names nothing importable: undefined, dropped, or the wrong kind."""
        line = self.lines.get(ref)
        if line is None:
            return f"{ref} is not defined"
        if isinstance(line, kinds):
            return f"{ref} (line {line.line}) was not imported"
        return f"{ref} is not {wanted}"
