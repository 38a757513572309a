"""Pre-annotation by two workers while annotators save: the invariants, checked on PostgreSQL.

    .venv/bin/python -m bench.concurrency [--postgres URL] [--documents 2000]
        [--annotators 10] [--server-workers 2] [--server-threads 4] [--interval 1] [--json PATH]

Seeds a throwaway PostgreSQL database with an ACE 2005 corpus of `--documents` generated
news articles (about 1,000 characters each, imported as plain text) and one annotator user
per simulated annotator, who has already opened a layer on every `--annotators`-th document
(round robin). Then, at once:

- run 1 over the whole corpus is queued twice: its documents in tasks of 16 and again in
  tasks of 12, interleaved, so that the two workers run the same documents at the same time
  with chunks that do not line up (a batch delivered twice, as after a hasty resume or a
  recovery sweep that took a slow worker for dead);
- two `manage.py db_worker` processes take the tasks;
- `gunicorn config.wsgi` serves the API, and the simulated annotators (bench/concurrency_client.py)
  open and save layers of documents just ahead of the pre-annotation front, racing stale
  saves of their own layers from two tabs;
- once a quarter of the corpus is done, `manage.py preannotate CORPUS --resume` queues run 1
  a third time; at half, `manage.py preannotate CORPUS --missing` starts run 2 over what has
  no predictions yet.

When every run is finished and no task is left, the annotators stop and every layer they saved
is read back. Then, each PASS or FAIL with its numbers: (a) no document has two prediction
layers of one model (the layers table); (b) every document was pre-annotated exactly once
(one prediction layer each, the runs' `processed` add up to the corpus, and no run's layer
was replaced); (c) no save lost (every 200 answer is what is read back, the last save of each
layer); (d) every conflict reached its client (each stale save answered 409, no 5xx, no
connection error); (e) the run records say complete; (f) every task succeeded (a deadlock
fails one) and the workers logged no error. Exits 1 on any FAIL.
"""

import argparse
import asyncio
import heapq
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.concurrency_checks import invariants, report
from bench.concurrency_client import Conflicts, Front, Name, annotator_follow
from bench.database import PROJECT_DIR, throwaway_postgres
from bench.load import SERVER_ENVIRONMENT, gunicorn_server, token_for, user_create
from bench.load_client import Annotator, Tally, annotator_verify, percentiles
from bench.report import check_figure

SLUG = "bench-concurrency"
BATCH_SIZES = (16, 12)  # the first delivery of run 1, and the second, out of step with it
RESUME_AT, MISSING_AT = 0.25, 0.5  # share of the corpus done when each command runs
TIMEOUT_SECONDS = 1800.0
KINDS = ["my-layer", "open", "save", "race-load", "race-save", "stale-retry", "verify"]
WORKER_TROUBLE = re.compile(r"Traceback|deadlock|ERROR|CRITICAL", re.IGNORECASE)


@dataclass
class Seeded:
    """The corpus's documents in id order, their name spans, and the annotators."""

    documents: list[int]
    names: dict[int, list[Name]]
    annotators: list[Annotator]


def main() -> None:
    """Seed, run workers, server and annotators together, check, report; exit 1 on a FAIL."""
    args = arguments()
    os.environ.update(SERVER_ENVIRONMENT)
    started = time.monotonic()
    with throwaway_postgres(args.postgres), tempfile.TemporaryDirectory() as directory:
        print(f"Seeding {args.documents} articles and {args.annotators} annotators ...", flush=True)
        seeded = corpus_seed(documents=args.documents, annotators=args.annotators)
        run_queue_twice()
        from django.db import connections

        connections.close_all()
        logs = Path(directory)
        server = {"workers": args.server_workers, "threads": args.server_threads}
        with gunicorn_server(**server, log=logs / "gunicorn.log") as url:
            workers = [worker_start(logs / f"worker-{n}.log") for n in (1, 2)]
            try:
                figures = asyncio.run(load(url, seeded, args))
            finally:
                for process in workers:
                    worker_stop(process)
        figures["worker_trouble"] = [
            line
            for n in (1, 2)
            for line in (logs / f"worker-{n}.log").read_text().splitlines()
            if WORKER_TROUBLE.search(line)
        ]
        connections.close_all()
        figures |= invariants(documents=len(seeded.documents))
        connections.close_all()
    figures["total_seconds"] = time.monotonic() - started
    figures["settings"] = {**vars(args), "json": None, "cores": os.cpu_count()}
    passed = report(figures)
    if args.json:
        figures["figures"] = [
            check_figure(f"concurrency: {name}", check["pass"], detail=check["numbers"])
            for name, check in figures["checks"].items()
        ]
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str) + "\n")
    sys.exit(0 if passed else 1)


