"""Documents store their lowest prediction score, indexed with their corpus, for the list's sort.

Existing documents get theirs computed from their prediction layers' spans and events here,
in one UPDATE; a document without scored predictions keeps 2.0, after every real score.

The column is added with ALTER TABLE on both databases: Django's SQLite schema editor would
rebuild corpus_document for a NOT NULL column and drop the triggers of migrations 0002 (text
never changes) and 0008 (full-text index) and the sort indexes with the old table.
"""

from django.db import migrations, models
from django.db.models import FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least

NO_SCORE = 2.0


def fill_scores(apps, schema_editor):
    Document = apps.get_model("corpus", "Document")
    Span = apps.get_model("annotations", "Span")
    Event = apps.get_model("annotations", "Event")
    predicted = Q(
        annotation__document=OuterRef("pk"),
        annotation__kind="prediction",
        score__isnull=False,
    )
    spans = Span.objects.filter(predicted).order_by("score").values("score")[:1]
    events = Event.objects.filter(predicted).order_by("score").values("score")[:1]
    Document.objects.update(
        lowest_score=Least(
            Coalesce(Subquery(spans, output_field=FloatField()), Value(NO_SCORE)),
            Coalesce(Subquery(events, output_field=FloatField()), Value(NO_SCORE)),
            output_field=FloatField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0009_schema_changes"),
        ("annotations", "0007_revision_deltas"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE corpus_document"
                    f" ADD COLUMN lowest_score double precision NOT NULL DEFAULT {NO_SCORE};",
                    "ALTER TABLE corpus_document DROP COLUMN lowest_score;",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="document",
                    name="lowest_score",
                    field=models.FloatField(
                        default=NO_SCORE,
                        db_default=NO_SCORE,
                        editable=False,
                        help_text="The lowest score of its predicted spans and events (2.0:"
                        " none), kept by annotations.scores; the document list sorts and filters"
                        " by it.",
                    ),
                )
            ],
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["corpus", "lowest_score", "id"], name="document_score_order"
            ),
        ),
        migrations.RunPython(fill_scores, migrations.RunPython.noop),
    ]
