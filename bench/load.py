"""The REST API under load: simulated annotators opening and saving long layers, against gunicorn.

    .venv/bin/python -m bench.load [--postgres URL | --sqlite] [--workers 4] [--threads 4]
        [--annotators 20] [--seconds 60] [--interval 3] [--saves-per-document 4]
        [--cache-url redis://127.0.0.1:6379/13] [--json PATH]

Seeds a throwaway database (PostgreSQL by default, created, migrated and dropped on the
server of `--postgres`; or SQLite) with the ACE 2005 corpus of bench/editor_article.py:
`--annotators` + 4 generated news articles of 10,000 tokens with 1,000 predicted spans and
100 events each, one annotator user (membership and API token) per simulated annotator,
and one more user whose layer of one more article two clients fight over. Serves it with
`gunicorn config.wsgi --workers N --threads T` on a free loopback port (DEBUG off; the workers
share the Redis of `--cache-url` as their cache: as "Running for a team" runs them; with
`--threads 1` a sync worker, in which a cheap request waits behind a long one, such as the
first open of an article, which copies its predictions) and runs a bounded
asyncio load (bench/load_client.py): each annotator makes seconds / interval rounds,
`--interval` apart and staggered; every round a trivial request (`GET /api/corpora/`: one
small query), then either the document open (`POST .../my-layer/`, which copies the
predictions the first time, then `GET /api/annotations/{id}/`: "open") or a save of the
layer with one span label changed, as the editor saves it (`PATCH /api/annotations/{id}/`
with its version and the span changed: "save");
after `--saves-per-document` saves it opens its next article. Meanwhile two clients of one
user race saves of the same version of one layer every interval: one must get 200 and the
other 409, a retry with the stale version 409 again, and the layer must hold the winner's
change. After the run every saved layer is read back and must hold its last save.

Prints count, errors, p50 / p95 / p99 latency (ms, request sent to body read) and throughput
per kind, and, before the load, each timed alone on the idle server, one request at a time:
the trivial request ("idle"), and the open and the save of a layer of one more article by one
more user ("idle-open", "idle-save"; their throughput means nothing). Their p50 ratios are
what the requests cost before any waits: the ratios under load fall to them only when
nothing queues. When the server cannot keep up, rounds start late and the
report says by how much (p50 and p95): every kind then waits in the same queue. Targets:
p95(open) <= 3 x p95(trivial), p95(save) <= 5 x p95(trivial), no errors, no lost save
(every stale save answered 409, every 200 kept). The load generator shares the machine
with gunicorn and the database, as a loopback test must; its CPU time is printed.
"""

import argparse
import asyncio
import contextlib
import gc
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.database import PROJECT_DIR, throwaway_database, throwaway_postgres
from bench.load_client import (
    Annotator,
    Tally,
    annotator_run,
    annotator_verify,
    client_for,
    conflict_run,
    layer_idle,
    percentiles,
    trivial_idle,
)
from bench.report import check_figure, ratio_figure

PASSWORD = "bench-load-password"
ARTICLE = {"tokens": 10_000, "spans": 1_000, "events": 100}
EXTRA_DOCUMENTS = 4
IDLE_REQUESTS = 20
KINDS = ["trivial", "open", "save", "my-layer"]
IDLE_KINDS = ["idle", "idle-open", "idle-save"]  # each alone on the idle server, before the load
TARGET_OPEN_RATIO = 3.0
TARGET_SAVE_RATIO = 5.0
KEEP_ALIVE_SECONDS = 10
SERVER_ENVIRONMENT = {"DEBUG": "false", "SECRET_KEY": "bench-load", "ALLOWED_HOSTS": "127.0.0.1"}


@dataclass
class Seeded:
    """What the load needs of the seeded database: corpus, annotators, the contested layer."""

    slug: str
    annotators: list[Annotator]
    conflict_token: str
    conflict_layer: int
    idle_token: str  # a user of its own, on a document of its own: the requests timed alone
    idle_document: int


