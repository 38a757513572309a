"""Shared fixtures: personas (owner, annotator, reviewer, outsider), corpora, the model, and a
prepared analysis for tests that store predictions without running the parser.

The suite runs twice in `make test`: on SQLite (everything) and on PostgreSQL (tests marked
`postgres`). On PostgreSQL an unreachable server skips those tests, or fails the run in CI.
"""

import math
import os
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from corpus.models import Membership
from tests.factories import CorpusFactory, DocumentFactory, UserFactory

SHARED_TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    problem = _postgres_problem(settings.DATABASES["default"])
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"PostgreSQL is required in CI and unreachable: {problem}")
    skip = pytest.mark.skip(reason=f"PostgreSQL unreachable: {problem}")
    for item in items:
        item.add_marker(skip)


def _postgres_problem(database: dict) -> str | None:
    try:
        psycopg.connect(
            host=database["HOST"] or None,
            port=database["PORT"] or None,
            user=database["USER"] or None,
            password=database["PASSWORD"] or None,
            dbname=database["NAME"],
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Start every test with no API write counted and no layer's JSON kept: both live in
    caches, which outlive a test's database, and consecutive tests share primary keys."""
    for each in caches.all():
        each.clear()


@pytest.fixture
def owner(db):
    return UserFactory(username="olivia-owner")


@pytest.fixture
def annotator(db):
    return UserFactory(username="ana-annotator")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rita-reviewer")


@pytest.fixture
def outsider(db):
    return UserFactory(username="oscar-outsider")


@pytest.fixture
def corpus(owner, annotator, reviewer):
    """A corpus with the tiny test schema, owned by `owner`, with an annotator and a reviewer."""
    corpus = CorpusFactory()
    Membership.objects.create(corpus=corpus, user=owner, role=Membership.Role.OWNER)
    Membership.objects.create(corpus=corpus, user=annotator, role=Membership.Role.ANNOTATOR)
    Membership.objects.create(corpus=corpus, user=reviewer, role=Membership.Role.REVIEWER)
    return corpus


@pytest.fixture
def document(corpus):
    return DocumentFactory(corpus=corpus, text="Kofi Annan arrived in Damascus on Saturday.")


@pytest.fixture
def insert_statements():
    """Return how many INSERTs Django's bulk_create needs for `rows` rows of `columns` values.

    SQLite binds at most 999 parameters per statement, so 1,000 spans take ten statements;
    PostgreSQL takes one. Query budgets add this to what they allow.
    """

    def count(rows: int, columns: int) -> int:
        limit = connection.features.max_query_params
        return math.ceil(rows / (limit // columns)) if limit else 1

    return count


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy pipeline named by SPACY_MODEL, loaded once for the whole run."""
    from corpus.nlp.pipeline import pipeline_load

    return pipeline_load(settings.SPACY_MODEL)


@pytest.fixture
def analysis(document):
    """What the pipeline finds in `document`, prepared by hand: no parser runs.

    Two entities, an event with both roles filled, a model label the schema has no type
    for. Tests that store predictions use it; tests of what the real model finds are
    marked `model` and `slow` and use `nlp`.
    """
    # Imported here: spaCy loads with them, and most tests never need it.
    from corpus.nlp.analysis import Analysis, EntityMention
    from corpus.nlp.events import ArgumentMention, EventMention

    assert document.text == "Kofi Annan arrived in Damascus on Saturday."
    return Analysis(
        tokens=[(0, 4), (5, 10), (11, 18), (19, 21), (22, 30), (31, 33), (34, 42), (42, 43)],
        sentences=[(0, 43)],
        entities=[
            EntityMention(start=0, end=10, label="PER", model_label="PERSON", score=0.98),
            EntityMention(start=22, end=30, label="GPE", model_label="GPE", score=0.95),
        ],
        events=[
            EventMention(
                type="Life.Die",
                start=11,
                end=18,
                score=0.6,
                arguments=(
                    ArgumentMention(role="Victim", start=0, end=10, label="PER", score=0.7),
                    ArgumentMention(role="Place", start=22, end=30, label="GPE", score=0.8),
                ),
            )
        ],
        unmapped=Counter({"DATE": 1}),
    )


@pytest.fixture
def prediction_write(db):
    """Store an analysis as a document's prediction layer, as a pre-annotation run does.

    The layer is the installed SPACY_MODEL's (its name and version, read without loading
    it) unless `model` says otherwise, so `preannotate --missing` counts it as done.
    """
    from annotations.labels import LabelIndex
    from corpus.nlp.pipeline import ModelIdentity, model_identity
    from preannotation.predictions import prediction_layer_replace

    def write(document, analysis, *, model: ModelIdentity | None = None):
        return prediction_layer_replace(
            document=document,
            analysis=analysis,
            model=model or model_identity(settings.SPACY_MODEL),
            labels=LabelIndex.of(document.corpus.schema),
        )

    return write


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The real files others wrote (../shared/testdata): skipped when absent, required in CI."""
    if not SHARED_TESTDATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_TESTDATA} is missing; conformance tests are required in CI")
        pytest.skip(f"{SHARED_TESTDATA} is not here")
    return SHARED_TESTDATA
