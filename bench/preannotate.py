"""Speed and memory of pre-annotation, as ratios against raw `nlp.pipe` measured in the same run.

    .venv/bin/python -m bench.preannotate [--copies 40] [--long 8]

On copies of the seed articles (each made unique so none is a duplicate), with the
pipeline the ACE 2005 schema needs:

1. raw: `nlp.pipe` over the texts in memory, in this process (tokens per second);
2. Goldset end to end with one `db_worker` process: tasks read the documents, analyse
   them and write tokens, sentences, spans, events and arguments;
3. the same with two worker processes.

Workers first take a warm-up task each (loading the model), so the timed window, from
the first timed task's start to the last one's end (the task rows' timestamps), holds
steady-state work only. Then one worker runs a single task of `--long` long articles
(ten seed articles each) and reports its peak resident memory. Targets: end to end at
least 0.85 of raw; two workers at least 1.7 times one; the long batch under 1.5 GB.
Runs on a throwaway SQLite database in a temporary directory.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from bench.database import PROJECT_DIR, throwaway_database

WORKER = (
    "import django, resource, sys; django.setup();"
    "from django.core.management import call_command;"
    "call_command('db_worker', '--batch', '--no-reload', verbosity=0);"
    "print('peak-rss-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="copies of each seed article")
    parser.add_argument("--long", type=int, default=8, help="long articles in the memory test")
    options = parser.parse_args()
    with throwaway_database():
        run(options)


def run(options: argparse.Namespace) -> None:
    from django.conf import settings

    from bench.seed_gold import PRESET_PATH, seed_gold
    from corpus.nlp.pipeline import pipeline_load
    from corpus.nlp.spec import preset_pipeline_spec

    seeds = [document.text for document in seed_gold()]
    texts = [f"{text}\n\n(Copy {n}.)" for n in range(options.copies) for text in seeds]
    spec = preset_pipeline_spec(json.loads(PRESET_PATH.read_text(encoding="utf-8")))
    nlp = pipeline_load(settings.SPACY_MODEL, schema=spec)
    list(nlp.pipe(seeds))  # warm up

    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=settings.PREANNOTATE_BATCH_SIZE))
    raw = tokens / (time.perf_counter() - started)
    print(f"{len(texts)} articles, {tokens:,} tokens, pipeline {', '.join(nlp.pipe_names)}")
    print(f"raw nlp.pipe, 1 process:       {raw:8,.0f} tokens/s")

    split = time_split(texts)
    print(
        f"in one process, per run: pipeline {split['pipeline']:.1f} s, turning docs into "
        f"analyses {split['analysis']:.1f} s, writes {split['writes']:.1f} s "
        f"({split['writes'] / split['total']:.0%} of {split['total']:.1f} s)"
    )
    one = end_to_end(texts, tokens, workers=1, name="one")
    print(f"Goldset end to end, 1 worker:  {one:8,.0f} tokens/s  {one / raw:.2f} of raw (>= 0.85)")
    two = end_to_end(texts, tokens, workers=2, name="two")
    print(f"Goldset end to end, 2 workers: {two:8,.0f} tokens/s  {two / one:.2f} x one (>= 1.7)")

    long_texts = ["\n\n".join(seeds * 5) + f"\n\n(Long {n}.)" for n in range(options.long)]
    peak = long_batch_peak(long_texts)
    chars = sum(map(len, long_texts))
    print(
        f"one task of {len(long_texts)} long articles ({chars:,} characters): worker peak "
        f"{peak / 1024:,.0f} MB resident (target < 1,536 MB)"
    )


def time_split(texts: list[str]) -> dict[str, float]:
    """Where a run's time goes, in this process: the spaCy pipeline, its docs turned into
    analyses (entities, events, offsets), and the writes (layers, items, tokens, counts)."""
    import spacy.language

    import corpus.nlp.analysis as analysis_module
    import preannotation.services as services
    from preannotation.services import preannotation_start, run_batch, run_batches

    spent = {"pipeline": 0.0, "analysis": 0.0, "writes": 0.0}

    def timed(function, key):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - started

        return wrapper

    def timed_pipe(self, *args, **kwargs):  # a generator: time each document it yields
        iterator = iter(original_pipe(self, *args, **kwargs))
        while True:
            started = time.perf_counter()
            try:
                doc = next(iterator)
            except StopIteration:
                return
            finally:
                spent["pipeline"] += time.perf_counter() - started
            yield doc

    original_pipe = spacy.language.Language.pipe
    originals = (analysis_module.doc_analysis, services._chunk_write)
    spacy.language.Language.pipe = timed_pipe
    analysis_module.doc_analysis = timed(analysis_module.doc_analysis, "analysis")
    services._chunk_write = timed(services._chunk_write, "writes")
    try:
        run = preannotation_start(corpus=_corpus("split", texts))
        started = time.perf_counter()
        for batch in run_batches(run):
            run_batch(run, batch)
        spent["total"] = time.perf_counter() - started
    finally:
        spacy.language.Language.pipe = original_pipe
        analysis_module.doc_analysis, services._chunk_write = originals
    return spent


def end_to_end(texts: list[str], tokens: int, *, workers: int, name: str) -> float:
    """Tokens per second of `workers` db_worker processes over a corpus of `texts`."""
    from django_tasks_db.models import DBTaskResult

    from preannotation.services import preannotation_start, run_batches
    from preannotation.tasks import preannotate_batch, run_enqueue

    timed = _corpus(name, texts)
    warm = _corpus(f"{name}-warm-up", [f"Kofi Annan visited Damascus. ({n})" for n in range(2)])
    run = preannotation_start(corpus=timed)
    run_enqueue(run)
    warm_up = preannotation_start(corpus=warm)
    for batch in run_batches(warm_up, batch_size=1):
        preannotate_batch.using(priority=10).enqueue(warm_up.pk, batch)
    processes = [_worker() for _ in range(workers)]
    for process in processes:
        output, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"worker failed:\n{output}")
    run.refresh_from_db()
    assert run.processed == len(texts), _failures(run)
    results = DBTaskResult.objects.filter(args_kwargs__args__0=run.pk)
    first = min(result.started_at for result in results)
    last = max(result.finished_at for result in results)
    return tokens / (last - first).total_seconds()


def long_batch_peak(texts: list[str]) -> int:
    """Peak resident memory (KB) of a worker running one task over `texts`."""
    from preannotation.services import preannotation_start
    from preannotation.tasks import run_enqueue

    run_enqueue(preannotation_start(corpus=_corpus("long", texts)), batch_size=len(texts))
    process = _worker()
    output, _ = process.communicate()
    return int(output.rsplit("peak-rss-kb", 1)[1].split()[0])


def _failures(run) -> str:
    return "; ".join(f"{f.document_id}: {f.message}" for f in run.failures.all())


def _corpus(slug: str, texts: list[str]):
    from corpus.services.corpora import corpus_get_or_create
    from corpus.services.schemas import schema_get_or_create
    from formats.records import ArticleRecord
    from imports.services.run import records_import
    from imports.services.summary import ImportOptions

    corpus = corpus_get_or_create(
        slug=slug, schema=schema_get_or_create(name_or_path="ace2005"), name=slug
    )
    records = (ArticleRecord(text=text, source=f"{slug}-{n}") for n, text in enumerate(texts))
    records_import(corpus=corpus, records=records, format="txt", options=ImportOptions())
    return corpus


def _worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=PROJECT_DIR,
        # Workers run as in production: without DEBUG's per-query bookkeeping.
        env={
            **os.environ,
            "PYTHONPATH": str(PROJECT_DIR),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "localhost",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


if __name__ == "__main__":
    main()
