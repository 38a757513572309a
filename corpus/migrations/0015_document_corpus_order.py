"""PostgreSQL: index documents by (corpus, id), the order of the document list's pages.

A page of a corpus in id order (`corpus_id = X AND id > after ORDER BY id LIMIT 51`) had only
the corpus_id index, whose equal keys are not kept in id order, and the primary key: so
PostgreSQL either read every document of the corpus and sorted them, or walked the primary key
past other corpora's documents (measured with `python -m bench.scale --postgres ...`: 0.9 ms
for the first page of a 2,000-document corpus, 7 ms for a 200,000-document one stored after
it; 0.05 ms for both with this index). SQLite needs nothing: its corpus_id index holds the
rowid, which is the id, in order.
"""

from django.db import migrations

POSTGRES = ["CREATE INDEX corpus_document_corpus_order ON corpus_document (corpus_id, id);"]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS corpus_document_corpus_order;"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("corpus", "0014_document_state")]

    operations = [migrations.RunPython(run(POSTGRES), run(POSTGRES_REVERSE))]
