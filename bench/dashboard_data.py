"""The dashboard bench's database: ``govdesk_bench_dashboard`` with 10,000,000 access events.

Reused when it already holds the events; else made: migrated, the small demo loaded
(organisations, resources, users, grants), then ``access_events`` filled by
``generate_series`` as the owner to :data:`EVENTS` rows over the year up to now (ids from
:data:`FIRST_ID` in time order, 2 % refused, the demo's organisations and resources, the same
mix as the workbench's ``access_page`` bench), the stamping and rollup triggers off for the
fill and the rollups rebuilt once afterwards (as the demo loader does). The fill commits every
million rows, so an interrupted fill resumes.
"""

from __future__ import annotations

import time

import psycopg2
from psycopg2 import sql
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.migrate import upgrade
from govdesk.demo.load import load_demo

SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432"
NAME = "govdesk_bench_dashboard"
EVENTS = 10_000_000
CHUNK = 1_000_000
FIRST_ID = 100_000

FILL = """
INSERT INTO access_events (id, ts, username, role_code, organisation_id, resource_id, action,
                           row_count, success, client_host)
SELECT g, CAST(:start AS timestamptz) + (g - :first) * interval '3.1536 seconds'
          + (hashint4(g) % 1000) * interval '1 millisecond',
       'u' || lpad(o::text, 4, '0') || '_' || (1 + abs(hashint4(g + 7)) % 8),
       'viewer', o, 1 + abs(hashint4(g + 3)) % :n_res,
       (ARRAY['query','query','query','query','query','query','view','download','api',
              'export'])[1 + abs(hashint4(g + 5)) % 10],
       1 + abs(hashint4(g + 11)) % 500, abs(hashint4(g + 13)) % 50 <> 0,
       '10.33.' || (o % 250) || '.' || (2 + abs(hashint4(g + 17)) % 248)
FROM generate_series(:lo, :hi) g,
     LATERAL (SELECT (:orgs)[1 + abs(hashint4(g + 1)) % cardinality(:orgs)] AS o) x
"""


def prepare(server: str = SERVER) -> Database:
    """The bench database with :data:`EVENTS` filled events (made or completed when short)."""
    conn = psycopg2.connect(server.replace("postgresql+psycopg2://", "postgresql://")
                            + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (NAME,))
        fresh = cur.fetchone() is None
        if fresh:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(NAME)))
    conn.close()
    db = Database(f"{server}/{NAME}")
    upgrade(db)
    if fresh:
        load_demo(db, "small")
    _fill(db)
    return db


def _fill(db: Database) -> None:
    last = FIRST_ID + EVENTS - 1
    with db.engine.connect() as c:
        have = int(c.execute(text("SELECT coalesce(max(id), 0) FROM access_events "
                                  "WHERE id >= :f"), {"f": FIRST_ID}).scalar_one())
    if have >= last:
        return
    with db.engine.connect() as c:
        orgs = list(c.execute(text("SELECT id FROM organisations ORDER BY id")).scalars())
        n_res = int(c.execute(text("SELECT max(id) FROM data_resources")).scalar_one())
        start = c.execute(text("SELECT date_trunc('hour', now()) - interval '365 days'"))\
            .scalar_one()
        c.execute(text("SELECT govdesk_access_partitions_ensure(12, now() - "
                       "interval '370 days')"))
        c.commit()
    for lo in range(max(have + 1, FIRST_ID), last + 1, CHUNK):
        hi = min(last, lo + CHUNK - 1)
        t0 = time.perf_counter()
        with db.engine.begin() as c:
            c.execute(text("ALTER TABLE access_events DISABLE TRIGGER access_events_stamp"))
            c.execute(text("ALTER TABLE access_events DISABLE TRIGGER access_events_rollup"))
            c.execute(text(FILL), {"lo": lo, "hi": hi, "orgs": orgs, "n_res": n_res,
                                   "start": start, "first": FIRST_ID})
            c.execute(text("ALTER TABLE access_events ENABLE TRIGGER access_events_rollup"))
            c.execute(text("ALTER TABLE access_events ENABLE TRIGGER access_events_stamp"))
        print(f"filled {hi - FIRST_ID + 1:,} events ({time.perf_counter() - t0:.0f} s)",
              flush=True)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("SELECT setval(pg_get_serial_sequence('access_events', 'id'), "
                       "(SELECT max(id) FROM access_events))"))
        t0 = time.perf_counter()
        c.execute(text("SELECT govdesk_access_rollups_rebuild()"))
        print(f"rollups rebuilt ({time.perf_counter() - t0:.0f} s)", flush=True)
        c.execute(text("VACUUM ANALYZE"))
