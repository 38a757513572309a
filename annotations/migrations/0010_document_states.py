"""Documents' states kept by triggers, and counted per corpus (annotations.states).

Existing documents get their state computed from the layers the database holds, and every
existing corpus a count row per state, before the triggers that keep both are created.
"""

from django.db import migrations, models

from annotations import states
from annotations.triggers import statements_run

CREATE = {"sqlite": states.SQLITE, "postgresql": states.POSTGRES}
DROP = {"sqlite": states.SQLITE_REVERSE, "postgresql": states.POSTGRES_REVERSE}


def fill(apps, schema_editor):
    for statement in states.FILL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0009_layer_document_labels"),
        ("corpus", "0014_document_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentStateCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("corpus_id", models.BigIntegerField(db_index=True)),
                ("state", models.CharField(max_length=20)),
                ("documents", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="StatePause",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(statements_run(CREATE), statements_run(DROP)),
    ]
