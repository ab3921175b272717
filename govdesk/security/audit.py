"""The tamper-evident audit trail: every row carries SHA-256 over the previous row's hash and
its own canonical content, so changing, deleting or reordering rows breaks the chain.

On PostgreSQL rows are written only by the SECURITY DEFINER function ``govdesk_audit``, which
queues them in the writing transaction; at its commit the database chains them (migration 0017:
the chain lock is held only for that last instant, so writers do not queue behind each other).
Nobody can update or delete them. Ids are the chain order, which is commit order; ``ts`` is the
time of the event. On SQLite :func:`record` takes the database's write lock for the session's
transaction, then computes the hash in Python. :func:`verify` recomputes the chain on either
database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from govdesk.changes import AUDIT, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import AuditAnchor, AuditEvent
from govdesk.errors import GovDeskError, InputRejected, PermissionDenied
from govdesk.messages import Message
from govdesk.progress import Cancelled
from govdesk.security.identity import Identity

GENESIS = "0" * 64
SEP = "\x1f"
#: bytes an audit row's detail may hold (UTF-8); PostgreSQL holds the same limit (0032)
MAX_DETAIL = 65536


class EventType:
    """Audit event types (stored as text)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    SESSION_LOCKED = "session_locked"
    DATA_CHANGE = "data_change"
    EXPORT = "export"
    UNMASK = "unmask"
    PERMISSION_CHANGE = "permission_change"
    USER_CREATED = "user_created"
    PASSWORD_RESET = "password_reset"
    AUDIT_EXPORT = "audit_export"
    AUDIT_VERIFY = "audit_verify"
    AUDIT_ARCHIVE = "audit_archive"
    AUDIT_ANCHOR = "audit_anchor"
    #: a month of access events archived to a file and dropped (written by the database)
    ACCESS_ARCHIVE = "access_archive"
    SETTINGS_CHANGE = "settings_change"
    ACCOUNT_CHANGED = "account_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_LOCK_REFUSED = "account_lock_refused"
    #: a service refused the caller's role (always ``success=False``; migration 0024)
    PERMISSION_DENIED = "permission_denied"
    #: a service that changes data failed: rejected input, a conflict, an unexpected error
    #: (always ``success=False``; migration 0024)
    ACTION_FAILED = "action_failed"
    #: a step of a sharing grant (on PostgreSQL written by the database: migration 0025)
    SHARING_GRANT = "sharing_grant"
    #: an import of an external access log (on PostgreSQL written by the database:
    #: ``govdesk_access_import_finish``, migration 0039)
    ACCESS_LOG_IMPORT = "access_log_import"
    #: a grade's handling rule was weakened (on PostgreSQL written by the database for every
    #: such update, plain SQL included: migration 0032)
    GRADE_LOOSENED = "grade_loosened"
    #: access events (or an organisation's period) marked reviewed with a comment (on
    #: PostgreSQL written by the database: migration 0036)
    ACCESS_REVIEW = "access_review"
    #: backup and disaster recovery (issue 16, migration 0038): a policy saved or a legal hold
    #: set, a backup run, a verification or drill, a restore, a prune
    BACKUP_POLICY = "backup_policy"
    BACKUP_RUN = "backup_run"
    BACKUP_VERIFY = "backup_verify"
    BACKUP_RESTORE = "backup_restore"
    BACKUP_PRUNE = "backup_prune"
    #: a monitoring alert was raised or changed (state, assignee, note; on PostgreSQL written
    #: by the database: migration 0037)
    MONITOR_ALERT = "monitor_alert"
    #: a monitoring rule's thresholds, severity or switch changed (0037)
    MONITOR_RULE = "monitor_rule"


def _utc(ts: dt.datetime) -> dt.datetime:
    return ts.replace(tzinfo=dt.timezone.utc) if ts.tzinfo is None else ts.astimezone(dt.timezone.utc)


def canonical(ts: dt.datetime, username: str, role_code: str | None, event_type: str,
              object_type: str | None, object_id: str | None, success: bool,
              client_host: str | None, detail: str | None) -> str:
    """The canonical text of an audit row (the same on both databases and in the SQL function)."""
    return SEP.join((
        _utc(ts).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), username, role_code or "", event_type,
        object_type or "", object_id or "", "1" if success else "0", client_host or "",
        detail or "",
    ))


