"""``demo_load``: the province-scale demo (10^5 resources, 10^6 items, 10^7 access events).

Measures ``govdesk demo --scale province`` end to end (generation, COPY, sequences, ANALYZE) in
rows/s, and in the same run a raw COPY of the very same rows, pre-rendered as CSV text, into an
identical empty schema. Ratio = demo rows/s ÷ raw COPY rows/s (target ≥ 0.5). On SQLite the raw
baseline is sqlite3 ``executemany`` of pre-built tuples in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from typing import Any

from bench.common import scratch_db
from govdesk.demo.generate import SCALES, DemoBuilder
from govdesk.demo.load import csv_chunks, load_demo, read_reference

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def _raw_baseline(db: Any, tables: list[Any]) -> tuple[int, float]:
    """Time a raw bulk write of pre-built rows; returns (rows, seconds)."""
    if db.is_postgres:
        rendered = [(t, [text for text, _n in csv_chunks(t.chunks())]) for t in tables]
        rows = sum(t.count for t in tables)
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            started = time.perf_counter()
            cur.execute("SET LOCAL TimeZone = 'UTC'")
            for t, texts in rendered:
                sql = f"COPY {t.table} ({', '.join(t.columns)}) FROM STDIN WITH (FORMAT csv)"
                for text in texts:
                    cur.copy_expert(sql, io.StringIO(text))
            raw.commit()
            return rows, time.perf_counter() - started
        finally:
            raw.close()
    built = [(t, [chunk for chunk in t.chunks()]) for t in tables]
    rows = sum(t.count for t in tables)
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        started = time.perf_counter()
        for t, chunks in built:
            sql = (f"INSERT INTO {t.table} ({', '.join(t.columns)}) "
                   f"VALUES ({', '.join('?' * len(t.columns))})")
            for chunk in chunks:
                cur.executemany(sql, chunk)
        raw.commit()
        return rows, time.perf_counter() - started
    finally:
        raw.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    scale = args.scale or "province"
    with scratch_db(args.backend, args.pg) as db:
        summary = load_demo(db, scale, now=NOW)
    with scratch_db(args.backend, args.pg) as db:
        tables = DemoBuilder(read_reference(db, "330000000000"), SCALES[scale], NOW).tables()
        raw_rows, raw_seconds = _raw_baseline(db, tables)
    demo_rate = summary.total_rows / summary.seconds
    raw_rate = raw_rows / raw_seconds
    return {
        "benchmark": "demo_load",
        "backend": args.backend,
        "scale": scale,
        "rows": summary.rows,
        "total_rows": summary.total_rows,
        "seconds": round(summary.seconds, 2),
        "rows_per_second": round(demo_rate),
        "baseline": "COPY of pre-rendered CSV" if args.backend == "postgres"
        else "sqlite3 executemany of pre-built tuples",
        "baseline_seconds": round(raw_seconds, 2),
        "baseline_rows_per_second": round(raw_rate),
        "ratio_to_baseline": round(demo_rate / raw_rate, 3),
        "target_ratio": 0.5,
        "meets_target": demo_rate / raw_rate >= 0.5,
    }
