"""Reading the audit trail: filtered pages for the Audit view, export to Excel or CSV."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, select

from govdesk.changes import AUDIT, Changed
from govdesk.db import announce, keyset
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, KeyPage, Seek
from govdesk.db.models import AuditEvent
from govdesk.errors import InputRejected
from govdesk.files import csv_text, output_file
from govdesk.security import audit
from govdesk.messages import lang_code
from govdesk.security.audit import EventType, VerifyResult
from govdesk.security.audit_labels import event_label, local_time, object_label, result_label
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op, role_label


@dataclass(frozen=True)
class AuditFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    username: str | None = None
    event_type: str | None = None
    success: bool | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    ts: dt.datetime
    username: str
    role_code: str | None
    event_type: str
    object_type: str | None
    object_id: str | None
    success: bool
    client_host: str | None
    detail: str | None


COLUMNS = ("id", "ts", "username", "role_code", "event_type", "object_type", "object_id",
           "success", "client_host", "detail")


SelectT = TypeVar("SelectT", bound="Select[Any]")


def _where(stmt: SelectT, f: AuditFilter) -> SelectT:
    """``stmt`` narrowed to the events ``f`` asks for."""
    if f.since is not None:
        stmt = stmt.where(AuditEvent.ts >= f.since)
    if f.until is not None:
        stmt = stmt.where(AuditEvent.ts < f.until)
    if f.username:
        stmt = stmt.where(AuditEvent.username == f.username)
    if f.event_type:
        stmt = stmt.where(AuditEvent.event_type == f.event_type)
    if f.success is not None:
        stmt = stmt.where(AuditEvent.success.is_(f.success))
    return stmt


def _row(e: AuditEvent) -> AuditRow:
    ts = e.ts if e.ts.tzinfo else e.ts.replace(tzinfo=dt.timezone.utc)
    return AuditRow(e.id, ts, e.username, e.role_code, e.event_type, e.object_type, e.object_id,
                    e.success, e.client_host, e.detail)


@service(Op.AUDIT_READ)
def count_events(db: Database, who: Identity, f: AuditFilter) -> int:
    """How many audit events match ``f``. count(*), not count(id): PostgreSQL then counts from
    an index alone (migration 0013: user and event type with time)."""
    with db.session() as s:
        return int(s.scalar(_where(select(func.count()).select_from(AuditEvent), f)) or 0)


@service(Op.AUDIT_READ)
def list_events(db: Database, who: Identity, f: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
    """A page of audit events, newest first, by offset (the Audit view pages by key:
    :func:`page_events`)."""
    return page_events(db, who, f, Seek(skip=offset, limit=limit)).rows


@service(Op.AUDIT_READ)
def page_events(db: Database, who: Identity, f: AuditFilter, seek: Seek) -> KeyPage[AuditRow]:
    """A page of the audit events matching ``f``, newest first (by id, the chain's order),
    asked for by the key of a neighbouring row (:class:`govdesk.db.keyset.Seek`): a page deep
    in a 10,000,000-row trail costs what the first page costs. Raises InputRejected for a key
    that is not one, PermissionDenied."""
    if seek.after is not None and not isinstance(seek.after, Key):
        raise InputRejected("bad_page_key")
    with db.session() as s:
        stmt = _where(select(AuditEvent), f)
        if seek.after is not None:
            stmt = stmt.where(keyset.beyond(AuditEvent.id, AuditEvent.id, seek.after, seek,
                                            descending=True, nullable=False))
        stmt = stmt.order_by(*keyset.order(AuditEvent.id, AuditEvent.id, seek, descending=True,
                                           nullable=False))
        rows = [_row(e) for e in s.scalars(stmt.offset(max(0, seek.skip))
                                           .limit(max(0, seek.limit)))]
    return KeyPage.fetched(rows, [Key(r.id, r.id) for r in rows], seek)


@service(Op.AUDIT_READ, owner=True)
def verify_chain(db: Database, who: Identity) -> VerifyResult:
    """Verify the hash chain (audit and security administrators, or the database owner);
    the verification itself is audited."""
    result = audit.verify(db)
    with db.session() as s:
        audit.record(s, who, EventType.AUDIT_VERIFY, object_type="audit_events", success=result.ok,
                     detail={"checked": result.checked, "broken_id": result.broken_id})
    return result


@service(Op.AUDIT_EXPORT)
def export_events(db: Database, who: Identity, f: AuditFilter, out: Path,
                  lang: str = "zh") -> int:
    """Write the matching events to ``out`` (.xlsx or .csv) with headers, event and object
    types, roles and results named in ``lang`` (Chinese by default) and times in this machine's
    time zone to the second; returns the row count. The export is audited. Raises
    InputRejected for another file type."""
    output_file(out, (".xlsx", ".csv"))
    with db.session() as s:
        rows = (_row(e) for e in s.scalars(
            _where(select(AuditEvent), f).order_by(AuditEvent.id).execution_options(yield_per=5000)))
        n = _write(out, rows, lang)
        audit.record(s, who, EventType.AUDIT_EXPORT, object_type="audit_events", object_id=out.name,
                     detail={"rows": n, "since": f.since, "until": f.until})
    return n


def _cells(r: AuditRow, lang: str, exact: bool = False) -> list[object]:
    """One row as people read it: local time to the second, names instead of codes (the
    object's own id and the JSON detail stay as recorded). ``exact`` (an archive): the values
    as the hash chain recorded them (UTC to the microsecond, codes), so the archived rows'
    hashes can be recomputed from the file."""
    if exact:
        return [r.id, r.ts.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f"),
                r.username, r.role_code or "", r.event_type, r.object_type or "",
                r.object_id or "", "1" if r.success else "0", r.client_host or "", r.detail or ""]
    return [r.id, local_time(r.ts), r.username, role_label(r.role_code, lang),
            event_label(r.event_type, lang), object_label(r.object_type, lang),
            r.object_id or "", result_label(r.success, lang), r.client_host or "", r.detail or ""]


#: the export's column headers; times are in this machine's time zone (its offset in each cell)
HEADERS = {"zh": ["序号", "时间（本机时区）", "用户", "角色", "事件类型", "对象类型", "对象",
                  "结果", "客户端", "详情"],
           "en": ["No.", "Time (local time zone)", "User", "Role", "Event type", "Object type",
                  "Object", "Result", "Client", "Detail"],
           "exact": ["序号", "时间（UTC）", "用户", "角色代码", "事件类型代码", "对象类型代码", "对象",
                     "成功（1/0）", "客户端", "详情"]}


def _write(out: Path, rows: object, lang: str = "zh", exact: bool = False) -> int:
    lang = lang_code(lang)
    headers = HEADERS["exact" if exact else lang]
    n = 0
    if out.suffix.lower() == ".csv":
        with open(out, "w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens it right
            w = csv.writer(f)
            w.writerow(headers)
            for r in rows:  # type: ignore[attr-defined]
                # an archive keeps every value as recorded (its hashes are recomputed from it);
                # an export is for people, whose spreadsheet must not run a recorded "=…"
                cells = _cells(r, lang, exact)
                w.writerow(cells if exact else [csv_text(c) for c in cells])
                n += 1
        return n
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志" if lang == "zh" else "Audit trail")
    ws.append(headers)

    def text_cell(value: object) -> object:
        """A text cell, never a formula: any login can put "=…" into the trail (an object id,
        a detail), and openpyxl writes a text starting with "=" as a formula."""
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell

    for r in rows:  # type: ignore[attr-defined]
        ws.append([text_cell(c) for c in _cells(r, lang, exact)])
        n += 1
    wb.save(out)
    return n


@dataclass(frozen=True)
class ArchiveResult:
    rows: int
    through_id: int | None
    file: str
    sha256: str


@service(Op.AUDIT_ARCHIVE, writes=True)
def archive_events(db: Database, who: Identity, before: dt.datetime, out: Path) -> ArchiveResult:
    """Move audit rows older than ``before`` (and older than the retention period, never less
    than 180 days) into the file ``out`` (.xlsx or .csv), then out of the table, leaving an
    anchor so the chain still verifies. The file keeps the values as recorded (UTC times to
    the microsecond, codes; see :func:`_cells`). Audit administrators only; audited.

    Raises InputRejected when nothing is old enough, PermissionDenied.
    """
    import hashlib

    from govdesk.db.base import utcnow
    from govdesk.db.models import AuditAnchor
    from govdesk.security.settings import read_setting
    from govdesk.settings import AUDIT_RETENTION_DAYS

    output_file(out, (".xlsx", ".csv"))
    with db.session() as s:
        retention = max(AUDIT_RETENTION_DAYS.low or 0, read_setting(s, AUDIT_RETENTION_DAYS))
        cutoff = min(before, utcnow() - dt.timedelta(days=retention))
        first_young = s.scalar(select(func.min(AuditEvent.id)).where(AuditEvent.ts >= cutoff))
        older = select(func.max(AuditEvent.id))
        through = s.scalar(older.where(AuditEvent.id < first_young) if first_young is not None
                           else older)
        if through is None:
            raise InputRejected("audit_nothing_to_archive",
                                cutoff=f"{cutoff.astimezone():%Y-%m-%d}", retention=retention)
        rows = (_row(e) for e in s.scalars(select(AuditEvent).where(AuditEvent.id <= through)
                                            .order_by(AuditEvent.id)))
        n = _write(out, rows, exact=True)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        if db.is_postgres:
            from sqlalchemy import text

            s.execute(text("SELECT govdesk_audit_archive(:t, :f, :h)"),
                      {"t": through, "f": out.name, "h": digest})
            announce.note(s, Changed(AUDIT))
        else:
            last = s.scalar(select(AuditEvent.row_hash).where(AuditEvent.id == through))
            s.add(AuditAnchor(archived_through_id=through, last_hash=last, rows=n,
                              archived_by=who.username, file_name=out.name, file_sha256=digest))
            s.execute(delete(AuditEvent).where(AuditEvent.id <= through))
            audit.record(s, who, EventType.AUDIT_ARCHIVE, object_type="audit_events",
                         object_id=through, detail={"rows": n, "file": out.name, "sha256": digest})
    return ArchiveResult(n, through, str(out), digest)
