"""PostgreSQL lockout through the login gate (migration 0005).

This test server trusts local connections, so a wrong password cannot be produced here; the
tests report failures to the gate exactly as the login path does after PostgreSQL refused a
password, and check what the server then enforces."""

from __future__ import annotations

import psycopg2
import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.security import gate
from govdesk.security.auth import LoginFailed, login_postgres
from govdesk.security.settings import update_setting

pytestmark = pytest.mark.postgres


def can_login(db: Database, username: str) -> bool:
    with db.engine.connect() as c:
        return bool(c.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :u"),
                              {"u": username}).scalar())


def test_repeated_failures_lock_the_login_role(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    user = accounts.add("data_admin", region="330100")
    url = accounts.url_for(user.username)
    for _ in range(4):
        assert gate.report_failure(url, user.username, "pc-9") is None
    until = gate.report_failure(url, user.username, "pc-9")
    assert until is not None and not can_login(pg_db, user.username)
    with pytest.raises(psycopg2.OperationalError, match="not permitted to log in"):
        accounts.connect(user.username)
    with pytest.raises(LoginFailed, match="locked until"):
        login_postgres(url)
    # the lock expires: the next login attempt lifts it
    with pg_db.engine.begin() as c:
        c.execute(text("UPDATE users SET locked_until = now() - interval '1 minute' "
                       "WHERE username = :u"), {"u": user.username})
    db, who = login_postgres(url)
    assert who.username == user.username and can_login(pg_db, user.username)
    db.dispose()
    with pg_db.engine.connect() as c:
        events = [r[0] for r in c.execute(text(
            "SELECT event_type FROM audit_events WHERE object_id = :u ORDER BY id"),
            {"u": user.username})]
    assert events.count("login_failed") == 5
    assert events[-3:] == ["account_locked", "account_unlocked", "login"]


def test_lockout_threshold_is_a_setting(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    sec = accounts.add("secadmin")
    sec_db = Database(accounts.url_for(sec.username))
    update_setting(sec_db, sec, "security.lockout_attempts", "2")
    sec_db.dispose()
    user = accounts.add("viewer")
    url = accounts.url_for(user.username)
    assert gate.report_failure(url, user.username, "pc") is None
    assert gate.report_failure(url, user.username, "pc") is not None


def test_the_gate_can_do_nothing_else(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    url = pg_db.engine.url.set(username="govdesk_gate").render_as_string(hide_password=False)
    conn = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
    try:
        for statement in ("SELECT * FROM users", "SELECT * FROM data_resources",
                          "SELECT govdesk_audit('login', NULL, NULL, true, NULL, NULL)",
                          "UPDATE users SET locked_until = NULL"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                conn.cursor().execute(statement)
            conn.rollback()
        # reporting failures for a role that is not a GovDesk account changes nothing
        cur = conn.cursor()
        cur.execute("SELECT govdesk_login_failed('postgres', 'x')")
        assert cur.fetchone()[0] is None
        conn.commit()
    finally:
        conn.close()
    assert can_login(pg_db, "postgres")
