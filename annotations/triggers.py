"""The same-layer triggers' SQL (SQLite, PostgreSQL), created and dropped by migrations.

Django cannot declare composite foreign keys, so triggers keep every argument's span or
nested event, and both spans of a relation, in the layer of their event or relation.
Migrations 0002 (which creates them) and 0004 (which drops them around a table rebuild)
run this SQL; it must stay as it is, byte for byte, or databases migrated before and
after a change would hold different triggers.
"""

from collections.abc import Callable

ARGUMENT_CHECK_SQLITE = """
CREATE TRIGGER annotations_argument_same_layer_{op}
BEFORE {OP} ON annotations_argument
WHEN (NEW.span_id IS NOT NULL AND
      (SELECT annotation_id FROM annotations_span WHERE id = NEW.span_id) IS NOT
      (SELECT annotation_id FROM annotations_event WHERE id = NEW.event_id))
  OR (NEW.target_event_id IS NOT NULL AND
      (SELECT annotation_id FROM annotations_event WHERE id = NEW.target_event_id) IS NOT
      (SELECT annotation_id FROM annotations_event WHERE id = NEW.event_id))
BEGIN SELECT RAISE(ABORT, 'argument links items of different layers'); END;
"""

RELATION_CHECK_SQLITE = """
CREATE TRIGGER annotations_relation_same_layer_{op}
BEFORE {OP} ON annotations_relation
WHEN (SELECT annotation_id FROM annotations_span WHERE id = NEW.head_id) IS NOT NEW.annotation_id
  OR (SELECT annotation_id FROM annotations_span WHERE id = NEW.tail_id) IS NOT NEW.annotation_id
BEGIN SELECT RAISE(ABORT, 'relation links spans of different layers'); END;
"""

SQLITE = [
    template.format(op=op.lower(), OP=op)
    for template in (ARGUMENT_CHECK_SQLITE, RELATION_CHECK_SQLITE)
    for op in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS annotations_{table}_same_layer_{op};"
    for table in ("argument", "relation")
    for op in ("insert", "update")
]

POSTGRES = [
    """
    CREATE FUNCTION annotations_argument_same_layer() RETURNS trigger AS $$
    DECLARE
        layer bigint;
    BEGIN
        SELECT annotation_id INTO layer FROM annotations_event WHERE id = NEW.event_id;
        IF NEW.span_id IS NOT NULL AND layer IS DISTINCT FROM
           (SELECT annotation_id FROM annotations_span WHERE id = NEW.span_id) THEN
            RAISE EXCEPTION 'argument links items of different layers'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.target_event_id IS NOT NULL AND layer IS DISTINCT FROM
           (SELECT annotation_id FROM annotations_event WHERE id = NEW.target_event_id) THEN
            RAISE EXCEPTION 'argument links items of different layers'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER annotations_argument_same_layer
    BEFORE INSERT OR UPDATE ON annotations_argument
    FOR EACH ROW EXECUTE FUNCTION annotations_argument_same_layer();
    """,
    """
    CREATE FUNCTION annotations_relation_same_layer() RETURNS trigger AS $$
    BEGIN
        IF NEW.annotation_id IS DISTINCT FROM
             (SELECT annotation_id FROM annotations_span WHERE id = NEW.head_id)
           OR NEW.annotation_id IS DISTINCT FROM
             (SELECT annotation_id FROM annotations_span WHERE id = NEW.tail_id) THEN
            RAISE EXCEPTION 'relation links spans of different layers'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER annotations_relation_same_layer
    BEFORE INSERT OR UPDATE ON annotations_relation
    FOR EACH ROW EXECUTE FUNCTION annotations_relation_same_layer();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS annotations_argument_same_layer ON annotations_argument;",
    "DROP FUNCTION IF EXISTS annotations_argument_same_layer();",
    "DROP TRIGGER IF EXISTS annotations_relation_same_layer ON annotations_relation;",
    "DROP FUNCTION IF EXISTS annotations_relation_same_layer();",
]


def statements_run(statements_by_vendor: dict[str, list[str]]) -> Callable:
    """A RunPython function that executes the statements for the database's vendor."""

    def apply(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply
