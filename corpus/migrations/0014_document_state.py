"""Documents store their state (new ... reviewed), indexed with their corpus, for the list.

The column is added with ALTER TABLE on both databases (Django's SQLite schema editor would
rebuild corpus_document and drop its triggers). Every existing document starts `new`;
annotations 0010, which creates the triggers that keep the state, computes it from the
layers the database holds.
"""

from django.db import migrations, models

NEW = "new"


class Migration(migrations.Migration):
    dependencies = [("corpus", "0013_relation_type_colour_hotkey")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE corpus_document"
                    f" ADD COLUMN state varchar(20) NOT NULL DEFAULT '{NEW}';",
                    "ALTER TABLE corpus_document DROP COLUMN state;",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="document",
                    name="state",
                    field=models.CharField(
                        max_length=20,
                        default=NEW,
                        db_default=NEW,
                        editable=False,
                        help_text="Where it stands (new, pre-annotated, in progress, annotated,"
                        " reviewed), kept from its layers by database triggers"
                        " (annotations.states); the list filters by it.",
                    ),
                )
            ],
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["corpus", "state", "id"], name="document_state_order"),
        ),
    ]
