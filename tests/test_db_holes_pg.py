"""Red team, round two (migration 0028): real GovDesk logins over plain psycopg2 try to move
sample rows to a resource that shows them in clear, to write sample columns under a grade that
does not mask, to name a deactivated organisation as a provider, and to keep using an open
session after their account was locked.
"""

from __future__ import annotations

import json

import pytest
from psycopg2 import errors
from sqlalchemy import text

from govdesk.db.engine import Database

pytestmark = pytest.mark.postgres

NINGBO_RESOURCE = 1  # 330211 (宁波市镇海区), with sample rows and a masked 公民身份号码
NINGBO = "330211"


def _sqlstate(conn, statement: str, params: tuple = ()) -> str | None:  # type: ignore[no-untyped-def,type-arg]
    """The SQLSTATE the server refuses ``statement`` with, else None (rolled back either way)."""
    return _refusal(conn, statement, params)[0]


def _refusal(conn, statement: str, params: tuple = ()) -> tuple[str | None, str]:  # type: ignore[no-untyped-def,type-arg]
    """(SQLSTATE, first line of the message) of the server's refusal, (None, "") if it ran."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
        conn.rollback()
    except errors.Error as exc:
        conn.rollback()
        return str(exc.pgcode), str(exc).splitlines()[0]
    return None, ""


def _rowcount(conn, statement: str, params: tuple = ()) -> int:  # type: ignore[no-untyped-def,type-arg]
    with conn.cursor() as cur:
        cur.execute(statement, params)
        n = cur.rowcount
    conn.rollback()
    return int(n)


def _scalar(conn, statement: str, params: tuple = ()):  # type: ignore[no-untyped-def,type-arg]
    with conn.cursor() as cur:
        cur.execute(statement, params)
        row = cur.fetchone()
    conn.commit()
    return None if row is None else row[0]


def _clear_twin(db: Database) -> int:
    """As the owner: a copy of the Ningbo resource (same region, items of the same names, no
    sample rows) graded so that nothing masks: the place a thief would move sample rows to."""
    with db.session() as s:
        low = s.execute(text("SELECT id FROM grades WHERE NOT masking_required "
                             "ORDER BY id LIMIT 1")).scalar_one()
        new_id = s.execute(text(
            "INSERT INTO data_resources SELECT (jsonb_populate_record(NULL::data_resources, "
            "to_jsonb(r) || jsonb_build_object('id', nextval('data_resources_id_seq'), "
            "'code', '101/990028', 'name', '明文副本', 'grade_id', :g))).* "
            "FROM data_resources r WHERE r.id = :rid RETURNING id"),
            {"g": low, "rid": NINGBO_RESOURCE}).scalar_one()
        s.execute(text(
            "INSERT INTO data_items SELECT (jsonb_populate_record(NULL::data_items, "
            "to_jsonb(i) || jsonb_build_object('id', nextval('data_items_id_seq'), "
            "'resource_id', :new, 'grade_id', :g))).* FROM data_items i WHERE i.resource_id = :rid"),
            {"new": new_id, "g": low, "rid": NINGBO_RESOURCE})
        s.commit()
    return int(new_id)


def test_sample_rows_never_move_to_a_resource_that_shows_them_in_clear(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    twin = _clear_twin(pg_demo_db)
    accounts = accounts_for(pg_demo_db)
    admin = accounts.connect(accounts.add("data_admin", NINGBO).username)
    viewer = accounts.connect(accounts.add("viewer", NINGBO).username)
    try:
        # the red team's move (no WHERE: the group may not read resource_samples)
        moved = _refusal(admin, "UPDATE resource_samples SET resource_id = %s", (twin,))
        assert moved[0] == "42501" and "stays with its resource" in moved[1], moved
        # new rows under the twin's unmasked 公民身份号码
        row = json.dumps({"公民身份号码": "330211199001011234"}, ensure_ascii=False)
        added = _refusal(admin, "INSERT INTO resource_samples (resource_id, row_no, data) "
                                "VALUES (%s, 1, %s)", (twin, row))
        assert added[0] == "42501" and "公民身份号码" in added[1] and "does not mask" in added[1]
        # rewriting the stored rows to put values under a column whose grade does not mask
        # (性别 is graded 一般数据2级 in the demo)
        rewritten = _refusal(admin, "UPDATE resource_samples SET data = %s",
                             (json.dumps({"性别": "330211199001011234"}, ensure_ascii=False),))
        assert rewritten[0] == "42501" and "性别" in rewritten[1], rewritten
        # a column no data item names is still written: the rule is about clear columns only
        assert _rowcount(admin, "UPDATE resource_samples SET data = '{\"无此数据项\": \"x\"}'") \
            >= 20
        assert _scalar(viewer, "SELECT count(*) FROM govdesk_samples(%s)", (twin,)) == 0
        assert _scalar(viewer, "SELECT count(*) FROM govdesk_samples(%s)",
                       (NINGBO_RESOURCE,)) == 20
    finally:
        admin.close()
        viewer.close()
    # the owner (demo loader) still writes sample rows, but never moves them either
    with pg_demo_db.session() as s:
        s.execute(text("INSERT INTO resource_samples (resource_id, row_no, data) "
                       "VALUES (:r, 1, '{\"性别\": \"男\"}')"), {"r": twin})
        s.commit()
    with pytest.raises(Exception, match="stays with its resource"):
        with pg_demo_db.session() as s:
            s.execute(text("UPDATE resource_samples SET resource_id = :r WHERE resource_id = :o"),
                      {"r": twin, "o": NINGBO_RESOURCE})


def test_a_deactivated_organisation_provides_no_new_resource(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    with pg_demo_db.session() as s:
        provider, region = s.execute(text("SELECT provider_org_id, region_code "
                                          "FROM data_resources WHERE id = :r"),
                                     {"r": NINGBO_RESOURCE}).one()
        other = s.execute(text("SELECT id FROM organisations WHERE id <> :p AND is_active "
                               "ORDER BY id LIMIT 1"), {"p": provider}).scalar_one()
        s.execute(text("UPDATE organisations SET is_active = false WHERE id IN (:p, :o)"),
                  {"p": provider, "o": other})
        s.commit()
    accounts = accounts_for(pg_demo_db)
    admin_name = accounts.add("data_admin", region[:6]).username
    admin = accounts.connect(admin_name)
    insert = ("INSERT INTO data_resources (code, name, category_id, provider_org_id, "
              "region_code, summary, format, sharing_type, open_type, update_cycle, status, "
              "version) VALUES ('101/990029', '停用机构的新资源', 1, %s, %s, '', 'database', "
              "'none', 'none', 'daily', 'draft', 1)")
    try:
        assert _sqlstate(admin, insert, (provider, region)) == "23514"
        assert _sqlstate(admin, insert, (987654, region)) in ("23514", "23503")
        # a resource the deactivated organisation already provides keeps it and stays editable
        assert _rowcount(admin, "UPDATE data_resources SET summary = 'still here' "
                                "WHERE id = %s", (NINGBO_RESOURCE,)) == 1
        # but it cannot be handed to another deactivated organisation
        assert _sqlstate(admin, "UPDATE data_resources SET provider_org_id = %s WHERE id = %s",
                         (other, NINGBO_RESOURCE)) == "23514"
    finally:
        admin.close()
    with pg_demo_db.session() as s:
        s.execute(text("UPDATE organisations SET is_active = true WHERE id = :p"), {"p": provider})
        s.commit()
    admin = accounts.connect(admin_name)
    try:
        assert _sqlstate(admin, insert, (provider, region)) is None, admin_name
    finally:
        admin.close()


READS = {
    "data_resources": "SELECT count(*) FROM data_resources",
    "data_items": "SELECT count(*) FROM data_items",
    "samples": f"SELECT count(*) FROM govdesk_samples({NINGBO_RESOURCE})",
}


def _reads(conn) -> dict[str, object]:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}
    for name, statement in READS.items():
        try:
            seen[name] = _scalar(conn, statement)
        except errors.Error as exc:
            conn.rollback()
            seen[name] = exc.pgcode
    return seen


def test_an_open_session_of_a_locked_account_reads_and_writes_nothing(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    viewer_name = accounts.add("viewer", NINGBO).username
    admin_name = accounts.add("data_admin", NINGBO).username
    sysadmin = accounts.connect(accounts.add("sysadmin").username)
    viewer, admin = accounts.connect(viewer_name), accounts.connect(admin_name)
    try:
        before = _reads(viewer)
        assert all(isinstance(n, int) and n > 0 for n in before.values()), before
        for name in (viewer_name, admin_name):
            _scalar(sysadmin, "SELECT govdesk_account_lock(%s)", (name,))
        # the open sessions, still connected, now see nothing and write nothing
        assert _reads(viewer) == {"data_resources": 0, "data_items": 0, "samples": "42501"}
        assert _reads(admin) == {"data_resources": 0, "data_items": 0, "samples": "42501"}
        assert _sqlstate(viewer, "SELECT govdesk_audit('export', 'x', 'x', true, NULL, NULL)") \
            == "42501"
        assert _rowcount(admin, "UPDATE data_resources SET summary = 'locked' ") == 0
        assert _sqlstate(admin, "UPDATE resource_samples SET data = '{}'") is None  # no rows
        assert _rowcount(admin, "UPDATE resource_samples SET data = '{}'") == 0
        assert _scalar(viewer, "SELECT count(*) FROM govdesk_whoami()") == 0
        # unlocked, the same session works again
        _scalar(sysadmin, "SELECT govdesk_account_unlock(%s)", (viewer_name,))
        assert _reads(viewer) == before
    finally:
        for conn in (sysadmin, viewer, admin):
            conn.close()


def test_a_lockout_that_has_ended_no_longer_counts(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    name = accounts.add("viewer", NINGBO).username
    viewer = accounts.connect(name)
    try:
        with pg_demo_db.session() as s:  # a failed-login lockout, still running
            s.execute(text("UPDATE users SET locked_until = now() + interval '10 minutes' "
                           "WHERE username = :u"), {"u": name})
            s.commit()
        assert _scalar(viewer, "SELECT count(*) FROM data_resources") == 0
        with pg_demo_db.session() as s:  # ended, not yet cleared by the gate
            s.execute(text("UPDATE users SET locked_until = now() - interval '1 second' "
                           "WHERE username = :u"), {"u": name})
            s.commit()
        assert int(_scalar(viewer, "SELECT count(*) FROM data_resources")) > 0
    finally:
        viewer.close()
