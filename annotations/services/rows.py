"""Insert many item rows at once: ids reserved up front, a few statements per table.

The ORM's `bulk_create` builds a model instance and compiles every value of every row; for a
batch of imported layers that was three quarters of the import time. Here the rows are plain
tuples. Ids are reserved before the insert, so references between the new rows (an argument
to its span, a relation to its ends) are known without reading anything back: on SQLite past
the table's highest id and AUTOINCREMENT counter, under the write lock the transaction
holds (transactions begin IMMEDIATE); on PostgreSQL from the table's sequence.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model
from psycopg.types.json import Jsonb

from config.inserts import values_insert


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
    """Insert `rows` (values of `columns`, the id first among them), many rows a statement."""
    if not rows:
        return
    names = [model._meta.get_field(name).column for name in columns]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        values_insert(cursor, model._meta.db_table, names, rows)


def json_adapter() -> Callable[[Any], Any]:
    """A function giving a JSON column's value as the database takes it (text on SQLite,
    jsonb on PostgreSQL), encoded by orjson: a long layer's attributes or a document's
    tokens took json.dumps a tenth of a pre-annotation's writes. The empty object, most
    items' attributes, is adapted once."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":

        def encoded(value: Any) -> Any:
            return Jsonb(value, dumps=_json_dumps)

    else:

        def encoded(value: Any) -> Any:
            return _json_dumps(value).decode()

    empty = encoded({})

    def adapt(value: Any) -> Any:
        return empty if value == {} else encoded(value)

    return adapt


def _json_dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # what orjson does not take (an integer over 64 bits): as JSONField does
        return json.dumps(value).encode()


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
