"""``catalog_search``: p50/p95 of 200 catalogue searches on the province-scale demo, as real
logins and as the database owner in the same run.

Each search is what the list does when a user types, timed until the list can show: the count
(capped: a search matching more than 2,000 resources shows "2,000+") and the first 200-row page
sorted by code, through ``first_page``. The exact count of a capped search, which the list asks
for in the background after showing, is timed separately. The queries mix two-character Chinese
terms (the common case), longer terms, codes, English and single characters.

On PostgreSQL the searches run as real GovDesk logins, created in the database through
``create_user`` (by the first system administrator) and connected with their own password, so
row-level security applies: by default a 杭州市 data administrator and a province-wide viewer
(``--logins`` picks others). The owner, whom RLS does not apply to, runs the same searches
beside them, interleaved query by query. Per login the benchmark also times the catalogue
list's first page (sorted by code), a page 10,000 rows deep (or the last page, for a login who
sees fewer rows) by offset and by key (as the list pages; see also ``catalog_paging``), the
region tree counts (the top and its children) and the category tree; and
as an audit administrator the audit trail's first page and count. On SQLite (no logins) only
the owner's figures exist.

Baseline in the same run: the same queries as a plain LIKE over name, summary and code (no
index, as the owner), first page only.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bench.common import scratch_db
from govdesk.catalog.search.browse import (
    ResourceFilter,
    category_tree,
    count_resources,
    first_page,
    list_resources,
    page_resources,
    region_children,
)
from govdesk.db.engine import Database
from govdesk.db.keyset import Seek
from govdesk.db.models import Organisation, User
from govdesk.demo.load import load_demo
from govdesk.security.audit_read import AuditFilter, count_events, list_events
from govdesk.security.identity import Identity, identity_from_connection
from govdesk.security.roles import Role
from govdesk.security.users import create_user

TERMS = {
    "two_chars": ["康复", "就业", "教育", "补贴", "护理", "培训", "监护", "体育", "维权", "机构"],
    "long": ["残疾人证", "持证残疾人基础信息", "困难残疾人生活补贴", "辅助器具", "公民身份号码",
             "特殊教育学校", "家庭医生签约"],
    "code": ["201/000123", "101/00", "304/0000"],
    "mixed": ["杭州 康复", "宁波市 就业", "2023年 补贴"],
    "rare": ["舟山市残疾人体育赛事成绩", "龙泉市无障碍设施建设改造信息"],
    "one_char": ["证"],
}

#: logins the benchmark can create: name -> (role, region code, organisation's region)
LOGINS = {
    "hangzhou_data_admin": (Role.DATA_ADMIN, "330100000000", "330100000000"),
    "zhejiang_data_admin": (Role.DATA_ADMIN, "330000000000", "330000000000"),
    "province_viewer": (Role.VIEWER, None, "330000000000"),
    "zhejiang_viewer": (Role.VIEWER, "330000000000", "330000000000"),
    "ningbo_viewer": (Role.VIEWER, "330200000000", "330200000000"),
    "province_secadmin": (Role.SECADMIN, None, "330000000000"),
    "zhejiang_secadmin": (Role.SECADMIN, "330000000000", "330000000000"),
    # with --grants: a data administrator of the organisation most grants in force cover
    # (region: its organisation's)
    "grantee_data_admin": (Role.DATA_ADMIN, "", ""),
}
DEFAULT_LOGINS = "hangzhou_data_admin,province_viewer"
DEEP = 10_000  #: offset of the deep list page
REPEAT = 20  #: runs of each list and tree operation per login
TARGET_P95_MS = 50


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def _summary(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(_percentile(values, 0.95), 2)}


def _ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


@dataclass
class Reader:
    """One identity the benchmark searches as, over its own connection."""

    name: str
    db: Database
    who: Identity


class Logins:
    """GovDesk accounts created for the run (server login roles), dropped afterwards."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.password = "Bench-" + secrets.token_hex(8) + "!"
        self.created: list[str] = []
        self.handles: list[Database] = []
        self.tag = secrets.token_hex(3)
        self.admin_db = db

    def _sysadmin(self) -> Identity:
        """A system administrator made for the run by the owner; further accounts are made by
        its own login (the database's account functions accept no one else)."""
        name = f"bench_{self.tag}_sysadmin"
        create_user(self.db, identity_from_connection(self.db), name, Role.SYSADMIN, self.password)
        self.created.append(name)
        self.admin_db = Database(make_url(self.db.url).set(username=name, password=self.password)
                                 .render_as_string(hide_password=False))
        self.handles.append(self.admin_db)
        return Identity(name, Role.SYSADMIN, host="bench")

    def login(self, kind: str, admin: Identity) -> Reader:
        role, region, org_region = LOGINS[kind]
        with self.db.session() as s:
            if kind == "grantee_data_admin":
                org, region = most_granted(self.db)
            else:
                org = s.scalar(select(Organisation.id).where(
                    Organisation.region_code == org_region, Organisation.kind == "federation"))
        name = f"bench_{self.tag}_{kind}"
        create_user(self.admin_db, admin, name, role, self.password, region_code=region,
                    organisation_id=org)
        self.created.append(name)
        handle = Database(make_url(self.db.url).set(username=name, password=self.password)
                          .render_as_string(hide_password=False))
        self.handles.append(handle)
        return Reader(kind, handle, identity_from_connection(handle))

    def drop(self) -> None:
        for handle in self.handles:
            handle.dispose()
        with contextlib.suppress(Exception), self.db.engine.begin() as c:
            for name in self.created:  # the owner, who may (its CREATEROLE is for this)
                c.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
                c.execute(text("UPDATE users SET is_active = false WHERE username = :n"),
                          {"n": name})


