"""Insert many rows at once, the fastest way each database offers, for imports and predictions.

On SQLite, many rows go in one INSERT statement. Each statement that writes a table with
triggers (or unique constraints and foreign keys) opens a statement journal, copying every page
it changes, and makes FTS5 write its pending terms out as a new segment: `executemany`, a
statement per row, paid that per row (an annotated import's documents, layers and spans took
two to three times as long; measured by bench/import_annotated.py, where 100 to 2,000 rows a
statement cost the same). On PostgreSQL, rows go in by COPY, one round trip for them all,
or, when conflicts must be skipped (which COPY cannot do), by psycopg's pipelined
`executemany`.
"""

import sqlite3
import time
from collections.abc import Sequence
from itertools import chain
from typing import Any

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
    if cursor.db.vendor == "postgresql" and not suffix:
        return _copy(cursor, f"COPY {into} FROM STDIN", rows)
    insert = f"INSERT INTO {into}"
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    if cursor.db.vendor != "sqlite":
        cursor.executemany(f"{insert} VALUES {marks} {suffix}", rows)
        return cursor.rowcount
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
