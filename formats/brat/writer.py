"""brat standoff: `annotation.conf`, then a `<name>.txt` and `<name>.ann` per document.

See FORMATS.md §1 and §2. Each part of a split is a folder (`train/`, `dev/`, `test/`)
under the one annotation.conf. `<name>` is the document key in characters every file
system and zip takes, so the brat import reads it back as the key; two keys that give one
name are told apart by `-2`, `-3`, ...

What the .ann holds, and why it reads back the same into Goldset:
- T lines for entities, then for triggers. The events of one type on one span share their
  trigger, as brat's editor makes them. A span over a line break is written in fragments
  split at the break, as brat's editor does; the importer joins them again.
- E lines; repeated fillers of a role are numbered `Role`, `Role2`, ... from `index`; an
  event filler is named by its E id.
- R lines, with the argument names the brat import kept (`roles`), else Arg1 and Arg2.
- A lines for attributes (true: `A1 Name T1`; a value: `A1 Name T1 Value`; false: none),
  N lines for the normalisations the brat import kept, and one `#` AnnotatorNotes line per
  line of a note (the importer joins a target's notes with line breaks).
- The layer's document labels as one `#` DocumentLabels note on the first entity
  (`Topic=conflict,aid; Breaking=yes`): brat has no document-level annotation.
Type and role names go through `brat_name` (`Conflict.Attack` → `Conflict_Attack`), which
the import's label matching reads back as the same types.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

from formats.brat.conf_writer import annotation_conf
from formats.brat.names import (
    NORMALIZATIONS_ATTRIBUTE,
    RELATION_ROLES,
    ROLES_ATTRIBUTE,
    brat_name,
    numbered_role,
)
from formats.writing import ExportDocument, Writer

FILE_UNSAFE = re.compile(r"[^\w.\-]+")  # \w: letters and digits of any script, and _
NAME_BYTES = 200  # file systems take 255 bytes, and `-2.ann` must still fit
ATTRIBUTE_VALUE = re.compile(r"^[^\t\n\r]*\S$")  # brat reads the value to the end of DATA
NORMALIZATION = {"type": r"\S+", "rid": r"[^\s:]+", "eid": r"\S+", "text": r"[^\n\r]*"}

Warn = Callable[[str, str], None]


def file_stem(key: str) -> str:
    """Return a document key as a safe file name: letters, digits, `_ . -`; the rest `_`."""
    stem = FILE_UNSAFE.sub("_", unicodedata.normalize("NFC", key)).strip(".")
    while len(stem.encode("utf-8")) > NAME_BYTES:
        stem = stem[:-1]
    return stem or "document"


class BratWriter(Writer):
    format = "brat"
    extension = ".ann"

    def begin(self) -> None:
        self.stems: set[str] = set()
        conf = annotation_conf(
            self.target.schema,
            warn=lambda message: self.report.warn("attribute-lost", message),
        )
        with self.open("annotation.conf") as stream:
            stream.write(conf.encode("utf-8"))

    def write(self, document: ExportDocument) -> None:
        record = document.record
        key = record["id"]

        def warn(kind: str, message: str) -> None:
            self.report.warn(kind, message, document=key)

        stem = self._stem(key, warn)
        folder = f"{self.split}/" if self.split else ""
        text = _brat_text(record["text"], warn)
        with self.open(f"{folder}{stem}.txt") as stream:
            stream.write(text.encode("utf-8"))
        with self.open(f"{folder}{stem}.ann") as stream:
            stream.write(_Standoff(text, warn).lines(record).encode("utf-8"))

    def _stem(self, key: str, warn: Warn) -> str:
        """Return the file name of `key`, unique in the export (case-insensitively)."""
        stem = candidate = file_stem(key)
        number = 1
        while candidate.casefold() in self.stems:
            number += 1
            candidate = f"{stem}-{number}"
        self.stems.add(candidate.casefold())
        if candidate != key:
            warn("renamed", f"written as {candidate}.txt, so imported again as {candidate}")
        return candidate


def _brat_text(text: str, warn: Warn) -> str:
    """Return the text with no carriage return, which brat reads as a line end, offsets kept."""
    if "\r" not in text:
        return text
    warn("text-changed", "carriage returns written as spaces or line breaks")
    return text.replace("\r\n", " \n").replace("\r", "\n")


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split `[start, end)` at line breaks, keeping both ends so the span reads back whole."""
    pieces = []
    position = start
    for piece in text[start:end].split("\n"):
        pieces.append((position, position + len(piece)))
        position += len(piece) + 1
    last = len(pieces) - 1
    return [(s, e) for number, (s, e) in enumerate(pieces) if s < e or number in (0, last)]