def main() -> None:
    """Seed, serve, load, report; exit 1 when a target is not met."""
    args = arguments()
    load_average = os.getloadavg()[0]  # other work on the machine skews every figure
    os.environ.update(SERVER_ENVIRONMENT)
    cache = cache_choose(args.cache_url)
    database = throwaway_database() if args.sqlite else throwaway_postgres(args.postgres)
    with database, tempfile.TemporaryDirectory() as directory:
        print(f"Seeding {args.annotators + EXTRA_DOCUMENTS + 1} articles ...", flush=True)
        seeded = corpus_seed(annotators=args.annotators)
        from django.db import connections

        connections.close_all()
        log = Path(directory) / "gunicorn.log"
        with gunicorn_server(workers=args.workers, threads=args.threads, log=log) as url:
            figures = asyncio.run(load(url, seeded, args))
    figures["settings"] = {**vars(args), "json": None, "cores": os.cpu_count(), "cache": cache}
    figures["load_average"] = load_average
    met = report(figures)
    if args.json:
        figures["figures"] = figures_table(figures, annotators=args.annotators)
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    sys.exit(0 if met else 1)


def arguments() -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    where.add_argument("--sqlite", action="store_true", help="a throwaway SQLite database")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads in each (1: sync)")
    parser.add_argument("--annotators", type=int, default=20, help="concurrent annotators")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between rounds")
    parser.add_argument("--saves-per-document", type=int, default=4)
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/13",
        help="the Redis the gunicorn workers share as their cache, as a team runs them (its "
        "keys are flushed); '' or no Redis there: a cache per process (default: %(default)s)",
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    counts = (args.workers, args.threads, args.annotators, args.saves_per_document)
    if min(counts) < 1 or args.interval <= 0:
        parser.error("workers, threads, annotators, saves per document at least 1, interval > 0")
    return args


def corpus_seed(*, annotators: int) -> Seeded:
    """Create the corpus, its articles and users; open the contested layer."""
    from annotations.services.layers.layer_open import annotator_layer_open
    from bench.editor_article import article_corpus_seed, article_generate, article_seed

    first, user = article_corpus_seed(**ARTICLE, busy=0.0, password=PASSWORD)
    corpus = first.corpus
    documents = [first.pk]
    for number in range(1, annotators + EXTRA_DOCUMENTS + 1):
        article = article_generate(**ARTICLE, seed=7 + number)
        documents.append(article_seed(corpus=corpus, article=article, seed=number).pk)
    contested = documents.pop()
    alone = documents.pop()
    users = [user] + [user_create(corpus, f"annotator-{n:02}") for n in range(1, annotators)]
    rival = user_create(corpus, "annotator-rival")
    layer, _ = annotator_layer_open(document=corpus.documents.get(pk=contested), user=rival)
    return Seeded(
        slug=corpus.slug,
        annotators=[
            Annotator(token=token_for(user), documents=documents[n:] + documents[:n])
            for n, user in enumerate(users)
        ],
        conflict_token=token_for(rival),
        conflict_layer=layer.pk,
        idle_token=token_for(user_create(corpus, "annotator-alone")),
        idle_document=alone,
    )


def user_create(corpus, username: str):
    """Create an annotator of `corpus`."""
    from django.contrib.auth import get_user_model

    from corpus.services.corpora import membership_grant

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    membership_grant(corpus=corpus, user=user, roles=["annotator"])
    return user


def token_for(user) -> str:
    """Return a new API token of `user`."""
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=user).key


def cache_choose(url: str) -> str:
    """Point the server's cache at the Redis of `url`, emptied, if it answers; say which."""
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
        except redis.RedisError as error:
            print(f"No Redis at {url} ({error}): a cache per gunicorn worker")
        else:
            os.environ["CACHE_URL"] = url
            return f"Redis at {url}"
        os.environ.pop("CACHE_URL", None)
    shared = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    return f"Redis at {shared}" if shared else "a cache per gunicorn worker"


