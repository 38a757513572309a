"""Versions trained before versions kept their task migrate as queued once, nothing else."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learning.models import ModelVersion

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [("learning", "0003_version_path")]


@pytest.fixture
def old_apps():
    """The historical models before 0004; the database is migrated to the latest after."""
    try:
        yield MigrationExecutor(connection).migrate(BEFORE).apps
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())


def test_existing_versions_count_one_attempt_and_keep_everything_else(old_apps):
    model = old_apps.get_model
    schema = model("corpus", "LabelSchema").objects.create(key="old", name="Old")
    corpus = model("corpus", "Corpus").objects.create(slug="old", name="Old", schema=schema)
    versions = model("learning", "ModelVersion").objects
    for number, status in enumerate(["proposed", "training"], start=1):
        versions.create(corpus=corpus, number=number, status=status, pipeline="en_core_web_sm")

    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())

    rows = ModelVersion.objects.filter(corpus_id=corpus.pk).order_by("number")
    assert list(
        rows.values_list("number", "status", "attempts", "task_id", "activate_if_better")
    ) == [
        (1, "proposed", 1, "", False),
        (2, "training", 1, "", False),
    ]
