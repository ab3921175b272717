"""Archiving the audit trail: only rows past the retention period (never under 180 days) leave
the table, into a file, and the chain still verifies afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType, canonical, chain_hash
from govdesk.security.audit_read import archive_events
from govdesk.security.identity import Identity, identity_from_connection

from conftest import superuser_db


def fresh_trail(db: Database) -> None:
    """Empty the audit trail, as in a database created long ago. The migrations' own reference
    data changes are audited today, and archiving only ever removes a prefix of the chain, so
    old rows seeded after them could never be archived. (Only the owner, with the immutability
    triggers switched off, can do this: on PostgreSQL a superuser.)"""
    handle = superuser_db(db) if db.is_postgres else db
    with handle.engine.begin() as conn:
        if db.is_postgres:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM audit_events"))
        if db.is_postgres:
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    if handle is not db:
        handle.dispose()


def seed_old_rows(db: Database, days_old: int, n: int) -> None:
    """Write ``n`` correctly chained rows dated ``days_old`` days ago, as if logged back then
    (a superuser inserting directly; GovDesk itself never backdates)."""
    ts = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_old)
    handle = superuser_db(db) if db.is_postgres else db
    with handle.engine.begin() as conn:
        prev = conn.execute(text("SELECT row_hash FROM audit_events ORDER BY id DESC LIMIT 1")
                            ).scalar() or audit.GENESIS
        for i in range(n):
            when = ts + dt.timedelta(minutes=i)
            content = canonical(when, "old_user", "data_admin", EventType.EXPORT, "data_resources",
                                str(i), True, "pc-1", None)
            row_hash = chain_hash(prev, content)
            conn.execute(AuditEvent.__table__.insert().values(
                ts=when, username="old_user", role_code="data_admin", event_type=EventType.EXPORT,
                object_type="data_resources", object_id=str(i), success=True, client_host="pc-1",
                detail=None, prev_hash=prev, row_hash=row_hash))
            prev = row_hash
    if handle is not db:
        handle.dispose()


def count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def acting_auditor(db: Database, accounts_for):  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    who = accounts.add("auditor")
    if db.is_postgres:
        handle = Database(accounts.url_for(who.username))
        return handle, identity_from_connection(handle)
    return db, who


def test_only_rows_past_retention_are_archived(db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fresh_trail(db)
    seed_old_rows(db, 400, 5)
    seed_old_rows(db, 100, 3)  # younger than 180 days: must stay
    handle, who = acting_auditor(db, accounts_for)
    before = count(db)
    result = archive_events(handle, who, dt.datetime.now(dt.timezone.utc), tmp_path / "a.xlsx")
    assert result.rows == 5 and (tmp_path / "a.xlsx").stat().st_size > 0
    assert count(db) == before - 5 + 1  # the archive itself is audited
    assert audit.verify(db).ok
    with pytest.raises(InputRejected, match="kept at least 180 days"):
        archive_events(handle, who, dt.datetime.now(dt.timezone.utc), tmp_path / "b.csv")
    with db.session() as s:
        audit.record(s, Identity("x", None, host="h"), EventType.SESSION_LOCKED)
    assert audit.verify(db).ok
    if handle is not db:
        handle.dispose()


def test_others_may_not_archive(db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed_old_rows(db, 400, 2)
    accounts = accounts_for(db)
    sec = accounts.add("secadmin")
    before = count(db)
    with pytest.raises(PermissionDenied):
        archive_events(db, sec, dt.datetime.now(dt.timezone.utc), tmp_path / "x.csv")
    # nothing archived: the trail only grew by the refusal's own record (permission_denied)
    assert count(db) == before + 1 and not (tmp_path / "x.csv").exists()
    with db.session() as s:
        last = s.execute(text("SELECT event_type, username, success FROM audit_events "
                              "ORDER BY id DESC LIMIT 1")).one()
    # PostgreSQL names the login that really connected (here the owner's handle)
    assert (last[0], last[2]) == ("permission_denied", False)
    assert last[1] == sec.username or db.is_postgres


def test_database_refuses_deleting_young_rows_even_for_the_owner(pg_db: Database) -> None:
    """The table's owner role is the only one with DELETE; a superuser stands in for it."""
    fresh_trail(pg_db)
    seed_old_rows(pg_db, 10, 2)
    su = superuser_db(pg_db)
    with pytest.raises(Exception, match="younger than the retention period"):
        with su.engine.begin() as conn:
            conn.exec_driver_sql("SELECT set_config('govdesk.audit_archiving', 'on', true)")
            conn.exec_driver_sql("DELETE FROM audit_events")
    assert count(pg_db) == 2
    with pytest.raises(Exception, match="cannot be changed or deleted"):
        with su.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_events")
    su.dispose()
