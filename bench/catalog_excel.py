"""``catalog_export`` and ``catalog_import``: 10,000 resources with about 200,000 data items.

- export: ``govdesk catalog export`` time as a ratio of a raw XlsxWriter (constant-memory)
  dump of the very same rows, in the same run (target ≤ 1.5);
- import: ``govdesk catalog import`` of that file into a database with an empty catalogue
  (every resource inserted, one transaction), rows/s as a ratio of a raw python-calamine read
  of the same file, in the same run (target ≥ 0.5).
- import_update: the same file with every resource changed (a new summary, its first data
  item's description; every tenth resource gains a data item, every tenth (offset 5) loses
  its last one) imported over the loaded catalogue, as a real login on PostgreSQL (a province
  data administrator, row-level security and the working rules apply), in one transaction
  (target: under 30 s for the 10,000 updates).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from sqlalchemy import select

from bench.common import scratch_db
from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.excel.importer import import_catalog
from govdesk.db.base import Base
from govdesk.db.bulk import insert_rows
from govdesk.db.engine import Database
from govdesk.demo.load import load_demo
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

WHO = Identity("bench", Role.DATA_ADMIN)


def _raw_dump(src: Path, out: Path) -> float:
    """Write the sheets of ``src`` again with plain XlsxWriter; returns seconds (write only)."""
    book_in = CalamineWorkbook.from_path(str(src))
    sheets = {n: book_in.get_sheet_by_name(n).to_python() for n in book_in.sheet_names}
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write(r, c, value)
    book.close()
    return time.perf_counter() - started


def _raw_read(path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    rows = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
    return rows, time.perf_counter() - started


def run(args: argparse.Namespace, which: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp:
        path = Path(tmp) / "catalogue.xlsx"
        with scratch_db(args.backend, args.pg) as db:
            load_demo(db, "excel")
            started = time.perf_counter()
            exported = export_catalog(db, WHO, path)
            export_s = time.perf_counter() - started
        raw_write_s = _raw_dump(path, Path(tmp) / "raw.xlsx")
        if which == "catalog_export":
            return {
                "benchmark": which, "backend": args.backend, "resources": exported.resources,
                "items": exported.items, "seconds": round(export_s, 2),
                "baseline": "XlsxWriter constant-memory dump of the same rows",
                "baseline_seconds": round(raw_write_s, 2),
                "ratio_to_baseline": round(export_s / raw_write_s, 3), "target_ratio": 1.5,
                "meets_target": export_s / raw_write_s <= 1.5,
            }
        raw_rows, raw_read_s = _raw_read(path)
        with scratch_db(args.backend, args.pg) as db:
            load_demo(db, "empty")
            started = time.perf_counter()
            report = import_catalog(db, WHO, path)
            import_s = time.perf_counter() - started
            written = _written_rows(db)
        assert report.ok and report.written, report.as_dict()["errors"][:3]
        with scratch_db(args.backend, args.pg) as db:
            load_demo(db, "empty")
            raw_write_s = _raw_write(db, written)
        rows = exported.resources + exported.items
        rate, raw_rate = rows / import_s, raw_rows / raw_read_s
        floor = raw_read_s / (raw_read_s + raw_write_s)
        return {
            "benchmark": which, "backend": args.backend, "resources": exported.resources,
            "items": exported.items, "inserted": len(report.inserted),
            "seconds": round(import_s, 2), "rows_per_second": round(rate),
            "baseline": "python-calamine read of the same file",
            "baseline_seconds": round(raw_read_s, 2), "baseline_rows_per_second": round(raw_rate),
            "ratio_to_baseline": round(rate / raw_rate, 3), "target_ratio": 0.5,
            "meets_target": rate / raw_rate >= 0.5,
            "raw_write": "the rows the import wrote, written again into an empty catalogue with "
                         "no parsing or checking (COPY on PostgreSQL, executemany on SQLite)",
            "raw_write_seconds": round(raw_write_s, 2),
            "best_possible_ratio": round(floor, 3),
            "share_of_best_possible": round((rate / raw_rate) / floor, 3),
        }


#: what an import writes, parents first
WRITTEN = ("data_resources", "data_items", "resource_versions", "resource_search")


def _written_rows(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables an import writes (generated columns left out)."""
    tables = {}
    with db.engine.connect() as c:
        for name in WRITTEN:
            table = Base.metadata.tables[name]
            tables[name] = [dict(r._mapping) for r in c.execute(select(*table.c))]
    return tables


