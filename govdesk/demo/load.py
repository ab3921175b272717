"""Load demo data in bulk: COPY on PostgreSQL, large executemany batches on SQLite.

The whole load is one transaction: a failure (or Ctrl-C) leaves the database as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from govdesk.changes import Changes, publish
from govdesk.db.engine import Database
from govdesk.db.models import Category, DataResource, Grade, GradeScheme, Region
from govdesk.demo.sharing import add_demo_grants
from govdesk.demo.users import add_demo_users
from govdesk.demo.generate import SCALES, DemoBuilder, Reference, RegionRef, Row, TableData
from govdesk.errors import InputRejected
from govdesk.progress import Progress

#: report(table, rows_done, rows_total): one table's progress, inside the loaders
TableReport = Callable[[str, int, int], None]

DEFAULT_PROVINCE = "330000000000"  # 浙江省


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` wrote."""

    scale: str
    province: str
    rows: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def read_reference(db: Database, province_code: str) -> Reference:
    """Regions, active grades and categories the generator needs. Raises InputRejected when the
    province code is not a province in the region list."""
    code = province_code.ljust(12, "0")
    with db.session() as s:
        prov = s.get(Region, code)
        if prov is None or prov.level != 1:
            raise InputRejected("demo_not_province", code=province_code)
        nat = s.execute(select(Region).where(Region.level == 0)).scalar_one()
        regions = s.execute(
            select(Region).where(Region.code.like(code[:2] + "%"), Region.level.in_((2, 3)))
            .order_by(Region.code)
        ).scalars().all()
        grades = s.execute(
            select(Grade).join(GradeScheme).where(GradeScheme.is_active.is_(True))
        ).scalars().all()
        cats = s.execute(select(Category)).scalars().all()

        def ref(r: Region) -> RegionRef:
            return RegionRef(r.code, r.name, r.level, r.parent_code)

        return Reference(
            province=ref(prov), national=ref(nat), regions=[ref(r) for r in regions],
            grade_ids={g.code: g.id for g in grades}, grade_ranks={g.code: g.rank for g in grades},
            category_ids={c.code: c.id for c in cats},
        )


def catalogue_is_empty(db: Database) -> bool:
    """True when the database holds no data resources yet."""
    with db.session() as s:
        return s.execute(select(func.count()).select_from(DataResource)).scalar_one() == 0


def load_demo(db: Database, scale: str = "small", province: str = DEFAULT_PROVINCE,
              progress: Progress | None = None, now: dt.datetime | None = None) -> DemoSummary:
    """Generate and write the demo data of ``scale`` for ``province`` in one transaction.

    Reports to ``progress`` after each chunk of rows (the share of all rows written, and the
    table being written); a cancelled ``progress`` raises :class:`Cancelled` and the
    transaction rolls back, leaving the database as it was. Raises InputRejected for an
    unknown scale or province, or when the catalogue is not empty (demo data is only loaded
    into a fresh database, never mixed with real records).
    """
    if scale not in SCALES:
        raise InputRejected("demo_unknown_scale", scale=scale, allowed=", ".join(SCALES))
    if not catalogue_is_empty(db):
        raise InputRejected("demo_not_empty")
    ref = read_reference(db, province)
    started = time.perf_counter()
    builder = DemoBuilder(ref, SCALES[scale], now or dt.datetime.now(dt.timezone.utc))
    tables = builder.tables()
    report = _overall(progress or Progress(), tables)
    if db.is_postgres:
        counts = _load_postgres(db, tables, report)
    else:
        counts = _load_sqlite(db, tables, report)
        counts["users"] = len(add_demo_users(db))
        # the demo accounts take sharing steps through the workflow (history, audit trail)
        counts["sharing_grants"] = counts.get("sharing_grants", 0) + add_demo_grants(db)
    publish(Changes.everything())  # committed outside a session: announce it here
    return DemoSummary(scale, ref.province.name, counts, time.perf_counter() - started)


def _overall(progress: Progress, tables: list[TableData]) -> TableReport:
    """One table's rows done as the share of every table's rows."""
    total = sum(t.count for t in tables)
    before: dict[str, int] = {}
    running = 0
    for t in tables:
        before[t.table] = running
        running += t.count
    return lambda table, done, count: progress.step(
        before[table] + min(done, count), total, f"{table} {done:,}/{count:,}")


