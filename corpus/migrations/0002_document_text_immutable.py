"""Refuse any UPDATE that changes a document's text or its hash, in SQLite and PostgreSQL."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER corpus_document_text_immutable
    BEFORE UPDATE OF text, sha256 ON corpus_document
    WHEN NEW.text IS NOT OLD.text OR NEW.sha256 IS NOT OLD.sha256
    BEGIN SELECT RAISE(ABORT, 'document text is immutable'); END;
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS corpus_document_text_immutable;"]

POSTGRES = [
    """
    CREATE FUNCTION corpus_document_text_immutable() RETURNS trigger AS $$
    BEGIN
        IF NEW.text IS DISTINCT FROM OLD.text OR NEW.sha256 IS DISTINCT FROM OLD.sha256 THEN
            RAISE EXCEPTION 'document text is immutable' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER corpus_document_text_immutable
    BEFORE UPDATE OF text, sha256 ON corpus_document
    FOR EACH ROW EXECUTE FUNCTION corpus_document_text_immutable();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS corpus_document_text_immutable ON corpus_document;",
    "DROP FUNCTION IF EXISTS corpus_document_text_immutable();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
