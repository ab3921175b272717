"""PostgreSQL enforces access-log reviews for any client (migration 0036): plain psycopg2
connections as real GovDesk logins of every role, bypassing GovDesk.

Only a security administrator inserts reviews; reviewer, role and time are the server's
whatever the client sends; the comment must be a reason; events are added only to one's own
review of the same transaction, and only events that exist; a review of events names one at
least; nobody (the owner included) updates, deletes or truncates reviews; every review is in
the hash-chained audit trail, written by the database; the label views are for security
administrators and auditors only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from psycopg2 import errors

from govdesk.db.engine import Database
from govdesk.security.audit import verify

pytestmark = pytest.mark.postgres

REFUSED = (errors.InsufficientPrivilege, errors.CheckViolation, errors.RaiseException,
           errors.ForeignKeyViolation)
ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
REVIEW = ("INSERT INTO access_reviews (reviewed_by, reviewer_role, reviewed_at, comment, kind, "
          "organisation_id, period_start, period_end) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
          "RETURNING id, reviewed_by, reviewer_role, reviewed_at")
OLD = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


def refused(conn: Any, sql: str, *params: Any, match: str = "") -> str:
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
        conn.commit()
    except REFUSED as exc:
        conn.rollback()
        message = exc.diag.message_primary or ""
        assert match in message, message
        return message
    raise AssertionError(f"PostgreSQL let this through: {sql}")


@pytest.fixture
def logins(pg_demo_db: Database, accounts_for: Any) -> dict[str, Any]:
    accounts = accounts_for(pg_demo_db)
    made = {role: accounts.add(role).username for role in ROLES}
    conns = {role: accounts.connect(name) for role, name in made.items()}
    yield {"conns": conns, "names": made, "db": pg_demo_db}
    for c in conns.values():
        c.close()


def _event(conn: Any) -> tuple[int, dt.datetime, int]:
    with conn.cursor() as cur:
        cur.execute("SELECT id, ts, organisation_id FROM access_events ORDER BY ts DESC, id DESC "
                    "LIMIT 1")
        row = cur.fetchone()
    conn.commit()
    return row


def test_only_a_security_administrator_inserts_and_the_server_stamps(logins: Any) -> None:
    conns, names = logins["conns"], logins["names"]
    sec = conns["secadmin"]
    eid, ts, org = _event(sec)
    period = ("已核对该单位全部访问", "period", org, ts - dt.timedelta(days=1), ts)
    for role in ("sysadmin", "data_admin", "viewer", "auditor"):
        refused(conns[role], REVIEW, names[role], "secadmin", OLD, *period,
                match="permission denied")
    with sec.cursor() as cur:  # a forged reviewer and time are overwritten
        cur.execute(REVIEW, (names["auditor"], "auditor", OLD, *period))
        rid, by, role, at = cur.fetchone()
    sec.commit()
    assert (by, role) == (names["secadmin"], "secadmin")
    assert abs(at - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    for comment in ("", "ok", "。。。。！！", "    "):
        refused(sec, REVIEW, None, None, None, comment, *period[1:], match="comment")
    refused(sec, REVIEW, None, None, None, "已核对无异常", "period", org, ts, ts)
    refused(sec, REVIEW, None, None, None, "已核对无异常", "period", None, None, None)
    for role in ROLES:  # nobody changes or removes a review
        conn = conns[role]
        refused(conn, "UPDATE access_reviews SET comment = '改过了的意见' WHERE id = %s", rid)
        refused(conn, "DELETE FROM access_reviews WHERE id = %s", rid)
        refused(conn, "TRUNCATE access_review_events")
    with logins["db"].engine.connect() as c:  # the owner neither
        for statement in ("UPDATE access_reviews SET comment = 'x'", "DELETE FROM access_reviews",
                          "TRUNCATE access_reviews CASCADE"):
            with pytest.raises(Exception, match="cannot be changed or deleted"):
                c.exec_driver_sql(statement)
            c.rollback()


def test_events_go_into_ones_own_review_of_the_same_transaction_and_must_exist(
        logins: Any) -> None:
    conns, names = logins["conns"], logins["names"]
    sec = conns["secadmin"]
    eid, ts, _org = _event(sec)
    add = "INSERT INTO access_review_events (review_id, event_id, event_ts) VALUES (%s, %s, %s)"
    with sec.cursor() as cur:
        cur.execute(REVIEW, (None, None, None, "逐条核对无异常", "events", None, None, None))
        rid = cur.fetchone()[0]
        cur.execute(add, (rid, eid, ts))
    sec.commit()
    refused(sec, add, rid, eid - 1, ts, match="same transaction")  # a later transaction
    with sec.cursor() as cur:
        cur.execute(REVIEW, (None, None, None, "逐条核对无异常", "events", None, None, None))
        rid2 = cur.fetchone()[0]
    refused(sec, add, rid2, eid, ts + dt.timedelta(seconds=1), match="does not exist")
    refused(sec, REVIEW, None, None, None, "逐条核对无异常", "events", None, None, None,
            match="at least one event")  # committed with no event
    for role in ("sysadmin", "data_admin", "viewer", "auditor"):
        refused(conns[role], add, rid, eid, ts, match="permission denied")
    with conns["auditor"].cursor() as cur:
        cur.execute("SELECT event_type, object_type, username, detail FROM audit_events "
                    "WHERE event_type = 'access_review' AND object_id = %s ORDER BY id",
                    (str(rid),))
        audited = cur.fetchall()
    conns["auditor"].commit()
    assert [(a[0], a[1], a[2]) for a in audited] == [
        ("access_review", "access_reviews", names["secadmin"]),
        ("access_review", "access_review_events", names["secadmin"])]
    assert '"events" : 1' in audited[1][3] or '"events": 1' in audited[1][3]
    assert verify(logins["db"]).ok


def test_reading_reviews_and_labels_is_for_security_administrators_and_auditors(
        logins: Any) -> None:
    conns = logins["conns"]
    for role in ("secadmin", "auditor"):
        with conns[role].cursor() as cur:
            for view in ("access_reviews", "access_review_events", "access_resource_labels",
                         "access_grade_labels"):
                cur.execute(f"SELECT count(*) FROM {view}")
            cur.execute("SELECT count(*) FROM access_resource_labels")
            assert cur.fetchone()[0] > 0  # every resource, though auditors read no catalogue
        conns[role].commit()
    for role in ("sysadmin", "data_admin", "viewer"):
        for view in ("access_reviews", "access_review_events", "access_resource_labels",
                     "access_grade_labels"):
            refused(conns[role], f"SELECT count(*) FROM {view}", match="permission denied")
