"""bench.import --annotated: annotated articles, Goldset's import against raw sqlite3 rows.

The raw baseline (RAW) writes the same rows into the same database, with everything the
database does for Goldset's rows: each document indexed for search by the FTS5 insert
trigger of migration corpus 0008, the document state triggers paused for the transaction
(a row of annotations_statepause) and the states counted once a batch, the argument
same-layer triggers firing (the "bare" run drops them, to show what they cost), foreign
keys on, the connection set as Goldset's (WAL, synchronous NORMAL). Its rows go in INSERT
statements of ROWS_PER_STATEMENT rows, 500 articles a transaction, the way
config.inserts.values_insert writes them: the fastest way found to write these
rows with sqlite3. It also times the plain `executemany` of a one-row INSERT, the baseline
issue 19 names, which makes SQLite open a statement journal, and FTS5 write a segment, for
every row: the target (at least 0.5 of raw) is on that ratio, and the ratio against the
500-row statements, twice as strict, is printed beside it without a target. The run stops if
the corpora do not end with the same rows.
"""

import argparse
import json
import os
import random
from pathlib import Path

from bench.database import child_numbers
from bench.report import absolute_figure, figures_write, ratio_figure

PLACES = ["Homs", "Idlib", "Hama", "Aleppo", "Daraa", "Damascus", "Rastan", "Yabrud"]
PEOPLE = ["Kofi Annan", "Bashar al-Assad", "Ban Ki-moon", "Valerie Amos", "Ahmet Davutoglu"]
SPANS = 15
LENGTH = 1_500

# Each child prints its wall seconds, CPU seconds and peak resident KB on its last line.
GOLDSET = """
import django, resource, sys, time
django.setup()
from django.core.management import call_command
started, cpu = time.perf_counter(), time.process_time()
call_command("import_documents", "bench", sys.argv[1], "--format", "jsonl", verbosity=0)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
print(elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# The same rows with ids given here: documents (with their state), their prediction layer,
# spans, events and arguments, 500 articles per transaction, as a hand-written importer would.
# A head opens the database and defines insert() and flush(); BODY reads the file, makes the
# rows and flushes them.
RAW_SQLITE = """
import datetime, hashlib, itertools, json, resource, sqlite3, sys, time
database, path, ids, slug, mode, per_statement = sys.argv[1:7]
ids, per_statement = json.loads(ids), int(per_statement)
connection = sqlite3.connect(database, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
    connection.execute("PRAGMA " + pragma)
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
# Each table's INSERT and the VALUES of one row.
sql = {
    "corpus_document": ("INSERT INTO corpus_document (id, corpus_id, external_id, title, text,"
        " sha256, source, url, published, metadata, created_at, state)",
        "(?, ?, ?, ?, ?, ?, ?, '', NULL, ?, ?, 'pre-annotated')"),
    "annotations_annotation": ("INSERT INTO annotations_annotation (id, document_id, kind,"
        " model_name, model_version, status, version, origin, attributes, created_at,"
        " updated_at)", "(?, ?, 'prediction', 'jsonl import', '', 'draft', 1, ?, '{}', ?, ?)"),
    "annotations_span": ("INSERT INTO annotations_span (id, annotation_id, start, \\"end\\","
        " entity_type_id, source, score, accepted, attributes, note)",
        "(?, ?, ?, ?, ?, 'human', NULL, 1, '{}', '')"),
    "annotations_event": ("INSERT INTO annotations_event (id, annotation_id, trigger_start,"
        " trigger_end, event_type_id, source, score, accepted, attributes, note)",
        "(?, ?, ?, ?, ?, 'human', NULL, 1, '{}', '')"),
    "annotations_argument": ("INSERT INTO annotations_argument (id, event_id, role_id, span_id,"
        " target_event_id, \\"index\\", source, score)", "(?, ?, ?, ?, NULL, 1, 'human', NULL)"),
}
def insert(table, rows):
    head, one = sql[table]
    if mode == "per-row":
        connection.executemany(f"{head} VALUES {one}", rows)
        return
    whole = len(rows) - len(rows) % per_statement
    if whole:
        connection.executemany(
            f"{head} VALUES {', '.join([one] * per_statement)}",
            [list(itertools.chain.from_iterable(rows[at:at + per_statement]))
             for at in range(0, whole, per_statement)],
        )
    if whole < len(rows):
        rest = rows[whole:]
        connection.execute(f"{head} VALUES {', '.join([one] * len(rest))}",
                           list(itertools.chain.from_iterable(rest)))
rows = {table: [] for table in sql}
def flush():
    # The documents go in with their state, counted once a batch (as Goldset's import does).
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO annotations_statepause (id) VALUES (1)")
    connection.execute("INSERT INTO annotations_documentstatecount (corpus_id, state, documents)"
                       " VALUES (?, 'pre-annotated', ?)", [corpus, len(rows["corpus_document"])])
    for table in sql:
        insert(table, rows[table])
        rows[table].clear()
    connection.execute("DELETE FROM annotations_statepause")
    connection.execute("COMMIT")
"""

# The same rows on PostgreSQL with psycopg: COPY (mode "statements"), or executemany of a
# one-row INSERT ("per-row"), which psycopg sends pipelined. Each table's rows are the same
# tuples as on SQLite; the columns the SQLite statements write as constants are appended.
RAW_POSTGRES = """
import datetime, hashlib, json, resource, sys, time
import psycopg
database, path, ids, slug, mode, per_statement = sys.argv[1:7]
ids = json.loads(ids)
connection = psycopg.connect(database, autocommit=True)  # a transaction a flush, as on SQLite
if slug == "raw-bare":  # the same rows without the same-layer triggers, to show their cost
    for table in ("argument", "relation"):
        connection.execute(f"DROP TRIGGER annotations_{table}_same_layer ON annotations_{table}")
corpus = connection.execute("SELECT id FROM corpus_corpus WHERE slug = %s", [slug]).fetchone()[0]
def first(table):
    return (connection.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]) + 1