@contextmanager
def gunicorn_server(*, workers: int, threads: int, log: Path) -> Iterator[str]:
    """Run `gunicorn config.wsgi` on a free loopback port with this environment; yield its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers)]
    command += ["--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--timeout", "120"]
    # As "Running for a team" runs it: an idle connection outlives a client's pause between
    # requests. With gunicorn's 2 s, the server closed connections the clients were about to
    # reuse after their 3-s pauses: about 1 request in 400 failed, "Server disconnected".
    command += ["--keep-alive", str(KEEP_ALIVE_SECONDS)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=os.environ.copy(), stdout=output, stderr=subprocess.STDOUT
        )
        try:
            server_wait(f"http://127.0.0.1:{port}", process=process, log=log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def server_wait(url: str, *, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Wait until the server answers HTTP at `url` (any status), or exit with its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{url}/api/corpora/", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # 401 or 403 without a token: it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {seconds} s:\n{log.read_text()}")


async def load(url: str, seeded: Seeded, args: argparse.Namespace) -> dict:
    """Run the annotators and the conflict pair, then read every saved layer back."""
    tally = Tally()
    await trivial_idle(url, seeded.annotators[0].token, requests=IDLE_REQUESTS, tally=tally)
    await layer_idle(
        url,
        seeded.idle_token,
        slug=seeded.slug,
        document=seeded.idle_document,
        requests=IDLE_REQUESTS,
        tally=tally,
    )
    rounds = max(1, round(args.seconds / args.interval))
    # The load generator is the measuring instrument: collecting its own heap (the layers it
    # keeps to check each save) paused its event loop, for 66 ms at first and 592 ms by the
    # end of a run, which counted against every request in flight then. It collects before
    # and after the timed load instead, as timeit does.
    gc.collect()
    gc.disable()
    # Bounded: fixed rounds; this only guards against a server that stops answering.
    async with asyncio.timeout(args.seconds * 3 + 120), contextlib.AsyncExitStack() as clients:
        # Every client is made before the clock starts: making one takes about 50 ms of the
        # event loop (httpx loads its TLS certificates), and made as each annotator started,
        # they held back the first annotators' rounds until six or so began at once.
        annotators = [
            (annotator, await clients.enter_async_context(client_for(url, annotator.token)))
            for annotator in seeded.annotators
        ]
        pair = [
            await clients.enter_async_context(client_for(url, seeded.conflict_token))
            for _ in range(2)
        ]
        started, cpu = time.monotonic(), time.process_time()
        await asyncio.gather(
            *(
                annotator_run(
                    annotator,
                    client,
                    slug=seeded.slug,
                    start=started + number * args.interval / len(annotators),
                    rounds=rounds,
                    interval=args.interval,
                    saves_per_document=args.saves_per_document,
                    tally=tally,
                )
                for number, (annotator, client) in enumerate(annotators)
            ),
            conflict_run(
                (pair[0], pair[1]),
                layer_id=seeded.conflict_layer,
                start=started,
                rounds=rounds,
                interval=args.interval,
                tally=tally,
            ),
        )
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        gc.enable()
        await asyncio.gather(
            *(annotator_verify(item, base_url=url, tally=tally) for item in seeded.annotators)
        )
    return figures_of(tally, elapsed=elapsed, client_cpu=cpu, interval=args.interval)


def figures_of(tally: Tally, *, elapsed: float, client_cpu: float, interval: float) -> dict:
    """Return the figures of a run: per kind, the ratios, the conflict outcomes, each target."""
    kinds = {
        kind: {
            "count": len(tally.latencies.get(kind, [])) + len(tally.errors.get(kind, [])),
            "errors": len(tally.errors.get(kind, [])),
            **percentiles(tally.latencies.get(kind, [])),
            "per_second": len(tally.latencies.get(kind, [])) / elapsed,
        }
        for kind in [*KINDS, *IDLE_KINDS, "warm-up", "verify", "conflict"]
    }
    trivial = kinds["trivial"]["p95"] or float("nan")
    open_ratio = (kinds["open"]["p95"] or float("nan")) / trivial
    save_ratio = (kinds["save"]["p95"] or float("nan")) / trivial
    errors = sum(kind["errors"] for kind in kinds.values())
    races = tally.conflicts.get("races", 0)
    late = percentiles(tally.lateness)["p95"] or 0.0
    on_time = late <= 0.1 * interval * 1000
    return {
        "seconds": elapsed,
        "client_cpu_seconds": client_cpu,
        "rounds_late_ms": percentiles(tally.lateness),
        "kinds": kinds,
        "open_ratio": open_ratio,
        "save_ratio": save_ratio,
        "conflicts": tally.conflicts,
        "lost_saves": tally.lost_saves[:20],
        "error_samples": {kind: problems[:5] for kind, problems in tally.errors.items()},
        "targets": {
            # A saturated server queues every request alike and the ratios fall to about 1:
            # they are only read when the rounds started on time.
            "rounds on time (p95 late under 10 % of the interval)": on_time,
            "open p95 <= 3 x trivial": on_time and open_ratio <= TARGET_OPEN_RATIO,
            "save p95 <= 5 x trivial": on_time and save_ratio <= TARGET_SAVE_RATIO,
            "no errors": errors == 0,
            "no lost save": not tally.lost_saves and races > 0,
        },
    }


def figures_table(figures: dict, *, annotators: int) -> list[dict]:
    """The figures `make bench` tabulates: the two p95 ratios and the checks."""
    on_time = next(iter(figures["targets"].values()))
    trivial = figures["kinds"]["trivial"]["p95"]
    table = [
        ratio_figure(
            f"API under load, {annotators} annotators: {kind} p95"
            + ("" if on_time else " (rounds late: not comparable)"),
            figures["kinds"][kind]["p95"],
            trivial,
            unit="ms",
            baseline="trivial request p95, same load",
            target=("<=", bound),
        )
        for kind, bound in (("open", TARGET_OPEN_RATIO), ("save", TARGET_SAVE_RATIO))
    ]
    idle = figures["kinds"]["idle"]["p50"]
    table += [  # no target: what each costs alone, the floor of the ratios under load
        ratio_figure(
            f"API alone, one request at a time: {kind} p50",
            figures["kinds"][f"idle-{kind}"]["p50"],
            idle,
            unit="ms",
            baseline="trivial request p50, alone",
        )
        for kind in ("open", "save")
    ]
    checks = list(figures["targets"].items())
    table += [check_figure(f"API under load: {name}", met) for name, met in checks[:1] + checks[3:]]
    if not on_time:
        for figure in table[:2]:
            figure["met"] = False
    return table


def report(figures: dict) -> bool:
    """Print the table, the ratios and each target met or not; return whether all are."""
    seconds, cpu = figures["seconds"], figures["client_cpu_seconds"]
    late = figures["rounds_late_ms"]
    print(f"\n{seconds:.1f} s of load; the load generator used {cpu:.1f} s of CPU")
    print(f"machine load average (1 min) when the bench started: {figures['load_average']:.2f}")
    settings = figures["settings"]
    print(f"gunicorn: {settings['workers']} workers of {settings['threads']} threads")
    print(f"the gunicorn workers' cache: {settings['cache']}")
    print(f"rounds started late by p50 {late['p50']:.0f} ms, p95 {late['p95']:.0f} ms (0: on time)")
    print(f"{'kind':<10}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'/s':>7}")
    for kind in [*KINDS, *IDLE_KINDS]:
        row = figures["kinds"][kind]
        cells = "".join(
            f"{row[p]:>9.1f}" if row[p] is not None else f"{'-':>9}" for p in ("p50", "p95", "p99")
        )
        print(f"{kind:<10}{row['count']:>7}{row['errors']:>8}{cells}{row['per_second']:>7.2f}")
    idle = {kind: figures["kinds"][kind]["p50"] or float("nan") for kind in IDLE_KINDS}
    print(
        f"\nalone on the idle server, p50 open / trivial {idle['idle-open'] / idle['idle']:.2f}, "
        f"save / trivial {idle['idle-save'] / idle['idle']:.2f}: what the requests cost before "
        "any waits (the ratios under load fall to this only if nothing queues)"
    )
    print(f"p95 open / trivial: {figures['open_ratio']:.2f} (target <= {TARGET_OPEN_RATIO:g})")
    print(f"p95 save / trivial: {figures['save_ratio']:.2f} (target <= {TARGET_SAVE_RATIO:g})")
    print(f"conflict rounds: {figures['conflicts']}")
    for kind, problems in figures["error_samples"].items():
        print(f"errors of {kind}: {problems}")
    for problem in figures["lost_saves"]:
        print(f"lost save: {problem}")
    for target, met in figures["targets"].items():
        print(f"{target}: {'met' if met else 'NOT met'}")
    return all(figures["targets"].values())


if __name__ == "__main__":
    main()