def most_granted(db: Database) -> tuple[int, str]:
    """(id, region code) of the organisation the most grants in force name or cover."""
    with db.engine.connect() as c:
        row = c.execute(text(
            "SELECT o.id, o.region_code, count(g.id) FROM organisations o "
            "JOIN regions rg ON rg.code = o.region_code JOIN sharing_grants g ON "
            "(g.grantee_org_id = o.id OR (g.scope_region_prefix IS NOT NULL AND o.region_code "
            "LIKE g.scope_region_prefix || '%' AND (g.scope_org_kind IS NULL OR "
            "g.scope_org_kind = o.kind) AND (g.scope_org_level IS NULL OR g.scope_org_level = "
            "rg.level))) WHERE g.status = 'approved' AND g.valid_from <= CURRENT_DATE AND "
            "g.valid_until >= CURRENT_DATE GROUP BY o.id, o.region_code "
            "ORDER BY 3 DESC, 1 LIMIT 1")).one()
    return int(row[0]), str(row[1])


def grants_in_force(db: Database) -> int:
    """How many grants are in force today (status approved, today within the dates)."""
    with db.engine.connect() as c:
        return int(c.execute(text(
            "SELECT count(*) FROM sharing_grants WHERE status = 'approved' AND "
            "valid_from <= govdesk_grant_day() AND valid_until >= govdesk_grant_day()"
            if db.is_postgres else "SELECT count(*) FROM sharing_grants WHERE status = "
            "'approved' AND valid_from <= date('now') AND valid_until >= date('now')"))
            .scalar_one())


@contextlib.contextmanager
def _readers(db: Database, kinds: list[str]) -> Iterator[tuple[list[Reader], Reader | None]]:
    """The owner plus the requested logins (PostgreSQL), and an audit administrator."""
    owner = Reader("owner", db, Identity("bench", Role.VIEWER))
    if not db.is_postgres:
        yield [owner], None
        return
    logins = Logins(db)
    try:
        admin = logins._sysadmin()
        readers = [owner] + [logins.login(k, admin) for k in kinds]
        auditor_name = f"bench_{logins.tag}_auditor"
        create_user(logins.admin_db, admin, auditor_name, Role.AUDITOR, logins.password)
        logins.created.append(auditor_name)
        handle = Database(make_url(db.url).set(username=auditor_name, password=logins.password)
                          .render_as_string(hide_password=False))
        logins.handles.append(handle)
        yield readers, Reader("auditor", handle, identity_from_connection(handle))
    finally:
        logins.drop()


def _list_and_trees(r: Reader) -> dict[str, Any]:
    """The catalogue list's first page and a deep page, and the tree counts, as ``r``."""
    everything = ResourceFilter()
    total = count_resources(r.db, r.who, everything)
    deep = min(DEEP, max(0, total - 200))

    def region_tree() -> None:  # what the tree loads first: its top, then the top opened
        for node in region_children(r.db, r.who, None):
            region_children(r.db, r.who, node.code)

    # the key of the row before the deep page, as the list knows it from the page before
    key = page_resources(r.db, r.who, everything, Seek(skip=deep - 1, limit=1)).keys[0] \
        if deep else None
    ops: dict[str, Callable[[], Any]] = {
        "list_first_page": lambda: first_page(r.db, r.who, everything, 200),
        f"list_page_at_{deep}": lambda: list_resources(r.db, r.who, everything, deep, 200),
        f"list_page_at_{deep}_by_key": lambda: page_resources(r.db, r.who, everything,
                                                             Seek(after=key, limit=200)),
        "region_tree": region_tree,
        "category_tree": lambda: category_tree(r.db, r.who),
    }
    for fn in ops.values():
        fn()  # warm
    result: dict[str, Any] = {"visible_resources": total}
    for name, fn in ops.items():
        result[name] = _summary([_ms(fn) for _ in range(REPEAT)])
    return result


def _audit(r: Reader) -> dict[str, Any]:
    f = AuditFilter()
    rows = count_events(r.db, r.who, f)
    return {"audit_rows": rows,
            "audit_first_page": _summary([_ms(lambda: list_events(r.db, r.who, f, 0, 200))
                                          for _ in range(REPEAT)]),
            "audit_count": _summary([_ms(lambda: count_events(r.db, r.who, f))
                                     for _ in range(REPEAT)])}