@contextmanager
def raw_transaction(db: Database) -> Iterator[Any]:
    """A DB-API cursor in one transaction on a pooled connection: committed when the block ends,
    rolled back on any error (Ctrl-C included)."""
    raw = db.engine.raw_connection()
    try:
        yield raw.cursor()
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def _load_sqlite(db: Database, tables: list[TableData], report: TableReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    with raw_transaction(db) as cur:
        for t in tables:
            sql = (f"INSERT INTO {t.table} ({', '.join(t.columns)}) "
                   f"VALUES ({', '.join('?' * len(t.columns))})")
            done = 0
            for chunk in t.chunks():
                cur.executemany(sql, chunk)
                done += len(chunk)
                report(t.table, done, t.count)
            counts[t.table] = done
    return counts


def csv_chunks(chunks: Iterator[list[Row]]) -> Iterator[tuple[str, int]]:
    """Render row chunks as COPY-ready CSV text (None becomes NULL)."""
    for chunk in chunks:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(chunk)
        yield buf.getvalue(), len(chunk)


def _pipelined(source: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """Run ``source`` in a producer thread ``depth`` items ahead, so generating the next chunk
    overlaps with the server ingesting the previous one."""
    q: queue.Queue[Any] = queue.Queue(maxsize=depth)
    end = object()
    failure: list[BaseException] = []
    stop = threading.Event()  # the consumer left early (an error, a cancel)

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer thread
            failure.append(exc)
        finally:
            put(end)

    threading.Thread(target=produce, name="demo-producer", daemon=True).start()
    try:
        while (item := q.get()) is not end:
            yield item
    finally:
        stop.set()
    if failure:
        raise failure[0]


def copy_table(cursor: Any, table: str, columns: tuple[str, ...],
               chunks: Iterator[tuple[str, int]], report: Callable[[int], None]) -> int:
    """COPY CSV ``chunks`` into ``table`` on an open psycopg2 cursor; returns rows copied."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
    done = 0
    for text, n in _pipelined(chunks):
        cursor.copy_expert(sql, io.StringIO(text))
        done += n
        report(done)
    return done


def _reporter(report: TableReport, t: TableData) -> Callable[[int], None]:
    """Progress of one table's COPY, as rows done out of its total."""
    return lambda done: report(t.table, done, t.count)


def _partitioned(cur: Any) -> bool:
    """True when ``access_events`` is partitioned with rollups (PostgreSQL, migration 0035)."""
    cur.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'access_events_rollup'")
    return cur.fetchone() is not None


def _load_postgres(db: Database, tables: list[TableData], report: TableReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    with raw_transaction(db) as cur:
        cur.execute("SET LOCAL TimeZone = 'UTC'")  # timestamps in demo rows are UTC
        # the owner's rows are not stamped anyway: skip the per-row trigger for 10^7 events,
        # and the rollups' trigger too (rebuilt once after the load)
        cur.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'access_events_stamp'")
        stamped = cur.fetchone() is not None
        partitioned = _partitioned(cur)
        if stamped:
            cur.execute("ALTER TABLE access_events DISABLE TRIGGER access_events_stamp")
        if partitioned:  # the months the demo's events span (at most a year back)
            cur.execute("ALTER TABLE access_events DISABLE TRIGGER access_events_rollup")
            cur.execute("SELECT govdesk_access_partition_make(m) FROM generate_series("
                        "now() - interval '400 days', now(), interval '1 month') m")
        for t in tables:
            counts[t.table] = copy_table(
                cur, t.table, t.columns, csv_chunks(t.chunks()), _reporter(report, t))
            if "id" in t.columns:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{t.table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {t.table}), 1))")
        if stamped:
            cur.execute("ALTER TABLE access_events ENABLE TRIGGER access_events_stamp")
        if partitioned:
            cur.execute("ALTER TABLE access_events ENABLE TRIGGER access_events_rollup")
            cur.execute("SELECT govdesk_access_partitions_ensure(12, "
                        "(SELECT min(ts) FROM access_events_default))")
            cur.execute("SELECT govdesk_access_rollups_rebuild()")
        cur.execute(f"ANALYZE {', '.join(t.table for t in tables)}")
    return counts