next_id = {t: first(t) for t in ("corpus_document", "annotations_annotation", "annotations_span",
                                 "annotations_event", "annotations_argument")}
def take(table):
    value = next_id[table]; next_id[table] += 1; return value
ITEM = ("source", "score", "accepted", "attributes", "note"), ("human", None, True, "{}", "")
columns = {  # the tuple's columns, then the constant columns and their values
    "corpus_document": (("id", "corpus_id", "external_id", "title", "text", "sha256", "source",
        "metadata", "created_at"), ("url", "published", "state"), ("", None, "pre-annotated")),
    "annotations_annotation": (("id", "document_id", "origin", "created_at", "updated_at"),
        ("kind", "model_name", "model_version", "status", "version", "attributes"),
        ("prediction", "jsonl import", "", "draft", 1, "{}")),
    "annotations_span": (("id", "annotation_id", "start", "end", "entity_type_id"), *ITEM),
    "annotations_event": (("id", "annotation_id", "trigger_start", "trigger_end",
        "event_type_id"), *ITEM),
    "annotations_argument": (("id", "event_id", "role_id", "span_id"),
        ("target_event_id", "index", "source", "score"), (None, 1, "human", None)),
}
def insert(table, rows):
    names, constant_names, constants = columns[table]
    quoted = ", ".join(f'"{name}"' for name in (*names, *constant_names))
    rows = [row + constants for row in rows]
    with connection.cursor() as cursor:
        if mode == "per-row":
            marks = ", ".join(["%s"] * (len(names) + len(constant_names)))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
            return
        with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
rows = {table: [] for table in columns}
def flush():
    # The documents go in with their state, counted once a batch (as Goldset's import does).
    with connection.transaction():
        connection.execute("INSERT INTO annotations_statepause (id) VALUES (1)")
        connection.execute("INSERT INTO annotations_documentstatecount (corpus_id, state,"
                           " documents) VALUES (%s, 'pre-annotated', %s)",
                           [corpus, len(rows["corpus_document"])])
        for table in columns:
            insert(table, rows[table])
            rows[table].clear()
        connection.execute("DELETE FROM annotations_statepause")
