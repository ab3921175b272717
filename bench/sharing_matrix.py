"""``sharing_matrix``: the effective-access matrix on the province demo (100,000 resources,
151 organisations) with 10,000 grants (``--grants``, default 10,000: the demo's 5,000 named
ones topped up by :mod:`bench.sharing_grants` with named and scope grants in every state), as
real logins on PostgreSQL: a province security administrator (浙江省, every organisation ×
the province's resources) and a city data administrator (杭州市: its region's resources ×
every organisation, and its own organisation's column, which adds what other regions grant it).

Timed (p50/p95 of ``REPEAT`` runs, after one warming run):

- ``first_screen``: the first page of the matrix (``PAGE`` resources × every organisation),
  i.e. ``access_matrix`` as the panel calls it; target ≤ 200 ms;
- ``next_page``: a page 50 pages deep, by key;
- ``own_column``: the data administrator's organisation's column (``what_org_can_read``);
- ``explain``: one cell's explanation (``explain_cell``) for cells that have grants, are
  covered by scope, or are plain denials; target ≤ 50 ms.

Baseline in the same run: the raw SQL the first screen needs, as the owner (no RLS, no
Python): the page of resources by code, their items and the grants on them.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from typing import Any

from sqlalchemy import text

from bench.catalog_search import Logins, Reader, _percentile, _summary
from bench.common import scratch_db
from bench.sharing_grants import top_up
from govdesk.db.engine import Database
from govdesk.demo.load import load_demo
from govdesk.sharing.access_dto import MatrixFilter, MatrixPage
from govdesk.sharing.matrix import access_matrix, explain_cell, what_org_can_read

PAGE = 50
REPEAT = 20
TARGET_SCREEN_MS = 200
TARGET_EXPLAIN_MS = 50


def _times(fn: Any, n: int = REPEAT) -> list[float]:
    fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _cells_to_explain(r: Reader, n: int = 30) -> list[tuple[int, str]]:
    """(organisation id, resource code) of cells with grants first, then plain ones."""
    found: list[tuple[int, str]] = []
    after = None
    for _ in range(40):
        m = access_matrix(r.db, r.who, MatrixFilter(), MatrixPage(after=after, limit=200))
        for row in m.rows:
            for org, cell in zip(m.orgs, row.cells):
                if cell.reason not in ("own_region", "no_grant", "unpublished",
                                       "grade_forbids", "not_shared"):
                    found.append((org.id, row.resource.code))
        if len(found) >= n or m.next_after is None:
            break
        after = m.next_after
    plain = [(m.orgs[i].id, m.rows[i % len(m.rows)].resource.code) for i in range(5)] \
        if m.rows else []
    return found[: n - len(plain)] + plain


def _measure(r: Reader) -> dict[str, Any]:
    f = MatrixFilter()
    first = access_matrix(r.db, r.who, f, MatrixPage(limit=PAGE))
    deep = None
    m = first
    for _ in range(50):
        if m.next_after is None:
            break
        deep = m.next_after
        m = access_matrix(r.db, r.who, f, MatrixPage(after=deep, limit=PAGE))
    out: dict[str, Any] = {
        "login": r.who.username, "role": r.who.role.value if r.who.role else None,
        "region": r.who.region_code, "organisations": len(first.orgs),
        "cells_first_screen": len(first.orgs) * len(first.rows),
        "first_screen": _summary(_times(lambda: access_matrix(r.db, r.who, f,
                                                              MatrixPage(limit=PAGE)))),
        "next_page_50_deep": _summary(_times(lambda: access_matrix(
            r.db, r.who, f, MatrixPage(after=deep, limit=PAGE)))),
    }
    if r.who.organisation_id is not None and r.who.role and r.who.role.value == "data_admin":
        code = next(o.code for o in first.orgs if o.id == r.who.organisation_id)
        column = what_org_can_read(r.db, r.who, code, page=MatrixPage(limit=PAGE))
        out["own_column_rows"] = len(column.rows)
        out["own_column"] = _summary(_times(lambda: what_org_can_read(
            r.db, r.who, code, page=MatrixPage(limit=PAGE))))
    cells = _cells_to_explain(r)
    explain_ms: list[float] = []
    for org_id, code in cells:
        explain_ms += _times(lambda: explain_cell(r.db, r.who, org_id, code), 3)
    out["explain"] = _summary(explain_ms) | {"cells": len(cells)}
    return out


def _baseline(db: Database) -> list[float]:
    """The raw SQL of the first screen as the owner: resources, their items, the grants."""
    def once() -> None:
        with db.engine.connect() as c:
            ids = list(c.execute(text("SELECT id FROM data_resources WHERE region_code LIKE "
                                      "'33%' ORDER BY code LIMIT :n"), {"n": PAGE + 1}).scalars())
            c.execute(text("SELECT id, resource_id, seq, name, grade_id FROM data_items "
                           "WHERE resource_id = ANY(:ids)"), {"ids": ids}).all()
            c.execute(text("SELECT * FROM sharing_grants WHERE resource_id = ANY(:ids)"),
                      {"ids": ids}).all()
            c.execute(text("SELECT o.id, r.level FROM organisations o JOIN regions r "
                           "ON r.code = o.region_code")).all()
    return _times(once)


@contextlib.contextmanager
def _logins(db: Database) -> Any:
    logins = Logins(db)
    try:
        admin = logins._sysadmin()
        yield [logins.login("zhejiang_secadmin", admin),
               logins.login("hangzhou_data_admin", admin)]
    finally:
        logins.drop()


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.backend != "postgres":
        raise SystemExit("sharing_matrix measures real logins: PostgreSQL only")
    scale = args.scale or "province"
    holder: Any = contextlib.nullcontext(Database(args.db)) if args.db else \
        scratch_db(args.backend, args.pg)
    with holder as db:
        if not args.db:
            load_demo(db, scale)
        counts = top_up(db, args.grants or 10_000)
        base = _baseline(db)
        with _logins(db) as readers:
            per = {r.name: _measure(r) for r in readers}
    base_p50 = statistics.median(base)
    screen = max(v["first_screen"]["p95_ms"] for v in per.values())
    explain = max(v["explain"]["p95_ms"] for v in per.values())
    return {
        "benchmark": "sharing_matrix", "backend": "postgresql", "scale": scale,
        "grants": counts, "page": PAGE, "by_login": per,
        "baseline": "raw SQL of the first screen as the owner (resources, items, grants, "
                    "organisations; no RLS, no verdicts)",
        "baseline_p50_ms": round(base_p50, 2), "baseline_p95_ms": round(_percentile(base, .95), 2),
        "ratio_first_screen_p50_to_baseline": {
            k: round(v["first_screen"]["p50_ms"] / base_p50, 2) for k, v in per.items()},
        "target_first_screen_ms": TARGET_SCREEN_MS, "target_explain_ms": TARGET_EXPLAIN_MS,
        "meets_target": screen <= TARGET_SCREEN_MS and explain <= TARGET_EXPLAIN_MS,
    }
