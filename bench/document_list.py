"""What the document list costs on a large corpus, against the same requests on a small one.

    .venv/bin/python -m bench.document_list [--documents 20000] [--postgres URL] [--repeat 5]

Generates two corpora of news-like articles (about 1,000 characters each, words from a fixed
vocabulary; one in ten pre-annotated with a scored span and an event) in one throwaway
database: SQLite by default, or a new database on the PostgreSQL server of `--postgres` (for
example postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards, and ANALYZEd as
autovacuum does after a large import. The baseline,
measured in the same run, is a corpus of 2,000 documents; the other has `--documents`.

Times one page (50 rows, `annotations.document_search.document_search_page`) of each search,
filter and sort the corpus page offers, on both corpora, and prints the median milliseconds,
the ratio large / small (target: at most 1.5) and the queries per request (the same on both).
"""

import argparse
import hashlib
import random
import statistics
import time

from bench.database import throwaway_database, throwaway_postgres

VOCABULARY = """
    the of and in to a was said on for that by with forces army city government opposition
    people killed shelling village activists regime troops report council observers monday
    friday rebels attack wounded security police protest ceasefire united nations envoy
    damascus aleppo hama deraa idlib latakia tartus raqqa
"""
WORDS = VOCABULARY.split()
RARE = ("homs", "zabadani", "rastan")  # one in a hundred documents names each
BATCH = 2_000
SMALL = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    server = arguments.postgres
    with throwaway_postgres(server) if server else throwaway_database():
        small = _measure(_corpus("small", SMALL), arguments.repeat)
        large = _measure(_corpus("large", arguments.documents), arguments.repeat)
    vendor = "PostgreSQL" if arguments.postgres else "SQLite"
    print(f"document list on {vendor}: one page of 50, median of {arguments.repeat} runs")
    print(f"  {'request':<30}{f'{SMALL:,} docs':>12}{f'{arguments.documents:,} docs':>14}"
          f"{'ratio':>7}{'target':>8}{'queries':>9}")  # fmt: skip
    for (name, base, queries), (_, seconds, _) in zip(small, large, strict=True):
        print(f"  {name:<30}{base * 1000:9.1f} ms{seconds * 1000:11.1f} ms"
              f"{seconds / base:7.2f}{'1.5':>8}{queries:9d}")  # fmt: skip


def _corpus(slug: str, count: int):
    from django.db import connection, transaction

    from annotations.models import Annotation, Event, Span
    from annotations.scores import document_scores_refresh
    from corpus.models import Corpus, Document
    from corpus.services.schemas import schema_get_or_create

    schema = schema_get_or_create(name_or_path="ace2005")
    corpus = Corpus.objects.create(slug=slug, name=slug, schema=schema)
    per = schema.entity_types.get(key="PER")
    attack = schema.event_types.get(key="Conflict.Attack")
    generator = random.Random(16)
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        with transaction.atomic():
            texts = [_text(generator, n) for n in range(first, min(first + BATCH, count))]
            documents = Document.objects.bulk_create(
                Document(
                    corpus=corpus,
                    text=text,
                    title=text[:60],
                    external_id=f"{slug}-{first + n}",
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                )
                for n, text in enumerate(texts)
            )
            predicted = documents[::10]
            layers = Annotation.objects.bulk_create(
                Annotation(document=document, kind="prediction", model_name="bench")
                for document in predicted
            )
            Span.objects.bulk_create(
                Span(annotation=layer, start=0, end=3, entity_type=per, score=generator.random())
                for layer in layers
            )
            Event.objects.bulk_create(
                Event(
                    annotation=layer, trigger_start=4, trigger_end=8, event_type=attack, score=0.9
                )
                for layer in layers
            )
            document_scores_refresh(document.pk for document in predicted)
        print(f"\r  generated {min(first + BATCH, count):,} documents", end="", flush=True)
    print(f" ({slug}) in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum does after a large import
    return corpus


def _text(generator: random.Random, n: int) -> str:
    words = generator.choices(WORDS, k=170)
    if n % 100 < len(RARE):
        words[generator.randrange(len(words))] = RARE[n % 100]
    return " ".join(words).capitalize() + "."


def _measure(corpus, repeat: int) -> list[tuple[str, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.document_search import DocumentSearch, document_search_page

    def page(search: DocumentSearch, *, second: bool = False):
        def run() -> None:
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
        run()  # warm the caches once
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            timings.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            run()
        rows.append((name, statistics.median(timings), len(queries)))
    return rows


if __name__ == "__main__":
    main()
