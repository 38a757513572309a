"""The pages a team uses every day on a large corpus, against the same requests on a small one.

    .venv/bin/python -m bench.scale [--documents 200000] [--postgres URL] [--repeat 5] [--json PATH]
        [--keep NAME | --reuse NAME] [--only TEXT]

Generates, in one throwaway database (SQLite by default; with `--postgres`, a new database on
that server, for example postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards), a
corpus of 2,000 documents and one of `--documents` (bench.corpora: predictions on one
document in ten, and the same amount of people's work on both: two annotators' submitted
layers on 100 documents, gold on 50, drafts on 20), then ANALYZEs it (VACUUM ANALYZE on
PostgreSQL, as autovacuum does after a large import).

Generating 200,000 documents takes a while, so on PostgreSQL a generated database can be kept
and measured again (to profile a request, or after a change): `--keep NAME` creates database
NAME on the server and leaves it there; `--reuse NAME` migrates that database (a new index
is built on the corpora already there), VACUUM ANALYZEs it and measures its corpora without
generating anything (`--documents` is then read from it). `--only TEXT` times only the
requests whose name contains TEXT. Drop a kept database with
`psql URL -c 'DROP DATABASE "NAME" WITH (FORCE)'`.

Times each request through Django's test client, as the user who makes it (the owner; the
"next" of the editor as an annotator who has done nothing yet): the corpus page, the document
list with a search and filters (page and API, first and second page), next-document, the
dashboard (page and API) and the time to the first byte of an export in every format. Prints
the median milliseconds on each corpus, the ratio large / small (target: at most 1.5) and the
queries of each request on each corpus (target: the same).
"""

import argparse
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench.corpora import ANNOTATORS, People, corpus_generate, people_create
from bench.database import django_migrated, throwaway_database, throwaway_postgres
from bench.report import check_figure, figures_write, ratio_figure

SMALL = 2_000
HUMANS = 100  # documents with people's work, on either corpus
TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", metavar="PATH", help="also write the figures here")
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument(
        "--keep", metavar="NAME", help="PostgreSQL: generate into database NAME, keep it"
    )
    kept.add_argument("--reuse", metavar="NAME", help="PostgreSQL: measure kept database NAME")
    parser.add_argument("--only", metavar="TEXT", help="time only the requests named with TEXT")
    arguments = parser.parse_args()
    server = arguments.postgres
    if (arguments.keep or arguments.reuse) and not server:
        parser.error("--keep and --reuse need --postgres")
    os.environ.setdefault("DEBUG", "false")
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
    if arguments.keep or arguments.reuse:
        database = kept_postgres(server, arguments.keep or arguments.reuse, reuse=arguments.reuse)
    else:
        database = throwaway_postgres(server) if server else throwaway_database()
    with database:
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host, as in the tests
        small_seconds = large_seconds = 0.0
        if arguments.reuse:
            small, large, people = corpora_kept()
            arguments.documents = large.documents.count()
        else:
            people = people_create()
            started = time.perf_counter()
            small = corpus_generate("small", SMALL, humans=HUMANS, people=people)
            small_seconds = time.perf_counter() - started
            started = time.perf_counter()
            large = corpus_generate("large", arguments.documents, humans=HUMANS, people=people)
            large_seconds = time.perf_counter() - started
        rows = [
            (name, *measure(small, people, run, arguments.repeat),
             *measure(large, people, run, arguments.repeat))
            for name, run in requests()
            if not arguments.only or arguments.only in name
        ]  # fmt: skip
    vendor = "PostgreSQL" if server else "SQLite"
    if arguments.reuse:
        print(
            f"reused {arguments.reuse}: {SMALL:,} and {arguments.documents:,} documents on {vendor}"
        )
    else:
        print(
            f"generated {SMALL:,} documents in {small_seconds:.0f} s and "
            f"{arguments.documents:,} in {large_seconds:.0f} s on {vendor}"
        )
    print(f"median of {arguments.repeat} runs; target: ratio <= {TARGET}, the same queries")
    print(f"  {'request':<40}{f'{SMALL:,} docs':>13}{f'{arguments.documents:,} docs':>14}"
          f"{'ratio':>7}{'queries':>12}")  # fmt: skip
    failures = 0
    for name, base, base_queries, seconds, queries in rows:
        ratio = seconds / base
        bad = ratio > TARGET or queries != base_queries
        failures += bad
        print(f"  {name:<40}{base * 1000:10.1f} ms{seconds * 1000:11.1f} ms{ratio:7.2f}"
              f"{base_queries:6d} /{queries:4d}{'  <-' if bad else ''}")  # fmt: skip
    print(f"{len(rows) - failures} of {len(rows)} within target")
    figures = []
    same = all(queries == base_queries for _, _, base_queries, _, queries in rows)
    if same:
        figures.append(check_figure(
            f"{arguments.documents:,} docs: the same queries as {SMALL:,} ({len(rows)} requests)",
            True,
        ))  # fmt: skip
    for name, base, base_queries, seconds, queries in rows:
        figures.append(
            ratio_figure(f"{arguments.documents:,} docs: {name}", seconds * 1000, base * 1000,
                         unit="ms",
                         baseline=f"{SMALL:,} documents", target=("<=", TARGET))
        )  # fmt: skip
        if queries != base_queries:
            figures.append(
                check_figure(
                    f"{name}: queries", False,
                    detail=f"{base_queries} on {SMALL:,}, {queries} on {arguments.documents:,}",
                )
            )  # fmt: skip
    figures_write(
        arguments.json,
        figures,
        vendor=vendor,
        documents=arguments.documents,
        repeat=arguments.repeat,
        generation_seconds={"small": round(small_seconds, 1), "large": round(large_seconds, 1)},
    )


