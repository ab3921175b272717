"""``monitor_run``: one day of access events (``DAY`` = 30,000) through every rule, with a
30-day history (30 × 30,000 events) behind it for the baseline, first-access, new-host and
dormant rules, on the small demo's catalogue and organisations. On PostgreSQL as a real
security administrator's login (the definer facts of 0037 included), on SQLite for reference.

Timed: ``run`` (every enabled rule over the day's events, folding into alerts, in one
transaction; target ≤ 2 s), then each rule alone (watermarks and alerts reset by the owner
before each). Baseline in the same run: the bare SQL that reads the day's events once
(``SELECT username, count(*) … GROUP BY username`` over the window, as the owner).

The history gets the index the events lane adds (migration 0035: ``(username, ts)``) so the
look-back rules are measured as they will run after the merge; ``--no-user-index`` leaves it out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import time
from typing import Any

from sqlalchemy import text

from bench.catalog_search import Logins
from bench.common import scratch_db
from bench.monitor_events import populate, the_day
from govdesk.db.engine import Database
from govdesk.demo.load import load_demo
from govdesk.monitoring.run import run_rules
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

DAY = 30_000
TARGET_S = 2.0
BENCH_DAY = dt.date(2026, 11, 20)


def _reset(db: Database, mark: int) -> None:
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM monitor_alerts"))
        c.execute(text("UPDATE monitor_watermarks SET last_event_id = :t"), {"t": mark})


def _baseline(db: Database, mark: int) -> float:
    with db.engine.connect() as c:
        t0 = time.perf_counter()
        c.execute(text("SELECT username, count(*), min(ts), max(ts) FROM access_events "
                       "WHERE id > :m GROUP BY username"), {"m": mark}).all()
        return time.perf_counter() - t0


def _secadmin(db: Database, logins: Logins | None) -> tuple[Database, Identity]:
    if logins is None:
        return db, Identity("bench_secadmin", Role.SECADMIN, host="bench")
    reader = logins.login("province_secadmin", logins._sysadmin())
    return reader.db, reader.who


def _measure(db: Database, args: argparse.Namespace, logins: Logins | None) -> dict[str, Any]:
    mark = populate(db, BENCH_DAY, DAY)
    if not getattr(args, "no_user_index", False):
        with db.engine.begin() as c:
            c.execute(text("CREATE INDEX IF NOT EXISTS bench_access_events_username_ts "
                           "ON access_events (username, ts)"))
    the_day(db, BENCH_DAY, DAY)
    with db.engine.begin() as c:
        c.execute(text("ANALYZE"))
        events = c.execute(text("SELECT count(*) FROM access_events")).scalar_one()
    handle, who = _secadmin(db, logins)
    run_rules(handle, who)  # warm (caches, plans); then measured from the same start
    _reset(db, mark)
    t0 = time.perf_counter()
    report = run_rules(handle, who)
    total = time.perf_counter() - t0
    per_rule: dict[str, float] = {}
    for r in report.rules:
        _reset(db, mark)
        t1 = time.perf_counter()
        run_rules(handle, who, rules=[r.code])
        per_rule[r.code] = round((time.perf_counter() - t1) * 1000, 1)
    base = _baseline(db, mark)
    return {"events_total": events, "events_evaluated": report.rules[0].events,
            "run_s": round(total, 3), "target_s": TARGET_S, "met": total <= TARGET_S,
            "baseline_scan_ms": round(base * 1000, 1), "ratio_to_scan": round(total / base, 1),
            "per_rule_ms": per_rule,
            "raised": {r.code: r.raised for r in report.rules}}


def run(args: argparse.Namespace) -> dict[str, Any]:
    backend = getattr(args, "backend", "postgres")
    out: dict[str, Any] = {"benchmark": "monitor_run", "backend": backend, "day_events": DAY,
                           "history_days": 30,
                           "uptime": subprocess.run(["uptime"], capture_output=True,
                                                    text=True).stdout.strip(),
                           "cpus": os.cpu_count()}
    with scratch_db(backend, args.pg) as db:
        load_demo(db, "small")
        logins = Logins(db) if db.is_postgres else None
        try:
            out.update(_measure(db, args, logins))
        finally:
            if logins is not None:
                logins.drop()
    return out
