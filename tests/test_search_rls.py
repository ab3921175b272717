"""Catalogue reads under row-level security (migration 0013): for real logins the scoped
SECURITY DEFINER functions return exactly what a plain SELECT over ``data_resources`` returns
under the ``resources_read`` policy, for searches, filters, sorting, paging, counts and the
region and category trees; logins that may not read the catalogue are refused by the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg2
import pytest
from psycopg2 import errors
from sqlalchemy import select, text

from govdesk.catalog.search import browse, matching, scoped_read
from govdesk.catalog.search.browse import (
    ResourceFilter,
    category_tree,
    count_resources,
    count_resources_capped,
    first_page,
    list_resources,
    region_children,
)
from govdesk.catalog.search.index import terms
from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Organisation, SharingGrant
from govdesk.security.identity import Identity

pytestmark = pytest.mark.postgres

HANGZHOU, NINGBO, WENZHOU = "330100000000", "330200000000", "330300000000"
QUERIES = ["康复", "残疾人证", "证", "康复 杭州", "持证残疾人基础信息", "２０１／００００１",
           "101/00", "no-such-term", "%_"]

SORT_SQL = {"code": "r.code", "name": "r.name", "category": "c.code", "provider": "o.name",
            "region": "r.region_code", "grade": "g.rank", "sharing_type": "r.sharing_type",
            "update_cycle": "r.update_cycle", "status": "r.status", "updated_at": "r.updated_at"}


@dataclass
class Login:
    """A real GovDesk login: its Database handle, its identity, a plain psycopg2 connection."""

    name: str
    db: Database
    who: Identity
    conn: Any


def _escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(term: str) -> str:
    return "%" + _escaped(term) + "%"


def reference(conn: Any, f: ResourceFilter) -> list[int]:
    """The ids ``f`` selects, by a plain SELECT as the login (RLS filters the rows), sorted as
    the list sorts them. Text: every term a substring of the search document."""
    where, params = ["true"], []
    for t in terms(f.text):
        where.append("EXISTS (SELECT 1 FROM resource_search s WHERE s.resource_id = r.id "
                     "AND s.text LIKE %s)")
        params.append(_like(t))
    if f.category_code:
        where.append("r.category_id IN (SELECT id FROM categories WHERE code LIKE %s)")
        params.append(_escaped(f.category_code) + "%")
    if f.region_code:
        where.append("r.region_code LIKE %s")
        params.append(browse._region_prefix(f.region_code) + "%")
    for column, value in (("status", f.status), ("sharing_type", f.sharing_type),
                          ("update_cycle", f.update_cycle), ("provider_org_id", f.provider_org_id)):
        if value is not None:
            where.append(f"r.{column} = %s")
            params.append(value)
    if f.grade_code:
        where.append("r.grade_id IN (SELECT g.id FROM grades g JOIN grade_schemes gs "
                     "ON gs.id = g.scheme_id WHERE g.code = %s AND gs.is_active)")
        params.append(f.grade_code)
    order = f"{SORT_SQL[f.sort]} {'DESC' if f.descending else 'ASC'}, r.code"
    with conn.cursor() as cur:
        cur.execute("SELECT r.id FROM data_resources r JOIN categories c ON c.id = r.category_id "
                    "JOIN organisations o ON o.id = r.provider_org_id "
                    "LEFT JOIN grades g ON g.id = r.grade_id "
                    f"WHERE {' AND '.join(where)} ORDER BY {order}", params)
        ids = [row[0] for row in cur.fetchall()]
    conn.rollback()
    return ids


def _org(db: Database, region: str) -> int:
    with db.session() as s:
        return int(s.scalar(select(Organisation.id).where(
            Organisation.region_code == region, Organisation.kind == "federation")))


def _grant(db: Database, resource_id: int, org_id: int, status: str = "approved",
           valid_until: dt.date | None = None) -> None:
    with db.session() as s:
        s.add(SharingGrant(resource_id=resource_id, grantee_org_id=org_id,
                           sharing_type="conditional", status=status, valid_until=valid_until,
                           requested_by="test", decided_by="test"))


def _first_id(db: Database, region: str, offset: int = 0, shareable: bool = False) -> int:
    """The resource at ``offset`` by code in ``region``; with ``shareable`` among the published
    ones not marked 不予共享 (a grant on any other gives nothing: migration 0034)."""
    query = select(DataResource.id).where(DataResource.region_code.like(region[:4] + "%"))
    if shareable:
        query = query.where(DataResource.status == "published",
                            DataResource.sharing_type != "none")
    with db.session() as s:
        return int(s.scalar(query.order_by(DataResource.code).offset(offset).limit(1)))


@pytest.fixture
def logins(pg_demo_db: Database, accounts_for) -> Iterator[dict[str, Login]]:  # type: ignore[no-untyped-def]
    """杭州 and 宁波 data administrators (宁波 holding an approved grant on two 杭州 resources, an
    expired one and a requested one on others), a province-wide viewer (no region), a viewer of
    浙江省 (region prefix 33), a security administrator and a 温州 viewer."""
    db = pg_demo_db
    ningbo = _org(db, NINGBO)
    for offset in (0, 5):
        _grant(db, _first_id(db, HANGZHOU, offset, shareable=True), ningbo)
    _grant(db, _first_id(db, HANGZHOU, 1, shareable=True), ningbo, valid_until=dt.date(2020, 1, 1))
    _grant(db, _first_id(db, HANGZHOU, 2, shareable=True), ningbo, status="requested")
    accounts = accounts_for(db)
    made = {}
    for name, role, region in (("hz", "data_admin", HANGZHOU), ("nb", "data_admin", NINGBO),
                               ("viewer", "viewer", None), ("zj", "viewer", "330000000000"),
                               ("secadmin", "secadmin", None), ("wz", "viewer", WENZHOU)):
        org = _org(db, region or "330000000000")
        handle, who = accounts.login(role, region, org)
        made[name] = Login(name, handle, who, accounts.connect(who.username))
    yield made
    for login in made.values():
        login.conn.close()


def test_scoped_path_only_under_row_level_security(pg_demo_db: Database, logins) -> None:  # type: ignore[no-untyped-def]
    with pg_demo_db.session() as s:  # the owner who migrated: RLS does not apply
        assert not scoped_read.under_rls(s, pg_demo_db)
    for login in logins.values():
        with login.db.session() as s:
            assert scoped_read.under_rls(s, login.db)


def test_scoped_functions_see_what_the_policy_shows(logins) -> None:  # type: ignore[no-untyped-def]
    """Sanity of the set-up: scopes differ, and 宁波 sees exactly its grants' 杭州 resources."""
    seen = {name: set(reference(login.conn, ResourceFilter())) for name, login in logins.items()}
    assert len(seen["viewer"]) == len(seen["zj"]) == len(seen["secadmin"]) == 300
    assert seen["hz"] < seen["viewer"] and seen["nb"] < seen["viewer"]
    shared = seen["nb"] & seen["hz"]
    assert len(shared) == 2  # approved, current; not the expired or the requested grant
    assert not shared & seen["wz"]


