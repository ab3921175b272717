"""A new resource's code is the next free one in its category across the whole catalogue, also
for a regional data administrator who cannot see the other regions' resources (row-level
security on PostgreSQL, the service kernel's scope on SQLite): otherwise the code collides."""

from __future__ import annotations

from sqlalchemy import text

from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, save_resource
from govdesk.db.engine import Database


def test_a_city_administrator_gets_a_free_code(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    handle, who = accounts_for(demo_db).login("data_admin", region="330100")
    with demo_db.engine.connect() as c:  # the category whose newest code is another city's
        category, top, org = c.execute(text(
            "SELECT split_part_code, max_code, org FROM (SELECT substr(r.code, 1, "
            "instr(r.code, '/') - 1) AS split_part_code, max(r.code) AS max_code, "
            "min(r.provider_org_id) AS org FROM data_resources r GROUP BY 1) x "
            "WHERE NOT EXISTS (SELECT 1 FROM data_resources r2 WHERE r2.code = x.max_code "
            "AND r2.region_code LIKE '3301%') ORDER BY 1 LIMIT 1")
            if not demo_db.is_postgres else text(
            "SELECT split_part(code, '/', 1), max(code), min(provider_org_id) FROM data_resources "
            "GROUP BY 1 HAVING NOT bool_or(code = (SELECT max(code) FROM data_resources r2 "
            "WHERE split_part(r2.code, '/', 1) = split_part(data_resources.code, '/', 1)) "
            "AND region_code LIKE '3301%') ORDER BY 1 LIMIT 1")).one()
    result = save_resource(handle, who, ResourceDraft(
        name="新建资源", category_code=category, provider_org_id=org,
        region_code="330100000000", format="spreadsheet", sharing_type="unconditional",
        open_type="unconditional", update_cycle="yearly", items=(ItemDraft("字段", "C"),)))
    assert result.code > top and result.code.startswith(f"{category}/")


def test_only_data_administrators_may_ask(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """Over plain psycopg2: the function answers a data administrator with one number (junk
    categories get 0) and refuses every other role."""
    import psycopg2
    import pytest

    accounts = accounts_for(pg_demo_db)
    admin = accounts.connect(accounts.add("data_admin", region="330100").username)
    with admin.cursor() as cur:
        cur.execute("SELECT govdesk_next_code_number('101')")
        assert cur.fetchone()[0] > 0
        for junk in ("%", "101/%", "1' OR '1'='1", ""):
            cur.execute("SELECT govdesk_next_code_number(%s)", (junk,))
            assert cur.fetchone()[0] == 0
    admin.close()
    for role in ("viewer", "secadmin", "auditor", "sysadmin"):
        conn = accounts.connect(accounts.add(role).username)
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT govdesk_next_code_number('101')")
        conn.close()


def test_codes_unavailable_answers_data_administrators_with_codes_only(  # type: ignore[no-untyped-def]
        pg_demo_db: Database, accounts_for) -> None:
    """Migration 0020 over plain psycopg2: a 杭州 data administrator learns which of the given
    codes another area's resource holds (codes only, nothing of the resource; its own and
    unknown codes are not listed, junk matches nothing); every other role is refused."""
    import psycopg2
    import pytest

    with pg_demo_db.engine.connect() as c:
        theirs = c.execute(text("SELECT code FROM data_resources WHERE region_code NOT LIKE "
                                "'3301%' ORDER BY code LIMIT 1")).scalar_one()
        mine = c.execute(text("SELECT code FROM data_resources WHERE region_code LIKE "
                              "'3301%' ORDER BY code LIMIT 1")).scalar_one()
    accounts = accounts_for(pg_demo_db)
    admin = accounts.connect(accounts.add("data_admin", region="330100").username)
    with admin.cursor() as cur:
        cur.execute("SELECT govdesk_codes_unavailable(%s)",
                    ([theirs, mine, "999/000001", "%", "_%", ""],))
        assert cur.fetchone()[0] == [theirs]
        cur.execute("SELECT govdesk_codes_unavailable(NULL)")
        assert cur.fetchone()[0] == []
    admin.close()
    for role in ("viewer", "secadmin", "auditor", "sysadmin"):
        conn = accounts.connect(accounts.add(role).username)
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT govdesk_codes_unavailable(%s)", ([theirs],))
        conn.close()
