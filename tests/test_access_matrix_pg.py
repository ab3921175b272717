"""The matrix says what PostgreSQL lets each organisation's users read: for a sample of cells,
the verdict against what a real login of that organisation reads over plain psycopg2 (no
GovDesk code between), through ``resources_read`` and ``data_items_read``.

``allowed``: the resource row and every item; ``partial``: the row and exactly
``items_readable`` items (none for ``metadata_only``); ``denied``: not the row, no item."""

from __future__ import annotations

from typing import Any

import pytest

from access_world import GRANTS, build
from govdesk.db.engine import Database
from govdesk.sharing import matrix
from govdesk.sharing.access_dto import MatrixFilter, MatrixPage

pytestmark = pytest.mark.postgres


def _reads(conn: Any, ids: list[int]) -> tuple[set[int], dict[int, int]]:
    """(resource ids readable, resource id -> items readable) of ``ids``, as the login."""
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM data_resources WHERE id = ANY (%s)", (ids,))
        rows = {r[0] for r in cur.fetchall()}
        cur.execute("SELECT resource_id, count(*) FROM data_items WHERE resource_id = ANY (%s) "
                    "GROUP BY resource_id", (ids,))
        items = dict(cur.fetchall())
    conn.rollback()
    return rows, items


def _agree(m: Any, org_code: str, conn: Any) -> int:
    """Assert the column of ``org_code`` in ``m`` against the login's reads; cells checked."""
    col = [o.code for o in m.orgs].index(org_code)
    ids = [r.resource.id for r in m.rows]
    rows, items = _reads(conn, ids)
    for r in m.rows:
        cell = r.cells[col]
        rid = r.resource.id
        seen = (rid in rows, items.get(rid, 0))
        if cell.verdict == "denied":
            assert seen == (False, 0), (org_code, r.resource.code, cell)
        elif cell.verdict == "allowed":
            assert seen == (True, cell.items_total), (org_code, r.resource.code, cell)
        else:
            assert seen == (True, cell.items_readable), (org_code, r.resource.code, cell)
            assert cell.items_readable < cell.items_total
    return len(m.rows)


def test_the_matrix_agrees_with_what_real_logins_read(pg_demo_db: Database,
                                                      accounts_for: Any) -> None:
    w = build(pg_demo_db)
    accounts = accounts_for(pg_demo_db)
    sec_db, sec = accounts.login("secadmin", "330100", w.orgs["CDPF-330100"])
    sample = [*GRANTS, "CDPF-330203", "CDPF-331000", "CDPF-330100", "CDPF-330000",
              "CIVIL_AFFAIRS-330100", "HRSS-330200"]
    checked = 0
    verdicts: set[tuple[str, str]] = set()
    for org in sample:
        who = accounts.add("viewer", _region(pg_demo_db, org), w.orgs[org])
        conn = accounts.connect(who.username)
        try:
            # the providing side's matrix (杭州's resources) for this organisation's column
            m = matrix.access_matrix(sec_db, sec, MatrixFilter(org_code=org),
                                     MatrixPage(limit=200))
            checked += _agree(m, org, conn)
            verdicts |= {(r.cells[0].verdict, r.cells[0].reason) for r in m.rows}
            # the organisation's own view, from its data administrator (other regions too)
            own_db, own = accounts.login("data_admin", _region(pg_demo_db, org), w.orgs[org])
            mine = matrix.what_org_can_read(own_db, own, org, page=MatrixPage(limit=300))
            checked += _agree(mine, org, conn)
            verdicts |= {(r.cells[0].verdict, r.cells[0].reason) for r in mine.rows}
        finally:
            conn.close()
    assert checked > 1000  # 1,307 in the small demo
    assert {"own_region", "granted", "some_items", "metadata_only", "expired", "revoked",
            "scheduled", "pending", "rejected", "released", "lapsed", "no_grant", "not_shared",
            "grade_forbids", "unpublished"} <= {reason for _v, reason in verdicts}


def _region(db: Database, org: str) -> str:
    with db.engine.connect() as c:
        code = c.exec_driver_sql("SELECT region_code FROM organisations WHERE code = %s",
                                 (org,)).scalar_one()
    return str(code)[:6]


def test_only_data_and_security_administrators_read_the_definer_functions(
        pg_demo_db: Database, accounts_for: Any) -> None:
    from psycopg2 import errors

    w = build(pg_demo_db)
    accounts = accounts_for(pg_demo_db)
    viewer = accounts.add("viewer", "330200", w.orgs["CDPF-330200"])
    conn = accounts.connect(viewer.username)
    try:
        with pytest.raises(errors.InsufficientPrivilege), conn.cursor() as cur:
            cur.execute("SELECT * FROM govdesk_matrix_items(%s)", ([w.resource],))
    finally:
        conn.close()
    nb = accounts.add("data_admin", "330200", w.orgs["CDPF-330200"])
    conn = accounts.connect(nb.username)
    try:
        with conn.cursor() as cur:  # granted to its organisation: every item, with its grade
            cur.execute("SELECT count(*) FROM govdesk_matrix_items(%s)", ([w.resource],))
            assert cur.fetchone()[0] == len(w.items)
            cur.execute("SELECT count(*) FROM data_items WHERE resource_id = %s", (w.resource,))
            assert cur.fetchone()[0] == len(w.items) - 1  # RLS: the core item is not readable
            cur.execute("SELECT id FROM data_resources WHERE region_code LIKE '3301%%' "
                        "AND status <> 'published' AND id NOT IN (SELECT resource_id FROM "
                        "sharing_grants) LIMIT 1")
            assert cur.fetchone() is None
        conn.rollback()
        with conn.cursor() as cur:  # an unpublished resource of another region, not granted
            cur.execute("SELECT count(*) FROM govdesk_matrix_resources(%s)",
                        (_unpublished_ids(pg_demo_db),))
            assert cur.fetchone()[0] == 0
    finally:
        conn.close()


def _unpublished_ids(db: Database) -> list[int]:
    with db.engine.connect() as c:
        return list(c.exec_driver_sql(
            "SELECT id FROM data_resources WHERE region_code LIKE '3301%%' "
            "AND status <> 'published' AND id NOT IN (SELECT resource_id FROM sharing_grants)"
        ).scalars())
