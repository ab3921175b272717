"""Access events at scale (issue 15): what recording costs, what the rollup trigger costs on a
bulk COPY, and the review workbench's first page over 10^6 partitioned rows.

``python -m bench access_events [--scale N] [--json]`` on PostgreSQL (a fresh database, the small
demo loaded, real logins made for the run):

* **record**: the catalogue's first page (``first_page``, 20 rows) as a real data administrator
  login, 200 calls with the access event written and 200 with the writer replaced by a no-op,
  interleaved; and ``access_log.record`` alone. Medians and p95 in ms.
* **copy**: N (default 1,000,000) events COPYed by the owner into a plain unpartitioned table of
  the same columns with only a primary key (the bare baseline); into ``access_events`` with its
  triggers off (partitions and the workbench's indexes), and with its triggers (the owner's
  rows skip the stamp by its WHEN clause) without and with the rollup trigger. Seconds and
  the ratio to bare.
* **page**: as a real security administrator login over those N rows: the workbench's first
  page (ORDER BY ts DESC, id DESC LIMIT 50), the same filtered by one user, and a page after a
  key 100,000 rows deep (half of N when N is smaller; keyset). Medians of 20 runs in ms.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench.catalog_search import Logins, _readers
from bench.common import scratch_db
from govdesk.catalog.search.browse import ResourceFilter, first_page
from govdesk.db.engine import Database
from govdesk.demo.load import load_demo
from govdesk.security import access_log


def _ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3)}


def _record_cost(db: Database) -> dict[str, Any]:
    with _readers(db, ["hangzhou_data_admin"]) as (readers, _auditor):
        reader = readers[1]
        real = access_log.record
        on: list[float] = []
        off: list[float] = []
        alone: list[float] = []
        call = lambda: first_page(reader.db, reader.who, ResourceFilter(), 20)  # noqa: E731
        for _ in range(10):
            call()
        for _ in range(200):
            on.append(_ms(call))
            access_log.record = lambda *_a, **_k: None  # type: ignore[assignment]
            try:
                off.append(_ms(call))
            finally:
                access_log.record = real  # type: ignore[assignment]
            alone.append(_ms(lambda: real(reader.db, reader.who, access_log.Event("query"))))
    return {"first_page_recorded": _stats(on), "first_page_unrecorded": _stats(off),
            "record_alone": _stats(alone),
            "added_median_ms": round(statistics.median(on) - statistics.median(off), 3)}


def _rows(n: int) -> Iterator[str]:
    base = time.time() - 300 * 86_400
    step = 300 * 86_400 / n
    for i in range(n):
        ts = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(base + i * step))
        yield (f"{ts}\tu{i % 800:04d}\t{1 + i % 40}\t{1 + i % 300}\t"
               f"{('query', 'view', 'export')[i % 3]}\t{i % 500}\t{'t' if i % 50 else 'f'}\t"
               f"10.0.{i % 250}.{i % 200}\n")


COLS = "ts, username, organisation_id, resource_id, action, row_count, success, client_host"


def _copy(db: Database, table: str, n: int) -> float:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        buf = io.StringIO("".join(_rows(n)))
        t0 = time.perf_counter()
        cur.copy_expert(f"COPY {table} ({COLS}) FROM STDIN", buf)
        raw.commit()
        return time.perf_counter() - t0
    finally:
        raw.close()


def _copy_cost(db: Database, n: int) -> dict[str, Any]:
    with db.engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, ts timestamptz, "
                          "username text, organisation_id int, resource_id int, action text, "
                          "row_count int, success bool, client_host text)")
        c.exec_driver_sql("SELECT govdesk_access_partitions_ensure(12, now() - "
                          "interval '310 days')")
    bare = _copy(db, "bench_bare", n)
    with db.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE access_events DISABLE TRIGGER USER")
    untriggered = _copy(db, "access_events", n)
    with db.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE access_events ENABLE TRIGGER USER")
        c.exec_driver_sql("ALTER TABLE access_events DISABLE TRIGGER access_events_rollup")
        c.exec_driver_sql("TRUNCATE access_events")
    no_rollup = _copy(db, "access_events", n)
    with db.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE access_events ENABLE TRIGGER access_events_rollup")
        c.exec_driver_sql("TRUNCATE access_events")
    rollup = _copy(db, "access_events", n)
    with db.engine.begin() as c:
        c.exec_driver_sql("DROP TABLE bench_bare")
        c.exec_driver_sql("ANALYZE access_events")
    return {"rows": n, "bare_s": round(bare, 2), "same_table_no_triggers_s": round(untriggered, 2),
            "ratio_same_table": round(bare / untriggered, 3),
            "partitioned_no_rollup_s": round(no_rollup, 2),
            "partitioned_with_rollup_s": round(rollup, 2),
            "ratio_no_rollup": round(bare / no_rollup, 3),
            "ratio_with_rollup": round(bare / rollup, 3)}


PAGE = ("SELECT id, ts, username, organisation_id, resource_id, action, row_count, success, "
        "client_host FROM access_events {where} ORDER BY ts DESC, id DESC LIMIT 50")


def _page_cost(db: Database, n: int) -> dict[str, Any]:
    with db.engine.connect() as c:
        deep = c.exec_driver_sql("SELECT ts, id FROM access_events ORDER BY ts DESC, id DESC "
                                 f"OFFSET {min(100_000, n // 2)} LIMIT 1").one()
    with _readers(db, ["province_secadmin"]) as (readers, _auditor):
        handle = readers[1].db
        queries = {"first_page": (PAGE.format(where=""), {}),
                   "first_page_one_user": (PAGE.format(where="WHERE username = %(u)s"),
                                           {"u": "u0042"}),
                   "page_deep": (PAGE.format(where="WHERE (ts, id) < (%(t)s, %(i)s)"),
                                        {"t": deep[0], "i": deep[1]})}
        out: dict[str, Any] = {}
        raw = handle.engine.raw_connection()
        try:
            cur = raw.cursor()
            for name, (sql, params) in queries.items():
                times = []
                for _ in range(21):
                    t0 = time.perf_counter()
                    cur.execute(sql, params)
                    cur.fetchall()
                    times.append((time.perf_counter() - t0) * 1000)
                out[name] = _stats(times[1:])
            raw.rollback()
        finally:
            raw.close()
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    n = int(args.scale or 1_000_000)
    with scratch_db("postgres", args.pg) as db:
        load_demo(db, "small")
        result: dict[str, Any] = {"record": _record_cost(db)}
        result["copy"] = _copy_cost(db, n)
        result["page"] = _page_cost(db, n)
    return result


__all__ = ["Logins", "run"]
