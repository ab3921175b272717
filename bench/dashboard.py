"""``dashboard``: one refresh of the monitoring dashboard at 10,000,000 access events on
PostgreSQL, as a real security-administrator login, beside the bare GROUP BY over the raw
events.

``python -m bench dashboard [--json]``: the database ``govdesk_bench_dashboard``
(:mod:`bench.dashboard_data`, made once and reused) holds the small demo and 10^7 events over
the year up to now with the rollups rebuilt. For each period (today, 7 days, 30 days, the
whole year as a custom period) it times :func:`govdesk.monitoring.dashboard.dashboard` (the one
worker-thread call of a refresh: access by action and by result, top users and resources,
their names, grading coverage, the expiring grants, the read source) as a province security
administrator made for the run, 1 cold and 15 warm calls; and, over psycopg2 as the same
login, the bare SQL a dashboard without rollups would run for the same access figures: the
GROUP BY by bucket and action, by bucket and result, and the top users and resources over the
raw ``access_events`` of the period (5 runs each, the 10^7-row one being slow). Medians in ms
and the ratio raw / refresh. The target (issue 15): a refresh ≤ 200 ms at 10^7 events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.catalog_search import _readers
from bench.dashboard_data import EVENTS, SERVER, prepare
from govdesk.db.models.sharing import grant_day
from govdesk.monitoring.dashboard import Period, dashboard, period

RAW = {
    "by_action": "SELECT date_trunc(%(grain)s, ts AT TIME ZONE 'Asia/Shanghai'), action, "
                 "count(*), sum(row_count) FROM access_events WHERE ts >= %(since)s AND "
                 "ts < %(until)s GROUP BY 1, 2",
    "by_result": "SELECT date_trunc(%(grain)s, ts AT TIME ZONE 'Asia/Shanghai'), success, "
                 "count(*), sum(row_count) FROM access_events WHERE ts >= %(since)s AND "
                 "ts < %(until)s GROUP BY 1, 2",
    "top_users": "SELECT username, organisation_id, count(*) AS n, count(*) FILTER (WHERE NOT "
                 "success), sum(row_count) FROM access_events WHERE ts >= %(since)s AND "
                 "ts < %(until)s GROUP BY 1, 2 ORDER BY n DESC, 1 LIMIT 10",
    "top_resources": "SELECT resource_id, count(*) AS n, count(*) FILTER (WHERE NOT success), "
                     "sum(row_count) FROM access_events WHERE ts >= %(since)s AND "
                     "ts < %(until)s GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10",
}


def _ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _periods() -> dict[str, Period]:
    day = grant_day()
    return {"today": period("today"), "7d": period("7d"), "30d": period("30d"),
            "365d": period("custom", day - dt.timedelta(days=364), day)}


def _raw(handle: Any, span: Period, runs: int) -> dict[str, Any]:
    raw = handle.engine.raw_connection()
    params = {"grain": span.bucket, "since": span.since, "until": span.until}
    try:
        cur = raw.cursor()
        total: list[float] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            for sql in RAW.values():
                cur.execute(sql, params)
                cur.fetchall()
            total.append((time.perf_counter() - t0) * 1000)
        cur.execute("SELECT count(*) FROM access_events WHERE ts >= %(since)s AND "
                    "ts < %(until)s", params)
        events = int(cur.fetchone()[0])
        raw.rollback()
    finally:
        raw.close()
    return {"events_in_period": events, "raw_group_by_median_ms": round(
        statistics.median(total), 1)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    db = prepare(getattr(args, "pg", None) or SERVER)
    with db.engine.connect() as c:
        events = int(c.exec_driver_sql("SELECT count(*) FROM access_events").scalar_one())
    out: dict[str, Any] = {"events": events, "target_events": EVENTS,
                           "uptime_before": os.popen("uptime").read().strip()}
    with _readers(db, ["province_secadmin"]) as (readers, _auditor):
        sec = readers[1]
        for name, span in _periods().items():
            cold = _ms(lambda: dashboard(sec.db, sec.who, span))  # noqa: B023
            warm = [_ms(lambda: dashboard(sec.db, sec.who, span)) for _ in range(15)]  # noqa: B023
            row: dict[str, Any] = {"bucket": span.bucket, "refresh_cold_ms": round(cold, 1),
                                   "refresh_median_ms": round(statistics.median(warm), 1),
                                   "refresh_max_ms": round(max(warm), 1)}
            row |= _raw(sec.db, span, 5 if name != "365d" else 3)
            row["raw_over_refresh"] = round(row["raw_group_by_median_ms"]
                                            / row["refresh_median_ms"], 1)
            out[name] = row
    out["uptime_after"] = os.popen("uptime").read().strip()
    db.dispose()
    return out
