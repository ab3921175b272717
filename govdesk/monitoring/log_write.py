"""Writing the rows of an access-log import, in the caller's unit of work.

PostgreSQL: ``govdesk_access_import_begin`` opens the import (security administrators only; it
records who, when and the transaction), the rows go by COPY into a temporary table (COPY into
``access_events`` itself could not skip the duplicates) and from there by one
``INSERT … SELECT`` of the rows not already there (an anti-join on the dedupe key, so a
re-import does not run the stamp trigger for every line; ``ON CONFLICT (source_id, line_hash,
ts) DO NOTHING`` for repeats within the file and concurrent imports), each row naming the
import, so the stamp trigger keeps the log's user and time and sets the provenance;
``govdesk_access_import_finish`` records how many were added and audits the import. SQLite: the
same rows by the driver's executemany with ``INSERT OR IGNORE`` over the same unique index, the
import row and the audit event written here.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from govdesk.db.base import utcnow
from govdesk.db.bulk import _copy_text, _refusals
from govdesk.db.models import AccessEvent, AccessLogImport
from govdesk.monitoring.log_parse import Row
from govdesk.security import audit
from govdesk.security.identity import Identity

COLUMNS = ("ts", "username", "organisation_id", "resource_id", "action", "row_count",
           "success", "client_host", "line_hash")
STAGE = "govdesk_access_stage"


class Stage:
    """The rows of one import, staged in a temporary table as they are read (memory stays one
    batch, whatever the file's size); :meth:`write` then adds them as the import. Nothing in
    it is visible outside the transaction, and a rolled-back import leaves nothing."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.pg = s.get_bind().dialect.name == "postgresql"
        conn = s.connection()
        if self.pg:
            with self._cursor() as cur:
                cur.execute(f"CREATE TEMP TABLE {STAGE} (ts timestamptz, username text, "
                            "organisation_id integer, resource_id integer, action text, "
                            "row_count integer, success boolean, client_host text, "
                            "line_hash text) ON COMMIT DROP")
            return
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{STAGE}")
        conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGE} ({', '.join(COLUMNS)})")
        self.ts_bind = AccessEvent.__table__.c.ts.type._cached_bind_processor(conn.dialect)

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Any]:
        cursor = self.s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with _refusals():
                yield cursor
        finally:
            cursor.close()

    def add(self, rows: Sequence[Row]) -> None:
        """Stage a batch of rows."""
        if self.pg:
            with self._cursor() as cur:
                cur.copy_expert(f"COPY {STAGE} FROM STDIN", _copy_buffer(rows))
            return
        bind = self.ts_bind
        marks = ", ".join("?" for _ in COLUMNS)
        self.s.connection().exec_driver_sql(
            f"INSERT INTO temp.{STAGE} VALUES ({marks})",
            [(bind(r[0]) if bind else r[0], *r[1:]) for r in rows])

    def drop(self) -> None:
        """Drop the staged rows (SQLite: its temporary tables outlive a rollback)."""
        if not self.pg:
            self.s.connection().exec_driver_sql(f"DROP TABLE IF EXISTS temp.{STAGE}")

    def write(self, who: Identity, source_id: int, meta: dict[str, Any], good: int) -> tuple[int, int]:
        """Add the staged rows (``good`` of them) as an import of ``meta`` (file, sha256,
        lines, bad, ignored, problems) into ``source_id``; returns (import id, rows added)."""
        if self.pg:
            return self._write_pg(source_id, meta, good)
        try:
            return _write_sqlite(self.s, who, source_id, meta, good)
        finally:
            self.drop()

    def _write_pg(self, source_id: int, meta: dict[str, Any], good: int) -> tuple[int, int]:
        import_id = int(self.s.execute(text(
            "SELECT govdesk_access_import_begin(:source, :file, :sha, :lines, :good, :bad, "
            ":ignored, :problems)"), {
            "source": source_id, "file": meta["file"], "sha": meta["sha256"],
            "lines": meta["lines"], "good": good, "bad": meta["bad"], "ignored": meta["ignored"],
            "problems": json.dumps(meta["problems"], ensure_ascii=False),
        }).scalar_one())
        names = ", ".join(COLUMNS)
        with self._cursor() as cur:
            cur.execute(
                f"INSERT INTO access_events ({names}, source_id, import_id) "
                f"SELECT {names}, %s, %s FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM "
                "access_events e WHERE e.source_id = %s AND e.line_hash = s.line_hash AND "
                "e.ts = s.ts) ON CONFLICT (source_id, line_hash, ts) DO NOTHING",
                (source_id, import_id, source_id))
            added = int(cur.rowcount)
            cur.execute(f"DROP TABLE {STAGE}")
        self.s.execute(text("SELECT govdesk_access_import_finish(:id, :n)"),
                       {"id": import_id, "n": added})
        return import_id, added


def _copy_buffer(rows: Sequence[Row]) -> io.StringIO:
    text_of = _copy_text
    buf = io.StringIO()
    buf.writelines(
        f"{ts.isoformat()}\t{text_of(user)}\t{text_of(org)}\t{text_of(res)}\t{action}\t"
        f"{count}\t{'t' if ok else 'f'}\t{text_of(host)}\t{key}\n"
        for ts, user, org, res, action, count, ok, host, key in rows)
    buf.seek(0)
    return buf


def _write_sqlite(s: Session, who: Identity, source_id: int, meta: dict[str, Any],
                  good: int) -> tuple[int, int]:
    started = utcnow()
    record = AccessLogImport(
        source_id=source_id, file_name=meta["file"][:500], file_sha256=meta["sha256"],
        lines=meta["lines"], good=good, bad=meta["bad"], ignored=meta["ignored"],
        problems=json.dumps(meta["problems"], ensure_ascii=False), imported_by=who.username,
        started_at=started)
    s.add(record)
    s.flush()
    conn = s.connection()
    ts_bind = AccessEvent.__table__.c.ts.type._cached_bind_processor(conn.dialect)
    names = ", ".join(COLUMNS)
    result = conn.exec_driver_sql(
        f"INSERT OR IGNORE INTO access_events ({names}, source_id, import_id, imported_by, "
        f"imported_at) SELECT {names}, ?, ?, ?, ? FROM temp.{STAGE}",
        (source_id, record.id, who.username, ts_bind(started) if ts_bind else started))
    added = max(result.rowcount, 0)
    record.imported, record.duplicates, record.finished_at = added, good - added, utcnow()
    audit.record(s, who, "access_log_import", object_type="access_log_import",
                 object_id=record.id, detail={
                     "source_id": source_id, "file": meta["file"], "sha256": meta["sha256"],
                     "lines": meta["lines"], "imported": added, "duplicates": good - added,
                     "bad": meta["bad"], "ignored": meta["ignored"], "skipped": meta["problems"]})
    return record.id, added
