"""doccano relation JSONL: one line per document, offsets in UTF-16 code units (FORMATS.md §3).

    {"id": "AFP-1", "text": "…",
     "entities": [{"id": 1, "label": "PER", "start_offset": 0, "end_offset": 6}, …],
     "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "Attacker"}, …], <metadata>}

- `id` is the document key; the doccano import makes it the key again.
- Events are flattened as §12 shows: each trigger is one more entity labelled with the event
  type, each argument a relation from the trigger typed with the role (to the filler's
  entity, or to the trigger of an event filler). Our doccano import reads them back as
  events and arguments; repeated fillers of a role come back numbered in line order.
- Offsets count UTF-16 code units, as doccano's browser editor does (§3.6).
- Metadata keys go to the top level, as doccano's export puts them; a key that would take the
  place of one of the line's own (`id`, `text`, `label`, ...) gets a `meta_` prefix.
- doccano has no place for attributes and notes: they are left out, and reported.
"""

import json
from collections.abc import Callable
from typing import Any

from formats.doccano.line import Utf16Offsets, line_keys
from formats.writing import ExportDocument, LinesWriter

RESERVED = line_keys()
# Characters JSON leaves unescaped that some readers take for line ends (str.splitlines).
LINE_ENDS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


class DoccanoWriter(LinesWriter):
    format = "doccano"
    extension = ".jsonl"

    def block(self, document: ExportDocument) -> str:
        key = document.record["id"]

        def warn(kind: str, message: str) -> None:
            self.report.warn(kind, message, document=key)

        line = json.dumps(doccano_line(document.record, warn=warn), ensure_ascii=False)
        for character, escaped in LINE_ENDS.items():
            line = line.replace(character, escaped)
        return line + "\n"


def doccano_line(record: dict[str, Any], *, warn: Callable[[str, str], None]) -> dict[str, Any]:
    """Return the doccano object of a Goldset record."""
    units = Utf16Offsets(record["text"])
    entities: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    spans = [(e["id"], e["label"], e["start"], e["end"]) for e in record["entities"]]
    spans += [
        (e["id"], e["type"], e["trigger"]["start"], e["trigger"]["end"]) for e in record["events"]
    ]
    for ref, label, start, end in spans:
        ids[ref] = len(entities) + 1
        entities.append(
            {
                "id": ids[ref],
                "label": label,
                "start_offset": units.unit(start),
                "end_offset": units.unit(end),
            }
        )
    links = [(ids[r["head"]], ids[r["tail"]], r["type"]) for r in record["relations"]]
    for event in record["events"]:
        _check_indices(event, warn)
        for argument in event["arguments"]:
            links.append((ids[event["id"]], ids[argument["ref"]], argument["role"]))
    line = {
        "id": record["id"],
        "text": record["text"],
        "entities": entities,
        "relations": [
            {"id": number, "from_id": head, "to_id": tail, "type": label}
            for number, (head, tail, label) in enumerate(links, start=1)
        ],
    }
    metadata = record.get("metadata") or {}
    for key, value in metadata.items():
        name = key
        while name in RESERVED or (name != key and name in metadata):
            name = f"meta_{name}"
        if name != key:
            warn("renamed", f"metadata {key!r} written as {name!r}: doccano uses {key!r}")
        line[name] = value
    _report_lost(record, warn)
    return line


def _check_indices(event: dict[str, Any], warn: Callable[[str, str], None]) -> None:
    """Warn when a role's fillers are not numbered 1, 2, ...: doccano keeps only their order."""
    indices: dict[str, list[int]] = {}
    for argument in event["arguments"]:
        indices.setdefault(argument["role"], []).append(argument.get("index") or 1)
    for role, numbers in indices.items():
        if numbers != list(range(1, len(numbers) + 1)):
            warn(
                "argument-index",
                f"{event['id']}: {role} fillers numbered {numbers} are read back as"
                f" {list(range(1, len(numbers) + 1))}",
            )


def _report_lost(record: dict[str, Any], warn: Callable[[str, str], None]) -> None:
    items = (*record["entities"], *record["events"], *record["relations"])
    attributes = sum(
        1
        for item in items
        for value in (item.get("attributes") or {}).values()
        if value is not None and value is not False
    )
    notes = sum(1 for item in items if item.get("note"))
    if attributes or notes:
        lost = [_count(attributes, "attribute"), _count(notes, "note")]
        warn("attribute-lost", f"{' and '.join(filter(None, lost))} left out: doccano has none")


def _count(number: int, thing: str) -> str:
    return "" if not number else f"1 {thing}" if number == 1 else f"{number} {thing}s"
