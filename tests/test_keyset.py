"""Keyset pagination (issue 12): the catalogue list and the audit trail page by key, and paging
through by key gives exactly the offset results, for every sort order, with ties and NULLs, no
row twice and none left out, forwards, backwards and after a jump; as real logins on both
databases (a 杭州市 data administrator and a province-wide viewer; an audit administrator)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text, update

from govdesk.catalog.search import browse
from govdesk.catalog.search.browse import (
    SORT_COLUMNS,
    ResourceFilter,
    count_resources,
    first_keyed_page,
    list_resources,
    page_resources,
)
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, Seek
from govdesk.db.models import DataResource, Organisation
from govdesk.errors import InputRejected
from govdesk.security.audit_read import AuditFilter, count_events, list_events, page_events
from govdesk.security.auth import record_session_locked
from govdesk.security.identity import Identity

HANGZHOU = "330100000000"

#: the sort column of each list column, as plain SQL over data_resources r (joins below)
SORT_SQL = {"code": "r.code", "name": "r.name", "category": "c.code", "provider": "o.name",
            "region": "r.region_code", "grade": "g.rank", "sharing_type": "r.sharing_type",
            "update_cycle": "r.update_cycle", "status": "r.status", "updated_at": "r.updated_at"}
SORTS = [(sort, descending) for sort in SORT_SQL for descending in (False, True)]


@dataclass
class Reader:
    name: str
    db: Database
    who: Identity


def _org(db: Database, region: str) -> int:
    with db.session() as s:
        return int(s.scalar(select(Organisation.id).where(
            Organisation.region_code == region, Organisation.kind == "federation")))


@pytest.fixture
def readers(demo_db: Database, accounts_for) -> Iterator[dict[str, Reader]]:  # type: ignore[no-untyped-def]
    """Ties and NULLs in the data (a fifth of the resources without a grade, a seventh updated
    at one instant, names repeated by the demo), then a 杭州市 data administrator and a
    province-wide viewer, logged in (on PostgreSQL their own login roles: RLS applies)."""
    with demo_db.session() as s:  # as the owner, whom the working rules exempt
        s.execute(update(DataResource).where(DataResource.id % 5 == 0).values(grade_id=None))
        s.execute(update(DataResource).where(DataResource.id % 7 == 0).values(
            updated_at=dt.datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=dt.timezone.utc)))
    accounts = accounts_for(demo_db)
    made = {}
    for name, role, region in (("hz", "data_admin", HANGZHOU), ("viewer", "viewer", None)):
        handle, who = accounts.login(role, region, _org(demo_db, region or "330000000000"))
        made[name] = Reader(name, handle, who)
    yield made


def reference(r: Reader, owner: Database, f: ResourceFilter) -> list[int]:
    """The ids ``f`` selects in list order by plain SQL: NULL largest, code breaking ties. On
    PostgreSQL as the login itself (row-level security filters); on SQLite as the owner with
    the login's region and the grants in force on the grant day (UTC+8), named or by scope."""
    key = SORT_SQL[f.sort]
    if f.sort == "code":
        order = f"r.code {'DESC' if f.descending else 'ASC'}"
    else:
        order = f"{key} {'DESC NULLS FIRST' if f.descending else 'ASC NULLS LAST'}, r.code"
    where, params = "true", {}
    if f.status:
        where += " AND r.status = :status"
        params["status"] = f.status
    if not r.db.is_postgres and r.who.region_code:  # the resources_read rule
        where += (" AND (r.region_code LIKE :prefix OR r.id IN (SELECT g.resource_id FROM "
                  "sharing_grants g WHERE g.status = 'approved' AND "
                  "coalesce(g.valid_until, '9999') >= date('now', '+8 hours') AND "
                  "coalesce(g.valid_from, '0000') <= date('now', '+8 hours') AND "
                  "(g.grantee_org_id = :org OR EXISTS (SELECT 1 FROM organisations o "
                  "JOIN regions rg ON rg.code = o.region_code WHERE o.id = :org AND "
                  "o.region_code LIKE g.scope_region_prefix || '%' AND "
                  "(g.scope_org_kind IS NULL OR g.scope_org_kind = o.kind) AND "
                  "(g.scope_org_level IS NULL OR g.scope_org_level = rg.level)))))")
        params["prefix"] = browse._region_prefix(r.who.region_code) + "%"
        params["org"] = r.who.organisation_id
    sql = ("SELECT r.id FROM data_resources r JOIN categories c ON c.id = r.category_id "
           "JOIN organisations o ON o.id = r.provider_org_id LEFT JOIN grades g ON "
           f"g.id = r.grade_id WHERE {where} ORDER BY {order}")
    with (r.db if r.db.is_postgres else owner).engine.connect() as c:
        return [row[0] for row in c.execute(text(sql), params)]


