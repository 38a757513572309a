"""Layers hold their document labels (`Annotation.attributes`); existing layers get none ({}).

The column is added with ALTER TABLE on both databases: Django's SQLite schema editor would
rebuild annotations_annotation for a NOT NULL column, which the item tables' same-layer
triggers (migration 0002) refer to.
"""

from django.db import migrations, models

COLUMN = {
    "postgresql": "ALTER TABLE annotations_annotation ADD COLUMN attributes jsonb NOT NULL"
    " DEFAULT '{}'::jsonb;",
    "sqlite": "ALTER TABLE annotations_annotation ADD COLUMN attributes text NOT NULL"
    " DEFAULT '{}' CHECK (JSON_VALID(attributes));",
}


def add(apps, schema_editor):
    schema_editor.execute(COLUMN[schema_editor.connection.vendor])


def drop(apps, schema_editor):
    schema_editor.execute("ALTER TABLE annotations_annotation DROP COLUMN attributes;")


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_document_comments")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add, drop)],
            state_operations=[
                migrations.AddField(
                    model_name="annotation",
                    name="attributes",
                    field=models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="Document labels (the schema's document attributes): {key:"
                        " [values]} for a label with values, {key: true/false} for a yes/no"
                        " one.",
                    ),
                )
            ],
        )
    ]
