"""PostgreSQL enforces the rules itself: plain psycopg2 connections as each role, bypassing
GovDesk entirely, are refused what the role may not do."""

from __future__ import annotations

import pytest
from psycopg2 import errors
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.security import audit
from govdesk.security.identity import identity_from_connection
from govdesk.security.roles import Role

pytestmark = pytest.mark.postgres

CATALOG_TABLES = ["data_resources", "data_items", "categories", "grades", "grade_schemes",
                  "organisations", "sharing_grants", "resource_samples", "backup_policies",
                  "users", "settings", "regions", "roles", "access_events", "audit_events"]


def refused(conn, statement: str, params: tuple = ()) -> bool:  # type: ignore[type-arg]
    """True when ``statement`` fails for lack of privilege (or RLS); rolls back either way."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            changed = cur.rowcount
        conn.rollback()
    except (errors.InsufficientPrivilege, errors.CheckViolation) as exc:
        conn.rollback()  # grants, RLS, and the working rules (migration 0014) refuse so
        return exc.pgcode in ("42501", "23514")
    except errors.RaiseException as exc:
        conn.rollback()
        return "cannot be changed" in str(exc)
    return changed == 0  # RLS hides rows: UPDATE/DELETE touch nothing


SOME_COLUMN = {"regions": "name", "roles": "name_zh", "access_events": "username",
               "audit_events": "username", "resource_samples": "row_no", "settings": "value"}


def write_statements(table: str) -> list[str]:
    column = SOME_COLUMN.get(table, "version")
    return [f"UPDATE {table} SET {column} = {column} WHERE true", f"DELETE FROM {table} WHERE true"]


def test_viewer_cannot_write_any_table(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    viewer = accounts.add("viewer")
    conn = accounts.connect(viewer.username)
    try:
        for table in CATALOG_TABLES:
            for statement in write_statements(table):
                assert refused(conn, statement), f"viewer could run: {statement}"
        assert refused(conn, "INSERT INTO categories (code, name, kind, sort_order, version) "
                             "VALUES ('9', 'x', 'base', 0, 1)")
        with conn.cursor() as cur:  # but reads the catalogue
            cur.execute("SELECT count(*) FROM data_resources")
            assert cur.fetchone()[0] == 300
        assert refused(conn, "SELECT * FROM resource_samples LIMIT 1")  # personal data
    finally:
        conn.close()


def test_auditor_reads_audit_but_not_catalogue(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    auditor = accounts.add("auditor")
    conn = accounts.connect(auditor.username)
    try:
        for table in ("data_resources", "data_items", "categories", "grades", "sharing_grants"):
            assert refused(conn, f"SELECT * FROM {table} LIMIT 1")
            for statement in write_statements(table):
                assert refused(conn, statement)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM audit_events")
            assert cur.fetchone()[0] > 0
    finally:
        conn.close()


def test_nobody_can_update_or_delete_audit_rows(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    users = [accounts.add(r) for r in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")]
    for who in users:
        conn = accounts.connect(who.username)
        try:
            assert refused(conn, "UPDATE audit_events SET success = NOT success")
            assert refused(conn, "DELETE FROM audit_events")
            assert refused(conn, "TRUNCATE audit_events")
            assert refused(conn, "INSERT INTO audit_events (ts, username, event_type, success, "
                                 "prev_hash, row_hash) VALUES (now(), 'x', 'login', true, 'a', 'b')")
        finally:
            conn.close()
    # not even the owner who migrated the database
    with pg_demo_db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert refused(raw, "UPDATE audit_events SET detail = 'forged'")
        assert refused(raw, "DELETE FROM audit_events")
        assert refused(raw, "TRUNCATE audit_events")


def test_writes_go_through_the_audit_function(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    admin = accounts.add("data_admin", region="330100")
    conn = accounts.connect(admin.username)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT govdesk_audit('export', 'data_resources', '1', true, 'pc-01', NULL)")
            cur.execute("UPDATE data_resources SET summary = summary || '。' "
                        "WHERE region_code LIKE '3301%%'")
            assert cur.rowcount > 0
        conn.commit()
    finally:
        conn.close()
    with pg_demo_db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT username, role_code, event_type, object_type FROM audit_events "
            "WHERE username = %s ORDER BY id", (admin.username,)).all()
    assert ("export" in [r[2] for r in rows]) and ("data_change" in [r[2] for r in rows])
    assert {r[1] for r in rows} == {"data_admin"}
    assert audit.verify(pg_demo_db).ok


def test_city_admin_sees_only_their_city_and_shared(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    with pg_demo_db.engine.connect() as c:
        hz_org = c.exec_driver_sql(
            "SELECT id FROM organisations WHERE code = 'CDPF-330100'").scalar_one()
        region = dict(c.exec_driver_sql("SELECT id, region_code FROM data_resources").all())
        # share one Ningbo resource with Hangzhou's federation, approved and current
        ningbo = sorted(i for i, r in region.items() if r.startswith("3302"))
        c.exec_driver_sql(
            "INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type, status, "
            "version) VALUES (%s, %s, 'conditional', 'approved', 1)", (ningbo[0], hz_org))
        c.commit()
    own = {i for i, r in region.items() if r.startswith("3301")}
    shared = {i for i in _shared_ids(pg_demo_db, hz_org) if i not in own}
    assert own and ningbo[0] in shared
    hz = accounts.add("data_admin", region="330100", organisation_id=hz_org)
    conn = accounts.connect(hz.username)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM data_resources")
            assert {r[0] for r in cur.fetchall()} == own | shared
            cur.execute("SELECT count(*) FROM data_resources WHERE id = %s", (ningbo[1],))
            assert cur.fetchone()[0] == (1 if ningbo[1] in shared else 0)
            cur.execute("SELECT DISTINCT resource_id FROM data_items")
            assert {r[0] for r in cur.fetchall()} == own | shared
        conn.rollback()
        # cannot write outside the city (not even what is shared), nor move a resource out
        assert refused(conn, "UPDATE data_resources SET summary = 'x' WHERE id = %s", (ningbo[0],))
        assert refused(conn, "UPDATE data_resources SET summary = 'x' WHERE region_code LIKE '3302%%'")
        assert refused(conn, "UPDATE data_items SET name = 'x' WHERE resource_id = %s", (ningbo[0],))
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            with conn.cursor() as cur:
                cur.execute("UPDATE data_resources SET region_code = '330200000000' "
                            "WHERE region_code LIKE '3301%%'")
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            with conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO data_resources (code, name, category_id, provider_org_id, "
                    "region_code, summary, format, sharing_type, open_type, update_cycle, status, "
                    "version) VALUES ('1/999999', 'x', 1, 1, '330200000000', '', 'database', "
                    "'none', 'none', 'daily', 'draft', 1)")
        conn.rollback()
    finally:
        conn.close()


def _shared_ids(db: Database, org: int) -> set[int]:
    with db.engine.connect() as c:
        return {r[0] for r in c.exec_driver_sql(
            "SELECT resource_id FROM sharing_grants WHERE grantee_org_id = %s AND status = "
            "'approved' AND (valid_until IS NULL OR valid_until >= current_date) AND "
            "(valid_from IS NULL OR valid_from <= current_date)", (org,))}


def test_identity_comes_from_the_connection(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    sec = accounts.add("secadmin")
    who = identity_from_connection(Database(accounts.url_for(sec.username)))
    assert who.username == sec.username and who.role is Role.SECADMIN and not who.is_owner
    owner = identity_from_connection(pg_demo_db)
    assert owner.is_owner and owner.role is None


def test_grade_suggestions_are_decided_only_by_security_administrators(
        pg_demo_db: Database, accounts_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The review queue holds in the server: a data administrator can propose (as themselves)
    but not decide; a security administrator decides pending rows only, as themselves, and
    may change nothing but the decision; nobody rewrites a stored profile."""
    from govdesk.catalog.classification.suggestions import queue_suggestions
    from govdesk.demo.profile_sample import write_sample_csv

    accounts = accounts_for(pg_demo_db)
    admin = accounts.add("data_admin")
    officer = accounts.add("secadmin")
    handle = Database(accounts.url_for(admin.username))
    try:
        with handle.session() as s:
            code = s.execute(text("SELECT min(code) FROM data_resources")).scalar_one()
        queue_suggestions(handle, identity_from_connection(handle),
                          write_sample_csv(tmp_path / "p.csv", 200), code)
    finally:
        handle.dispose()
    a = accounts.connect(admin.username)
    o = accounts.connect(officer.username)
    try:
        assert refused(a, "UPDATE grade_suggestions SET status = 'accepted'")
        assert refused(a, "INSERT INTO grade_suggestions (resource_id, column_name, detector,"
                          " confidence, guardian, grade_id, status, source_file, proposed_by,"
                          " version, created_at, updated_at) SELECT resource_id, 'x', 'phone', 1,"
                          " false, grade_id, 'pending', 'f', 'someone_else', 1, now(), now()"
                          " FROM grade_suggestions LIMIT 1")
        assert refused(o, "UPDATE grade_suggestions SET grade_id = grade_id")  # not a decision
        assert refused(o, "UPDATE grade_suggestions SET status = 'accepted', "
                          "decided_by = 'someone_else'")
        assert refused(a, "UPDATE resource_profiles SET quality_score = 1")
        assert refused(o, "DELETE FROM resource_profiles")
        with o.cursor() as cur:
            cur.execute("UPDATE grade_suggestions SET status = 'rejected', decided_by = "
                        "session_user, decided_at = now(), version = version + 1 "
                        "WHERE status = 'pending'")
            assert cur.rowcount > 0
        o.commit()
        assert refused(o, "UPDATE grade_suggestions SET status = 'accepted', decided_by = "
                          "session_user")  # decided rows are final
    finally:
        a.close()
        o.close()
