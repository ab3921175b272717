"""Retention of the access log on PostgreSQL: monthly partitions made ahead, old ones archived.

* :func:`ensure_partitions` makes the months up to ``months`` ahead
  (``govdesk_access_partitions_ensure``; ``govdesk db upgrade`` runs it as the owner, ``govdesk
  access partitions`` and the monitoring run as a security administrator). The default
  partition ``access_events_default`` catches any row no month holds, so an insert never fails
  for want of a partition; a month made later takes its rows out of it.
* :func:`archivable_partitions` lists the months older than the retention: the setting
  ``security.access_retention_months`` (at least 6) and never younger than the audit
  retention ``security.audit_retention_days`` (at least 180 days), whichever is longer.
* :func:`archive_partitions` writes each such month, oldest first, to a gzip-compressed CSV
  in the data directory (``access-archive/access_events_yYYYYmMM.csv.gz``), then hands its row
  count, file name and SHA-256 to ``govdesk_access_partition_archive``, which checks the
  retention and the count again, records ``access_archives``, audits ``access_archive`` and
  detaches and drops the partition, in one transaction (the file stays if that fails).

Security administrators (``security.policy``). SQLite keeps one table and nothing to archive.
The rollups keep the archived months' counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from govdesk.config import data_dir
from govdesk.db.engine import Database
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op
from govdesk.security.settings import read_setting
from govdesk.settings import ACCESS_RETENTION_MONTHS, AUDIT_RETENTION_DAYS

WHY = "the access log's partitions are not catalogue rows"
PARTITION = re.compile(r"access_events_y(\d{4})m(\d{2})\Z")
COLUMNS = ("id", "ts", "username", "role_code", "organisation_id", "resource_id", "action",
           "row_count", "success", "failure", "object_ref", "operation", "client_host")
UTC = dt.timezone.utc


@dataclass(frozen=True)
class Partition:
    """One monthly partition of ``access_events``."""

    name: str
    start: dt.datetime  #: UTC, inclusive
    end: dt.datetime  #: UTC, exclusive
    rows: int


@dataclass(frozen=True)
class Archived:
    partition: str
    rows: int
    file: str
    sha256: str


@dataclass(frozen=True)
class Retention:
    months: int  #: the access log's own setting (at least 6)
    days: int  #: the audit retention, which holds as well
    cutoff: dt.datetime  #: a partition ending on or before this may be archived


def _month(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=UTC)


def _add_months(t: dt.datetime, n: int) -> dt.datetime:
    k = t.year * 12 + t.month - 1 + n
    return _month(k // 12, k % 12 + 1)


def retention(db: Database, now: dt.datetime | None = None) -> Retention:
    """The retention in force and the cutoff it gives (the SQL of 0035 checks the same)."""
    now = now or dt.datetime.now(UTC)
    with db.session() as s:
        months = max(ACCESS_RETENTION_MONTHS.low or 6, read_setting(s, ACCESS_RETENTION_MONTHS))
        days = max(AUDIT_RETENTION_DAYS.low or 180, read_setting(s, AUDIT_RETENTION_DAYS))
    by_months = _add_months(_month(now.year, now.month), -months)
    return Retention(months, days, min(by_months, now - dt.timedelta(days=days)))


def _require_postgres(db: Database) -> None:
    if not db.is_postgres:
        raise InputRejected("access_archive_sqlite")


@service(Op.SECURITY_POLICY, scope=Scope.NONE, why=WHY)
def ensure_partitions(db: Database, who: Identity, months: int = 12) -> int:
    """Make the monthly partitions up to ``months`` ahead (0–120); returns how many were
    made (0 on SQLite). Raises PermissionDenied, InputRejected."""
    from govdesk.db.migrate import ensure_access_partitions

    return ensure_access_partitions(db, months)


@service(Op.SECURITY_POLICY, scope=Scope.NONE, why=WHY)
def archivable_partitions(db: Database, who: Identity) -> list[Partition]:
    """The monthly partitions old enough to archive, oldest first, with their rows (what
    ``govdesk access archive --dry-run`` lists). Raises PermissionDenied, InputRejected (on
    SQLite)."""
    _require_postgres(db)
    cutoff = retention(db).cutoff
    with db.session() as s:
        names = s.execute(text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'access_events'::regclass ORDER BY c.relname")).scalars().all()
        out = []
        for name in names:
            m = PARTITION.match(name)
            if not m:
                continue
            start = _month(int(m[1]), int(m[2]))
            end = _add_months(start, 1)
            if end > cutoff:
                continue
            rows = s.execute(text("SELECT count(*) FROM access_events WHERE ts >= :a AND "
                                  "ts < :b"), {"a": start, "b": end}).scalar_one()
            out.append(Partition(name, start, end, int(rows)))
    return out


def _write(db: Database, part: Partition, path: Path) -> str:
    """The partition's rows as gzip CSV at ``path`` (never over a file); returns its SHA-256."""
    try:
        raw = path.open("xb")
    except FileExistsError as exc:
        raise InputRejected("access_archive_exists", path=path) from exc
    with raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="") as out, \
            db.engine.connect() as c:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        result = c.execution_options(stream_results=True, max_row_buffer=5000).execute(text(
            f"SELECT {', '.join(COLUMNS)} FROM access_events WHERE ts >= :a AND ts < :b "
            "ORDER BY ts, id"), {"a": part.start, "b": part.end})
        for row in result:
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.datetime)
                             else v for v in row])
    return hashlib.sha256(path.read_bytes()).hexdigest()


@service(Op.SECURITY_POLICY, writes=True, scope=Scope.NONE, why=WHY)
def archive_partitions(db: Database, who: Identity,
                       directory: Path | None = None) -> list[Archived]:
    """Archive every partition :func:`archivable_partitions` lists (see the module), into
    ``directory`` (default: ``access-archive`` in the data directory). Audited by the
    database. Raises InputRejected (nothing old enough, a file already there, SQLite),
    PermissionDenied."""
    parts = archivable_partitions(db, who)
    if not parts:
        kept = retention(db)
        raise InputRejected("access_nothing_to_archive", months=kept.months, days=kept.days)
    target = directory or data_dir() / "access-archive"
    target.mkdir(parents=True, exist_ok=True)
    done = []
    for part in parts:
        path = target / f"{part.name}.csv.gz"
        digest = _write(db, part, path)
        with db.engine.begin() as c:
            c.execute(text("SELECT govdesk_access_partition_archive(:p, :n, :f, :h)"),
                      {"p": part.name, "n": part.rows, "f": path.name, "h": digest})
        done.append(Archived(part.name, part.rows, str(path), digest))
    return done
