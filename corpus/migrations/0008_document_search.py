"""Index documents for search over title, external id, text and metadata.

PostgreSQL: a GIN expression index on the `simple` text-search vector that
`corpus.search.document_search_filter` queries with exactly the same expression.
SQLite: an FTS5 table `corpus_document_fts` (rowid = document id) kept in sync by triggers;
the text never changes (migration 0002), so only title, external id and metadata are re-indexed
on update. Existing rows are indexed here. Both: indexes for the title and date sorts.
"""

from django.db import migrations

# Keep identical to corpus/search.py PG_VECTOR, or PostgreSQL cannot use the index.
PG_VECTOR = (
    "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(external_id, '')"
    " || ' ' || left(text, 200000) || ' ' || coalesce(metadata::text, ''))"
)

POSTGRES = [f"CREATE INDEX corpus_document_search ON corpus_document USING gin ({PG_VECTOR});"]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS corpus_document_search;"]

# Keyset pages sorted by title or by date imported (newest first) read an index, not a sort.
SORT_INDEXES = [
    "CREATE INDEX corpus_document_by_title ON corpus_document (corpus_id, title, id);",
    "CREATE INDEX corpus_document_by_imported"
    " ON corpus_document (corpus_id, created_at DESC, id DESC);",
]
SORT_INDEXES_REVERSE = [
    "DROP INDEX IF EXISTS corpus_document_by_title;",
    "DROP INDEX IF EXISTS corpus_document_by_imported;",
]


# The metadata's keys and values, unescaped (Django stores "é" as "\\u00e9" on SQLite).
def metadata_words(column: str) -> str:
    return (
        "(SELECT coalesce(group_concat(coalesce(key, '') || ' ' || atom, ' '), '')"
        f" FROM json_tree(coalesce({column}, '{{}}')) WHERE atom IS NOT NULL)"
    )


SQLITE = [
    """
    CREATE VIRTUAL TABLE corpus_document_fts USING fts5(
        title, external_id, text, metadata, tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
    f"""
    INSERT INTO corpus_document_fts(rowid, title, external_id, text, metadata)
    SELECT id, title, external_id, text, {metadata_words("metadata")} FROM corpus_document;
    """,
    f"""
    CREATE TRIGGER corpus_document_fts_insert AFTER INSERT ON corpus_document BEGIN
        INSERT INTO corpus_document_fts(rowid, title, external_id, text, metadata)
        VALUES (NEW.id, NEW.title, NEW.external_id, NEW.text, {metadata_words("NEW.metadata")});
    END;
    """,
    """
    CREATE TRIGGER corpus_document_fts_delete AFTER DELETE ON corpus_document BEGIN
        DELETE FROM corpus_document_fts WHERE rowid = OLD.id;
    END;
    """,
    f"""
    CREATE TRIGGER corpus_document_fts_update
    AFTER UPDATE OF title, external_id, metadata ON corpus_document BEGIN
        UPDATE corpus_document_fts
        SET title = NEW.title, external_id = NEW.external_id,
            metadata = {metadata_words("NEW.metadata")}
        WHERE rowid = NEW.id;
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS corpus_document_fts_update;",
    "DROP TRIGGER IF EXISTS corpus_document_fts_delete;",
    "DROP TRIGGER IF EXISTS corpus_document_fts_insert;",
    "DROP TABLE IF EXISTS corpus_document_fts;",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("corpus", "0007_members_and_invitations")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE + SORT_INDEXES, "postgresql": POSTGRES + SORT_INDEXES}),
            run(
                {
                    "sqlite": SORT_INDEXES_REVERSE + SQLITE_REVERSE,
                    "postgresql": SORT_INDEXES_REVERSE + POSTGRES_REVERSE,
                }
            ),
        )
    ]
