"""A user changes their own password (File → 修改我的密码): on SQLite the stored hash, on
PostgreSQL the login role's verifier through ``govdesk_account_own_password`` (migration 0027),
audited by the database; attacked over plain psycopg2."""

from __future__ import annotations

import psycopg2
import pytest
from sqlalchemy import select, text

from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent
from govdesk.errors import InputRejected
from govdesk.security.auth import LoginFailed
from govdesk.security.users import change_own_password

NEW = "An0ther-Passw0rd!"


def _verifier(db: Database, username: str) -> str | None:
    """The login's stored verifier, read as the server's superuser (tests only)."""
    from tests.conftest import superuser_db

    with superuser_db(db).engine.connect() as conn:
        return conn.execute(text("SELECT rolpassword FROM pg_authid WHERE rolname = :u"),
                            {"u": username}).scalar_one_or_none()


def test_a_user_changes_their_own_password(db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    handle, who = accounts.login("viewer")
    before = _verifier(db, who.username) if db.is_postgres else None
    with pytest.raises(InputRejected):
        change_own_password(handle, who, accounts.PASSWORD, "short")
    if not db.is_postgres:  # the test server trusts every login: only SQLite checks it here
        with pytest.raises(LoginFailed):
            change_own_password(handle, who, "not-my-password", NEW)
    change_own_password(handle, who, accounts.PASSWORD, NEW)
    if db.is_postgres:
        after = _verifier(db, who.username)
        assert after and after.startswith("SCRAM-SHA-256$") and after != before
    else:
        from govdesk.security.auth import login_sqlite

        assert login_sqlite(db, who.username, NEW, "test").username == who.username
    with db.session() as s:  # the database's own record on PostgreSQL
        events = s.scalars(select(AuditEvent).where(
            AuditEvent.event_type == "account_changed",
            AuditEvent.object_id == who.username)).all()
    assert [(e.username, e.success) for e in events] == [(who.username, True)]


@pytest.mark.postgres
def test_the_own_password_function_over_psql(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    viewer = accounts.add("viewer")
    other = accounts.add("data_admin", region="3301")
    conn = accounts.connect(viewer.username)
    try:
        with conn.cursor() as cur:
            for verifier in ("plain-text", "md5abc", None):
                with pytest.raises(psycopg2.errors.InvalidParameterValue):
                    cur.execute("SELECT govdesk_account_own_password(%s)", (verifier,))
                conn.rollback()
            # it changes the caller's login only: no argument names anyone else
            before = _verifier(pg_db, other.username)
            verifier = psycopg2.extensions.encrypt_password(NEW, viewer.username, conn,
                                                            "scram-sha-256")
            cur.execute("SELECT govdesk_account_own_password(%s)", (verifier,))
            conn.commit()
            assert _verifier(pg_db, other.username) == before
            assert _verifier(pg_db, viewer.username) == verifier
            # the database writes the record; a client cannot report one
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("SELECT govdesk_audit('account_changed', 'user', %s, true, 'x', "
                            "NULL)", (other.username,))
            conn.rollback()
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("SELECT govdesk_audit_as(%s, 'account_changed', 'user', %s, true, "
                            "'x', NULL)", (other.username, other.username))
            conn.rollback()
    finally:
        conn.close()
    with pg_db.session() as s:
        actors = s.scalars(select(AuditEvent.username).where(
            AuditEvent.event_type == "account_changed")).all()
    assert actors == [viewer.username]
