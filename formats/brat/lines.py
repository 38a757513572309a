"""Parse one line of a brat .ann file into what it annotates, or say why it cannot be read.

The grammar follows brat's own parser (`server/src/annotation.py`): `ID<TAB>DATA[<TAB>TAIL]`,
the kind of annotation given by the first character of the ID. Checks that need the
document text or the other lines are the reader's (`formats.brat.reader`).
"""

import re
from dataclasses import dataclass

ID = re.compile(r"^([A-Za-z]+|#[A-Za-z]*)([0-9]+)(.*?)$")
FRAGMENT = re.compile(r"^(-?\d+) (-?\d+)\s*$")
ATTRIBUTE_WITH_VALUE = re.compile(r"^(\S+) (\S+) (.+)$")  # the value may contain spaces
ATTRIBUTE_BINARY = re.compile(r"^(\S+) (\S+)$")
NORMALIZATION = re.compile(r"^(\S+) (\S+) (\S+?):(\S+)")
# BioNLP Shared Task 2013 wrote normalisations this way; brat reads them too.
BIONLP_NORMALIZATIONS = (
    (re.compile(r"^(Reference) Annotation:(\S+) Referent:(\S+)"), r"\1 \2 \3"),
    (re.compile(r"^(Reference) Referent:(\S+) Annotation:(\S+)"), r"\1 \3 \2"),
)
SPACE_HINT = " (Using space instead of tab?)"


class LineError(ValueError):
    """A line that cannot be read; the message names the line and says why."""


@dataclass
class TextBoundLine:
    """`T1<TAB>Person 0 4;6 9<TAB>text`: fragments as written, `text` None when absent."""

    id: str
    line: int
    label: str
    fragments: list[tuple[int, int]]
    text: str | None


@dataclass
class EventLine:
    """`E1<TAB>Attack:T3 Attacker:T1 Target2:T2`: arguments are (role as written, ref)."""

    id: str
    line: int
    label: str
    trigger: str
    arguments: list[tuple[str, str]]


@dataclass
class RelationLine:
    """`R1<TAB>Origin Arg1:T6 Arg2:T7`: exactly two (role, ref) arguments, head first."""

    id: str
    line: int
    label: str
    arguments: list[tuple[str, str]]


@dataclass
class AttributeLine:
    """`A1<TAB>Confidence E1 High` or a binary `A2<TAB>Negation E1` (value True); also `M`."""

    id: str
    line: int
    name: str
    target: str
    value: str | bool


@dataclass
class NormalizationLine:
    """`N1<TAB>Reference T1 Wikipedia:534366<TAB>Barack Obama`."""

    id: str
    line: int
    type: str
    target: str
    rid: str
    eid: str
    text: str


@dataclass
class NoteLine:
    """`#1<TAB>AnnotatorNotes T1<TAB>text`, the text verbatim."""

    id: str
    line: int
    type: str
    target: str
    text: str


@dataclass
class EquivalenceLine:
    """`*<TAB>Equiv T1 T2`: no ID of its own."""

    line: int
    data: str


AnnotationLine = (
    TextBoundLine | EventLine | RelationLine | AttributeLine | NormalizationLine | NoteLine
)


def where(ann_id: str, number: int) -> str:
    """Name an annotation and its line the way every message does: `T4 (line 7)`."""
    return f"{ann_id} (line {number})"


def text_matches(written: str, expected: str, joined: str) -> bool:
    """Whether a T line's text is the span's, as brat checks it.

    brat accepts more text after the span's if a space separates it, and the fragments
    run together without a separator (brat before 1.3).
    """
    for reference in (expected, joined):
        rest = written[len(reference) :]
        if written.startswith(reference) and (not rest or rest[0].isspace()):
            return True
    return False


def parse_line(number: int, line: str) -> AnnotationLine | EquivalenceLine | None:
    """Return what one .ann line annotates (None for a blank line); raise LineError."""
    if not line.strip():
        return None
    ann_id, tab, rest = line.partition("\t")
    if not tab or " " in ann_id:
        first = ann_id.split(" ")[0]
        hint = SPACE_HINT if " " in line and (first == "*" or ID.match(first)) else ""
        problem = "a space in the id" if tab else "no TAB after the id"
        raise LineError(f"line {number}: cannot read {_shorten(line)!r}: {problem}{hint}")
    if ann_id == "*":
        return EquivalenceLine(number, rest.strip())
    if ID.match(ann_id) is None:
        raise LineError(f"line {number}: {ann_id!r} is not a brat annotation id")
    data, tab, tail = rest.partition("\t")
    parse = PARSERS.get(ann_id[0])
    if parse is None:
        raise LineError(
            f"{where(ann_id, number)}: unknown kind of annotation {ann_id[0]!r}"
            " (brat knows T, E, R, A, M, N, # and *)"
        )
    return parse(ann_id, number, data, tail if tab else None)


