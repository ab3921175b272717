"""``catalog_paging``: the catalogue list's first page against pages 10,000 and 100,000 rows
deep (the last page for a login who sees fewer rows), as real logins and as the owner.

Each page is what the list fetches when its rows are painted: 200 rows with their columns.
Three ways are timed for a deep page, per sort order (code, the default; name; grade, a joined
column with NULLs):

- ``offset``: ``list_resources(offset)``, the rows before it passed over in SQL (the only way
  before keyset paging; also what a jump costs with no key nearer than the start);
- ``keyset``: ``page_resources(Seek(after=key))`` with the key of the row just before the
  page, what scrolling costs (the key of a neighbouring loaded page is always known);
- ``first_page`` for comparison: the page at the start.

On PostgreSQL the logins are real GovDesk logins (row-level security applies; by default a
杭州市 data administrator and a province-wide viewer, ``--logins`` picks others, see
``catalog_search``); on SQLite accounts made with ``create_user`` and logged in with their
password (their regional scope is the service's SQL clause). Load the province demo first
(``govdesk demo --scale province --db URL``) and pass ``--db URL``, or let the benchmark make a
scratch database (minutes).

Runs against code without keyset paging too (then only ``offset`` is timed), which is how the
"before" figures were taken: ``PYTHONPATH=<old checkout> python bench/catalog_paging.py --db URL``.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

if __package__ in (None, ""):  # run as a file against another checkout's govdesk
    sys.path.pop(0)

from sqlalchemy import select

from bench.catalog_search import DEFAULT_LOGINS, LOGINS, Reader, _readers
from bench.common import scratch_db
from govdesk.catalog.search.browse import ResourceFilter, count_resources, list_resources
from govdesk.db.engine import Database
from govdesk.db.models import Organisation, User
from govdesk.demo.load import load_demo
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

try:  # keyset paging (issue 12)
    from govdesk.catalog.search.browse import page_resources
    from govdesk.db.keyset import Seek
except ImportError:  # pragma: no cover - the code before
    page_resources = None  # type: ignore[assignment]

DEPTHS = (10_000, 100_000)
SORTS = (("code", False), ("name", False), ("grade", True))
REPEAT = 10
PAGE = 200


def _ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _timed(fn: Callable[[], Any]) -> dict[str, Any]:
    fn()  # warm
    values = sorted(_ms(fn) for _ in range(REPEAT))
    return {"p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 2)}


def _pages(r: Reader) -> dict[str, Any]:
    """First and deep pages for each sort order, as ``r``."""
    total = count_resources(r.db, r.who, ResourceFilter())
    out: dict[str, Any] = {"visible_resources": total}
    for sort, descending in SORTS:
        f = ResourceFilter(sort=sort, descending=descending)
        name = f"{sort}{' desc' if descending else ''}"
        result: dict[str, Any] = {}
        if page_resources is not None:
            result["first_page"] = _timed(lambda f=f: page_resources(r.db, r.who, f,
                                                                     Seek(limit=PAGE)))
        else:
            result["first_page"] = _timed(lambda f=f: list_resources(r.db, r.who, f, 0, PAGE))
        for depth in DEPTHS:
            at = min(depth, max(0, total - PAGE))
            entry: dict[str, Any] = {"offset": _timed(
                lambda f=f, at=at: list_resources(r.db, r.who, f, at, PAGE))}
            if page_resources is not None and at > 0:
                key = page_resources(r.db, r.who, f, Seek(skip=at - 1, limit=1)).keys[0]
                seek = Seek(after=key, limit=PAGE)
                deep = page_resources(r.db, r.who, f, seek)
                assert [x.id for x in deep.rows] == [x.id for x in list_resources(
                    r.db, r.who, f, at, PAGE)], (r.name, name, at)
                entry["keyset"] = _timed(lambda f=f, seek=seek: page_resources(r.db, r.who, f,
                                                                               seek))
            result[f"page_at_{at}"] = entry
        out[name] = result
    return out


@contextlib.contextmanager
def _sqlite_logins(db: Database, kinds: list[str]) -> Iterator[list[Reader]]:
    """SQLite: the owner plus accounts of the requested kinds, logged in by password."""
    from govdesk.security.auth import login_sqlite
    from govdesk.security.users import create_user

    password = "Bench-" + secrets.token_hex(8) + "!"
    tag = secrets.token_hex(3)
    readers = [Reader("owner", db, Identity("bench", Role.VIEWER))]
    with db.session() as s:  # e.g. the demo's system administrator
        admin_name = s.scalar(select(User.username).where(User.role_code == "sysadmin",
                                                          User.is_active.is_(True)).limit(1))
    if admin_name is None:
        admin_name = f"bench_{tag}_sysadmin"
        create_user(db, Identity.local_owner(), admin_name, Role.SYSADMIN, password)
    admin = Identity(admin_name, Role.SYSADMIN, host="bench")
    for kind in kinds:
        role, region, org_region = LOGINS[kind]
        with db.session() as s:
            org = s.scalar(select(Organisation.id).where(
                Organisation.region_code == org_region, Organisation.kind == "federation"))
        name = f"bench_{tag}_{kind}"
        create_user(db, admin, name, role, password, region_code=region, organisation_id=org)
        readers.append(Reader(kind, db, login_sqlite(db, name, password)))
    yield readers


def run(args: argparse.Namespace) -> dict[str, Any]:
    wanted = [k.strip() for k in (getattr(args, "logins", None) or DEFAULT_LOGINS).split(",")
              if k.strip()]
    unknown = [k for k in wanted if k not in LOGINS]
    if unknown:
        raise SystemExit(f"unknown login {unknown[0]!r}; choose from {', '.join(LOGINS)}")
    holder: Any = (contextlib.nullcontext(Database(args.db)) if args.db
                   else scratch_db(args.backend, args.pg))
    with holder as db:
        if not args.db:
            load_demo(db, args.scale or "province")
        if db.is_postgres:
            with _readers(db, wanted) as (readers, _auditor):
                per = {r.name: _pages(r) for r in readers}
        else:
            with _sqlite_logins(db, wanted) as readers:
                per = {r.name: _pages(r) for r in readers}
        backend = db.dialect
    return {"benchmark": "catalog_paging", "backend": backend, "page_rows": PAGE,
            "keyset": page_resources is not None, "repeat": REPEAT, "by_login": per}


if __name__ == "__main__":
    import json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=None)
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--scale", default=None)
    parser.add_argument("--logins", default=None)
    parser.add_argument("--pg", default="postgresql+psycopg2://postgres@127.0.0.1:5432")
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=2))