@pytest.mark.parametrize("walk", [matching.WALK, 4])
def test_search_returns_what_a_plain_rls_select_returns(logins, walk: int,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search path (known ids below the cap; a common term's walk or bounded scan; the
    row-by-row text condition with another filter) as every login."""
    monkeypatch.setattr(matching, "WALK", walk)
    for login in logins.values():
        for query in QUERIES:
            f = ResourceFilter(text=query)
            expected = reference(login.conn, f)
            found = [r.id for r in list_resources(login.db, login.who, f, 0, 1000)]
            assert found == expected, (login.name, query)
            assert count_resources(login.db, login.who, f) == len(expected)
            for cap in (3, 40, 5000):
                count, rows = first_page(login.db, login.who, f, 10, cap=cap)
                assert [r.id for r in rows] == expected[:10], (login.name, query, cap)
                if len(expected) > cap:
                    assert (count.n, count.exact) == (cap + 1, False)
                else:
                    assert (count.n, count.exact) == (len(expected), True)
                assert count_resources_capped(login.db, login.who, f, cap=cap) == count
            narrowed = ResourceFilter(text=query, status="published")
            published = reference(login.conn, narrowed)
            count, rows = first_page(login.db, login.who, narrowed, 10, cap=3)
            assert [r.id for r in rows] == published[:10]
            assert (count.n, count.exact) == (min(len(published), 4), len(published) <= 3)


FILTERS = [
    ResourceFilter(category_code="2"), ResourceFilter(category_code="101"),
    ResourceFilter(region_code=HANGZHOU), ResourceFilter(region_code="330102000000"),
    ResourceFilter(region_code=NINGBO), ResourceFilter(status="draft"),
    ResourceFilter(grade_code="general4"), ResourceFilter(sharing_type="unconditional"),
    ResourceFilter(update_cycle="yearly"), ResourceFilter(provider_org_id=7),
    ResourceFilter(text="康复", category_code="1", status="published"),
    ResourceFilter(text="信息", region_code=HANGZHOU, sharing_type="conditional"),
    ResourceFilter(category_code="1_"),  # a LIKE wildcard in the input matches itself only
]


def test_filters_sorting_and_paging_match_a_plain_rls_select(logins) -> None:  # type: ignore[no-untyped-def]
    for login in logins.values():
        for f in FILTERS:
            expected = reference(login.conn, f)
            assert count_resources(login.db, login.who, f) == len(expected), (login.name, f)
            assert [r.id for r in list_resources(login.db, login.who, f, 0, 1000)] == expected
            count, rows = first_page(login.db, login.who, f, 10)
            assert count.n == len(expected) and [r.id for r in rows] == expected[:10]
        everything = ResourceFilter()
        for sort in SORT_SQL:
            for descending in (False, True):
                f = ResourceFilter(sort=sort, descending=descending)
                expected = reference(login.conn, f)
                pages = [r.id for offset in (0, 7, 14) for r in
                         list_resources(login.db, login.who, f, offset, 7)]
                assert pages == expected[:21], (login.name, sort, descending)
        deep = list_resources(login.db, login.who, everything, 250, 100)
        assert [r.id for r in deep] == reference(login.conn, everything)[250:350]


def test_rows_carry_the_same_columns_as_the_owner_sees(pg_demo_db: Database, logins) -> None:  # type: ignore[no-untyped-def]
    owner = Identity("tester", logins["hz"].who.role, HANGZHOU, logins["hz"].who.organisation_id)
    for f in (ResourceFilter(), ResourceFilter(text="康复"), ResourceFilter(sort="grade")):
        mine = list_resources(logins["hz"].db, logins["hz"].who, f, 0, 50)
        assert mine == list_resources(pg_demo_db, owner, f, 0, 50)[:len(mine)]


def test_region_and_category_counts_match_a_plain_rls_select(logins) -> None:  # type: ignore[no-untyped-def]
    for login in logins.values():
        with login.conn.cursor() as cur:
            cur.execute("SELECT region_code, count(*) FROM data_resources GROUP BY 1")
            by_region = dict(cur.fetchall())
            cur.execute("SELECT category_id, count(*) FROM data_resources GROUP BY 1")
            by_category = dict(cur.fetchall())
        login.conn.rollback()
        top = region_children(login.db, login.who, None)
        assert len(top) == 1
        prefix = browse._region_prefix(top[0].code)
        assert top[0].resource_count == sum(n for c, n in by_region.items() if c.startswith(prefix))
        for child in region_children(login.db, login.who, top[0].code):
            p = browse._region_prefix(child.code)
            assert child.resource_count == sum(n for c, n in by_region.items() if c.startswith(p))
        with login.db.session() as s:
            assert scoped_read.counts(s, "region") == by_region
            assert scoped_read.counts(s, "category") == {str(k): n for k, n in by_category.items()}
        assert sum(r.resource_count for r in category_tree(login.db, login.who)) == sum(
            by_category.values())


def _call(conn: Any, sql: str, params: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params or None)
            return list(cur.fetchall())
    finally:
        conn.rollback()


def test_functions_called_over_plain_psql_return_only_visible_rows(logins) -> None:  # type: ignore[no-untyped-def]
    """The functions as an attacker calls them: any terms, bounds, filters and ids, never a row
    the policy hides."""
    for login in logins.values():
        visible = set(reference(login.conn, ResourceFilter()))
        every_id = list(range(1, 400))
        found = {r[0] for r in _call(login.conn, "SELECT resource_id FROM govdesk_catalog_keyset("
                                     "%s, 'code', false, NULL, false, 0, 1000)", (json.dumps({"ids": every_id}),))}
        assert found == visible
        assert _call(login.conn, "SELECT govdesk_catalog_count(%s)",
                     (json.dumps({"ids": every_id}),)) == [(len(visible),)]
        counted = dict(_call(login.conn, "SELECT resource_id, n FROM "
                             "govdesk_catalog_item_counts(%s)", (every_id,)))
        assert set(counted) == visible
        with login.conn.cursor() as cur:  # the counts RLS gives over data_items
            cur.execute("SELECT resource_id, count(*) FROM data_items GROUP BY 1")
            assert counted == {k: v for k, v in cur.fetchall()} | {
                i: 0 for i in visible - set(counted)}
        login.conn.rollback()
        for grams, likes in (("康复", []), ("", ["证"]), ("", ["/"]), ("康复 杭州", ["101"])):
            expected = reference(login.conn, ResourceFilter(text=" ".join([grams, *likes])))
            sample = _call(login.conn, "SELECT resource_id, code FROM govdesk_catalog_matches("
                           "%s, %s, NULL, 1000, 0, false)", (grams, likes))
            assert sorted(r[0] for r in sample) == sorted(expected)
            assert [r[1] for r in sample] == sorted(r[1] for r in sample)
            for walk in (0, 3, 2000):
                first = _call(login.conn, "SELECT resource_id FROM govdesk_catalog_matches("
                              "%s, %s, '999', 5, %s, true)", (grams, likes, walk))
                assert [r[0] for r in first] == expected[:5]


def test_page_rows_over_plain_psql_are_what_rls_shows(logins) -> None:  # type: ignore[no-untyped-def]
    """``govdesk_catalog_rows`` (migration 0040) as each login with every id, shuffled and
    repeated: the visible ones only, in the order given, each column as a plain SELECT under
    the policies shows it, the item count as the data_items policy counts (granted items only
    for 宁波's shared 杭州 resources)."""
    ids = [*range(399, 0, -2), *range(2, 400, 2), 5]
    for login in logins.values():
        visible = set(reference(login.conn, ResourceFilter()))
        got = _call(login.conn, "SELECT * FROM govdesk_catalog_rows(%s)", (ids,))
        assert [r[0] for r in got] == [i for i in ids if i in visible], login.name
        expected = {r[0]: r for r in _call(login.conn, (
            "SELECT r.id, r.code, r.name, c.name, o.name, rg.name, g.name, r.sharing_type, "
            "r.update_cycle, r.status, (SELECT count(*) FROM data_items i WHERE "
            "i.resource_id = r.id), r.updated_at FROM data_resources r "
            "JOIN categories c ON c.id = r.category_id "
            "JOIN organisations o ON o.id = r.provider_org_id "
            "LEFT JOIN grades g ON g.id = r.grade_id JOIN regions rg ON rg.code = r.region_code "
            "WHERE r.id = ANY (%s)"), (ids,))}
        assert got == [expected[r[0]] for r in got], login.name
    shared = set(reference(logins["nb"].conn, ResourceFilter())) - set(
        reference(logins["viewer"].conn, ResourceFilter(region_code=NINGBO)))
    listed = {r[0] for r in _call(logins["nb"].conn, "SELECT * FROM govdesk_catalog_rows(%s)",
                                  (ids,))}
    assert shared and shared <= listed  # the granted-items count was exercised


@pytest.mark.parametrize("role", ["auditor", "sysadmin"])
def test_roles_without_catalogue_access_are_refused(pg_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                    role: str) -> None:
    accounts = accounts_for(pg_demo_db)
    who = accounts.add(role)
    conn = accounts.connect(who.username)
    try:
        for sql in ("SELECT * FROM govdesk_catalog_matches('康复', '{}', NULL, 10, 0, false)",
                    "SELECT * FROM govdesk_catalog_keyset('{}', 'code', false, NULL, false, 0, 10)",
                    "SELECT govdesk_catalog_count('{}')",
                    "SELECT * FROM govdesk_catalog_counts('region')",
                    "SELECT * FROM govdesk_catalog_item_counts('{1,2,3}')",
                    "SELECT * FROM govdesk_catalog_rows('{1,2,3}')"):
            with pytest.raises(errors.InsufficientPrivilege):
                _call(conn, sql)
    finally:
        conn.close()


def test_internal_helpers_are_not_callable(logins) -> None:  # type: ignore[no-untyped-def]
    conn = logins["viewer"].conn
    for sql in ("SELECT govdesk_catalog_visible_sql('r.region_code', 'r.id', '', NULL)",
                "SELECT * FROM govdesk_catalog_scope()",
                "SELECT govdesk_catalog_filter_sql('{}')",
                "SELECT govdesk_catalog_terms_sql('康复', '{}')", "SELECT govdesk_catalog_guard()",
                "SELECT govdesk_catalog_item_count_sql('33')"):
        with pytest.raises(errors.InsufficientPrivilege):
            _call(conn, sql)


def test_bad_arguments_are_refused(logins) -> None:  # type: ignore[no-untyped-def]
    conn = logins["hz"].conn
    page = "SELECT * FROM govdesk_catalog_keyset('%s', '%s', false, %s, false, 0, 5)"
    for sql in (page % ('{"region_code": "33"}', "code", "NULL"), page % ("[]", "code", "NULL"),
                page % ("{}", "password", "NULL"), page % ("{}", "name", "'[]'"),
                page % ("{}", "name", """'{"v": "x"}'"""),
                page % ("{}", "name", """'{"v": "x", "c": 1}'"""),
                page % ("{}", "name", """'{"v": "x", "c": "1", "w": 2}'"""),
                page % ("{}", "grade", """'{"v": "x", "c": "1"}'"""),
                "SELECT * FROM govdesk_catalog_counts('users')",
                "SELECT * FROM govdesk_catalog_matches('', '{}', NULL, 5, 0, false)"):
        with pytest.raises(psycopg2.Error):
            _call(conn, sql)
    # an injection attempt in a value is only a value
    assert _call(conn, "SELECT govdesk_catalog_count(%s)",
                 (json.dumps({"status": "x' OR true OR '"}),)) == [(0,)]


def test_scope_follows_session_user_whatever_role_is_set(logins) -> None:  # type: ignore[no-untyped-def]
    """SET ROLE to the login's own group changes current_user, not the scope."""
    conn = logins["hz"].conn
    before = _call(conn, "SELECT govdesk_catalog_count('{}')")
    with conn.cursor() as cur:
        cur.execute("SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid "
                    "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = session_user")
        group = cur.fetchone()[0]
        cur.execute(f'SET ROLE "{group}"')
        cur.execute("SELECT govdesk_catalog_count('{}'), count(*) FROM data_resources")
        inside, plain = cur.fetchone()
    conn.rollback()
    assert (inside,) == before[0] and inside == plain < 300


def test_search_region_is_the_resources_own_and_follows_a_move(pg_demo_db: Database,  # type: ignore[no-untyped-def]
                                                               logins) -> None:
    hz, nb = logins["hz"], logins["nb"]
    own = _first_id(pg_demo_db, HANGZHOU, 10)
    with hz.conn.cursor() as cur:  # a client cannot say where a document belongs
        cur.execute("UPDATE resource_search SET region_code = %s WHERE resource_id = %s",
                    (NINGBO, own))
        assert cur.rowcount == 1
    hz.conn.commit()
    with pg_demo_db.engine.connect() as c:
        region = c.execute(text("SELECT region_code FROM resource_search WHERE resource_id = :i"),
                           {"i": own}).scalar_one()
        assert region == HANGZHOU
    with pg_demo_db.session() as s:
        code = s.get(DataResource, own).code
    f = ResourceFilter(text=code)
    assert [r.id for r in list_resources(nb.db, nb.who, f, 0, 5)] == []
    with pg_demo_db.session() as s:  # the resource moves to 宁波
        s.execute(text("UPDATE data_resources SET region_code = :r WHERE id = :i"),
                  {"r": NINGBO, "i": own})
    assert [r.id for r in list_resources(nb.db, nb.who, f, 0, 5)] == [own]
    assert [r.id for r in list_resources(hz.db, hz.who, f, 0, 5)] == []
    assert reference(nb.conn, f) == [own]


def test_shared_resources_are_found_by_their_grantee_only(pg_demo_db: Database, logins) -> None:  # type: ignore[no-untyped-def]
    hz_ids = set(reference(logins["hz"].conn, ResourceFilter()))
    shared = sorted(set(reference(logins["nb"].conn, ResourceFilter())) & hz_ids)
    with pg_demo_db.session() as s:
        codes = [s.get(DataResource, i).code for i in shared]
    for rid, code in zip(shared, codes):
        f = ResourceFilter(text=code)
        assert [r.id for r in list_resources(logins["nb"].db, logins["nb"].who, f, 0, 5)] == [rid]
        assert count_resources(logins["nb"].db, logins["nb"].who, f) == 1
        assert list_resources(logins["wz"].db, logins["wz"].who, f, 0, 5) == []
    nb_regions = {n.code: n.resource_count for n in region_children(
        logins["nb"].db, logins["nb"].who, "330000000000")}
    assert nb_regions[HANGZHOU] == len(shared)  # the tree counts what the login sees


def test_a_province_scope_stops_at_the_province(pg_demo_db: Database, logins) -> None:  # type: ignore[no-untyped-def]
    """A 浙江省 login sees everything while every resource is in 浙江 (the functions then skip
    the region test); a resource outside the province is hidden from it at once."""
    outside = _first_id(pg_demo_db, WENZHOU, 3)
    with pg_demo_db.session() as s:
        code = s.get(DataResource, outside).code
        s.execute(text("UPDATE data_resources SET region_code = '310101000000' WHERE id = :i"),
                  {"i": outside})
    zj, viewer = logins["zj"], logins["viewer"]
    assert count_resources(zj.db, zj.who, ResourceFilter()) == 299
    assert count_resources(viewer.db, viewer.who, ResourceFilter()) == 300
    assert outside not in [r.id for r in list_resources(zj.db, zj.who, ResourceFilter(), 0, 400)]
    assert list_resources(zj.db, zj.who, ResourceFilter(text=code), 0, 5) == []
    assert [r.id for r in list_resources(viewer.db, viewer.who, ResourceFilter(text=code), 0, 5)] \
        == [outside]
    for login in (zj, viewer):
        for query in ("康复", "证", code):
            f = ResourceFilter(text=query)
            assert [r.id for r in list_resources(login.db, login.who, f, 0, 400)] \
                == reference(login.conn, f)
        with login.db.session() as s:
            assert sum(scoped_read.counts(s, "region").values()) == len(
                reference(login.conn, ResourceFilter()))