def _raw_write(db: Database, tables: dict[str, list[dict[str, Any]]]) -> float:
    """Seconds to write ``tables`` in one transaction with the bulk path alone (the database's
    own cost: indexes, foreign keys, triggers, search indexes)."""
    started = time.perf_counter()
    with db.session() as s:
        for name in WRITTEN:
            insert_rows(s, Base.metadata.tables[name], tables[name])
    return time.perf_counter() - started


#: the update benchmark's target: 10,000 changed resources written in under this many seconds
UPDATE_TARGET_S = 30.0


def _changed_copy(src: Path, out: Path) -> int:
    """``src`` with every resource changed (see the module docstring); returns the resources."""
    book_in = CalamineWorkbook.from_path(str(src))
    sheets = {n: book_in.get_sheet_by_name(n).to_python() for n in book_in.sheet_names}
    res, items = sheets["数据资源"], sheets["信息项"]
    summary = res[0].index("摘要")
    for row in res[1:]:
        row[summary] = f"{row[summary]}（修订）"
    head = items[0]
    code_at, desc_at, seq_at, name_at = (head.index("资源代码"), head.index("说明"),
                                         head.index("序号"), head.index("信息项名称"))
    by_code: dict[str, list[list[Any]]] = {}
    for row in items[1:]:
        by_code.setdefault(row[code_at], []).append(row)
    kept = [head]
    for n, (code, rows) in enumerate(by_code.items()):
        rows[0][desc_at] = f"{rows[0][desc_at] or ''}（已核对）"
        if n % 10 == 5 and len(rows) > 1:
            rows = rows[:-1]
        kept += rows
        if n % 10 == 0:
            extra = list(rows[-1])
            extra[seq_at], extra[name_at] = len(rows) + 1, "核对备注"
            kept.append(extra)
    sheets["信息项"] = kept
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write(r, c, value)
    book.close()
    return len(res) - 1


def run_update(args: argparse.Namespace) -> dict[str, Any]:
    """``catalog_import_update``: 10,000 existing resources changed by one import."""
    from bench.catalog_search import Logins

    with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp, \
            scratch_db(args.backend, args.pg) as db:
        load_demo(db, "excel")
        logins = Logins(db) if db.is_postgres else None
        try:
            if logins is not None:
                admin = logins._sysadmin()
                reader = logins.login("zhejiang_data_admin", admin)
                handle, who = reader.db, reader.who
            else:
                handle, who = db, WHO
            path, changed = Path(tmp) / "catalogue.xlsx", Path(tmp) / "changed.xlsx"
            export_catalog(handle, who, path)
            resources = _changed_copy(path, changed)
            started = time.perf_counter()
            report = import_catalog(handle, who, changed)
            seconds = time.perf_counter() - started
        finally:
            if logins is not None:
                logins.drop()
    assert report.ok and report.written, report.as_dict()["errors"][:3]
    return {
        "benchmark": "catalog_import_update", "backend": args.backend,
        "login": "province data administrator (real login, RLS)" if args.backend == "postgres"
        else "local data administrator",
        "resources": resources, "updated": len(report.updated), "inserted": len(report.inserted),
        "seconds": round(seconds, 2),
        "resources_per_second": round(len(report.updated) / seconds) if seconds else None,
        "target_seconds": UPDATE_TARGET_S, "meets_target": seconds <= UPDATE_TARGET_S,
    }
