"""bench.import --annotated: annotated articles, Goldset's import against raw sqlite3 rows."""

import argparse
import json
import random
from pathlib import Path

from bench.database import child_run
from bench.report import absolute_figure, figures_write, ratio_figure

PLACES = ["Homs", "Idlib", "Hama", "Aleppo", "Daraa", "Damascus", "Rastan", "Yabrud"]
PEOPLE = ["Kofi Annan", "Bashar al-Assad", "Ban Ki-moon", "Valerie Amos", "Ahmet Davutoglu"]
SPANS = 15
LENGTH = 1_500

GOLDSET = """
import django, resource, sys, time
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("import_documents", "bench", sys.argv[1], "--format", "jsonl", verbosity=0)
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# The same rows, with ids given here: documents (with their state), their prediction layer,
# spans, events and arguments, 500 articles per transaction, as a hand-written importer would.
RAW = """
import datetime, hashlib, json, resource, sqlite3, sys, time
database, path, ids, slug = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
connection = sqlite3.connect(database, isolation_level=None)
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("PRAGMA foreign_keys=ON")
if slug == "raw-bare":  # the same rows without the same-layer triggers, to show their cost
    for table in ("argument", "relation"):
        for when in ("insert", "update"):
            connection.execute(f"DROP TRIGGER annotations_{table}_same_layer_{when}")
corpus = connection.execute("SELECT id FROM corpus_corpus WHERE slug = ?", [slug]).fetchone()[0]
def first(table):
    return (connection.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]) + 1
next_id = {t: first(t) for t in ("corpus_document", "annotations_annotation", "annotations_span",
                                 "annotations_event", "annotations_argument")}
def take(table):
    value = next_id[table]; next_id[table] += 1; return value
sql = {
    "corpus_document": "INSERT INTO corpus_document (id, corpus_id, external_id, title, text,"
        " sha256, source, url, published, metadata, created_at, state)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, '', NULL, ?, ?, 'pre-annotated')",
    "annotations_annotation": "INSERT INTO annotations_annotation (id, document_id, kind,"
        " model_name, model_version, status, version, origin, attributes, created_at, updated_at)"
        " VALUES (?, ?, 'prediction', 'jsonl import', '', 'draft', 1, ?, '{}', ?, ?)",
    "annotations_span": "INSERT INTO annotations_span (id, annotation_id, start, \\"end\\","
        " entity_type_id, source, score, accepted, attributes, note)"
        " VALUES (?, ?, ?, ?, ?, 'human', NULL, 1, '{}', '')",
    "annotations_event": "INSERT INTO annotations_event (id, annotation_id, trigger_start,"
        " trigger_end, event_type_id, source, score, accepted, attributes, note)"
        " VALUES (?, ?, ?, ?, ?, 'human', NULL, 1, '{}', '')",
    "annotations_argument": "INSERT INTO annotations_argument (id, event_id, role_id, span_id,"
        " target_event_id, \\"index\\", source, score) VALUES (?, ?, ?, ?, NULL, 1, 'human', NULL)",
}
rows = {table: [] for table in sql}
def flush():
    # The documents go in with their state, counted once a batch (as Goldset's import does).
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO annotations_statepause (id) VALUES (1)")
    connection.execute("INSERT INTO annotations_documentstatecount (corpus_id, state, documents)"
                       " VALUES (?, 'pre-annotated', ?)", [corpus, len(rows["corpus_document"])])
    for table, statement in sql.items():
        connection.executemany(statement, rows[table])
        rows[table].clear()
    connection.execute("DELETE FROM annotations_statepause")
    connection.execute("COMMIT")
started = time.perf_counter()
with open(path, encoding="utf-8") as lines:
    for number, line in enumerate(lines, start=1):
        data = json.loads(line)
        text = data["text"]
        now = datetime.datetime.now().isoformat()
        document = take("corpus_document")
        rows["corpus_document"].append((document, corpus, data["id"], data["title"], text,
            hashlib.sha256(text.encode()).hexdigest(), f"{path}, line {number}", "{}", now))
        layer = take("annotations_annotation")
        origin = json.dumps({"format": "jsonl", "file": path, "line": number})
        rows["annotations_annotation"].append((layer, document, origin, now, now))
        spans = {}
        for entity in data["entities"]:
            spans[entity["id"]] = span = take("annotations_span")
            rows["annotations_span"].append((span, layer, entity["start"], entity["end"],
                                             ids["entities"][entity["label"]]))
        for event in data.get("events", []):
            key = take("annotations_event")
            trigger = event["trigger"]
            rows["annotations_event"].append((key, layer, trigger["start"], trigger["end"],
                                              ids["events"][event["type"]]))
            for argument in event["arguments"]:
                role = ids["roles"][event["type"] + "/" + argument["role"]]
                rows["annotations_argument"].append((take("annotations_argument"), key, role,
                                                     spans[argument["ref"]]))
        if number % 500 == 0:
            flush()