"""

# Reads the file and makes the rows, flushing them 500 articles at a time.
BODY = """
started, cpu = time.perf_counter(), time.process_time()
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
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
print(elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

RAW = {"sqlite": RAW_SQLITE + BODY, "postgresql": RAW_POSTGRES + BODY}


def annotated_run(options: argparse.Namespace, directory: Path) -> None:
    """Import `options.articles` annotated articles with Goldset and raw; print both rates.

    On the database Django is set up on: SQLite (`directory`/bench.sqlite3) or PostgreSQL.
    """
    from django.db import connection

    from config.inserts import ROWS_PER_STATEMENT as ROWS
    from corpus.services.corpora import corpus_get_or_create
    from corpus.services.schemas import schema_get_or_create

    postgres = connection.vendor == "postgresql"
    # (name of the fast baseline, of the per-row one): COPY on PostgreSQL, as Goldset writes
    fast, per_row = (
        ("raw psycopg COPY", "raw psycopg executemany")
        if postgres
        else (f"raw sqlite3, {ROWS} rows a statement", "raw sqlite3 executemany")
    )
    schema = schema_get_or_create(name_or_path="ace2005")
    for slug in ("raw", "raw-bare", "raw-per-row", "bench"):
        corpus_get_or_create(slug=slug, schema=schema)
    path = directory / "annotated.jsonl"
    spans, events = articles_write(path, options.articles, events=options.events, seed=1)
    print(
        f"{options.articles:,} articles of about {LENGTH:,} characters, {spans:,} spans, "
        f"{events:,} events with one argument each; {path.stat().st_size / 1e6:.1f} MB of JSONL"
        f" on {'PostgreSQL' if postgres else 'SQLite'}"
    )
    goldset_seconds, goldset_cpu, goldset_kb = child_numbers(GOLDSET, str(path))
    database = os.environ["DATABASE_URL"] if postgres else str(directory / "bench.sqlite3")
    raw_code = RAW[connection.vendor]
    raw = [database, str(path), json.dumps(_schema_ids(schema))]
    connection.close()  # the raw-bare child drops triggers: no transaction of ours in its way
    raw_seconds, raw_cpu, raw_kb = child_numbers(raw_code, *raw, "raw", "statements", str(ROWS))
    bare_seconds, *_ = child_numbers(raw_code, *raw, "raw-bare", "statements", str(ROWS))
    row_seconds, row_cpu, _ = child_numbers(raw_code, *raw, "raw-per-row", "per-row", "1")
    written = {slug: _rows_written(slug) for slug in ("bench", "raw", "raw-bare", "raw-per-row")}
    if len(set(written.values())) != 1:  # the ratio compares the same rows, or nothing
        raise SystemExit(f"Goldset and raw wrote different rows: {written}")
    goldset_rate, raw_rate = options.articles / goldset_seconds, options.articles / raw_seconds
    row_rate = options.articles / row_seconds
    rows = options.articles * 2 + spans + events * 2
    print(
        f"Goldset import_documents: {goldset_rate:,.0f} articles/s ({rows / goldset_seconds:,.0f}"
        f" rows/s), {goldset_seconds:.1f} s ({goldset_cpu:.1f} s CPU),"
        f" peak {goldset_kb / 1024:.0f} MB"
    )
    print(
        f"{fast}: {raw_rate:,.0f} articles/s ({rows / raw_seconds:,.0f} rows/s),"
        f" {raw_seconds:.1f} s ({raw_cpu:.1f} s CPU), peak {raw_kb / 1024:.0f} MB"
    )
    print(
        f"raw without the same-layer triggers: {options.articles / bare_seconds:,.0f} articles/s,"
        f" {bare_seconds:.1f} s: the triggers cost {raw_seconds - bare_seconds:+.1f} s"
    )
    print(f"{per_row}, a statement per row: {row_rate:,.0f} articles/s, {row_seconds:.1f} s"
          f" ({row_cpu:.1f} s CPU)")  # fmt: skip
    # The target: against executemany on SQLite (the baseline issue 19 names), against COPY
    # on PostgreSQL (the same way of writing as Goldset's).
    target_rate, target_baseline = (raw_rate, fast) if postgres else (row_rate, per_row)
    other_rate, other_baseline = (row_rate, per_row) if postgres else (raw_rate, fast)
    print(
        f"ratio {goldset_rate / target_rate:.2f} of {target_baseline} (target at least 0.5);"
        f" {goldset_rate / other_rate:.2f} of {other_baseline} (no target);"
        f" of {fast}'s CPU time {raw_cpu / goldset_cpu:.2f}"
    )
    per_100k = 100_000 / goldset_rate
    print(f"100,000 annotated articles at this rate: {per_100k:.0f} s (target under 60 s)")
    what = f"{options.articles:,} annotated articles" + (
        f" with {options.events} events each" if options.events else ""
    )
    if postgres:
        what += " on PostgreSQL"
    figures = [
        ratio_figure(
            f"import {what} (articles/s)",
            goldset_rate,
            target_rate,
            unit="articles/s",
            baseline=target_baseline,
            target=(">=", 0.5),
        ),
        ratio_figure(
            f"import {what}, against {other_baseline}",
            goldset_rate,
            other_rate,
            unit="articles/s",
            baseline=other_baseline,
        ),
        absolute_figure(
            f"import {what}: 100,000 at this rate"
            + (" (no target with events)" if options.events or postgres else ""),
            per_100k,
            unit="s",
            target=None if options.events or postgres else ("<=", 60),
        ),
        absolute_figure(f"import {what}: peak memory", goldset_kb / 1024, unit="MB"),
    ]
    figures_write(options.json, figures, articles=options.articles, events=options.events)


def _rows_written(slug: str) -> tuple[int, ...]:
    """How many documents, layers, spans, events and arguments the corpus `slug` holds."""
    from annotations.models import Annotation, Argument, Event, Span
    from corpus.models import Document

    return (
        Document.objects.filter(corpus__slug=slug).count(),
        Annotation.objects.filter(document__corpus__slug=slug).count(),
        Span.objects.filter(annotation__document__corpus__slug=slug).count(),
        Event.objects.filter(annotation__document__corpus__slug=slug).count(),
        Argument.objects.filter(event__annotation__document__corpus__slug=slug).count(),
    )


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