def _text_bound(ann_id: str, number: int, data: str, tail: str | None) -> TextBoundLine:
    label, _, offsets = data.partition(" ")
    fragments = []
    for fragment in offsets.split(";"):
        match = FRAGMENT.match(fragment)
        if not label or match is None:
            hint = SPACE_HINT if tail is None and len(fragment.split()) > 2 else ""
            raise LineError(
                f"{where(ann_id, number)}: cannot read {_shorten(data)!r}"
                f" as TYPE START END[;START END]{hint}"
            )
        fragments.append((int(match.group(1)), int(match.group(2))))
    return TextBoundLine(ann_id, number, label, fragments, tail)


def _event(ann_id: str, number: int, data: str, tail: str | None) -> EventLine:
    tokens = data.split()
    label, colon, trigger = tokens[0].partition(":") if tokens else ("", "", "")
    if not colon or not label or not trigger:
        raise LineError(
            f"{where(ann_id, number)}: the event has no TYPE:TRIGGER"
            f" ({_shorten(data)!r}); brat needs a trigger, so it is dropped"
        )
    arguments = []
    for token in tokens[1:]:
        role, colon, ref = token.partition(":")
        if not colon or not role or not ref:
            raise LineError(f"{where(ann_id, number)}: cannot read argument {token!r} as ROLE:ID")
        arguments.append((role, ref))
    return EventLine(ann_id, number, label, trigger, arguments)


def _relation(ann_id: str, number: int, data: str, tail: str | None) -> RelationLine:
    tokens = data.split()
    arguments = [token.partition(":")[::2] for token in tokens[1:]]
    if len(arguments) != 2 or not all(role and ref for role, ref in arguments):
        raise LineError(
            f"{where(ann_id, number)}: a relation needs TYPE ROLE:ID ROLE:ID,"
            f" not {_shorten(data)!r}"
        )
    return RelationLine(ann_id, number, tokens[0], arguments)


def _attribute(ann_id: str, number: int, data: str, tail: str | None) -> AttributeLine:
    data = data.rstrip()
    # `M` is the old, binary-only form of `A`.
    valued = ATTRIBUTE_WITH_VALUE.match(data) if ann_id.startswith("A") else None
    match = valued or ATTRIBUTE_BINARY.match(data)
    if match is None or ID.match(match.group(2)) is None:
        form = "NAME TARGET [VALUE]" if ann_id.startswith("A") else "NAME TARGET"
        raise LineError(f"{where(ann_id, number)}: cannot read {_shorten(data)!r} as {form}")
    value = valued.group(3) if valued else True
    return AttributeLine(ann_id, number, match.group(1), match.group(2), value)


def _normalization(ann_id: str, number: int, data: str, tail: str | None) -> NormalizationLine:
    for pattern, replacement in BIONLP_NORMALIZATIONS:
        data = pattern.sub(replacement, data, count=1)
    match = NORMALIZATION.match(data)
    if match is None:
        raise LineError(
            f"{where(ann_id, number)}: cannot read {_shorten(data)!r} as TYPE TARGET RID:EID"
        )
    kind, target, rid, eid = match.groups()
    return NormalizationLine(ann_id, number, kind, target, rid, eid, tail or "")


def _note(ann_id: str, number: int, data: str, tail: str | None) -> NoteLine:
    tokens = data.split()
    if len(tokens) != 2:
        raise LineError(
            f"{where(ann_id, number)}: cannot read {_shorten(data)!r} as NOTE_TYPE TARGET"
        )
    return NoteLine(ann_id, number, tokens[0], tokens[1], tail or "")


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


PARSERS = {
    "T": _text_bound,
    "E": _event,
    "R": _relation,
    "A": _attribute,
    "M": _attribute,
    "N": _normalization,
    "#": _note,
}