def forward(r: Reader, f: ResourceFilter, size: int) -> list[int]:
    """Every id, page after page, each asked for by the previous page's last key."""
    ids: list[int] = []
    page = page_resources(r.db, r.who, f, Seek(limit=size))
    while page.rows:
        assert len(page.keys) == len(page.rows)
        ids += [row.id for row in page.rows]
        page = page_resources(r.db, r.who, f, Seek(after=page.last_key, limit=size))
    return ids


def backward(r: Reader, f: ResourceFilter, size: int) -> list[int]:
    """Every id, from the end, each page asked for by the first key of the page after it."""
    ids: list[int] = []
    page = page_resources(r.db, r.who, f, Seek(backward=True, limit=size))
    while page.rows:
        ids = [row.id for row in page.rows] + ids
        page = page_resources(r.db, r.who, f, Seek(after=page.first_key, backward=True,
                                                   limit=size))
    return ids


def test_every_sort_order_pages_by_key_as_by_offset(demo_db: Database, readers) -> None:  # type: ignore[no-untyped-def]
    for r in readers.values():
        total = count_resources(r.db, r.who, ResourceFilter())
        assert total == (300 if r.name == "viewer" else len(reference(r, demo_db,
                                                                      ResourceFilter())))
        size = 23 if r.name == "viewer" else 7  # the last page is short either way
        for sort, descending in SORTS:
            f = ResourceFilter(sort=sort, descending=descending)
            expected = reference(r, demo_db, f)
            assert len(expected) == total and len(set(expected)) == total
            by_offset = [row.id for offset in range(0, total, size)
                         for row in list_resources(r.db, r.who, f, offset, size)]
            assert by_offset == expected, (r.name, sort, descending)
            assert forward(r, f, size) == expected, (r.name, sort, descending)
            assert backward(r, f, size) == expected, (r.name, sort, descending)


def test_nulls_and_ties_are_where_the_order_says(demo_db: Database, readers) -> None:  # type: ignore[no-untyped-def]
    """The data really has them: ungraded resources come last ascending and first descending,
    and keys of tied rows differ only by code."""
    viewer = readers["viewer"]
    up = page_resources(viewer.db, viewer.who, ResourceFilter(sort="grade"), Seek(limit=300))
    down = page_resources(viewer.db, viewer.who, ResourceFilter(sort="grade", descending=True),
                          Seek(limit=300))
    ungraded = [row.id for row in up.rows if row.grade is None]
    assert len(ungraded) == 60
    assert [row.id for row in up.rows][-60:] == ungraded
    assert [row.grade is None for row in down.rows[:60]] == [True] * 60
    assert all(k.value is None for k in up.keys[-60:])
    for keys in (up.keys, page_resources(viewer.db, viewer.who, ResourceFilter(sort="status"),
                                         Seek(limit=300)).keys):
        assert len({k.value for k in keys}) < len(keys) == len({k.tie for k in keys})


@pytest.mark.parametrize(("sort", "descending"), [("code", False), ("grade", False),
                                                  ("grade", True), ("updated_at", True),
                                                  ("name", False), ("status", True)])
def test_a_jump_seeks_from_the_nearest_key(demo_db: Database, readers,  # type: ignore[no-untyped-def]
                                           sort: str, descending: bool) -> None:
    """A page reached from a key with rows skipped, or from the end, is the offset page."""
    for r in readers.values():
        f = ResourceFilter(sort=sort, descending=descending)
        expected = reference(r, demo_db, f)
        n = len(expected)
        first = page_resources(r.db, r.who, f, Seek(limit=10))
        after = page_resources(r.db, r.who, f, Seek(after=first.last_key, skip=15, limit=10))
        assert [x.id for x in after.rows] == expected[25:35]
        before = page_resources(r.db, r.who, f, Seek(after=after.first_key, backward=True,
                                                     skip=5, limit=10))
        assert [x.id for x in before.rows] == expected[10:20]
        end = page_resources(r.db, r.who, f, Seek(backward=True, skip=3, limit=10))
        assert [x.id for x in end.rows] == expected[n - 13:n - 3]
        assert [x.id for x in page_resources(r.db, r.who, f, Seek(skip=n - 4, limit=10)).rows] \
            == expected[n - 4:]
        last = page_resources(r.db, r.who, f, Seek(after=end.last_key, skip=10, limit=10))
        assert last.rows == [] and last.keys == []


@pytest.mark.parametrize("f", [ResourceFilter(text="康复"), ResourceFilter(text="证"),
                               ResourceFilter(text="康复", sort="name", descending=True),
                               ResourceFilter(status="published", sort="grade"),
                               ResourceFilter(text="信息", status="published", sort="updated_at")])
