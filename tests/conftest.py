"""Shared fixtures: personas (owner, annotator, reviewer, outsider), corpora and the model.

The suite runs twice in `make test`: on SQLite (everything) and on PostgreSQL (tests marked
`postgres`). On PostgreSQL an unreachable server skips those tests, or fails the run in CI.
"""

import math
import os
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
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


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The real files others wrote (../shared/testdata): skipped when absent, required in CI."""
    if not SHARED_TESTDATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_TESTDATA} is missing; conformance tests are required in CI")
        pytest.skip(f"{SHARED_TESTDATA} is not here")
    return SHARED_TESTDATA
