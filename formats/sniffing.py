"""Choose a reader from the files' extensions and, where they are ambiguous, their content."""

import json

from config.errors import InvalidInput
from formats.conll.tags import DOCSTART, is_tag
from formats.files import ImportSource, InputFile
from formats.registry import import_formats

JSON_SUFFIXES = (".jsonl", ".json", ".ndjson")
CONLL_SUFFIXES = (".conll", ".iob", ".bio", ".bioes", ".iob2", ".conll03")
TABLE_SUFFIXES = (".csv", ".tsv")
SNIFF_BYTES = 64 * 1024


def detect_format(source: ImportSource) -> str:
    """Return the reader for `source`'s files; say what was found when none fits."""
    if not source.files:
        raise InvalidInput("No files to import")
    if source.with_suffix(".ann"):
        return "brat"
    if source.with_suffix(*TABLE_SUFFIXES):
        return "csv"
    if source.with_suffix(*CONLL_SUFFIXES):
        return "conll"
    json_files = source.with_suffix(*JSON_SUFFIXES)
    if json_files:
        return _json_flavour(_head(json_files[0]))
    texts = source.with_suffix(".txt")
    if texts:
        return "conll" if _looks_conll(_head(texts[0])) else "txt"
    suffixes = sorted({file.suffix or "(none)" for file in source.files})
    readable = ", ".join(format.key for format in import_formats())
    raise InvalidInput(
        f"Cannot tell the format of files ending in {', '.join(suffixes)}: choose one ({readable})"
    )


def _head(file: InputFile) -> str:
    with file.opener() as stream:
        return stream.read(SNIFF_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")


def _json_flavour(head: str) -> str:
    """Tell Prodigy, doccano and Goldset JSONL apart by the keys of the first record."""
    for line in head.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            return _json_flavour_by_keys(head)  # pretty-printed, or broken: the reader says
        if not isinstance(record, dict):
            return "jsonl"
        if "answer" in record or "_input_hash" in record or "_task_hash" in record:
            return "prodigy"
        if isinstance(record.get("label"), list) or _has_doccano_entities(record):
            return "doccano"
        return "jsonl"
    return "jsonl"


def _json_flavour_by_keys(head: str) -> str:
    if '"_input_hash"' in head or '"answer"' in head:
        return "prodigy"
    if '"start_offset"' in head:
        return "doccano"
    return "jsonl"


def _has_doccano_entities(record: dict) -> bool:
    entities = record.get("entities")
    return bool(entities) and isinstance(entities[0], dict) and "start_offset" in entities[0]


def _looks_conll(head: str) -> bool:
    """Whether most non-blank lines are `token ... TAG` with an IOB-style last column."""
    lines = [line for line in head.splitlines()[:200] if line.strip()]
    if not lines:
        return False
    tagged = sum(
        1
        for line in lines
        if line.startswith(DOCSTART) or (len(line.split()) >= 2 and is_tag(line.split()[-1]))
    )
    return tagged >= 0.9 * len(lines)
