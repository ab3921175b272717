"""Retention of the access log (``govdesk.security.access_archive``, migration 0035): a month
older than the retention is written to a gzip CSV with its SHA-256, recorded, audited, then
detached and dropped; a younger one is refused by the database itself, also to a security
administrator calling the function over plain psycopg2; nobody else may archive. And the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from psycopg2 import errors
from sqlalchemy import text

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.access_archive import (
    archivable_partitions,
    archive_partitions,
    ensure_partitions,
    retention,
)

pytestmark = pytest.mark.postgres


def _old_month() -> dt.datetime:
    now = dt.datetime.now(dt.timezone.utc)
    return dt.datetime(now.year - 3, now.month, 1, tzinfo=dt.timezone.utc)


def test_an_old_month_is_archived_and_dropped(pg_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              capsys: pytest.CaptureFixture[str]) -> None:
    old = _old_month()
    name = old.strftime("access_events_y%Ym%m")
    with pg_db.engine.begin() as c:  # an imported stretch of three years ago, as the owner
        c.execute(text("INSERT INTO access_events (ts, username, action, row_count) SELECT "
                       ":t + g * interval '1 hour', 'old' || g % 3, 'query', g "
                       "FROM generate_series(0, 99) g"), {"t": old})
        c.execute(text("SELECT govdesk_access_partitions_ensure(0, :t)"), {"t": old})
    a = accounts_for(pg_db)
    db, sec = a.login("secadmin")
    assert ensure_partitions(db, sec, 12) == 0  # the upgrade made them already
    assert retention(db).months == 24
    url = a.url_for(sec.username)
    assert main(["access", "archive", "--dry-run", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)["partitions"]
    assert [(p["partition"], p["rows"]) for p in listed] == [(name, 100)]
    assert [p.name for p in archivable_partitions(db, sec)] == [name]
    done = archive_partitions(db, sec, tmp_path)
    assert [(d.partition, d.rows) for d in done] == [(name, 100)]
    archived = Path(done[0].file)
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == done[0].sha256
    rows = list(csv.reader(io.StringIO(gzip.decompress(archived.read_bytes()).decode())))
    assert rows[0][:3] == ["id", "ts", "username"] and len(rows) == 101
    with pg_db.engine.connect() as c:
        assert c.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar() is None
        assert c.execute(text("SELECT count(*) FROM access_events WHERE username LIKE 'old%'"))\
            .scalar_one() == 0
        assert c.execute(text("SELECT rows, file_sha256, archived_by FROM access_archives"))\
            .one() == (100, done[0].sha256, sec.username)
        event = c.execute(text("SELECT username, object_id FROM audit_events WHERE "
                               "event_type = 'access_archive'")).one()
        assert tuple(event) == (sec.username, name)
        # the rollups keep the archived month's counts for the dashboard
        assert c.execute(text("SELECT sum(events) FROM access_rollups_hourly WHERE hour < :t "
                              "+ interval '1 month'"), {"t": old}).scalar_one() == 100
    with pytest.raises(InputRejected):  # nothing left old enough
        archive_partitions(db, sec, tmp_path)


def test_a_young_month_is_refused_by_the_database(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(pg_db)
    sec = a.add("secadmin")
    month = dt.datetime.now(dt.timezone.utc).strftime("access_events_y%Ym%m")
    conn = a.connect(sec.username)
    try:
        for call in (f"SELECT govdesk_access_partition_archive('{month}', 0, 'x', 'y')",
                     "SELECT govdesk_access_partition_archive('access_events_default', 0, 'x', "
                     "'y')", "SELECT govdesk_access_partition_archive('users', 0, 'x', 'y')"):
            with pytest.raises((errors.InvalidParameterValue, errors.RaiseException)):
                with conn.cursor() as cur:
                    cur.execute(call)
            conn.rollback()
    finally:
        conn.close()
    for role in ("data_admin", "auditor", "viewer", "sysadmin"):
        who = a.add(role)
        conn = a.connect(who.username)
        try:
            with pytest.raises(errors.InsufficientPrivilege):
                with conn.cursor() as cur:
                    cur.execute(f"SELECT govdesk_access_partition_archive('{month}', 0, 'x', 'y')")
        finally:
            conn.close()
        db, ident = a.login(role) if role != "sysadmin" else (a.admin_db(), a._admin)
        with pytest.raises(PermissionDenied):
            archivable_partitions(db, ident)
