"""Hand-written ACE 2005 gold for the two seed articles, resolved to offsets in their cleaned text.

The gold (tests/data/seed_gold.json) names every mention, trigger and argument by its surface
string, so that a reviewer can read it; this module turns the strings into code-point offsets
`[start, end)` over the text that `clean_article` keeps (what `Document.text` holds):

- entity mentions are found in the order listed, each at the first word-bounded occurrence at
  or after the previous mention's start (so nested mentions may share a start);
- event triggers are found the same way, in their own sequence;
- an argument is the occurrence nearest its trigger within the trigger's line, and it must be
  exactly one of the gold entity mentions, of a type the preset allows for the role.

`"occurrence": n` on a mention or a trigger takes the n-th match instead of the first. Labels,
event types and roles are checked against the ACE 2005 preset. Every problem raises ValueError
naming the document and the item. Pure Python: no ORM, no Django setup needed.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.cleaning import clean_article

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
GOLD_PATH = PROJECT_DIR / "tests" / "data" / "seed_gold.json"
PRESET_PATH = PROJECT_DIR / "corpus" / "presets" / "ace2005.json"

# The ACE entity types, whose mentions carry a mention level; times and values carry none.
MENTIONED_TYPES = frozenset({"PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA"})
MENTION_LEVELS = ("NAM", "NOM", "PRO")

ENTITY_KEYS = frozenset({"label", "text", "mention", "occurrence"})
EVENT_KEYS = frozenset({"type", "trigger", "arguments", "occurrence"})
ARGUMENT_KEYS = frozenset({"role", "text"})


@dataclass(frozen=True)
class GoldEntity:
    """An entity mention, time expression or value: `text[start:end]`, its label and level."""

    start: int
    end: int
    label: str
    mention: str | None  # NAM, NOM or PRO for ACE entity types; None for TIMEX2 and values


@dataclass(frozen=True)
class GoldArgument:
    """A role filled by the gold entity mention at `[start, end)`."""

    role: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldEvent:
    """An event mention: its ACE type, its trigger at `[start, end)` and its arguments."""

    type: str
    start: int
    end: int
    arguments: tuple[GoldArgument, ...]


@dataclass(frozen=True)
class GoldDocument:
    """One seed article: its cleaned text with the gold entities and events over it."""

    source: str
    text: str
    entities: tuple[GoldEntity, ...]
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class _Schema:
    entity_labels: frozenset[str]
    roles: dict[str, dict[str, frozenset[str]]]  # event type -> role -> allowed filler labels


def seed_gold(seeds_dir: Path = SEEDS_DIR, gold_path: Path = GOLD_PATH) -> list[GoldDocument]:
    """Load the gold and resolve it over the cleaned text of each seed file in `seeds_dir`."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    schema = _load_schema(PRESET_PATH)
    documents = []
    for raw in gold["documents"]:
        source = raw["source"]
        path = seeds_dir / source
        if not path.is_file():
            raise ValueError(f"{source}: no such seed file in {seeds_dir}")
        text = clean_article(path.read_text(encoding="utf-8")).text
        documents.append(_resolve_document(source, text, raw, schema))
    return documents


def _load_schema(preset_path: Path) -> _Schema:
    preset = json.loads(preset_path.read_text(encoding="utf-8"))
    roles = {
        event["key"]: {role["key"]: frozenset(role["entity_types"]) for role in event["roles"]}
        for event in preset["event_types"]
    }
    return _Schema(frozenset(t["key"] for t in preset["entity_types"]), roles)


def _resolve_document(source: str, text: str, raw: dict[str, Any], schema: _Schema) -> GoldDocument:
    entities = _resolve_entities(source, text, raw.get("entities", []), schema)
    labels_at: dict[tuple[int, int], set[str]] = {}
    for entity in entities:
        labels_at.setdefault((entity.start, entity.end), set()).add(entity.label)
    events = _resolve_events(source, text, raw.get("events", []), labels_at, schema)
    return GoldDocument(source, text, tuple(entities), tuple(events))


def _resolve_entities(
    source: str, text: str, items: list[dict[str, Any]], schema: _Schema
) -> list[GoldEntity]:
    entities: list[GoldEntity] = []
    seen: set[GoldEntity] = set()
    cursor = 0
    for index, item in enumerate(items):
        where = f"{source}: entity #{index} ({item.get('label')} {item.get('text')!r})"
        _check_keys(where, item, ENTITY_KEYS, required=("label", "text"))
        label, mention = item["label"], item.get("mention")
        if label not in schema.entity_labels:
            raise ValueError(f"{where}: unknown entity label {label!r}")
        if label in MENTIONED_TYPES and mention not in MENTION_LEVELS:
            raise ValueError(f"{where}: mention must be one of {MENTION_LEVELS}, not {mention!r}")
        if label not in MENTIONED_TYPES and mention is not None:
            raise ValueError(f"{where}: a {label} has no mention level, got {mention!r}")
        start = _find(text, item["text"], cursor, _occurrence(where, item))
        if start is None:
            raise ValueError(f"{where}: not found in the text at or after offset {cursor}")
        entity = GoldEntity(start, start + len(item["text"]), label, mention)
        if entity in seen:
            raise ValueError(f"{where}: listed twice at offset {start}")
        seen.add(entity)
        entities.append(entity)
        cursor = start
    return entities


