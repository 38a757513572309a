"""Insert many item rows at once: ids reserved up front, one `executemany` per table.

The ORM's `bulk_create` builds a model instance and compiles every value of every row; for a
batch of imported layers that was three quarters of the import time. Here the rows are plain
tuples. Ids are reserved before the insert, so references between the new rows (an argument
to its span, a relation to its ends) are known without reading anything back: on SQLite past
the table's highest id and AUTOINCREMENT counter, under the write lock the transaction
holds (transactions begin IMMEDIATE); on PostgreSQL from the table's sequence.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model


def ids_reserve(model: type[Model], count: int) -> list[int]:
    """Return `count` unused ids of `model`'s table, for rows inserted in this transaction."""
    if count == 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("ids_reserve needs a transaction: the ids are held by its lock")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(id), (SELECT seq FROM sqlite_sequence WHERE name = %s)"
            f" FROM {connection.ops.quote_name(table)}",
            [table],
        )
        highest, counter = cursor.fetchone()
    first = max(highest or 0, counter or 0) + 1
    return list(range(first, first + count))


def rows_insert(model: type[Model], columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert `rows` (values of `columns`, the id first among them) in one statement per table."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def json_adapter() -> Callable[[dict], Any]:
    """A function giving a JSON column's value as the database takes it (text on SQLite,
    jsonb on PostgreSQL); the empty object, most items' attributes, is adapted once."""
    ops = connections[DEFAULT_DB_ALIAS].ops  # not the proxy: a lookup per call otherwise
    empty = ops.adapt_json_value({}, None)

    def adapt(value: dict) -> Any:
        return ops.adapt_json_value(value, None) if value else empty

    return adapt


def rows_delete(model: type[Model], ids: Sequence[int]) -> int:
    """Delete the rows of `model` with these ids, a few hundred per statement; return how many.

    Nothing cascades: the caller deletes what refers to them (or writes it back with the same
    ids before the transaction ends; the foreign keys are checked when it commits).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    deleted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), DELETE_CHUNK):
            chunk = ids[start : start + DELETE_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", list(chunk))
            deleted += cursor.rowcount
    return deleted


DELETE_CHUNK = 500  # ids per DELETE: under every database's limit on parameters
