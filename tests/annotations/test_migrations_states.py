"""A database with documents and layers migrates to stored states and counts, and keeps them.

Migrates back to before corpus 0014 / annotations 0010, writes documents and layers through
the historical models, migrates to the latest, and checks each document's state, the
corpus's counts, and that the triggers keep them from then on.
"""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotations.models import Annotation
from annotations.selectors import DocumentState, document_state_counts
from corpus.models import Corpus, Document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [
    ("annotations", "0009_layer_document_labels"),
    ("corpus", "0013_relation_type_colour_hotkey"),
]


@pytest.fixture
def old_apps():
    """The historical models before stored states; the database is migrated to the latest after."""
    try:
        yield MigrationExecutor(connection).migrate(BEFORE).apps
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
        latest = MigrationExecutor(connection)
        assert latest.migration_plan(latest.loader.graph.leaf_nodes()) == []


def test_existing_documents_get_their_state_and_the_corpus_its_counts(old_apps):
    model = old_apps.get_model
    user = model("auth", "User").objects.create(username="ana")
    schema = model("corpus", "LabelSchema").objects.create(key="old", name="Old")
    corpus = model("corpus", "Corpus").objects.create(slug="old", name="Old", schema=schema)
    documents = []
    for n in range(4):
        text = f"Article {n}."
        documents.append(
            model("corpus", "Document").objects.create(
                corpus=corpus, text=text, sha256=hashlib.sha256(text.encode()).hexdigest()
            )
        )
    layer = model("annotations", "Annotation").objects
    layer.create(document=documents[1], kind="prediction", model_name="m")
    layer.create(document=documents[2], kind="annotator", user=user, status="draft")
    layer.create(document=documents[3], kind="annotator", user=user, status="submitted")
    layer.create(document=documents[3], kind="gold", status="reviewed")

    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())

    states = dict(Document.objects.filter(corpus_id=corpus.pk).values_list("pk", "state"))
    assert [states[document.pk] for document in documents] == [
        DocumentState.NEW,
        DocumentState.PREANNOTATED,
        DocumentState.IN_PROGRESS,
        DocumentState.REVIEWED,
    ]
    today = Corpus.objects.get(pk=corpus.pk)
    assert document_state_counts(corpus=today) == {
        DocumentState.NEW: 1,
        DocumentState.PREANNOTATED: 1,
        DocumentState.IN_PROGRESS: 1,
        DocumentState.ANNOTATED: 0,
        DocumentState.REVIEWED: 1,
    }
    Annotation.objects.create(document_id=documents[0].pk, kind="prediction", model_name="m")
    assert Document.objects.get(pk=documents[0].pk).state == DocumentState.PREANNOTATED
    assert document_state_counts(corpus=today)[DocumentState.PREANNOTATED] == 2
