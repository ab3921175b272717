"""``access_page``: the access-log workbench at 10,000,000 events on PostgreSQL, as a real
security-administrator login: a filtered first page and a page 100,000 rows deep (by key),
each against the bare keyset SQL (the same statement run raw over psycopg2 as the same login),
and the client's RSS while scrolling a whole filtered result through the service by pages.

The database ``govdesk_bench_access`` (or ``--db URL`` of the owner) is reused when it holds
the events already; else it is made: migrated, the small demo loaded (organisations,
resources, users), then ``access_events`` filled to 10,000,000 rows by ``generate_series`` as
the owner (a year of events, ids in time order, 2 % denied, the demo's organisations and
resources; the stamping trigger disabled for the load, as the demo loader does). The fill
takes minutes and commits every million rows, so an interrupted fill resumes.

Targets (issue 15): each page ≤ 50 ms and ≤ 1.3 × the bare SQL; RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

import psycopg2
from psycopg2 import sql
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from bench.catalog_search import Logins
from govdesk.db.engine import Database
from govdesk.db.keyset import Seek
from govdesk.db.migrate import upgrade
from govdesk.demo.load import load_demo
from govdesk.monitoring import queries
from govdesk.monitoring.dto import AccessFilter
from govdesk.monitoring.workbench import count_access, page_access

SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432"
NAME = "govdesk_bench_access"
EVENTS = 10_000_000
CHUNK = 1_000_000
FIRST_ID = 100_000  #: the filled events' first id (the demo's own 18,000 keep theirs)
PAGE = 200
DEEP = 100_000
REPEAT = 15

FILL = """
INSERT INTO access_events (id, ts, username, role_code, organisation_id, resource_id, action,
                           row_count, success, client_host)
SELECT g, timestamptz '2025-12-01 00:00:00+08' + g * interval '3.1536 seconds'
          + (hashint4(g) % 1000) * interval '1 millisecond',
       'u' || lpad(o::text, 4, '0') || '_' || (1 + abs(hashint4(g + 7)) % 8),
       'viewer', o, 1 + abs(hashint4(g + 3)) % :n_res,
       (ARRAY['query','query','query','query','query','query','query','download','api',
              'export'])[1 + abs(hashint4(g + 5)) % 10],
       1 + abs(hashint4(g + 11)) % 500, abs(hashint4(g + 13)) % 50 <> 0,
       '10.33.' || (o % 250) || '.' || (2 + abs(hashint4(g + 17)) % 248)
FROM generate_series(:lo, :hi) g,
     LATERAL (SELECT (:orgs)[1 + abs(hashint4(g + 1)) % cardinality(:orgs)] AS o) x
"""


def _admin() -> Any:
    conn = psycopg2.connect(SERVER.replace("postgresql+psycopg2://", "postgresql://") + "/postgres")
    conn.autocommit = True
    return conn


def prepare(url: str | None) -> Database:
    """The bench database with :data:`EVENTS` events (made or completed when short)."""
    if url is None:
        conn = _admin()
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (NAME,))
            fresh = cur.fetchone() is None
            if fresh:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(NAME)))
        conn.close()
        db = Database(f"{SERVER}/{NAME}")
        if fresh:
            upgrade(db)
            load_demo(db, "small")
        else:
            upgrade(db)
    else:
        db = Database(url)
    _fill(db)
    return db


def _fill(db: Database) -> None:
    with db.engine.connect() as c:
        have = int(c.execute(text("SELECT coalesce(max(id), 0) FROM access_events")).scalar_one())
    last = FIRST_ID + EVENTS - 1
    if have >= last:
        return
    with db.engine.connect() as c:
        orgs = list(c.execute(text("SELECT id FROM organisations ORDER BY id")).scalars())
        n_res = int(c.execute(text("SELECT max(id) FROM data_resources")).scalar_one())
    for lo in range(max(have + 1, FIRST_ID), last + 1, CHUNK):
        hi = min(last, lo + CHUNK - 1)
        t0 = time.perf_counter()
        with db.engine.begin() as c:
            c.execute(text("ALTER TABLE access_events DISABLE TRIGGER access_events_stamp"))
            c.execute(text(FILL), {"lo": lo, "hi": hi, "orgs": orgs, "n_res": n_res})
            c.execute(text("ALTER TABLE access_events ENABLE TRIGGER access_events_stamp"))
        print(f"filled {hi:,} events ({time.perf_counter() - t0:.0f} s)", flush=True)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("SELECT setval(pg_get_serial_sequence('access_events', 'id'), "
                       "(SELECT max(id) FROM access_events))"))
        c.execute(text("VACUUM ANALYZE access_events"))


def _ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _bare(reader: Any, f: AccessFilter, seek: Seek) -> Callable[[], Any]:
    """The service's page statement, compiled once, run raw over psycopg2 as the login."""
    with reader.db.session() as s:
        stmt = queries.page_statement(s, f, seek)
    compiled = stmt.compile(dialect=postgresql.dialect())
    raw = reader.db.engine.raw_connection()
    sql_text, params = str(compiled), compiled.params

    def run() -> Any:
        with raw.cursor() as cur:
            cur.execute(sql_text, params)
            rows = cur.fetchall()
        raw.commit()
        return rows
    return run


