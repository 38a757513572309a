"""A batch of pre-annotation costs the same number of queries however many documents it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from preannotation.services import WRITE_CHUNK, preannotation_start, run_batch
from tests.factories import CorpusFactory, DocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.model, pytest.mark.slow]


def batch_queries(count: int) -> int:
    """Queries of one `run_batch` over `count` new documents of a corpus of their own."""
    corpus = CorpusFactory()
    texts = [f"Kofi Annan met Bashar Assad in Damascus on day {n}." for n in range(count)]
    documents = [DocumentFactory(corpus=corpus, text=text) for text in texts]
    run = preannotation_start(corpus=corpus)
    run_batch(run, [documents[0].pk])  # loads the pipeline and the schema's spec
    with CaptureQueriesContext(connection) as queries:
        written = run_batch(run, [document.pk for document in documents[1:]])
    assert written == count - 1
    return len(queries)


def test_a_chunk_of_documents_is_written_with_as_many_queries_as_one(nlp):
    assert batch_queries(2) == batch_queries(WRITE_CHUNK + 1)
