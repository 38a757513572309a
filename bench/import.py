"""Speed and memory of importing JSONL, as a ratio against raw sqlite3 measured in the same run.

    .venv/bin/python -m bench.import [--articles 100000] [--big-mb 0]
    .venv/bin/python -m bench.import --annotated [--articles 10000] [--events 0] [--postgres URL]

1. Writes `--articles` generated short news articles (each unique) to a JSONL file.
2. Goldset: `manage.py import_documents` on it, in a child process with DEBUG off, into a
   throwaway SQLite database (documents per second, peak resident memory).
3. Raw: a child process reads the same file, parses each line, hashes the text and inserts
   the same rows into the same table with `sqlite3`, 500 rows an INSERT statement and a
   commit (as Goldset writes them: config.inserts says why).

Prints documents per second for both, the ratio (target: at least 0.5) and peak memory.

With `--annotated`, each article is about 1,500 characters with 15 entity spans (and with
`--events N`, N Conflict.Attack events, each with its Place argument), imported as a
prediction layer; the raw child then also inserts the layer, span, event and argument rows,
with ids it gives itself, into the same tables (their triggers and indexes fire for both),
500 rows an INSERT statement as Goldset writes them (bench/import_annotated.py says why),
and again with `executemany` of one-row statements. Both print CPU seconds too. Target: at
least 0.5 of raw executemany (issue 19's baseline; the ratio against the 500-row statements
is printed beside it), and 100,000 annotated articles in under 60 s.
With `--postgres URL` (for example postgres://postgres@127.0.0.1:5432/postgres) the annotated
import runs on a throwaway database of that server, against raw psycopg: COPY of the same
rows (the target's baseline) and executemany of one-row INSERTs.
With `--big-mb N` it then imports a generated JSONL of N megabytes and prints the peak
resident memory (target for 1024: under 300 MB, flat in file size).
"""

import argparse
import json
import random
import tempfile
from pathlib import Path

from bench.database import child_run, throwaway_database, throwaway_postgres
from bench.report import absolute_figure, figures_write, ratio_figure

PLACES = ["Homs", "Idlib", "Hama", "Aleppo", "Daraa", "Damascus", "Rastan", "Yabrud"]
PEOPLE = ["Kofi Annan", "Bashar al-Assad", "Ban Ki-moon", "Valerie Amos", "Ahmet Davutoglu"]
VERBS = ["shelled", "attacked", "visited", "left", "surrounded", "entered"]

GOLDSET = """
import django, resource, sys, time
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("import_documents", "bench", sys.argv[1], "--format", "jsonl", verbosity=0)
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

RAW = """
import datetime, hashlib, json, resource, sqlite3, sys, time
database, path = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(database, isolation_level=None)
connection.execute("PRAGMA journal_mode=WAL")
corpus = connection.execute("SELECT id FROM corpus_corpus WHERE slug = 'raw'").fetchone()[0]
insert = (
    "INSERT INTO corpus_document (corpus_id, external_id, title, text, sha256, source, url,"
    " published, metadata, created_at) VALUES "
)
marks = "(?, ?, ?, ?, ?, ?, '', NULL, ?, ?)"
started = time.perf_counter()
rows = []
def flush():  # the batch's rows in one INSERT statement, as config.inserts writes them
    if not rows:
        return
    connection.execute("BEGIN")
    connection.execute(insert + ", ".join([marks] * len(rows)), [v for row in rows for v in row])
    connection.execute("COMMIT")
    rows.clear()
with open(path, encoding="utf-8") as lines:
    for number, line in enumerate(lines, start=1):
        data = json.loads(line)
        text = data["text"]
        rows.append((
            corpus, data["id"], data["title"], text,
            hashlib.sha256(text.encode()).hexdigest(), f"{path}, line {number}",
            json.dumps(data["metadata"]), datetime.datetime.now().isoformat(),
        ))
        if len(rows) == 500:
            flush()