def arguments() -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--server-threads", type=int, default=4, help="threads in each")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
    parser.add_argument("--saves-per-document", type=int, default=4)
    parser.add_argument("--race-every", type=int, default=3, help="every n-th save is a race")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if args.documents < 100 or min(args.annotators, args.server_workers, args.server_threads) < 1:
        parser.error("at least 100 documents, 1 annotator and 1 server worker")
    if args.interval <= 0 or min(args.saves_per_document, args.race_every) < 1:
        parser.error("interval > 0; saves per document and race every at least 1")
    return args


def corpus_seed(*, documents: int, annotators: int) -> Seeded:
    """Import the generated articles; create the annotators, each with some layers open."""
    from annotations.services.layers.layer_open import annotator_layer_open
    from bench.editor_article import article_generate
    from corpus.models import Document
    from corpus.services.corpora import corpus_get_or_create
    from corpus.services.schemas import schema_get_or_create
    from formats.records import ArticleRecord
    from imports.services.run import records_import
    from imports.services.summary import ImportOptions

    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = corpus_get_or_create(slug=SLUG, schema=schema, name="Concurrency benchmark")
    articles = [article_generate(tokens=180, spans=6, events=0, seed=n) for n in range(documents)]
    records = (
        ArticleRecord(text=article.text, source=f"{SLUG}-{n:05}")
        for n, article in enumerate(articles)
    )
    records_import(corpus=corpus, records=records, format="txt", options=ImportOptions())
    by_source = dict(Document.objects.filter(corpus=corpus).values_list("source", "pk"))
    ids = [by_source[f"{SLUG}-{n:05}"] for n in range(documents)]
    if ids != sorted(ids):
        raise SystemExit("the documents were not imported in order")
    users = [user_create(corpus, f"annotator-{n:02}") for n in range(1, annotators + 1)]
    seeded = Seeded(
        documents=ids,
        names={pk: article.spans for pk, article in zip(ids, articles, strict=True)},
        annotators=[Annotator(token=token_for(user), documents=[]) for user in users],
    )
    for index in range(0, documents, annotators):  # opened before any prediction exists
        number = (index // annotators) % annotators
        document = Document.objects.get(pk=ids[index])
        annotator_layer_open(document=document, user=users[number])
        seeded.annotators[number].documents.append(ids[index])
    return seeded


def run_queue_twice() -> None:
    """Start run 1 over the corpus and queue it twice, the two deliveries interleaved."""
    from django.db import transaction

    from corpus.models import Corpus
    from preannotation.models import PreannotationRun
    from preannotation.services import preannotation_start, run_batches
    from preannotation.tasks import preannotate_batch

    run = preannotation_start(corpus=Corpus.objects.get(slug=SLUG))
    deliveries = [list(run_batches(run, batch_size=size)) for size in BATCH_SIZES]
    with transaction.atomic():
        for document_ids in heapq.merge(*deliveries, key=lambda batch: batch[0]):
            preannotate_batch.enqueue(run.pk, document_ids)
        # As `run_enqueue` marks it: a worker's run, which the recovery sweep looks after.
        PreannotationRun.objects.filter(pk=run.pk).update(in_background=True, attempts=1)
    tasks = sum(map(len, deliveries))
    print(f"run {run.pk}: {run.total} documents queued twice, in {tasks} tasks", flush=True)


def worker_start(log: Path) -> subprocess.Popen:
    """Start `manage.py db_worker` with this environment, its output to `log`."""
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
    with log.open("w") as output:
        return subprocess.Popen(
            command, cwd=PROJECT_DIR, env=os.environ.copy(), stdout=output, stderr=subprocess.STDOUT
        )


def worker_stop(process: subprocess.Popen) -> None:
    """Ask a worker to stop (it finishes its task first); kill it if it does not."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def load(url: str, seeded: Seeded, args: argparse.Namespace) -> dict:
    """Run the annotators until pre-annotation is over, then read every saved layer back."""
    tally, conflicts, front = Tally(), Conflicts(), Front()
    count = len(seeded.annotators)
    started = time.monotonic()
    async with asyncio.timeout(TIMEOUT_SECONDS + 300):  # if the server stops answering
        commands, *_ = await asyncio.gather(
            progress_follow(front, documents=len(seeded.documents)),
            *(
                annotator_follow(
                    annotator,
                    base_url=url,
                    slug=SLUG,
                    documents=seeded.documents,
                    names=seeded.names,
                    front=front,
                    interval=args.interval,
                    offset=number * args.interval / count,
                    window=2 * BATCH_SIZES[0],
                    saves_per_document=args.saves_per_document,
                    race_every=args.race_every,
                    tally=tally,
                    conflicts=conflicts,
                    seed=number,
                )
                for number, annotator in enumerate(seeded.annotators)
            ),
        )
        elapsed = time.monotonic() - started
        await asyncio.gather(
            *(annotator_verify(item, base_url=url, tally=tally) for item in seeded.annotators)
        )
    return {
        "preannotation_seconds": elapsed,
        "documents_per_second": len(seeded.documents) / elapsed,
        "commands": commands,
        "kinds": {
            kind: {
                "count": len(tally.latencies.get(kind, [])) + len(tally.errors.get(kind, [])),
                "errors": len(tally.errors.get(kind, [])),
                **percentiles(tally.latencies.get(kind, [])),
            }
            for kind in KINDS
        },
        "saved_layers": sum(len(annotator.saved) for annotator in seeded.annotators),
        "errors": dict(tally.errors),
        "lost_saves": tally.lost_saves,
        "conflicts": asdict(conflicts),
    }


async def progress_follow(front: Front, *, documents: int) -> list[str]:
    """Keep `front` up to date; run the resume and --missing commands on the way; return
    what they printed. Sets `front.done` once every run is finished and no task is left."""
    outputs, thresholds = [], [(RESUME_AT, "--resume"), (MISSING_AT, "--missing")]
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        processed, over = await asyncio.to_thread(progress)
        front.processed = processed
        if thresholds and processed >= thresholds[0][0] * documents:
            _, option = thresholds.pop(0)
            outputs.append(await preannotate_command(option))
        elif over and not thresholds:
            break
        elif time.monotonic() > deadline:
            outputs.append(f"gave up waiting after {TIMEOUT_SECONDS:.0f} s")
            break
        await asyncio.sleep(0.5)
    front.done = True
    return outputs


def progress() -> tuple[int, bool]:
    """Documents with predictions, and whether every run is finished and no task is left."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from annotations.models import Annotation
    from preannotation.models import PreannotationRun

    try:
        done = Annotation.objects.filter(kind=Annotation.Kind.PREDICTION).count()
        unfinished = PreannotationRun.objects.filter(finished_at__isnull=True).exists()
        busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
        return done, not unfinished and not busy
    finally:
        connection.close()  # a thread of asyncio's pool: no connection left behind


async def preannotate_command(option: str) -> str:
    """Run `manage.py preannotate SLUG OPTION`; return what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "manage.py", "preannotate", SLUG, option,
        cwd=PROJECT_DIR, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output = (await process.communicate())[0].decode().strip()
    print(f"preannotate {option}: {output}", flush=True)
    return f"preannotate {option} (exit {process.returncode}): {output}"


if __name__ == "__main__":
    main()
