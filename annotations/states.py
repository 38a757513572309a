"""Each document's state, stored on it and counted per corpus, kept by database triggers.

A document's state (annotations.selectors.DocumentState) follows from its layers: reviewed
when its gold layer is reviewed; annotated when at least the corpus's annotators per document
have submitted; in progress with an annotator's draft or submitted layer, or a gold layer;
pre-annotated with a prediction layer; else new. `STATE` is that rule in SQL, the same on
SQLite and PostgreSQL. Triggers recompute it whenever a layer is added, removed or changes
kind, status or document, and for a whole corpus when its annotators per document change; and
every change of a document's state, and every document added or removed, adds a row of +1
or -1 to `annotations_documentstatecount` (insert only: no counter row that concurrent
writers, or the many rows of one import, would all update); `annotations.state_counts`
sums a corpus's rows and folds them into one per state once they are many. A bulk writer
pauses the triggers for its own transaction and settles its documents in one pass
(annotations.services.state_batch): per row, they would double an import's time.

Triggers, not calls in Python, because layers are written by many paths (the editor, imports
with raw rows, pre-annotation, review, cascading deletes): none of them can forget. The
document list filters by the stored state (index corpus, state, id) and the dashboard reads
five counts, whatever the corpus's size.

Migration 0010 runs this SQL; it must stay as it is, byte for byte, or databases migrated
before and after a change would hold different triggers (a change is a new migration).
"""

# The state of the corpus_document row being updated, from its layers and its corpus.
STATE = """(CASE
    WHEN EXISTS (SELECT 1 FROM annotations_annotation a WHERE a.document_id = corpus_document.id
                 AND a.kind = 'gold' AND a.status = 'reviewed') THEN 'reviewed'
    WHEN (SELECT COUNT(*) FROM annotations_annotation a WHERE a.document_id = corpus_document.id
          AND a.kind = 'annotator' AND a.status = 'submitted')
         >= (SELECT c.annotators_per_document FROM corpus_corpus c
             WHERE c.id = corpus_document.corpus_id) THEN 'annotated'
    WHEN EXISTS (SELECT 1 FROM annotations_annotation a WHERE a.document_id = corpus_document.id
                 AND (a.kind = 'gold' OR (a.kind = 'annotator'
                                          AND a.status IN ('draft', 'submitted'))))
         THEN 'in progress'
    WHEN EXISTS (SELECT 1 FROM annotations_annotation a WHERE a.document_id = corpus_document.id
                 AND a.kind = 'prediction') THEN 'pre-annotated'
    ELSE 'new'
END)"""


def state_update(where: str) -> str:
    """UPDATE the state of the documents `where` selects, writing only those that change."""
    return f"UPDATE corpus_document SET state = {STATE} WHERE {where} AND state <> {STATE};"


def count_move(sign: str, row: str) -> str:
    """Count one document more (`sign` +) or fewer (-) in `row`'s (NEW or OLD) state."""
    return (
        "INSERT INTO annotations_documentstatecount (corpus_id, state, documents)"
        f" VALUES ({row}.corpus_id, {row}.state, {sign}1);"
    )


COUNTS_DELETE = "DELETE FROM annotations_documentstatecount WHERE corpus_id = OLD.id;"

LAYER_CHANGED = (
    "OLD.kind <> NEW.kind OR OLD.status <> NEW.status OR OLD.document_id <> NEW.document_id"
)
OVERLAP_CHANGED = "OLD.annotators_per_document <> NEW.annotators_per_document"
DOCUMENT_MOVED = "OLD.state <> NEW.state OR OLD.corpus_id <> NEW.corpus_id"

# (name, table, event, condition or None, statements)
_TRIGGERS = [
    ("layer_insert", "annotations_annotation", "INSERT", None,
     [state_update("id = NEW.document_id")]),
    ("layer_delete", "annotations_annotation", "DELETE", None,
     [state_update("id = OLD.document_id")]),
    ("layer_update", "annotations_annotation", "UPDATE OF kind, status, document_id",
     LAYER_CHANGED, [state_update("id IN (OLD.document_id, NEW.document_id)")]),
    ("overlap_update", "corpus_corpus", "UPDATE OF annotators_per_document", OVERLAP_CHANGED,
     [state_update("corpus_id = NEW.id")]),
    ("corpus_delete", "corpus_corpus", "DELETE", None, [COUNTS_DELETE]),
    ("document_insert", "corpus_document", "INSERT", None, [count_move("+", "NEW")]),
    ("document_delete", "corpus_document", "DELETE", None, [count_move("-", "OLD")]),
    ("document_update", "corpus_document", "UPDATE OF state, corpus_id", DOCUMENT_MOVED,
     [count_move("-", "OLD"), count_move("+", "NEW")]),
]  # fmt: skip

# A transaction holding a row of annotations_statepause settles its documents itself, once
# (annotations.services.state_batch); the rows are its own, invisible to every other one.
RUNNING = "NOT EXISTS (SELECT 1 FROM annotations_statepause)"

SQLITE = [
    f"CREATE TRIGGER annotations_state_{name} AFTER {event} ON {table}"
    + (f" WHEN ({condition}) AND {RUNNING}" if condition else f" WHEN {RUNNING}")
    + " BEGIN "
    + " ".join(statements)
    + " END;"
    for name, table, event, condition, statements in _TRIGGERS
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS annotations_state_{name};" for name, *_ in _TRIGGERS]

POSTGRES = [
    statement
    for name, table, event, condition, statements in _TRIGGERS
    for statement in (
        f"CREATE FUNCTION annotations_state_{name}() RETURNS trigger AS $$ BEGIN "
        f"IF NOT ({RUNNING}) THEN RETURN NULL; END IF; "  # a trigger's WHEN takes no subquery
        + " ".join(statements)
        + " RETURN NULL; END $$ LANGUAGE plpgsql;",
        f"CREATE TRIGGER annotations_state_{name} AFTER {event} ON {table} FOR EACH ROW"
        + (f" WHEN ({condition})" if condition else "")
        + f" EXECUTE FUNCTION annotations_state_{name}();",
    )
]
POSTGRES_REVERSE = [
    statement
    for name, table, *_ in _TRIGGERS
    for statement in (
        f"DROP TRIGGER IF EXISTS annotations_state_{name} ON {table};",
        f"DROP FUNCTION IF EXISTS annotations_state_{name}();",
    )
]

# Existing rows, once, before the triggers exist: every state, then every corpus's counts.
FILL = [
    state_update("1 = 1"),
    "INSERT INTO annotations_documentstatecount (corpus_id, state, documents)"
    " SELECT corpus_id, state, COUNT(*) FROM corpus_document GROUP BY corpus_id, state;",
]
