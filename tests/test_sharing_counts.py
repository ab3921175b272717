"""The catalogue's item count of a shared resource is the number of data items the grantee
reads (the granted ones), not every item of the resource: through the list service on both
databases (real logins on PostgreSQL) and over plain psycopg2 as the grantee's logins, calling
the definer function ``govdesk_catalog_item_counts`` (migration 0030) directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.catalog.search.browse import ResourceFilter, list_resources
from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day
from govdesk.sharing import decisions, workflow
from govdesk.sharing.dto import GrantTerms


def _setup(db: Database, accounts: Any) -> tuple[int, str, int, dict[str, Any]]:
    with db.engine.connect() as c:
        rid, code = c.execute(text(
            "SELECT r.id, r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id "
            "WHERE r.region_code LIKE '3301%' AND r.status = 'published' AND "
            "r.sharing_type = 'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).one()
        total = c.execute(text("SELECT count(*) FROM data_items WHERE resource_id = :r"),
                          {"r": rid}).scalar_one()
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    logins = {
        "hz_sec": accounts.login("secadmin", "330100", orgs["CDPF-330100"]),
        "hz_admin": accounts.login("data_admin", "330100", orgs["CDPF-330100"]),
        "nb_admin": accounts.login("data_admin", "330200", orgs["CDPF-330200"]),
        "nb_viewer": accounts.login("viewer", "330200", orgs["CDPF-330200"]),
    }
    assert total > 2
    day = grant_day()
    g = workflow.request_grant(*logins["nb_admin"], code, GrantTerms(
        valid_until=day + dt.timedelta(days=30), method="platform", purpose_code="statistics",
        items=("1", "2")))
    decisions.approve(*logins["hz_sec"], g.id)
    return rid, code, int(total), logins


def _listed_count(login: Any, code: str, rid: int) -> int:
    rows = list_resources(*login, ResourceFilter(text=code), 0, 50)
    return next(r.item_count for r in rows if r.id == rid)


def test_the_list_counts_the_granted_items_for_a_grantee(demo_db: Database,
                                                         accounts_for: Any) -> None:
    rid, code, total, logins = _setup(demo_db, accounts_for(demo_db))
    assert _listed_count(logins["nb_admin"], code, rid) == 2
    assert _listed_count(logins["nb_viewer"], code, rid) == 2
    assert _listed_count(logins["hz_admin"], code, rid) == total  # its own region: every item


@pytest.mark.postgres
def test_the_definer_count_over_plain_sql_as_the_grantee(pg_demo_db: Database,
                                                         accounts_for: Any) -> None:
    accounts = accounts_for(pg_demo_db)
    rid, _code, total, logins = _setup(pg_demo_db, accounts)
    for name, expected in (("nb_admin", 2), ("nb_viewer", 2), ("hz_admin", total)):
        conn = accounts.connect(logins[name][1].username)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT resource_id, n FROM govdesk_catalog_item_counts(%s)",
                            ([rid, 1, 2, 3],))
                counted = dict(cur.fetchall())
                cur.execute("SELECT count(*) FROM data_items WHERE resource_id = %s", (rid,))
                assert counted[rid] == cur.fetchone()[0] == expected, name
                # every resource counted equals what the data_items policy shows
                cur.execute("SELECT resource_id, count(*) FROM data_items WHERE resource_id "
                            "= ANY (%s) GROUP BY 1", ([rid, 1, 2, 3],))
                assert {k: v for k, v in counted.items() if v} == dict(cur.fetchall()), name
        finally:
            conn.close()
