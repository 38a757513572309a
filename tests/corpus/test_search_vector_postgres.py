"""PostgreSQL keeps each document's search vector by a trigger: set on insert, computed again
when a word it reads changes, and left alone when only the document's state moves."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotations.document_search import document_text_match
from corpus.models import Document
from tests.factories import DocumentFactory, prediction_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [("corpus", "0015_document_corpus_order")]


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (the second pass of `make test`)")


def found(word: str) -> list[str]:
    return [document.title for document in document_text_match(Document.objects.all(), word)]


def vector_of(document: Document) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM corpus_document WHERE id = %s", [document.pk]
        )
        return cursor.fetchone()[0]


def test_a_document_is_found_by_its_words_inserted_by_the_orm_or_raw(corpus):
    DocumentFactory(corpus=corpus, title="Volcano", text="Lava reached Goma.")
    with connection.cursor() as cursor:
        text = "Floods in Sindh."
        cursor.execute(
            "INSERT INTO corpus_document (corpus_id, external_id, title, text, sha256, source,"
            " url, metadata, tokens, sentences, created_at, state, lowest_score)"
            " VALUES (%s, 'raw-1', 'Monsoon', %s, %s, '', '', '{\"desk\": \"asia\"}', '[]', '[]',"
            " now(), 'new', 2)",
            [corpus.pk, text, hashlib.sha256(text.encode()).hexdigest()],
        )
    assert found("goma") == ["Volcano"]
    assert found("sindh") == ["Monsoon"]
    assert found("asia") == ["Monsoon"]


def test_a_new_title_is_searched_and_a_state_change_leaves_the_vector(corpus, document):
    document.title = "Damascus talks"
    document.save()
    assert found("talks") == ["Damascus talks"]
    before = vector_of(document)

    prediction_create(document)  # the document's state moves to pre-annotated
    document.refresh_from_db()
    assert document.state == "pre-annotated"
    assert vector_of(document) == before

    Document.objects.filter(pk=document.pk).update(title="Homs siege")
    assert found("talks") == []
    assert found("siege") == ["Homs siege"]


def test_the_migration_keeps_every_vector():
    executor = MigrationExecutor(connection)
    apps = executor.migrate(BEFORE).apps
    try:
        model = apps.get_model
        schema = model("corpus", "LabelSchema").objects.create(key="old", name="Old")
        corpus = model("corpus", "Corpus").objects.create(slug="old", name="Old", schema=schema)
        text = "Shelling in Homs."
        model("corpus", "Document").objects.create(
            corpus=corpus, title="Old", text=text, sha256=hashlib.sha256(text.encode()).hexdigest()
        )
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
    assert found("shelling") == ["Old"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attgenerated FROM pg_attribute WHERE attrelid = 'corpus_document'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == ""  # a plain column now, kept by the trigger
