"""A database filled at the old layout (runs in `annotations`) migrates and keeps every row.

Runs and their failures moved to the `preannotation` app with SeparateDatabaseAndState,
keeping their tables: the migration changes Django's state, not the database. The test
migrates back to before the move, writes through the historical models, migrates to the
latest, and reads everything back through today's models.
"""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from annotations.models import Annotation, Argument, Event, Relation, Revision, Span
from corpus.models import Corpus, Document
from imports.models import ImportJob
from preannotation.models import PreannotationFailure, PreannotationRun

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Before the move: annotations up to 0004 (runs still there), no preannotation app yet.
OLD_LAYOUT = [("annotations", "0004_accepted"), ("preannotation", None)]
TEXT = "Troops killed 13 civilians in Idlib on Friday."


@pytest.fixture
def old_apps():
    """The historical models at the old layout; the database is migrated to the latest after."""
    try:
        yield MigrationExecutor(connection).migrate(OLD_LAYOUT).apps
    finally:
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
        # Later tests run on this database: nothing may be left to apply.
        latest = MigrationExecutor(connection)
        assert latest.migration_plan(latest.loader.graph.leaf_nodes()) == []


def old_database_fill(apps) -> dict[str, int]:
    """Write one of everything at the old layout; return the ids to look for afterwards."""
    model = apps.get_model
    user = model("auth", "User").objects.create(username="olivia-owner")
    schema = model("corpus", "LabelSchema").objects.create(key="old", name="Old")
    per = model("corpus", "EntityType").objects.create(schema=schema, key="PER", name="Person")
    gpe = model("corpus", "EntityType").objects.create(schema=schema, key="GPE", name="Place")
    die = model("corpus", "EventType").objects.create(schema=schema, key="Life.Die", name="Die")
    victim = model("corpus", "EventRole").objects.create(event_type=die, key="Victim", name="V")
    located = model("corpus", "RelationType").objects.create(schema=schema, key="LOC", name="In")
    corpus = model("corpus", "Corpus").objects.create(slug="old", name="Old", schema=schema)
    model("corpus", "Membership").objects.create(corpus=corpus, user=user, role="owner")
    document = model("corpus", "Document").objects.create(
        corpus=corpus, text=TEXT, sha256=hashlib.sha256(TEXT.encode()).hexdigest()
    )
    run = model("annotations", "PreannotationRun").objects.create(
        corpus=corpus, pipeline="en_core_web_sm", model_name="core_web_sm", model_version="3.8.0",
        last_document=document.pk, total=2, processed=1, entities=2, events=1, requested_by=user,
    )  # fmt: skip
    failure = model("annotations", "PreannotationFailure").objects.create(
        run=run, document=document, message="too long for the pipeline"
    )
    layer = model("annotations", "Annotation").objects.create(
        document=document, kind="prediction", model_name="core_web_sm", model_version="3.8.0",
        run=run, origin={"unmapped": {"DATE": 1}},
    )  # fmt: skip
    civilians = model("annotations", "Span").objects.create(
        annotation=layer, start=14, end=26, entity_type=per, source="model", score=0.9
    )
    idlib = model("annotations", "Span").objects.create(
        annotation=layer, start=30, end=35, entity_type=gpe, source="model", score=0.8
    )
    event = model("annotations", "Event").objects.create(
        annotation=layer, trigger_start=7, trigger_end=13, event_type=die, source="model"
    )
    argument = model("annotations", "Argument").objects.create(
        event=event, role=victim, span=civilians, source="model"
    )
    relation = model("annotations", "Relation").objects.create(
        annotation=layer, relation_type=located, head=civilians, tail=idlib, source="model"
    )
    revision = model("annotations", "Revision").objects.create(
        annotation=layer, version=1, snapshot={"spans": [[14, 26, "PER"]]}, user=user
    )
    job = model("imports", "ImportJob").objects.create(
        corpus=corpus, created_by=user, status="done", format="jsonl", created=1,
        finished_at=timezone.now(),
    )  # fmt: skip
    return {
        "corpus": corpus.pk, "document": document.pk, "run": run.pk, "failure": failure.pk,
        "layer": layer.pk, "civilians": civilians.pk, "idlib": idlib.pk, "event": event.pk,
        "argument": argument.pk, "relation": relation.pk, "revision": revision.pk, "job": job.pk,
    }  # fmt: skip


def test_rows_written_at_the_old_layout_are_all_found_after_migrating(old_apps):
    ids = old_database_fill(old_apps)

    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())

    run = PreannotationRun.objects.get(pk=ids["run"])
    assert (run.corpus_id, run.model_name, run.total, run.processed) == (
        ids["corpus"], "core_web_sm", 2, 1,
    )  # fmt: skip
    assert run.requested_by.username == "olivia-owner"
    assert [failure.pk for failure in run.failures.all()] == [ids["failure"]]
    assert PreannotationFailure.objects.get(pk=ids["failure"]).document_id == ids["document"]
    assert [layer.pk for layer in run.layers.all()] == [ids["layer"]]

    layer = Annotation.objects.get(pk=ids["layer"])
    assert layer.run == run
    assert layer.document == Document.objects.get(pk=ids["document"], corpus_id=ids["corpus"])
    assert layer.origin == {"unmapped": {"DATE": 1}}
    assert sorted(layer.spans.values_list("pk", "start", "end", "entity_type__key")) == sorted(
        [(ids["civilians"], 14, 26, "PER"), (ids["idlib"], 30, 35, "GPE")]
    )
    event = Event.objects.get(pk=ids["event"], annotation=layer)
    assert event.event_type.key == "Life.Die"
    argument = Argument.objects.get(pk=ids["argument"], event=event)
    assert (argument.role.key, argument.span_id) == ("Victim", ids["civilians"])
    relation = Relation.objects.get(pk=ids["relation"], annotation=layer)
    assert (relation.head_id, relation.tail_id) == (ids["civilians"], ids["idlib"])
    assert Revision.objects.get(pk=ids["revision"], annotation=layer).snapshot == {
        "spans": [[14, 26, "PER"]]
    }
    job = ImportJob.objects.get(pk=ids["job"])
    assert (job.corpus_id, job.status, job.created) == (ids["corpus"], "done", 1)
    assert Corpus.objects.get(pk=ids["corpus"]).preannotation_runs.get() == run
    assert Span.objects.count() == 2


def test_the_old_layout_keeps_runs_in_annotations_in_the_same_tables(old_apps):
    assert old_apps.get_model("annotations", "PreannotationRun")._meta.db_table == (
        PreannotationRun._meta.db_table
    )
    assert "preannotation" not in {config.label for config in old_apps.get_app_configs()}
    field = old_apps.get_model("annotations", "Annotation")._meta.get_field("run")
    assert field.related_model._meta.label == "annotations.PreannotationRun"