class _Standoff:
    """The .ann lines of one document."""

    def __init__(self, text: str, warn: Warn) -> None:
        self.text = text
        self.warn = warn
        self.out: list[str] = []
        self.numbers: Counter[str] = Counter()

    def lines(self, record: dict[str, Any]) -> str:
        entities, events, relations = record["entities"], record["events"], record["relations"]
        for entity in entities:
            self._text_bound(entity["id"], entity["label"], entity["start"], entity["end"])
        triggers = self._triggers(entities, events)
        for event in events:
            self.out.append(f"{event['id']}\t{self._event(event, triggers[event['id']])}")
        named = [self._relation(relation) for relation in relations]
        for entity in entities:
            self._attributes(entity["id"], entity.get("attributes") or {})
        for event in events:
            self._attributes(event["id"], event.get("attributes") or {})
        for relation, roles_written in zip(relations, named, strict=True):
            attributes = dict(relation.get("attributes") or {})
            if roles_written:
                del attributes[ROLES_ATTRIBUTE]
            self._attributes(relation["id"], attributes)
        for item in (*entities, *events, *relations):
            self._note(item["id"], item.get("note") or "")
        self._document_labels(record.get("labels") or {}, entities)
        return "".join(f"{line}\n" for line in self.out)

    def _document_labels(self, labels: dict[str, Any], entities: list[dict]) -> None:
        """Write the document labels as one `DocumentLabels` note on the first entity.

        brat has no document-level annotation; a note needs a target, so a document without
        entities loses its labels, with a warning.
        """
        chosen = [
            f"{key}={'yes' if value else 'no'}"
            if isinstance(value, bool)
            else f"{key}={','.join(value)}"
            for key, value in labels.items()
            if isinstance(value, bool) or value
        ]
        if not chosen:
            return
        if not entities:
            self.warn(
                "attribute-lost", f"document labels {'; '.join(chosen)}: no entity to note them on"
            )
            return
        self._add("#", f"DocumentLabels {entities[0]['id']}", tail="; ".join(chosen))

    def _add(self, prefix: str, data: str, *, tail: str | None = None) -> None:
        self.numbers[prefix] += 1
        line = f"{prefix}{self.numbers[prefix]}\t{data}"
        self.out.append(line if tail is None else f"{line}\t{tail}")

    def _text_bound(self, ident: str, label: str, start: int, end: int) -> None:
        fragments = _fragments(self.text, start, end)
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        covered = " ".join(self.text[s:e] for s, e in fragments)
        self.out.append(f"{ident}\t{brat_name(label)} {offsets}\t{covered}")

    def _triggers(self, entities: list[dict], events: list[dict]) -> dict[str, str]:
        """Write a T line per (type, span) of the events; return each event's trigger id."""
        numbers = [int(e["id"][1:]) for e in entities if e["id"][1:].isdigit()]
        number = max(numbers, default=0)
        shared: dict[tuple[str, int, int], str] = {}
        triggers = {}
        for event in events:
            key = (event["type"], event["trigger"]["start"], event["trigger"]["end"])
            if key not in shared:
                number += 1
                shared[key] = f"T{number}"
                self._text_bound(shared[key], *key)
            triggers[event["id"]] = shared[key]
        return triggers

    def _event(self, event: dict[str, Any], trigger: str) -> str:
        parts = [f"{brat_name(event['type'])}:{trigger}"]
        for argument in event["arguments"]:
            role = brat_name(argument["role"])
            if role[-1].isdigit():
                self.warn(
                    "renamed",
                    f"{event['id']}: role {role} ends in a digit, which brat reads as the"
                    " number of a repeated role",
                )
            parts.append(f"{numbered_role(role, argument.get('index') or 1)}:{argument['ref']}")
        return " ".join(parts)

    def _relation(self, relation: dict[str, Any]) -> bool:
        """Write the R line; return whether it used the relation's `roles` attribute."""
        roles = (relation.get("attributes") or {}).get(ROLES_ATTRIBUTE)
        kept = (
            isinstance(roles, list)
            and len(roles) == 2
            and roles[0] != roles[1]
            and all(isinstance(role, str) and role and brat_name(role) == role for role in roles)
        )
        head, tail = roles if kept else RELATION_ROLES
        self.out.append(
            f"{relation['id']}\t{brat_name(relation['type'])}"
            f" {head}:{relation['head']} {tail}:{relation['tail']}"
        )
        return kept

    def _attributes(self, target: str, attributes: dict[str, Any]) -> None:
        for name, value in attributes.items():
            if name == NORMALIZATIONS_ATTRIBUTE and _normalizations_ok(value):
                for item in value:
                    data = f"{item['type']} {target} {item['rid']}:{item['eid']}"
                    self._add("N", data, tail=item["text"])
            else:
                self._attribute(target, name, value)

    def _attribute(self, target: str, name: str, value: Any) -> None:
        if value is None or value is False:
            return  # brat's absent attribute
        written = brat_name(name)
        if written != name:
            self.warn("renamed", f"attribute {name} of {target} written as {written}")
        if value is True:
            self._add("A", f"{written} {target}")
        elif isinstance(value, str) and ATTRIBUTE_VALUE.match(value):
            self._add("A", f"{written} {target} {value}")
        elif isinstance(value, int | float):
            self.warn("attribute-lost", f"attribute {name}={value!r} of {target} written as text")
            self._add("A", f"{written} {target} {value}")
        else:
            self.warn(
                "attribute-lost",
                f"attribute {name}={value!r} of {target} cannot be an A line; left out",
            )

    def _note(self, target: str, note: str) -> None:
        """Write one AnnotatorNotes line per line of the note."""
        written = note.replace("\r\n", "\n").replace("\r", "\n").lstrip("\n")
        if written != note:
            self.warn("attribute-lost", f"the note of {target}: line breaks changed")
        if written:
            for line in written.split("\n"):
                self._add("#", f"AnnotatorNotes {target}", tail=line)


def _normalizations_ok(value: Any) -> bool:
    """Whether `value` is the list of N lines the brat import keeps, each writable again."""
    return isinstance(value, list) and all(
        isinstance(item, dict)
        and all(
            isinstance(item.get(field), str) and re.fullmatch(pattern, item[field])
            for field, pattern in NORMALIZATION.items()
        )
        for item in value
    )
