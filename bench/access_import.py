"""``access_import``: 1,000,000 exchange-platform log lines (CSV, ``--scale`` lines) imported
by a real security-administrator login on PostgreSQL, against a bare COPY of the same rows.

Timed in one run, on a scratch database with the small demo (its resource codes and
organisations are what the lines name):

- ``import``: ``import_access_log`` end to end: read and check every line through the mapping
  (time with format and zone, user, organisation and resource by code, action and result
  mapped, client host, row count), hash each line, COPY into the staging table, one
  ``INSERT … SELECT … ON CONFLICT DO NOTHING`` through the stamp trigger's import branch, the
  import's row and audit event, commit;
- ``reimport``: the same file again (every line a duplicate, nothing added);
- ``bare_copy`` (the baseline the issue names): the same rows, already parsed, as COPY text
  built in Python and ``COPY access_events (…) FROM STDIN`` as the same login, rolled back
  (the ordinary stamp trigger and every index apply, as they do to any COPY by a login);
- ``rows_to_temp_table_copy``: the same COPY text into a temporary table of the same columns
  (no trigger, no index): what building the buffer and the server's COPY cost alone;
- ``raw_file_copy`` (the floor): the CSV file itself by ``COPY … (FORMAT csv)`` into a
  temporary table of text columns: the server's parser alone, no trigger, no index.

The issue's target: import throughput ≥ 0.5 × the bare COPY's.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from bench.catalog_search import Logins
from bench.common import scratch_db
from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Organisation
from govdesk.demo.load import load_demo
from govdesk.monitoring.log_import import import_access_log
from govdesk.monitoring.log_mapping import parse_mapping
from govdesk.monitoring.log_parse import Lookups, parse_csv
from govdesk.monitoring.log_write import _copy_buffer

LINES = 1_000_000
MAPPING = {
    "columns": {"time": "访问时间", "user": "用户账号", "organisation": "单位编码",
                "resource": "资源编码", "action": "操作类型", "result": "结果",
                "client_host": "客户端IP", "row_count": "返回行数"},
    "time_format": "%Y-%m-%d %H:%M:%S", "timezone": "Asia/Shanghai",
    "actions": {"查询": "query", "下载": "download", "接口调用": "api", "导出": "export"},
}
ACTIONS = ("查询", "查询", "查询", "下载", "接口调用", "导出")


def write_log(path: Path, n: int, codes: list[str], orgs: list[str]) -> None:
    """``n`` distinct lines over 30 days from 2026-11-01 (one every ~2.6 s)."""
    start = dt.datetime(2026, 11, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(MAPPING["columns"].values()) + "\n")  # type: ignore[attr-defined]
        for i in range(n):
            ts = (start + dt.timedelta(seconds=i * 2592000 // n)).strftime("%Y-%m-%d %H:%M:%S")
            f.write(f"{ts},user{i % 5000:04d},{orgs[i % len(orgs)]},{codes[i % len(codes)]},"
                    f"{ACTIONS[i % len(ACTIONS)]},{'失败' if i % 50 == 0 else '成功'},"
                    f"10.{i % 256}.{(i // 256) % 256}.{i % 7 + 1},{i % 1000}\n")


def _bare_copy(handle: Database, rows: list[Any]) -> float:
    t0 = time.perf_counter()
    with handle.engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        buf = _copy_buffer(rows)
        cur.copy_expert("COPY access_events (ts, username, organisation_id, resource_id, action, "
                        "row_count, success, client_host, line_hash) FROM STDIN", buf)
        elapsed = time.perf_counter() - t0
        conn.rollback()
    return elapsed


def _stage_copy(handle: Database, rows: list[Any]) -> float:
    t0 = time.perf_counter()
    with handle.engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("CREATE TEMP TABLE bare_rows (ts timestamptz, username text, "
                    "organisation_id integer, resource_id integer, action text, "
                    "row_count integer, success boolean, client_host text, line_hash text)")
        cur.copy_expert("COPY bare_rows FROM STDIN", _copy_buffer(rows))
        elapsed = time.perf_counter() - t0
        conn.rollback()
    return elapsed


def _raw_copy(handle: Database, path: Path) -> float:
    t0 = time.perf_counter()
    with handle.engine.connect() as conn, path.open("rb") as f:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("CREATE TEMP TABLE raw_log (a text, b text, c text, d text, e text, "
                    "f text, g text, h text)")
        cur.copy_expert("COPY raw_log FROM STDIN (FORMAT csv, HEADER true)", f)
        elapsed = time.perf_counter() - t0
        conn.rollback()
    return elapsed


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.backend != "postgres":
        raise SystemExit("access_import measures a real login: PostgreSQL only")
    n = int(args.scale or LINES)
    with scratch_db("postgres", args.pg) as db, tempfile.TemporaryDirectory() as tmp:
        load_demo(db, "small")
        with db.session() as s:
            codes = list(s.scalars(select(DataResource.code)))
            orgs = list(s.scalars(select(Organisation.code)))
        path = Path(tmp) / "exchange.csv"
        write_log(path, n, codes, orgs)
        logins = Logins(db)
        try:
            reader = logins.login("zhejiang_secadmin", logins._sysadmin())
            handle, who = reader.db, reader.who
            mapping = parse_mapping("exchange_csv", json.dumps(MAPPING, ensure_ascii=False))
            with db.session() as s:
                lookups = Lookups(dict(s.execute(select(DataResource.code, DataResource.id)).all()),
                                  dict(s.execute(select(Organisation.code, Organisation.id)).all()))
            with path.open(encoding="utf-8", newline="") as f:
                t0 = time.perf_counter()
                parsed = parse_csv(f, mapping, lookups)  # type: ignore[arg-type]
                parse_s = time.perf_counter() - t0
            bare = _bare_copy(handle, parsed.rows)
            raw = _raw_copy(handle, path)
            stage = _stage_copy(handle, parsed.rows)
            t0 = time.perf_counter()
            report = import_access_log(handle, who, path, "交换平台", kind="exchange_csv",
                                       mapping=json.dumps(MAPPING, ensure_ascii=False))
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = import_access_log(handle, who, path, "交换平台")
            second = time.perf_counter() - t0
        finally:
            logins.drop()
        with db.session() as s:
            stored = s.scalar(text("SELECT count(*) FROM access_events WHERE source_id IS NOT NULL"))
    return {
        "benchmark": "access_import", "backend": "postgresql", "lines": n,
        "login": who.username, "role": "secadmin", "file_mb": round(path.stat().st_size / 2**20, 1)
        if path.exists() else None,
        "import_s": round(first, 2), "import_rows_per_s": round(n / first),
        "imported": report.imported, "bad": report.bad, "stored": stored,
        "reimport_s": round(second, 2), "reimport_added": again.imported,
        "parse_only_s": round(parse_s, 2),
        "bare_copy_s": round(bare, 2), "bare_copy_rows_per_s": round(n / bare),
        "raw_file_copy_s": round(raw, 2), "rows_to_temp_table_copy_s": round(stage, 2),
        "ratio_import_to_bare_copy": round(bare / first, 2),
        "ratio_import_to_raw_file_copy": round(raw / first, 2),
        "ratio_import_to_rows_to_temp_table_copy": round(stage / first, 2),
        "target": 0.5, "meets_target": bare / first >= 0.5,
    }