def run(args: argparse.Namespace) -> dict[str, Any]:
    scale = args.scale or "province"
    rng = random.Random(5)
    kinds = [k for k, v in TERMS.items() for _ in v]
    queries = [(k, rng.choice(TERMS[k])) for k in rng.choices(kinds, k=200)]
    wanted = [k.strip() for k in (getattr(args, "logins", None) or DEFAULT_LOGINS).split(",")
              if k.strip()]
    unknown = [k for k in wanted if k not in LOGINS]
    if unknown:
        raise SystemExit(f"unknown login {unknown[0]!r}; choose from {', '.join(LOGINS)}")
    if args.db:  # an already loaded province demo (saves the load), e.g. from `govdesk demo`
        holder: Any = contextlib.nullcontext(Database(args.db))
    else:
        holder = scratch_db(args.backend, args.pg)
    with holder as db:
        started = time.perf_counter()
        if not args.db:
            load_demo(db, scale)
        load_seconds = time.perf_counter() - started
        grants, in_force = getattr(args, "grants", None), 0
        if grants:  # topped up as the owner, before any login exists
            from bench.sharing_grants import top_up

            top_up(db, grants)
            in_force = grants_in_force(db)
            if "grantee_data_admin" not in wanted:
                wanted.append("grantee_data_admin")
        with _readers(db, wanted) as (readers, auditor):
            per = _search(readers, queries)
            for r in readers:
                per[r.name].update(_list_and_trees(r))
            audit = {"owner": _audit(Reader("owner", db, Identity("bench", Role.AUDITOR)))}
            if auditor is not None:
                audit["auditor"] = _audit(auditor)
        like_ms = _baseline(db, queries[:50])
    logins = [r for r in per if r != "owner"] or ["owner"]
    worst = max(logins, key=lambda name: per[name]["p95_ms"])
    return {
        "benchmark": "catalog_search",
        "backend": db.dialect,
        "scale": scale,
        "queries": len(queries),
        "p50_ms": per[worst]["p50_ms"],
        "p95_ms": per[worst]["p95_ms"],
        "reported_for": worst,
        "by_login": per,
        "audit_trail": audit,
        "baseline": "unindexed LIKE over name/summary/code as the owner, first page only "
                    "(50 queries)",
        "baseline_p50_ms": round(statistics.median(like_ms), 2),
        "baseline_p95_ms": round(_percentile(like_ms, 0.95), 2),
        "ratio_p95_to_baseline": round(per[worst]["p95_ms"] / _percentile(like_ms, 0.95), 3),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": all(per[name]["p95_ms"] <= TARGET_P95_MS for name in logins),
        "demo_load_seconds": round(load_seconds, 1),
        "grants": {"total": grants, "in_force": in_force} if grants else None,
    }


def _search(readers: list[Reader], queries: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """The 200 searches, each run by every reader in turn (interleaved, so they share the cache
    state), after ten warming searches each."""
    for r in readers:
        for _kind, q in queries[:10]:
            list_resources(r.db, r.who, ResourceFilter(text=q), 0, 200)
    timings: dict[str, dict[str, list[float]]] = {r.name: {} for r in readers}
    all_ms: dict[str, list[float]] = {r.name: [] for r in readers}
    exact_ms: dict[str, list[float]] = {r.name: [] for r in readers}
    for kind, q in queries:
        f = ResourceFilter(text=q)
        for r in readers:
            t0 = time.perf_counter()
            count, _rows = first_page(r.db, r.who, f, 200)
            ms = (time.perf_counter() - t0) * 1000
            if not count.exact:  # the list shows "2,000+" and counts exactly in the background
                exact_ms[r.name].append(_ms(lambda: count_resources(r.db, r.who, f)))
            timings[r.name].setdefault(kind, []).append(ms)
            all_ms[r.name].append(ms)
    out: dict[str, dict[str, Any]] = {}
    for r in readers:
        values, exact = all_ms[r.name], exact_ms[r.name]
        out[r.name] = {
            "login": r.who.username if r.name != "owner" else "(database owner, no RLS)",
            "role": r.who.role.value if r.who.role else None,
            "region": r.who.region_code,
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(_percentile(values, 0.95), 2),
            "by_kind": {k: _summary(v) for k, v in timings[r.name].items()},
            "background_exact_counts": len(exact),
            "background_exact_count_p50_ms": round(statistics.median(exact), 2) if exact
            else None,
            "background_exact_count_p95_ms": round(_percentile(exact, 0.95), 2) if exact
            else None,
        }
    return out


def _baseline(db: Database, queries: list[tuple[str, str]]) -> list[float]:
    like_ms: list[float] = []
    op = "ILIKE" if db.is_postgres else "LIKE"
    with db.engine.connect() as c:
        for _kind, q in queries:
            t0 = time.perf_counter()
            c.execute(text(
                f"SELECT id FROM data_resources WHERE name {op} :p OR summary {op} :p "
                f"OR code {op} :p ORDER BY code LIMIT 200"), {"p": f"%{q}%"}).all()
            like_ms.append((time.perf_counter() - t0) * 1000)
    return like_ms
