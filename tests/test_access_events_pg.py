"""Access events on PostgreSQL (migration 0035), attacked as every GovDesk role's real login over
plain psycopg2: forging an event (another user, organisation, role or time) fails or is
overwritten by the stamp; nobody updates, deletes or truncates; reading follows
ACCESS_LOG_READ (auditor, secadmin); the partitions (next month exists, the default partition
catches a far date, creating a partition moves its rows out of the default) and who may manage
them; the rollups equal the GROUP BY over raw events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from psycopg2 import errors
from sqlalchemy import text

from govdesk.db.engine import Database

pytestmark = pytest.mark.postgres

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
READERS = {"secadmin", "auditor"}
REFUSED = (errors.InsufficientPrivilege, errors.RaiseException, errors.InvalidParameterValue,
           errors.ObjectNotInPrerequisiteState, errors.FeatureNotSupported,
           errors.WrongObjectType, errors.UndefinedTable)


def refused(conn: Any, statement: str, params: tuple[Any, ...] = ()) -> bool:
    """True when the server refuses ``statement`` (rolled back either way) or it changes
    nothing."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            changed = cur.rowcount
        conn.rollback()
    except REFUSED:
        conn.rollback()
        return True
    return changed == 0


def owner_sql(db: Database, query: str, **params: Any) -> Any:
    with db.engine.begin() as c:
        return c.execute(text(query), params)