def chain_hash(prev_hash: str, content: str) -> str:
    """SHA-256 (hex) of the previous hash, a newline and the canonical content."""
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def record(session: Session, who: Identity, event_type: str, *, object_type: str | None = None,
           object_id: object = None, success: bool = True, detail: dict[str, Any] | str | None = None,
           ) -> None:
    """Append an audit event inside the caller's unit of work (it commits or rolls back with it).

    On PostgreSQL the row is written by ``govdesk_audit`` (user and role come from the
    connection) and appears in ``audit_events`` when the transaction commits; on SQLite the
    session first becomes the database's one writer (so the chain cannot fork), then the hash
    chain is computed here. Raises :class:`govdesk.errors.DatabaseBusy` when another user's
    write did not finish within the busy timeout.
    """
    detail_text = detail if isinstance(detail, str) or detail is None else json.dumps(
        detail, ensure_ascii=False, sort_keys=True, default=str)
    size = len(detail_text.encode("utf-8")) if detail_text else 0
    if size > MAX_DETAIL:  # PostgreSQL refuses it too (migration 0032)
        raise InputRejected("audit_detail_too_large", size=size, max=MAX_DETAIL)
    oid = None if object_id is None else str(object_id)
    announce.note(session, Changed(AUDIT))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT govdesk_audit(:e, :ot, :oid, :ok, :host, :detail)"),
            {"e": event_type, "ot": object_type, "oid": oid, "ok": success, "host": who.host,
             "detail": detail_text})
        return
    _take_write_lock(session)
    ts = utcnow()
    prev = (session.execute(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1)
                            ).scalar_one_or_none()
            or session.execute(select(AuditAnchor.last_hash)
                               .order_by(AuditAnchor.archived_through_id.desc()).limit(1)
                               ).scalar_one_or_none()
            or GENESIS)
    role = who.role.value if who.role else None
    row_hash = chain_hash(prev, canonical(ts, who.username, role, event_type, object_type, oid,
                                          success, who.host, detail_text))
    session.add(AuditEvent(ts=ts, username=who.username, role_code=role, event_type=event_type,
                           object_type=object_type, object_id=oid, success=success,
                           client_host=who.host, detail=detail_text, prev_hash=prev,
                           row_hash=row_hash))
    session.flush()


def failure_event(exc: BaseException, writes: bool) -> str | None:
    """The event a service call that raised ``exc`` leaves in the trail: a refused permission
    always, any other failure of a service that changes data (``writes``) except a
    cancellation the user asked for; None when nothing is recorded."""
    if isinstance(exc, PermissionDenied):
        return EventType.PERMISSION_DENIED
    if writes and isinstance(exc, Exception) and not isinstance(exc, Cancelled):
        return EventType.ACTION_FAILED
    return None


def failure_detail(service: str, exc: BaseException) -> dict[str, Any]:
    """What failed, by codes only: the service, the error's message code (the class name for
    an unexpected error: never its text, which may hold SQL and values) and, for rejected
    input, the codes of its problems."""
    detail: dict[str, Any] = {"service": service.removeprefix("govdesk.")}
    if isinstance(exc, GovDeskError):
        detail["error"] = exc.code
        problems = getattr(exc, "problems", None) or []
        codes = [getattr(p, "code", None) or getattr(p[1], "code", None)
                 for p in problems if hasattr(p, "code") or isinstance(p, tuple)]
        if codes:
            detail["problems"] = sorted({c for c in codes if c})[:20]
    else:
        detail["error"] = "unexpected"
        detail["exception"] = type(exc).__name__
    return detail


def _take_write_lock(session: Session) -> None:
    """Make ``session``'s SQLite transaction the one writer before the previous hash is read.

    Without it two sessions could read the same last row and both chain from it (a fork that
    :func:`verify` reports as tampering). The driver opens a transaction only at the first
    INSERT/UPDATE/DELETE, and that statement takes SQLite's write lock; a session that has not
    written yet takes it now with ``BEGIN IMMEDIATE``. Either way the lock is held until commit,
    so no other writer appends in between. Waiting longer than the busy timeout raises
    :class:`govdesk.errors.DatabaseBusy` (nothing was saved).
    """
    session.flush()  # the session's own pending writes first: they may open the transaction
    conn = session.connection()
    if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`: ``broken_id`` is the first row that does not hold."""

    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""  #: what failed, in English (logs, the audit detail, ``--json``)
    why: Message | None = None  #: the same for people, in their language


def _rows(db: Database, batch: int = 5000, after: int = 0) -> Iterator[AuditEvent]:
    last = after
    while True:
        with db.session() as s:
            rows = s.execute(select(AuditEvent).where(AuditEvent.id > last)
                             .order_by(AuditEvent.id).limit(batch)).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify(db: Database) -> VerifyResult:
    """Recompute the chain in id order. A changed row fails its own hash; a deleted, inserted or
    swapped row fails the link to its predecessor. After an archive the chain starts from the
    newest anchor's hash (the archived rows are in the exported file, with its SHA-256)."""
    with db.session() as s:
        anchor = s.scalars(select(AuditAnchor).order_by(AuditAnchor.archived_through_id.desc())
                           .limit(1)).first()
        start = (anchor.archived_through_id, anchor.last_hash) if anchor else (0, GENESIS)
    return verify_from(db, start[0], start[1])


def _broken(checked: int, row: int, code: str) -> VerifyResult:
    why = Message(code, {"row": row})
    return VerifyResult(False, checked, row, why.text("en"), why)


def verify_from(db: Database, after_id: int, prev_hash: str) -> VerifyResult:
    """Recompute the chain of the rows after ``after_id``, the first of which must follow
    ``prev_hash`` (the hash of row ``after_id``, or of the archive it continues from)."""
    prev = prev_hash
    checked = 0
    for row in _rows(db, after=after_id):
        if row.prev_hash != prev:
            return _broken(checked, row.id, "audit_row_out_of_chain")
        expected = chain_hash(prev, canonical(row.ts, row.username, row.role_code, row.event_type,
                                              row.object_type, row.object_id, row.success,
                                              row.client_host, row.detail))
        if row.row_hash != expected:
            return _broken(checked, row.id, "audit_row_changed")
        prev = row.row_hash
        checked += 1
    return VerifyResult(True, checked)
