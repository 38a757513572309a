"""PostgreSQL: compute a document's search vector when its words change, not on every update.

Migration 0011 stored the vector in a generated column, which PostgreSQL computes again on
every UPDATE of the row, whatever it sets: a document's state moving (a layer opened,
submitted, predicted: `annotations.states`) re-read up to 200,000 characters of text and
rewrote the GIN index entry (about 7 ms for a 60,000-character article, on each first open
and each pre-annotated document). The column becomes a plain one, values kept, filled by a
trigger that runs on INSERT (the ORM, raw rows and COPY alike) and on an UPDATE that sets
one of the columns the vector reads. The expression is migration 0008's, unchanged.
SQLite keeps its FTS5 table: nothing changes there.
"""

from django.db import migrations

VECTOR = (
    "to_tsvector('simple'::regconfig, coalesce(NEW.title, '') || ' ' || "
    "coalesce(NEW.external_id, '') || ' ' || left(NEW.text, 200000) || ' ' || "
    "coalesce(NEW.metadata::text, ''))"
)
# The generated column of migration 0011, to go back to.
GENERATED = (
    "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(external_id, '')"
    " || ' ' || left(text, 200000) || ' ' || coalesce(metadata::text, ''))"
)

POSTGRES = [
    "ALTER TABLE corpus_document ALTER COLUMN search_vector DROP EXPRESSION;",
    "CREATE FUNCTION corpus_document_search_vector() RETURNS trigger AS $$ BEGIN "
    f"NEW.search_vector := {VECTOR}; RETURN NEW; END $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER corpus_document_search_vector"
    " BEFORE INSERT OR UPDATE OF title, external_id, text, metadata ON corpus_document"
    " FOR EACH ROW EXECUTE FUNCTION corpus_document_search_vector();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS corpus_document_search_vector ON corpus_document;",
    "DROP FUNCTION IF EXISTS corpus_document_search_vector();",
    "DROP INDEX IF EXISTS corpus_document_search_vector;",
    "ALTER TABLE corpus_document DROP COLUMN IF EXISTS search_vector;",
    f"ALTER TABLE corpus_document ADD COLUMN search_vector tsvector"
    f" GENERATED ALWAYS AS ({GENERATED}) STORED;",
    "CREATE INDEX corpus_document_search_vector ON corpus_document USING gin (search_vector);",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("corpus", "0015_document_corpus_order")]

    operations = [migrations.RunPython(run(POSTGRES), run(POSTGRES_REVERSE))]
