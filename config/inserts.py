"""Insert many rows at once, the fastest way each database offers, for imports and predictions.

On SQLite, many rows go in one INSERT statement. Each statement that writes a table with
triggers (or unique constraints and foreign keys) opens a statement journal, copying every page
it changes, and makes FTS5 write its pending terms out as a new segment: `executemany`, a
statement per row, paid that per row (an annotated import's documents, layers and spans took
two to three times as long; measured by bench/import_annotated.py, where 100 to 2,000 rows a
statement cost the same). On PostgreSQL, rows go in by COPY, one round trip for them all;
when conflicts must be skipped, which COPY cannot do, into a temporary table first and from
there by one INSERT ... SELECT: psycopg's pipelined `executemany` had PostgreSQL run an
INSERT per row: 8.3 s for the 20,000 documents of an annotated import, 4.9 s so (bench.import
--annotated --postgres).
"""

import sqlite3
import time
from collections.abc import Sequence
from itertools import chain
from typing import Any

from django.db import transaction

ROWS_PER_STATEMENT = 500  # on SQLite


def values_insert(
    cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence], *, suffix: str = ""
) -> int:
    """Insert `rows` (values of `columns`) into `table`, then `suffix` (an ON CONFLICT clause)
    on each statement; return how many rows went in. Table and columns are database names,
    quoted here."""
    if not rows:
        return 0
    quote = cursor.db.ops.quote_name
    into = f"{quote(table)} ({', '.join(map(quote, columns))})"
    if cursor.db.vendor == "postgresql":
        if not suffix:
            return _copy(cursor, f"COPY {into} FROM STDIN", rows)
        return _staged(cursor, table, columns, rows, suffix)
    insert = f"INSERT INTO {into}"
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    limit = cursor.db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // len(columns)))
    whole = len(rows) - len(rows) % per
    inserted = 0
    # The full statements in one `executemany`: the statement is prepared (and Django turns
    # its %s into ?) once, not for every chunk.
    if whole:
        chunks = [list(chain.from_iterable(rows[at : at + per])) for at in range(0, whole, per)]
        cursor.executemany(f"{insert} VALUES {', '.join([marks] * per)} {suffix}", chunks)
        inserted += cursor.rowcount
    if whole < len(rows):
        rest = rows[whole:]
        values = ", ".join([marks] * len(rest))
        cursor.execute(f"{insert} VALUES {values} {suffix}", list(chain.from_iterable(rest)))
        inserted += cursor.rowcount
    return inserted


def _staged(
    cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence], suffix: str
) -> int:
    """PostgreSQL: COPY `rows` into a temporary table, then insert them from there in their
    order, with `suffix`; return how many went in."""
    quote = cursor.db.ops.quote_name
    names = ", ".join(map(quote, columns))
    staging = quote("goldset_staging")
    with transaction.atomic(using=cursor.db.alias, savepoint=False):  # ON COMMIT DROP needs it
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS"
            f" SELECT 0::bigint AS goldset_order, {names} FROM {quote(table)} WITH NO DATA"
        )
        numbered = [(order, *row) for order, row in enumerate(rows)]
        _copy(cursor, f"COPY {staging} (goldset_order, {names}) FROM STDIN", numbered)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {staging}"
            f" ORDER BY goldset_order {suffix}"
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    return inserted


def _copy(cursor: Any, copy: str, rows: Sequence[Sequence]) -> int:
    """COPY `rows` in, logged as Django logs its queries (DEBUG, the tests' query counts)."""
    started = time.monotonic()
    with cursor.cursor.copy(copy) as writer:
        for row in rows:
            writer.write_row(row)
    if cursor.db.queries_logged:
        seconds = time.monotonic() - started
        cursor.db.queries_log.append(
            {"sql": f"{copy} ({len(rows)} rows)", "time": f"{seconds:.3f}"}
        )
    return len(rows)
