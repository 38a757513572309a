"""What the document list costs on a large corpus, against the same requests on a small one.

    .venv/bin/python -m bench.document_list [--documents 20000] [--postgres URL] [--repeat 5]

Generates two corpora of news-like articles (about 1,000 characters each, words from a fixed
vocabulary; one in ten pre-annotated with a scored span and an event) in one throwaway
database: SQLite by default, or a new database on the PostgreSQL server of `--postgres` (for
example postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards, and ANALYZEd as
autovacuum does after a large import. The baseline,
measured in the same run, is a corpus of 2,000 documents; the other has `--documents`.

Times one page (50 rows, `annotations.document_search.document_search_page`) of each search,
filter and sort the corpus page offers, on both corpora in turns (request by request, so a
drift of the machine's speed falls on both), and prints the median milliseconds,
the ratio large / small (target: at most 1.5) and the queries per request (the same on both).
"""

import argparse
import statistics
import time

from bench.corpora import corpus_generate
from bench.database import throwaway_database, throwaway_postgres
from bench.report import check_figure, figures_write, ratio_figure

SMALL = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="write the figures to this file (for `make bench`)")
    arguments = parser.parse_args()
    server = arguments.postgres
    with throwaway_postgres(server) if server else throwaway_database():
        corpora = corpus_generate("small", SMALL), corpus_generate("large", arguments.documents)
        rows = _measure(corpora, arguments.repeat)
    vendor = "PostgreSQL" if arguments.postgres else "SQLite"
    print(f"document list on {vendor}: one page of 50, median of {arguments.repeat} runs")
    print(f"  {'request':<30}{f'{SMALL:,} docs':>12}{f'{arguments.documents:,} docs':>14}"
          f"{'ratio':>7}{'target':>8}{'queries':>9}")  # fmt: skip
    figures = []
    for name, base, seconds, queries, large_queries in rows:
        print(f"  {name:<30}{base * 1000:9.1f} ms{seconds * 1000:11.1f} ms"
              f"{seconds / base:7.2f}{'1.5':>8}{queries:9d}")  # fmt: skip
        figures.append(
            ratio_figure(f"document list ({vendor}, {arguments.documents:,}): {name}",
                         seconds * 1000, base * 1000, unit="ms",
                         baseline=f"{SMALL:,} documents", target=("<=", 1.5))
        )  # fmt: skip
        if large_queries != queries:
            figures.append(check_figure(f"document list: {name}: queries", False,
                                        detail=f"{queries} and {large_queries}"))  # fmt: skip
    figures_write(arguments.json, figures, documents=arguments.documents, vendor=vendor)


def _measure(corpora: tuple, repeat: int) -> list[tuple[str, float, float, int, int]]:
    """Each request's median seconds and queries on the small corpus and the large one.

    The two are timed in turns, request by request (which one first alternating), so that
    both see the machine as it is then: a shared machine's speed drifts from one minute to
    the next.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.document_search import DocumentSearch, document_search_page

    def page(search: DocumentSearch, *, second: bool = False):
        def run(corpus) -> None:
            found = document_search_page(corpus=corpus, search=search)
            if second and found.next_after:
                document_search_page(corpus=corpus, search=search, after=found.next_after)

        return run

    requests = [
        ("import order, page 1", page(DocumentSearch())),
        ("import order, pages 1 and 2", page(DocumentSearch(), second=True)),
        ("search 'homs'", page(DocumentSearch(q="homs"))),
        ("search 'homs', by title", page(DocumentSearch(q="homs", sort="title"))),
        ("by title, pages 1 and 2", page(DocumentSearch(sort="title"), second=True)),
        ("newest first", page(DocumentSearch(sort="imported"))),
        ("label PER", page(DocumentSearch(label="PER"))),
        ("state new", page(DocumentSearch(state="new"))),
        ("state pre-annotated", page(DocumentSearch(state="pre-annotated"))),
        ("score below 0.2", page(DocumentSearch(score_below=0.2))),
        ("by score, pages 1 and 2", page(DocumentSearch(sort="score"), second=True)),
    ]
    rows = []
    for name, run in requests:
        timings: tuple[list[float], list[float]] = ([], [])
        for corpus in corpora:
            run(corpus)  # warm the caches once
        for number in range(repeat):
            for which in (0, 1) if number % 2 == 0 else (1, 0):
                started = time.perf_counter()
                run(corpora[which])
                timings[which].append(time.perf_counter() - started)
        queries = []
        for corpus in corpora:
            with CaptureQueriesContext(connection) as captured:
                run(corpus)
            queries.append(len(captured))
        rows.append((name, *map(statistics.median, timings), *queries))
    return rows


if __name__ == "__main__":
    main()