def _resolve_events(
    source: str,
    text: str,
    items: list[dict[str, Any]],
    labels_at: dict[tuple[int, int], set[str]],
    schema: _Schema,
) -> list[GoldEvent]:
    events: list[GoldEvent] = []
    cursor = 0
    for index, item in enumerate(items):
        where = f"{source}: event #{index} ({item.get('type')} {item.get('trigger')!r})"
        _check_keys(where, item, EVENT_KEYS, required=("type", "trigger"))
        roles = schema.roles.get(item["type"])
        if roles is None:
            raise ValueError(f"{where}: unknown event type {item['type']!r}")
        start = _find(text, item["trigger"], cursor, _occurrence(where, item))
        if start is None:
            raise ValueError(f"{where}: trigger not found at or after offset {cursor}")
        end = start + len(item["trigger"])
        arguments = tuple(
            _resolve_argument(f"{where} argument #{n}", text, (start, end), arg, roles, labels_at)
            for n, arg in enumerate(item.get("arguments", []))
        )
        if len(set(arguments)) != len(arguments):
            raise ValueError(f"{where}: an argument is listed twice")
        event = GoldEvent(item["type"], start, end, arguments)
        if any((e.type, e.start, e.end) == (event.type, start, end) for e in events):
            raise ValueError(f"{where}: listed twice at offset {start}")
        events.append(event)
        cursor = start
    return events


def _resolve_argument(
    where: str,
    text: str,
    trigger: tuple[int, int],
    item: dict[str, Any],
    roles: dict[str, frozenset[str]],
    labels_at: dict[tuple[int, int], set[str]],
) -> GoldArgument:
    where = f"{where} ({item.get('role')} {item.get('text')!r})"
    _check_keys(where, item, ARGUMENT_KEYS, required=("role", "text"))
    allowed = roles.get(item["role"])
    if allowed is None:
        raise ValueError(f"{where}: not a role of this event type; roles: {sorted(roles)}")
    line_start = text.rfind("\n", 0, trigger[0]) + 1
    line_end = text.find("\n", trigger[1])
    line_end = len(text) if line_end == -1 else line_end
    starts = _find_all(text, item["text"], line_start, line_end)
    if not starts:
        raise ValueError(f"{where}: not found in the trigger's line")
    size = len(item["text"])
    start = min(starts, key=lambda s: (_gap((s, s + size), trigger), s))
    labels = labels_at.get((start, start + size))
    if not labels:
        raise ValueError(f"{where}: the occurrence at offset {start} is not a gold entity mention")
    if not labels & allowed:
        raise ValueError(
            f"{where}: filler is {'/'.join(sorted(labels))}, the role allows {sorted(allowed)}"
        )
    return GoldArgument(item["role"], start, start + size)


def _check_keys(where: str, item: dict[str, Any], known: frozenset[str], required: tuple) -> None:
    unknown = set(item) - known
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    missing = [key for key in required if not item.get(key)]
    if missing:
        raise ValueError(f"{where}: missing {missing}")


def _occurrence(where: str, item: dict[str, Any]) -> int:
    occurrence = item.get("occurrence", 1)
    if type(occurrence) is not int or occurrence < 1:
        raise ValueError(f"{where}: occurrence must be a whole number from 1, not {occurrence!r}")
    return occurrence


def _pattern(surface: str) -> re.Pattern[str]:
    """`surface` not glued to a word character on either side ("Syria" never in "Syrian")."""
    return re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")


def _find(text: str, surface: str, cursor: int, occurrence: int) -> int | None:
    for number, match in enumerate(_pattern(surface).finditer(text, cursor), start=1):
        if number == occurrence:
            return match.start()
    return None


def _find_all(text: str, surface: str, start: int, end: int) -> list[int]:
    return [match.start() for match in _pattern(surface).finditer(text, start, end)]


def _gap(span: tuple[int, int], other: tuple[int, int]) -> int:
    """Characters between two spans; 0 when they touch or overlap."""
    return max(0, other[0] - span[1], span[0] - other[1])
