"""The document list reads a page's documents first, then their counts: the same pages as ever.

Marked `postgres`: these run on SQLite and again on PostgreSQL, whose full-text search is a
column named inside the page's subquery.
"""

import pytest
from django.db import connection

from annotations.document_search import (
    DocumentSearch,
    document_search_page,
    document_text_match,
)
from corpus.models import Document
from tests.factories import DocumentFactory, prediction_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def pages(corpus, search: DocumentSearch, size: int) -> list:
    """Every page of `search`, `size` documents at a time, as (id, entity count) pairs."""
    seen, after = [], 0
    while True:
        page = document_search_page(corpus=corpus, search=search, after=after, size=size)
        seen += [(document.pk, document.entity_count) for document in page.documents]
        if page.next_after is None:
            return seen
        after = page.next_after


@pytest.fixture
def storms(corpus):
    """30 documents, one in three about a storm, one in two pre-annotated (2 entities)."""
    documents = []
    for n in range(30):
        words = "Storm floods the coast" if n % 3 == 0 else "Markets open calmly"
        text = f"{words}, said the weather service on day {n}."
        document = DocumentFactory(corpus=corpus, title=f"{words} {29 - n:02d}", text=text)
        if n % 2 == 0:
            prediction_create(document)
        documents.append(document)
    DocumentFactory(title="Storm elsewhere", text="Storm elsewhere.")  # another corpus
    return documents


def test_a_search_with_a_state_pages_through_its_matches_in_order(corpus, storms):
    matching = [d for n, d in enumerate(storms) if n % 3 == 0 and n % 2 == 0]
    search = DocumentSearch(q="storm", state="pre-annotated")
    assert pages(corpus, search, size=2) == [(d.pk, 2) for d in matching]
    by_title = sorted(matching, key=lambda d: (d.title, d.pk))
    assert pages(
        corpus, DocumentSearch(q="storm", state="pre-annotated", sort="title"), size=2
    ) == [(d.pk, 2) for d in by_title]


def test_a_page_shows_each_document_with_its_own_counts(corpus, storms):
    expected = [(d.pk, 2 if n % 2 == 0 else 0) for n, d in enumerate(storms)]
    assert pages(corpus, DocumentSearch(), size=7) == expected
    assert pages(corpus, DocumentSearch(q="storm"), size=4) == [
        row for n, row in enumerate(expected) if n % 3 == 0
    ]


def test_a_search_inside_a_subquery_reads_the_subquery_documents(corpus):
    harbour = DocumentFactory(corpus=corpus, title="Harbour", text="Harbour news.")
    volcano = DocumentFactory(corpus=corpus, title="Volcano", text="Volcano news.")
    first = document_text_match(Document.objects.all(), "volcano").order_by("pk").values("pk")
    assert list(Document.objects.filter(pk__in=first[:1])) == [volcano]
    assert harbour.pk not in Document.objects.filter(pk__in=first).values_list("pk", flat=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index")
def test_postgresql_keeps_each_corpus_documents_in_id_order_in_an_index():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "corpus_document")
    assert ["corpus_id", "id"] in [index["columns"] for index in indexes.values()]
