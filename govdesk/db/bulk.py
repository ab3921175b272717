"""Insert, update and delete many rows fast inside an ORM unit of work, below SQLAlchemy's
per-row parameter processing: COPY (or multi-row INSERTs) and ``UPDATE/DELETE ... FROM
(VALUES ...)`` on PostgreSQL, the driver's executemany with plain tuples on SQLite.

Same rows, same transaction, same triggers (PostgreSQL's statement-level audit triggers fire
for COPY as for INSERT). PostgreSQL refuses COPY FROM into a table under row-level security, so
for a GovDesk login (not the table's owner) the rows go in by multi-row INSERTs, checked by the
same policies. Values are converted once per column type, with the dialect's own
bind processors on SQLite, so what lands is what a Core INSERT would have written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg2

from sqlalchemy import Table
from sqlalchemy.orm import Session

from govdesk.db.engine import refusal

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, str):
        # str.translate looks up every character; most values need no escape at all
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    return str(value)


def _memo(processor: Any) -> Any:
    """``processor`` remembering its results: a batch shares a few timestamps, and SQLite's
    date-time processor formats each one in Python."""
    if processor is None:
        return None
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            if len(seen) < 4096:
                seen[value] = processor(value)
                return seen[value]
            return processor(value)
        except TypeError:  # unhashable
            return processor(value)

    return convert


def insert_rows(s: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts keyed by column name; every row the same keys) into ``table`` in
    the session's transaction. Returns the number of rows."""
    if not rows:
        return 0
    columns = list(rows[0])
    conn = s.connection()
    dialect = conn.dialect
    if dialect.name == "postgresql":
        if conn.exec_driver_sql("SELECT row_security_active(%(t)s::regclass)",
                                {"t": table.name}).scalar_one():
            return _insert_values(conn, table, columns, rows)
        buf = io.StringIO()
        buf.writelines("\t".join(_copy_text(r[c]) for c in columns) + "\n" for r in rows)
        buf.seek(0)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with _refusals():
                cursor.copy_expert(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN", buf)
        finally:
            cursor.close()
        return len(rows)
    tuples = _sqlite_tuples(table, dialect, rows, columns)
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    if not _has_triggers(conn, table.name):
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", tuples)
        return len(rows)
    # Triggers (the FTS5 search tables) run once per statement, and FTS5 flushes its pending
    # index data at every statement's savepoint: one row per statement made each document a
    # segment of its own (1.24 s for 10,000 documents). Staged in a temporary table and moved
    # by one INSERT ... SELECT, the whole batch is indexed at once (0.27 s).
    stage = f"govdesk_stage_{table.name}"
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS "
                         f"SELECT {names} FROM {table.name} WHERE 0")
    try:
        conn.exec_driver_sql(f"INSERT INTO temp.{stage} ({names}) VALUES ({marks})", tuples)
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) SELECT {names} "
                             f"FROM temp.{stage}")
    finally:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{stage}")
    return len(rows)


def _insert_values(conn: Any, table: Table, columns: list[str],
                   rows: Sequence[dict[str, Any]]) -> int:
    """Multi-row INSERTs on PostgreSQL, for a login that row-level security applies to: the
    server refuses COPY FROM into a table with row-level security for anyone but its owner."""
    from psycopg2.extras import execute_values

    cursor = conn.connection.driver_connection.cursor()
    try:
        with _refusals():
            execute_values(cursor, f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES %s",
                           [tuple(r[c] for c in columns) for r in rows], page_size=1000)
    finally:
        cursor.close()
    return len(rows)


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """Map what the server refuses on a raw cursor (the engine's error mapping does not see
    it) to GovDesk errors, as :func:`govdesk.db.engine.refusal` does for every statement:
    unique violations, deadlocks, serialization failures, lock waits given up, checks."""
    try:
        yield
    except (psycopg2.Error, ValueError) as exc:
        refused = refusal(exc)
        if refused is None:
            raise
        raise refused from exc


def _has_triggers(conn: Any, table: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?)",
        (table,)).scalar_one()
    return bool(found)


