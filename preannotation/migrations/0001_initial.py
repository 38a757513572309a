"""Runs and failures move here from the annotations app; their tables and rows stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("annotations", "0004_accepted"),
        ("corpus", "0003_nominals_and_role_syntax"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PreannotationRun",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("pipeline", models.CharField(help_text="The installed spaCy package run.", max_length=200)),
                        ("model_name", models.CharField(max_length=200)),
                        ("model_version", models.CharField(blank=True, max_length=50)),
                        ("only_missing", models.BooleanField(default=False)),
                        ("last_document", models.PositiveBigIntegerField(default=0)),
                        ("total", models.PositiveIntegerField(default=0)),
                        ("processed", models.PositiveIntegerField(default=0)),
                        ("entities", models.PositiveIntegerField(default=0)),
                        ("events", models.PositiveIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("corpus", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="preannotation_runs", to="corpus.corpus")),
                        ("requested_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "annotations_preannotationrun",
                        "ordering": ["-created_at", "-id"],
                        "get_latest_by": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="PreannotationFailure",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("message", models.TextField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("document", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="corpus.document")),
                        ("run", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="failures", to="preannotation.preannotationrun")),
                    ],
                    options={
                        "db_table": "annotations_preannotationfailure",
                        "ordering": ["run", "document"],
                        "constraints": [models.UniqueConstraint(fields=("run", "document"), name="failure_once_per_run")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