def test_search_and_filters_page_by_key_as_by_offset(readers, f: ResourceFilter) -> None:  # type: ignore[no-untyped-def]
    """The first page comes with keys whatever path the search took (a known id set, a sample
    taken in code order), and the pages after it are the offset pages."""
    for r in readers.values():
        total = count_resources(r.db, r.who, f)
        expected = [row.id for row in list_resources(r.db, r.who, f, 0, 1000)]
        assert len(expected) == total > 0
        for cap in (3, 5000):
            count, page = first_keyed_page(r.db, r.who, f, 4, cap=cap)
            ids = [row.id for row in page.rows]
            while page.rows:
                page = page_resources(r.db, r.who, f, Seek(after=page.last_key, limit=4))
                ids += [row.id for row in page.rows]
            assert ids == expected, (r.name, f, cap)


def test_the_first_page_by_code_from_a_search_sample_has_its_keys(readers) -> None:  # type: ignore[no-untyped-def]
    viewer = readers["viewer"]
    count, page = first_keyed_page(viewer.db, viewer.who, ResourceFilter(text="康复"), 5, cap=3)
    assert not count.exact and page.keys == [Key(r.code, r.code) for r in page.rows]


def test_a_key_must_be_a_key(readers) -> None:  # type: ignore[no-untyped-def]
    viewer = readers["viewer"]
    with pytest.raises(InputRejected, match="key"):
        page_resources(viewer.db, viewer.who, ResourceFilter(), Seek(after=("101/000001",)))
    with pytest.raises(InputRejected, match="sort"):
        page_resources(viewer.db, viewer.who, ResourceFilter(sort="password"), Seek())
    assert set(SORT_COLUMNS) == set(SORT_SQL)


def test_a_key_value_is_only_a_value(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """Over plain psql, a key holding SQL is compared as text, like any other value."""
    accounts = accounts_for(pg_demo_db)
    who = accounts.add("viewer")
    conn = accounts.connect(who.username)
    try:
        with conn.cursor() as cur:
            for value in ("x' OR true OR '", "\\'; SELECT 1; --"):
                cur.execute("SELECT resource_id FROM govdesk_catalog_keyset('{}', 'name', false, "
                            "%s, false, 0, 500)", (json.dumps({"v": value, "c": "z"}),))
                found = [r[0] for r in cur.fetchall()]
                cur.execute("SELECT id FROM data_resources WHERE name > %s ORDER BY name, code",
                            (value,))
                assert found == [r[0] for r in cur.fetchall()]
    finally:
        conn.rollback()
        conn.close()


# -- the audit trail ------------------------------------------------------------------------

@pytest.fixture
def auditor(demo_db: Database, accounts_for) -> Iterator[tuple[Reader, Identity]]:  # type: ignore[no-untyped-def]
    """An audit administrator's login, and a viewer who wrote 40 audit rows."""
    accounts = accounts_for(demo_db)
    viewer_db, viewer = accounts.login("viewer")
    for _ in range(40):
        record_session_locked(viewer_db, viewer)
    handle, who = accounts.login("auditor")
    yield Reader("auditor", handle, who), viewer


def _audit_reference(r: Reader, f: AuditFilter) -> list[int]:
    sql, params = "SELECT id FROM audit_events", {}
    if f.username:
        sql, params = sql + " WHERE username = :u", {"u": f.username}
    with r.db.engine.connect() as c:
        return [row[0] for row in c.execute(text(sql + " ORDER BY id DESC"), params)]


def test_the_audit_trail_pages_by_key_as_by_offset(auditor) -> None:  # type: ignore[no-untyped-def]
    r, viewer = auditor
    for f in (AuditFilter(), AuditFilter(username=viewer.username)):
        expected = _audit_reference(r, f)
        assert count_events(r.db, r.who, f) == len(expected) >= 40
        by_offset = [e.id for off in range(0, len(expected), 6)
                     for e in list_events(r.db, r.who, f, off, 6)]
        assert by_offset == expected
        ids: list[int] = []
        page = page_events(r.db, r.who, f, Seek(limit=6))
        while page.rows:
            ids += [e.id for e in page.rows]
            page = page_events(r.db, r.who, f, Seek(after=page.last_key, limit=6))
        assert ids == expected
        back: list[int] = []
        page = page_events(r.db, r.who, f, Seek(backward=True, limit=6))
        while page.rows:
            back = [e.id for e in page.rows] + back
            page = page_events(r.db, r.who, f, Seek(after=page.first_key, backward=True,
                                                    limit=6))
        assert back == expected
        jump = page_events(r.db, r.who, f, Seek(after=Key(expected[9], expected[9]), skip=4,
                                                limit=5))
        assert [e.id for e in jump.rows] == expected[14:19]


def test_audit_keys_are_checked(auditor) -> None:  # type: ignore[no-untyped-def]
    r, _viewer = auditor
    with pytest.raises(InputRejected):
        page_events(r.db, r.who, AuditFilter(), Seek(after=12))