def _sqlite_tuples(table: Table, dialect: Any, rows: Sequence[dict[str, Any]],
                   keys: Sequence[str], columns: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
    """``rows`` as tuples of ``keys``, each value converted by the bind processor of its column
    (``columns``, by default the keys themselves): what a Core statement would have sent."""
    # column by column, then zipped: one loop per column instead of a generator per row
    values = []
    for key, c in zip(keys, columns or keys):
        column = [r[key] for r in rows]
        conv = _memo(table.c[c].type._cached_bind_processor(dialect))
        values.append(column if conv is None else
                      [None if v is None else conv(v) for v in column])
    return list(zip(*values))


def update_rows(s: Session, table: Table, rows: Sequence[dict[str, Any]],
                match: dict[str, str], *, hash_join: bool = False) -> int:
    """Update ``table`` from ``rows`` in the session's transaction; returns how many rows were
    updated (compare it with ``len(rows)``: a guard that did not hold updates nothing).

    ``match`` maps each column that identifies a row to the key holding its value in the row
    dicts (``{"id": "id", "version": "base_version"}`` updates a row only if it still has the
    version read); every other key is a column set to the row's value. Every row has the same
    keys. Row-level security, triggers and statement audit apply as to any UPDATE.

    ``hash_join`` (PostgreSQL): join the rows to the table by hashing, for a table whose own
    row-level security quals mislead the planner (``data_resources``, see the code); otherwise
    each row is found through the key's index.
    """
    return _apply(s, table, rows, match, delete=False, hash_join=hash_join)


def delete_rows(s: Session, table: Table, rows: Sequence[dict[str, Any]],
                match: dict[str, str]) -> int:
    """Delete the rows of ``table`` matching ``rows`` (see :func:`update_rows`); returns how
    many were deleted."""
    return _apply(s, table, rows, match, delete=True, hash_join=False)


def _apply(s: Session, table: Table, rows: Sequence[dict[str, Any]], match: dict[str, str],
           delete: bool, hash_join: bool) -> int:
    if not rows:
        return 0
    keys = list(rows[0])
    by_key = {k: c for c, k in match.items()}
    sets = [k for k in keys if k not in by_key]
    if delete and sets:
        raise ValueError(f"delete_rows takes only the match keys, not {sets}")
    conn = s.connection()
    dialect = conn.dialect
    if dialect.name == "postgresql":
        columns = [by_key.get(k, k) for k in keys]
        template = "(" + ", ".join(f"%s::{table.c[c].type.compile(dialect=dialect)}"
                                   for c in columns) + ")"
        where = " AND ".join(f"t.{c} = v.{k}" for c, k in match.items())
        head = (f"DELETE FROM {table.name} AS t USING" if delete else
                f"UPDATE {table.name} AS t SET {', '.join(f'{k} = v.{k}' for k in sets)} FROM")
        from psycopg2.extras import execute_values

        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with _refusals():
                # Planner settings for these statements only (restored after them; SET LOCAL
                # ends with the transaction anyway). No JIT: the policies' inflated cost
                # estimates made every data_items statement pay 0.2 s of compilation. And for
                # a table whose own row-level security quals the planner takes for "one
                # visible row" (data_resources), no nested loop: it scanned the table once and
                # read the whole VALUES list again for each of its rows (10,000 x 1,000 rows:
                # 15-20 s a batch instead of 0.1 s, bench catalog_import_update); a hash join
                # on the key instead.
                cursor.execute("SELECT current_setting('jit'), current_setting('enable_nestloop'),"
                               " set_config('jit', 'off', true),"
                               " set_config('enable_nestloop', %s, true)",
                               ("off" if hash_join else "on",))
                jit, nestloop = cursor.fetchone()[:2]
                done = execute_values(
                    cursor, f"{head} (VALUES %s) AS v ({', '.join(keys)}) WHERE {where} "
                    "RETURNING 1", [tuple(r[k] for k in keys) for r in rows],
                    template=template, page_size=1000, fetch=True)
                cursor.execute("SELECT set_config('jit', %s, true), "
                               "set_config('enable_nestloop', %s, true)", (jit, nestloop))
        finally:
            cursor.close()
        return len(done)
    order = [*sets, *match.values()]
    tuples = _sqlite_tuples(table, dialect, rows, order, [by_key.get(k, k) for k in order])
    where = " AND ".join(f"{c} = ?" for c in match)
    sql = (f"DELETE FROM {table.name} WHERE {where}" if delete else
           f"UPDATE {table.name} SET {', '.join(f'{k} = ?' for k in sets)} WHERE {where}")
    return int(conn.exec_driver_sql(sql, tuples).rowcount)