def test_forging_and_changing_events_fails_for_every_role(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(pg_demo_db)
    victim = a.add("secadmin")
    other_org = owner_sql(pg_demo_db, "SELECT max(id) FROM organisations").scalar_one()
    for role in ROLES:
        who = a.add(role, region="330100") if role in ("data_admin", "viewer") else a.add(role)
        conn = a.connect(who.username)
        try:
            with conn.cursor() as cur:  # another user, organisation and role: overwritten
                cur.execute("INSERT INTO access_events (username, role_code, organisation_id, "
                            "action, row_count, success, client_host) VALUES (%s, 'secadmin', "
                            "%s, 'export', 100000, true, 'pc')", (victim.username, other_org))
            conn.commit()
            row = owner_sql(pg_demo_db, "SELECT username, role_code, organisation_id, "
                            "ts > now() - interval '1 minute' FROM access_events "
                            "ORDER BY id DESC LIMIT 1").one()
            assert tuple(row) == (who.username, role, who.organisation_id, True), role
            for when in ("2020-01-01", "2999-01-01", "now()"):  # another time: refused
                assert refused(conn, "INSERT INTO access_events (ts, username, action) "
                               f"VALUES ({'now()' if when == 'now()' else repr(when)}, "
                               "'x', 'query')"), (role, when)
            month = dt.datetime.now(dt.timezone.utc).strftime("access_events_y%Ym%m")
            for statement in (
                    "UPDATE access_events SET username = 'x'",
                    "UPDATE access_events SET row_count = 0 WHERE username = current_user",
                    "DELETE FROM access_events",
                    "DELETE FROM access_events WHERE username = current_user",
                    "TRUNCATE access_events", f"TRUNCATE {month}", "TRUNCATE access_events_default",
                    f"INSERT INTO {month} (id, ts, username, action) VALUES "
                    "(-1, now(), 'x', 'query')",
                    "INSERT INTO access_events_default (id, ts, username, action) VALUES "
                    "(-1, '2999-01-01', 'x', 'query')",
                    f"ALTER TABLE access_events DETACH PARTITION {month}",
                    f"DROP TABLE {month}",
                    "ALTER TABLE access_events DISABLE TRIGGER access_events_stamp",
                    "ALTER TABLE access_events DISABLE TRIGGER access_events_rollup",
                    "UPDATE access_rollups_hourly SET events = 0",
                    "DELETE FROM access_rollups_hourly",
                    "INSERT INTO access_rollups_hourly VALUES (now(), 'query', true, 1, 1)",
                    "SELECT govdesk_access_rollups_rebuild()",
                    "DELETE FROM access_archives"):
                assert refused(conn, statement), (role, statement)
            reads = ("SELECT count(*) FROM access_events", "SELECT count(*) FROM "
                     "access_rollups_hourly", "SELECT count(*) FROM access_archives",
                     f"SELECT count(*) FROM {month}")
            for statement in reads:
                if role in READERS and month not in statement:
                    with conn.cursor() as cur:
                        cur.execute(statement)
                        assert cur.fetchone()[0] >= 0
                    conn.rollback()
                else:
                    assert refused(conn, statement), (role, statement)
            ensure = "SELECT govdesk_access_partitions_ensure(13)"
            if role == "secadmin":
                with conn.cursor() as cur:
                    cur.execute(ensure)
                conn.commit()
            else:
                assert refused(conn, ensure), role
        finally:
            conn.close()


def test_partitions_ahead_and_the_default_safety_net(pg_db: Database) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    nxt = (now.replace(day=1) + dt.timedelta(days=32)).strftime("access_events_y%Ym%m")
    parts = set(owner_sql(pg_db, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON "
                          "c.oid = i.inhrelid WHERE i.inhparent = 'access_events'::regclass")
                .scalars())
    assert nxt in parts and "access_events_default" in parts
    assert len([p for p in parts if p != "access_events_default"]) >= 13  # this month + 12
    owner_sql(pg_db, "INSERT INTO access_events (ts, username, action) VALUES "
              "('2040-03-05 10:00+00', 'far', 'query')")
    where = "SELECT tableoid::regclass::text FROM access_events WHERE username = 'far'"
    assert owner_sql(pg_db, where).scalar_one() == "access_events_default"
    # a partition made later for that month takes the row out of the default
    owner_sql(pg_db, "SELECT govdesk_access_partitions_ensure(0, '2040-03-01+00')")
    assert owner_sql(pg_db, where).scalar_one() == "access_events_y2040m03"
    assert owner_sql(pg_db, "SELECT govdesk_access_partitions_ensure(12)").scalar_one() == 0


def test_rollups_equal_the_group_by_over_raw_events(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(pg_demo_db)
    who = a.add("data_admin", region="330100")
    conn = a.connect(who.username)
    try:
        with conn.cursor() as cur:  # single rows, a multi-row statement and a COPY
            cur.execute("INSERT INTO access_events (action, row_count) VALUES ('query', 3)")
            cur.execute("INSERT INTO access_events (action, row_count, success, failure) "
                        "SELECT 'view', g, g % 2 = 0, CASE WHEN g % 2 = 0 THEN NULL "
                        "ELSE 'denied' END FROM generate_series(1, 40) g")
            import io

            cur.copy_expert("COPY access_events (action, row_count) FROM STDIN",
                            io.StringIO("export\t10\nexport\t20\n"))
        conn.commit()
    finally:
        conn.close()
    owner_sql(pg_demo_db, "INSERT INTO access_events (ts, username, action, row_count) VALUES "
              "(now() - interval '3 hours', 'imported', 'download', 7)")
    day = "(ts AT TIME ZONE INTERVAL '+08:00')::date"
    checks = {
        "access_rollups_hourly": ("date_trunc('hour', ts, 'UTC'), action, success",
                                  "hour, action, success"),
        "access_rollups_daily": (f"{day}, organisation_id, action, success",
                                 "day, organisation_id, action, success"),
        "access_rollups_users_daily": (f"{day}, username, organisation_id, success",
                                       "day, username, organisation_id, success"),
        "access_rollups_resources_daily": (f"{day}, resource_id, success",
                                           "day, resource_id, success"),
    }
    for table, (raw_keys, keys) in checks.items():
        n = ", ".join(str(i) for i in range(1, len(keys.split(",")) + 1))
        raw = owner_sql(pg_demo_db, f"SELECT {raw_keys}, count(*), sum(row_count) FROM "
                        f"access_events GROUP BY {n} ORDER BY {n}").all()
        rolled = owner_sql(pg_demo_db, f"SELECT {keys}, events, row_total FROM {table} "
                           f"ORDER BY {n}").all()
        assert [tuple(r) for r in rolled] == [tuple(r) for r in raw], table