def _pair(reader: Any, f: AccessFilter, seek: Seek) -> dict[str, Any]:
    db, who = reader.db, reader.who
    service = lambda: page_access(db, who, f, seek)  # noqa: E731
    bare = _bare(reader, f, seek)
    for _ in range(3):
        service(), bare()
    ts, tb = [], []
    for _ in range(REPEAT):  # interleaved, so load on the shared machine hits both alike
        ts.append(_ms(service))
        tb.append(_ms(bare))
    s50, b50 = statistics.median(ts), statistics.median(tb)
    return {"service_p50_ms": round(s50, 2), "service_min_ms": round(min(ts), 2),
            "bare_p50_ms": round(b50, 2), "bare_min_ms": round(min(tb), 2),
            "ratio_p50": round(s50 / b50, 2), "rows": len(service().rows)}


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _scroll(reader: Any, f: AccessFilter, keep: bool) -> dict[str, Any]:
    """Scroll the whole result of ``f`` by pages of 200 through the service; ``keep``: hold
    every page as the GUI's table model does."""
    gc.collect()
    before, peak, n, kept = _rss_mb(), 0.0, 0, []
    t0 = time.perf_counter()
    page = page_access(reader.db, reader.who, f, Seek(limit=PAGE))
    while page.rows:
        n += len(page.rows)
        if keep:
            kept.append(page.rows)
        if n % 20_000 < PAGE:
            peak = max(peak, _rss_mb())
        page = page_access(reader.db, reader.who, f, Seek(after=page.last_key, limit=PAGE))
    peak = max(peak, _rss_mb())
    return {"rows": n, "seconds": round(time.perf_counter() - t0, 1),
            "rss_before_mb": round(before, 1), "rss_peak_mb": round(peak, 1), "kept": keep}


FILTERS = {
    "denied": AccessFilter(success=False),
    "exports": AccessFilter(action="export"),
    "unfiltered": AccessFilter(),
}


def run(args: argparse.Namespace) -> dict[str, Any]:
    db = prepare(getattr(args, "db", None))
    logins = Logins(db)
    try:
        admin = logins._sysadmin()
        reader = logins.login("province_secadmin", admin)
        out: dict[str, Any] = {"events": EVENTS, "uptime": os.popen("uptime").read().strip(),
                               "table": "plain (not partitioned)", "pages": {}}
        for name, f in FILTERS.items():
            first = page_access(reader.db, reader.who, f, Seek(limit=PAGE))
            key = page_access(reader.db, reader.who, f, Seek(skip=DEEP - 1, limit=1)).keys[0]
            out["pages"][name] = {
                "count": count_access(reader.db, reader.who, f).__dict__,
                "first_page": _pair(reader, f, Seek(limit=PAGE)),
                f"page_{DEEP}_deep_by_key": _pair(reader, f, Seek(after=key, limit=PAGE)),
                "first_rows": len(first.rows)}
        out["scroll_denied_streamed"] = _scroll(reader, FILTERS["denied"], keep=False)
        out["scroll_denied_kept"] = _scroll(reader, FILTERS["denied"], keep=True)
        out["uptime_after"] = os.popen("uptime").read().strip()
        return out
    finally:
        logins.drop()
        db.dispose()