flush()
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--big-mb", type=int, default=0, help="also import a file this big")
    parser.add_argument("--annotated", action="store_true", help="articles with 15 spans each")
    parser.add_argument("--events", type=int, default=0, help="events per annotated article")
    parser.add_argument(  # kept for the commands written with it
        "--per-row", action="store_true", help="(raw executemany is always timed now)"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="--annotated on a throwaway database of this server"
    )
    parser.add_argument("--json", help="write the figures to this file (for `make bench`)")
    options = parser.parse_args()
    if options.postgres:
        if not options.annotated:
            parser.error("--postgres measures the annotated import: add --annotated")
        from bench.import_annotated import annotated_run

        with tempfile.TemporaryDirectory() as directory, throwaway_postgres(options.postgres):
            annotated_run(options, Path(directory))
        return
    with throwaway_database() as directory:
        if options.annotated:
            from bench.import_annotated import annotated_run

            annotated_run(options, directory)
        else:
            run(options, directory)


def run(options: argparse.Namespace, directory: Path) -> None:
    from corpus.services.corpora import corpus_get_or_create
    from corpus.services.schemas import schema_get_or_create

    schema = schema_get_or_create(name_or_path="ace2005")
    corpus_get_or_create(slug="raw", schema=schema)
    path = directory / "articles.jsonl"
    size = articles_write(path, options.articles, seed=1)
    print(f"{options.articles} articles, {size / 1e6:.1f} MB of JSONL")

    goldset_seconds, goldset_kb = child_run(GOLDSET, str(path))
    raw_seconds, raw_kb = child_run(RAW, str(directory / "bench.sqlite3"), str(path))
    goldset_rate = options.articles / goldset_seconds
    raw_rate = options.articles / raw_seconds
    goldset_mb = goldset_kb / 1024
    print(f"Goldset import_documents: {goldset_rate:,.0f} documents/s, peak {goldset_mb:.0f} MB")
    raw_mb = raw_kb / 1024
    print(f"raw sqlite3, 500 rows a statement: {raw_rate:,.0f} documents/s, peak {raw_mb:.0f} MB")
    print(f"ratio {goldset_rate / raw_rate:.2f} (target at least 0.5)")
    figures = [
        ratio_figure(
            f"import {options.articles:,} plain articles (documents/s)",
            goldset_rate,
            raw_rate,
            unit="documents/s",
            baseline="raw sqlite3, 500 rows a statement",
            target=(">=", 0.5),
        )
    ]
    if options.big_mb:
        with tempfile.TemporaryDirectory() as scratch:
            big = Path(scratch) / "big.jsonl"
            count = articles_write_until(big, options.big_mb * 1024 * 1024, seed=2)
            seconds, peak_kb = child_run(GOLDSET, str(big))
            print(
                f"{options.big_mb} MB JSONL ({count:,} articles) in {seconds:.0f} s:"
                f" peak {peak_kb / 1024:.0f} MB resident (target under 300 MB)"
            )
            figures.append(
                absolute_figure(
                    f"import a {options.big_mb} MB JSONL file: peak memory",
                    peak_kb / 1024,
                    unit="MB",
                    target=("<=", 300),
                )
            )
    figures_write(options.json, figures, articles=options.articles, big_mb=options.big_mb)


def article(number: int, rng: random.Random) -> dict:
    place, other = rng.sample(PLACES, 2)
    person = rng.choice(PEOPLE)
    sentences = [
        f"Government forces {rng.choice(VERBS)} {place} on day {number}, activists said.",
        f"{person} said the fighting near {other} had to stop.",
        f"At least {rng.randint(2, 90)} people were killed, according to the observatory.",
    ]
    return {
        "id": f"bench-{number}",
        "title": f"Fighting in {place} ({number})",
        "text": " ".join(sentences),
        "metadata": {"section": "World"},
    }


def articles_write(path: Path, count: int, *, seed: int) -> int:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps(article(number, rng)) + "\n")
    return path.stat().st_size


def articles_write_until(path: Path, size: int, *, seed: int) -> int:
    """Write longer articles (about 2 KB each) until the file holds `size` bytes."""
    rng = random.Random(seed)
    count = written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            data = article(count, rng)
            data["text"] = " ".join([data["text"]] * 8)
            line = json.dumps(data) + "\n"
            out.write(line)
            written += len(line)
            count += 1
    return count


if __name__ == "__main__":
    main()