flush()
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def annotated_run(options: argparse.Namespace, directory: Path) -> None:
    """Import `options.articles` annotated articles with Goldset and raw; print both rates."""
    from corpus.services.corpora import corpus_get_or_create
    from corpus.services.schemas import schema_get_or_create

    schema = schema_get_or_create(name_or_path="ace2005")
    for slug in ("raw", "raw-bare", "bench"):
        corpus_get_or_create(slug=slug, schema=schema)
    path = directory / "annotated.jsonl"
    spans, events = articles_write(path, options.articles, events=options.events, seed=1)
    print(
        f"{options.articles:,} articles of about {LENGTH:,} characters, {spans:,} spans, "
        f"{events:,} events with one argument each; {path.stat().st_size / 1e6:.1f} MB of JSONL"
    )
    goldset_seconds, goldset_kb = child_run(GOLDSET, str(path))
    ids = json.dumps(_schema_ids(schema))
    database = str(directory / "bench.sqlite3")
    raw_seconds, raw_kb = child_run(RAW, database, str(path), ids, "raw")
    bare_seconds, _ = child_run(RAW, database, str(path), ids, "raw-bare")
    goldset_rate, raw_rate = options.articles / goldset_seconds, options.articles / raw_seconds
    rows = options.articles * 2 + spans + events * 2
    print(
        f"Goldset import_documents: {goldset_rate:,.0f} articles/s ({rows / goldset_seconds:,.0f}"
        f" rows/s), {goldset_seconds:.1f} s, peak {goldset_kb / 1024:.0f} MB"
    )
    print(
        f"raw sqlite3 executemany:  {raw_rate:,.0f} articles/s ({rows / raw_seconds:,.0f} rows/s),"
        f" {raw_seconds:.1f} s, peak {raw_kb / 1024:.0f} MB"
    )
    print(
        f"raw without the same-layer triggers: {options.articles / bare_seconds:,.0f} articles/s,"
        f" {bare_seconds:.1f} s: the triggers cost {raw_seconds - bare_seconds:+.1f} s"
    )
    print(f"ratio {goldset_rate / raw_rate:.2f} (target at least 0.5)")
    per_100k = 100_000 / goldset_rate
    print(f"100,000 annotated articles at this rate: {per_100k:.0f} s (target under 60 s)")
    what = f"{options.articles:,} annotated articles" + (
        f" with {options.events} events each" if options.events else ""
    )
    figures = [
        ratio_figure(
            f"import {what} (articles/s)",
            goldset_rate,
            raw_rate,
            unit="articles/s",
            baseline="raw sqlite3 executemany",
            target=(">=", 0.5),
        ),
        absolute_figure(
            f"import {what}: 100,000 at this rate"
            + (" (no target with events)" if options.events else ""),
            per_100k,
            unit="s",
            target=None if options.events else ("<=", 60),
        ),
        absolute_figure(f"import {what}: peak memory", goldset_kb / 1024, unit="MB"),
    ]
    figures_write(options.json, figures, articles=options.articles, events=options.events)


def _schema_ids(schema) -> dict:
    return {
        "entities": dict(schema.entity_types.values_list("key", "pk")),
        "events": dict(schema.event_types.values_list("key", "pk")),
        "roles": {
            f"{event}/{role}": pk
            for event, role, pk in schema.event_types.values_list("key", "roles__key", "roles__pk")
            if role
        },
    }


def articles_write(path: Path, count: int, *, events: int, seed: int) -> tuple[int, int]:
    """Write `count` annotated articles; return how many spans and events they hold."""
    rng = random.Random(seed)
    spans = written_events = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            record = article(number, rng, events=events)
            spans += len(record["entities"])
            written_events += len(record["events"])
            out.write(json.dumps(record) + "\n")
    return spans, written_events


def article(number: int, rng: random.Random, *, events: int) -> dict:
    """About LENGTH characters: sentences naming a place and a person, SPANS of them marked."""
    text, entities, attacks = "", [], []
    while len(text) < LENGTH - 100:
        place, person = rng.choice(PLACES), rng.choice(PEOPLE)
        opening = "Government forces shelled "
        trigger = len(text) + len("Government forces ")
        start = len(text) + len(opening)
        text += f"{opening}{place} on day {number}, and "
        entities.append({"id": f"T{len(entities)}", "start": start, "end": start + len(place),
                         "label": "GPE"})  # fmt: skip
        if len(attacks) < events:
            attacks.append({
                "id": f"E{len(attacks)}", "type": "Conflict.Attack",
                "trigger": {"start": trigger, "end": trigger + len("shelled")},
                "arguments": [{"role": "Place", "ref": entities[-1]["id"]}],
            })  # fmt: skip
        start = len(text)
        text += f"{person} said the fighting near there had to stop. "
        entities.append({"id": f"T{len(entities)}", "start": start, "end": start + len(person),
                         "label": "PER"})  # fmt: skip
    return {
        "id": f"annotated-{number}",
        "title": f"Fighting, day {number}",
        "text": text.strip(),
        "entities": entities[:SPANS],
        "events": attacks,
    }
