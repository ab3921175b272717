"""PostgreSQL keeps the organisations directory itself: plain psycopg2 connections as each
role, bypassing GovDesk, may read it but only the system administrator may write it, and
nobody may delete an organisation. And a new database, once seeded, takes new resources and an
exported workbook without "提供方不存在"."""

from __future__ import annotations

from pathlib import Path

import pytest
from psycopg2 import errors

from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, save_resource
from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.excel.importer import import_catalog
from govdesk.catalog.orgs.directory import list_organisations
from govdesk.catalog.orgs.seed import seed_federations
from govdesk.db.engine import Database

pytestmark = pytest.mark.postgres

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
INSERT = ("INSERT INTO organisations (code, name, kind, region_code, version) "
          "VALUES ('X-1', '攻击者', 'health', '330000000000', 1)")


def outcome(conn, statement: str) -> str:  # type: ignore[no-untyped-def]
    """"refused" (no privilege), "nothing" (no row touched) or "done"; rolls back."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            touched = cur.rowcount
        return "done" if touched else "nothing"
    except errors.InsufficientPrivilege:
        return "refused"
    finally:
        conn.rollback()


def test_every_role_reads_the_directory_and_only_the_system_administrator_writes_it(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    for role in ROLES:
        conn = accounts.connect(accounts.add(role).username)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*), count(*) FILTER (WHERE is_active) FROM organisations")
                total, active = cur.fetchone()
            assert total == active > 100, role
            expected = "done" if role == "sysadmin" else "refused"
            assert outcome(conn, INSERT) == expected, role
            assert outcome(conn, "UPDATE organisations SET is_active = false "
                                 "WHERE code = 'CDPF-330100'") == expected, role
            assert outcome(conn, "UPDATE organisations SET name = 'x'") == expected, role
            # nobody deletes an organisation, not even the system administrator
            assert outcome(conn, "DELETE FROM organisations WHERE code = 'CDPF-330100'") == \
                "refused", role
            assert outcome(conn, "TRUNCATE organisations CASCADE") == "refused", role
            assert outcome(conn, "SELECT nextval('organisations_id_seq')") == \
                ("done" if role == "sysadmin" else "refused"), role
        finally:
            conn.close()


def test_the_system_administrators_changes_are_audited_and_announced(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    admin = accounts.add("sysadmin")
    conn = accounts.connect(admin.username)
    try:
        with conn.cursor() as cur:
            cur.execute("LISTEN govdesk_changes")
        conn.commit()
        with conn.cursor() as cur:
            cur.execute("UPDATE organisations SET name = name || '（改）' WHERE code = 'CDPF-330100'")
        conn.commit()
        conn.poll()
        kinds = [n.payload for n in conn.notifies]
        assert any('"kind":"organisations"' in p.replace(" ", "") for p in kinds), kinds
    finally:
        conn.close()
    with pg_demo_db.engine.connect() as c:
        from sqlalchemy import text

        row = c.execute(text("SELECT username, object_type FROM audit_events "
                             "WHERE object_type = 'organisations' ORDER BY id DESC LIMIT 1")).one()
    assert tuple(row) == (admin.username, "organisations")


def test_a_new_database_once_seeded_takes_new_resources_and_an_exported_workbook(
        pg_db: Database, sqlite_demo_db: Database, accounts_for,
        tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the workbook another GovDesk exported (the demo: federations and departments provide)
    exported = tmp_path / "目录.xlsx"
    export_catalog(*accounts_for(sqlite_demo_db).login("viewer"), exported)
    accounts = accounts_for(pg_db)  # pg_db: a new database after `govdesk db upgrade`
    admin_db, admin = accounts.login("sysadmin")
    report = seed_federations(admin_db, admin, "33", departments=True)
    assert report.created == 103 + 48
    editor_db, editor = accounts.login("data_admin")
    city = next(o for o in list_organisations(editor_db, editor) if o.code == "CDPF-330100")
    saved = save_resource(editor_db, editor, ResourceDraft(
        name="残疾人就业岗位信息", category_code="203", provider_org_id=city.id,
        region_code="330100000000", format="spreadsheet", sharing_type="unconditional",
        open_type="unconditional", update_cycle="yearly",
        items=(ItemDraft("岗位名称", "C", 100, grade_code="general1"),)))
    assert saved.code.startswith("203/")
    result = import_catalog(editor_db, editor, exported)
    assert [e.message for e in result.errors] == [] and result.written
    # the exported 203/000001 takes the place of the one saved above; the rest are new
    assert len(result.inserted) == 299 and result.updated == ["203/000001"]
