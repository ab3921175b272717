"""Migration 0032 attacked over plain psycopg2 as real GovDesk logins: a reason that says
nothing, a reused unmask ticket, an audit row of any size, a grade loosened behind the
client's confirmation. The same rules in the service layer (SQLite) at the end."""

from __future__ import annotations

import json

import psycopg2
import pytest
from sqlalchemy import select, text

from govdesk.catalog.profiling.samples import sample_rows
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent
from govdesk.db.server_texts import server_text
from govdesk.errors import InputRejected
from govdesk.security import audit
from govdesk.security.audit import MAX_DETAIL, EventType
from govdesk.security.reasons import reason_length

NINGBO_RESOURCE = 1  # with sample rows and personal data (test_samples_db.py)

NO_REASONS = ("x", "。。。。", "ab!!", "  a b  ", "…—…—", "？？？？", "１２３")
REASONS = ("核查身份", "复核残疾人证信息", "test", "case 42", "１２３４")


def _pgcode(conn, statement: str, params: tuple = ()) -> str | None:  # type: ignore[no-untyped-def,type-arg]
    """The SQLSTATE when ``statement`` fails (the first line of its message is checked to have
    Chinese in server_texts), else None; rolled back either way."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            if cur.description is not None:
                cur.fetchall()
        conn.rollback()
    except psycopg2.Error as exc:
        conn.rollback()
        line = str(exc).strip().splitlines()[0].removeprefix("ERROR:  ")
        assert server_text(line).zh != line, f"no Chinese for {line!r}"
        return str(exc.pgcode)
    return None


def _events(db: Database, event: str, username: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.event_type == event,
                                                       AuditEvent.username == username)
                              .order_by(AuditEvent.id)))


def test_an_unmask_reason_must_say_something(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    admin = accounts.add("data_admin")
    conn = accounts.connect(admin.username)
    try:
        for reason in NO_REASONS:
            assert _pgcode(conn, "SELECT govdesk_unmask_request(%s, %s)",
                           (NINGBO_RESOURCE, reason)) == "22023", reason
        for reason in REASONS:
            assert _pgcode(conn, "SELECT govdesk_unmask_request(%s, %s)",
                           (NINGBO_RESOURCE, reason)) is None, reason
    finally:
        conn.close()
    assert _events(pg_demo_db, "unmask", admin.username) == []  # all rolled back
    # the database counts exactly as the service does
    with pg_demo_db.engine.connect() as c:
        for reason in (*NO_REASONS, *REASONS, "a\u3000b\u00a0c\td", "①②③④", "\ufeffabc"):
            assert c.execute(text("SELECT govdesk_reason_length(:r)"), {"r": reason}) \
                .scalar_one() == reason_length(reason), reason


def test_an_unmask_ticket_unmasks_one_read(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    admin = accounts.add("secadmin")
    conn = accounts.connect(admin.username)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT govdesk_unmask_request(%s, '核查身份信息')", (NINGBO_RESOURCE,))
            ticket = cur.fetchone()[0]
        conn.commit()
        with conn.cursor() as cur:
            cur.execute("SELECT data FROM govdesk_samples(%s, %s)", (NINGBO_RESOURCE, ticket))
            assert len(cur.fetchall()) == 20
        conn.commit()
        for _again in range(2):
            assert _pgcode(conn, "SELECT * FROM govdesk_samples(%s, %s)",
                           (NINGBO_RESOURCE, ticket)) == "42501"
    finally:
        conn.close()
    with pg_demo_db.engine.connect() as c:
        assert c.execute(text("SELECT used_at IS NOT NULL FROM unmask_tickets WHERE id = :t"),
                         {"t": ticket}).scalar_one()
    assert len(_events(pg_demo_db, "unmask", admin.username)) == 1


def test_no_login_writes_an_audit_row_of_any_size(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    for role in ("viewer", "auditor", "data_admin"):
        who = accounts.add(role)
        conn = accounts.connect(who.username)
        try:
            big = json.dumps({"x": "a" * MAX_DETAIL})
            assert _pgcode(conn, "SELECT govdesk_audit('permission_denied', 'user', 'x', false, "
                                 "NULL, %s)", (big,)) == "54000", role
            fine = json.dumps({"x": "测" * 1000})
            with conn.cursor() as cur:
                cur.execute("SELECT govdesk_audit('permission_denied', 'user', 'x', false, NULL, "
                            "%s)", (fine,))
            conn.commit()
        finally:
            conn.close()
        assert len(_events(pg_demo_db, "permission_denied", who.username)) == 1
    # the service says so before the database is asked
    handle, who = accounts.login("viewer")
    with pytest.raises(InputRejected) as refused, handle.session() as s:
        audit.record(s, who, EventType.EXPORT, detail={"x": "a" * MAX_DETAIL})
    assert refused.value.code == "audit_detail_too_large" and "字节" in refused.value.text("zh")


def test_a_grade_loosened_over_plain_sql_is_recorded_as_a_loosening(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    officer = accounts.add("secadmin")
    conn = accounts.connect(officer.username)
    try:
        with conn.cursor() as cur:
            cur.execute("""UPDATE grades SET masking_required = false, min_dr_level = 1,
                               sharing_types_allowed = 'none conditional'
                           WHERE code = 'core' AND scheme_id = (SELECT id FROM grade_schemes
                                                                WHERE is_active)""")
            assert cur.rowcount == 1
            # tightening, or a description, is no loosening
            cur.execute("""UPDATE grades SET masking_required = true, description = 'x'
                           WHERE code = 'general1'""")
        conn.commit()
    finally:
        conn.close()
    events = _events(pg_demo_db, EventType.GRADE_LOOSENED, officer.username)
    assert len(events) == 1
    e = events[0]
    assert (e.role_code, e.object_type, e.success) == ("secadmin", "grades", True)
    detail = json.loads(e.detail or "{}")
    assert detail["grade"] == "core" and detail["rules"] == [
        "masking_required", "sharing_types_allowed", "min_dr_level"]
    assert detail["before"]["masking_required"] is True
    assert detail["after"] == {"masking_required": False, "min_dr_level": 1,
                               "sharing_types_allowed": "none conditional"}
    # nobody can take the record back or keep the trigger from firing
    conn = accounts.connect(officer.username)
    try:
        assert _pgcode(conn, "ALTER TABLE grades DISABLE TRIGGER grades_loosened") == "42501"
        assert _pgcode(conn, "DELETE FROM audit_events WHERE id = %s", (e.id,)) is not None
    finally:
        conn.close()


def test_the_service_layer_holds_the_same_rules(sqlite_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    handle, who = accounts_for(sqlite_demo_db).login("data_admin")
    for reason in NO_REASONS:
        with pytest.raises(InputRejected) as refused:
            sample_rows(handle, who, NINGBO_RESOURCE, unmask=True, reason=reason)
        assert refused.value.code in ("unmask_reason_too_short", "unmask_reason_required")
    assert sample_rows(handle, who, NINGBO_RESOURCE, unmask=True, reason="核查身份").unmasked
    with pytest.raises(InputRejected, match="bytes"), handle.session() as s:
        audit.record(s, who, EventType.EXPORT, detail="a" * (MAX_DETAIL + 1))
