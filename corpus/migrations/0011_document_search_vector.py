"""PostgreSQL: store each document's search vector in a generated column, indexed with GIN.

Migration 0008 indexed the expression `to_tsvector(...)` only. When a corpus is a small part
of the table, PostgreSQL reads the corpus's rows by corpus_id and computes the vector of
each one to test the words (measured: 140 ms for a 2,000-document corpus beside a
200,000-document one, `python -m bench.document_list --postgres ...`); with the vector stored,
that test is a lookup. The column is computed by PostgreSQL on insert and update
(GENERATED ALWAYS ... STORED), so imports that insert rows without the ORM keep it too.
Existing rows get theirs when the column is added (the table is rewritten once).
SQLite keeps its FTS5 table (migration 0008): nothing changes there.
"""

from django.db import migrations

# The expression of migration 0008, unchanged: the same words are found.
PG_VECTOR = (
    "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(external_id, '')"
    " || ' ' || left(text, 200000) || ' ' || coalesce(metadata::text, ''))"
)

POSTGRES = [
    f"ALTER TABLE corpus_document ADD COLUMN search_vector tsvector"
    f" GENERATED ALWAYS AS ({PG_VECTOR}) STORED;",
    "CREATE INDEX corpus_document_search_vector ON corpus_document USING gin (search_vector);",
    "DROP INDEX IF EXISTS corpus_document_search;",
]
POSTGRES_REVERSE = [
    f"CREATE INDEX IF NOT EXISTS corpus_document_search ON corpus_document USING gin ({PG_VECTOR});",
    "ALTER TABLE corpus_document DROP COLUMN IF EXISTS search_vector;",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("corpus", "0010_document_lowest_score")]

    operations = [migrations.RunPython(run(POSTGRES), run(POSTGRES_REVERSE))]
