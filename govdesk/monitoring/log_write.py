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

import io
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from govdesk.db.base import utcnow
from govdesk.db.bulk import _copy_text, _refusals
from govdesk.db.models import AccessEvent, AccessLogImport
from govdesk.monitoring.log_parse import Row
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.identity import Identity

COLUMNS = ("ts", "username", "organisation_id", "resource_id", "action", "row_count",
           "success", "client_host", "line_hash")
STAGE = "govdesk_access_stage"
BATCH = 100_000


def summary(file: dict[str, Any], bad: dict[str, int], first: dict[str, list[int]],
            ignored: dict[str, int]) -> dict[str, Any]:
    """What an import skipped, for its row and its audit event: bad lines and ignored entries
    by reason, the first line numbers of each reason."""
    return {**file, "bad": bad, "first_lines": first, "ignored": ignored}


def write_rows(s: Session, who: Identity, source_id: int, meta: dict[str, Any],
               rows: Sequence[Row], progress: Progress | None = None) -> tuple[int, int]:
    """Add ``rows`` as an import of ``meta`` (file, sha256, lines, good, bad, ignored,
    problems: a JSON-able summary) into ``source_id``; returns (import id, rows added)."""
    if s.get_bind().dialect.name == "postgresql":
        return _write_pg(s, source_id, meta, rows, progress)
    return _write_sqlite(s, who, source_id, meta, rows, progress)


def _write_pg(s: Session, source_id: int, meta: dict[str, Any], rows: Sequence[Row],
              progress: Progress | None) -> tuple[int, int]:
    import_id = int(s.execute(text(
        "SELECT govdesk_access_import_begin(:source, :file, :sha, :lines, :good, :bad, "
        ":ignored, :problems)"), {
        "source": source_id, "file": meta["file"], "sha": meta["sha256"],
        "lines": meta["lines"], "good": len(rows), "bad": meta["bad"],
        "ignored": meta["ignored"], "problems": json.dumps(meta["problems"], ensure_ascii=False),
    }).scalar_one())
    cursor = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with _refusals():
            cursor.execute(f"CREATE TEMP TABLE {STAGE} (ts timestamptz, username text, "
                           "organisation_id integer, resource_id integer, action text, "
                           "row_count integer, success boolean, client_host text, "
                           "line_hash text) ON COMMIT DROP")
            for start in range(0, len(rows), BATCH):
                cursor.copy_expert(f"COPY {STAGE} FROM STDIN", _copy_buffer(rows[start:start + BATCH]))
                if progress is not None:
                    progress.step(start + BATCH, len(rows) + BATCH)
            names = ", ".join(COLUMNS)
            cursor.execute(
                f"INSERT INTO access_events ({names}, source_id, import_id) "
                f"SELECT {names}, %s, %s FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM "
                "access_events e WHERE e.source_id = %s AND e.line_hash = s.line_hash AND "
                "e.ts = s.ts) ON CONFLICT (source_id, line_hash, ts) DO NOTHING",
                (source_id, import_id, source_id))
            added = cursor.rowcount
            cursor.execute(f"DROP TABLE {STAGE}")
    finally:
        cursor.close()
    s.execute(text("SELECT govdesk_access_import_finish(:id, :n)"), {"id": import_id, "n": added})
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
                  rows: Sequence[Row], progress: Progress | None) -> tuple[int, int]:
    started = utcnow()
    record = AccessLogImport(
        source_id=source_id, file_name=meta["file"][:500], file_sha256=meta["sha256"],
        lines=meta["lines"], good=len(rows), bad=meta["bad"], ignored=meta["ignored"],
        problems=json.dumps(meta["problems"], ensure_ascii=False), imported_by=who.username,
        started_at=started)
    s.add(record)
    s.flush()
    conn = s.connection()
    dialect = conn.dialect
    table = AccessEvent.__table__
    ts_bind = table.c.ts.type._cached_bind_processor(dialect)
    stamp = ts_bind(started) if ts_bind else started
    names = ", ".join((*COLUMNS, "source_id", "import_id", "imported_by", "imported_at"))
    marks = ", ".join("?" for _ in range(len(COLUMNS) + 4))
    added = 0
    for start in range(0, len(rows), BATCH):
        batch = [(ts_bind(r[0]) if ts_bind else r[0], *r[1:], source_id, record.id,
                  who.username, stamp) for r in rows[start:start + BATCH]]
        result = conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO access_events ({names}) VALUES ({marks})", batch)
        added += max(result.rowcount, 0)
        if progress is not None:
            progress.step(start + BATCH, len(rows) + BATCH)
    record.imported, record.duplicates, record.finished_at = added, len(rows) - added, utcnow()
    audit.record(s, who, "access_log_import", object_type="access_log_import",
                 object_id=record.id, detail={
                     "source_id": source_id, "file": meta["file"], "sha256": meta["sha256"],
                     "lines": meta["lines"], "imported": added, "duplicates": len(rows) - added,
                     "bad": meta["bad"], "ignored": meta["ignored"], "skipped": meta["problems"]})
    return record.id, added