@contextmanager
def kept_postgres(server_url: str, name: str, *, reuse: bool) -> Iterator[str]:
    """Point Django at database `name` on the server of `server_url` (created unless `reuse`),
    migrate it, and leave it there afterwards."""
    import psycopg

    if not reuse:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    django_migrated(f"{server_url.rsplit('/', 1)[0]}/{name}")
    from django.db import connection, connections

    if reuse:  # the dead rows of the last run's writes (a fold of counts) gone, as autovacuum does
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    yield name
    connections.close_all()


def corpora_kept() -> tuple:
    """The small and the large corpus of a kept database, and their people (the newcomer's
    reservations of an earlier run let go, so that they start afresh)."""
    from django.contrib.auth import get_user_model

    from annotations.models import Reservation
    from corpus.models import Corpus

    users = get_user_model().objects
    people = People(
        owner=users.get(username="bench-owner"),
        annotators=[users.get(username=name) for name in ANNOTATORS],
        newcomer=users.get(username="bench-newcomer"),
    )
    Reservation.objects.filter(user=people.newcomer).delete()
    return Corpus.objects.get(slug="small"), Corpus.objects.get(slug="large"), people


class State:
    """What a request sequence carries between runs: the annotator's current document."""

    def __init__(self) -> None:
        self.current = 0


def requests() -> list[tuple[str, Callable]]:
    """The requests to time: (name, run(client for a user, corpus, people, state))."""
    from formats.registry import export_choices

    def get(path: str, *, as_annotator: bool = False, status: int = 200):
        def run(clients, corpus, state) -> None:
            client = clients["annotator" if as_annotator else "owner"]
            response = client.get(path.format(slug=corpus.slug, after=_second_page(corpus)))
            assert response.status_code == status, (path, response.status_code)
            if hasattr(response, "content") and not response.streaming:
                response.content  # noqa: B018 (rendered in full)

        return run

    def next_document(clients, corpus, state) -> None:
        response = clients["annotator"].get(
            f"/api/corpora/{corpus.slug}/next-document/", {"after": state.current}
        )
        assert response.status_code == 200, response.content
        state.current = (response.json()["next"] or {}).get("id", 0)

    def export(format: str):
        def run(clients, corpus, state) -> None:
            response = clients["owner"].get(
                f"/api/corpora/{corpus.slug}/export/", {"format": format}
            )
            assert response.status_code == 200, response.content
            first = next(iter(response.streaming_content))
            assert first, format
            response.close()

        return run

    return [
        ("corpus page", get("/corpora/{slug}/")),
        ("corpus page, second page", get("/corpora/{slug}/?after={after}")),
        ("list: search 'homs'", get("/corpora/{slug}/?q=homs")),
        ("list: search 'homs', pre-annotated", get("/corpora/{slug}/?q=homs&state=pre-annotated")),
        ("list: state annotated", get("/corpora/{slug}/?state=annotated")),
        ("list: state in progress", get("/corpora/{slug}/?state=in+progress")),
        ("list: label PER, by score", get("/corpora/{slug}/?label=PER&sort=score")),
        ("list API: 'homs' by title", get("/api/corpora/{slug}/documents/?q=homs&sort=title")),
        ("list API: annotator ann-one", get("/api/corpora/{slug}/documents/?annotator=ann-one")),
        ("list API: second page", get("/api/corpora/{slug}/documents/?after={after}")),
        ("next document (API)", next_document),
        ("dashboard page", get("/corpora/{slug}/dashboard/")),
        ("dashboard API", get("/api/corpora/{slug}/dashboard/")),
        *((f"export {format}: first byte", export(format)) for format in export_choices()),
    ]  # fmt: skip


def _second_page(corpus) -> int:
    """The `after` of the corpus's second page: its 50th document."""
    if not hasattr(corpus, "_second_page"):
        corpus._second_page = corpus.documents.order_by("pk").values_list("pk", flat=True)[49]
    return corpus._second_page


def measure(corpus, people, run: Callable, repeat: int) -> tuple[float, int]:
    """Return the median seconds of `run` on `corpus` and the queries of one run."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"owner": Client(), "annotator": Client()}
    clients["owner"].force_login(people.owner)
    clients["annotator"].force_login(people.newcomer)
    state = State()
    run(clients, corpus, state)  # warm the caches once
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(clients, corpus, state)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        run(clients, corpus, state)
    return statistics.median(timings), len(queries)


if __name__ == "__main__":
    main()
