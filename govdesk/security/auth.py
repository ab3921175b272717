"""Logging in: password checks (SQLite) or the database's own authentication (PostgreSQL),
lockout after repeated failures, and the audit of both.

Lockout rule (settings of the security administrator): ``security.lockout_attempts`` failures
within ``security.lockout_window_minutes`` lock the account for ``security.lockout_minutes``.
Failures are counted from the audit trail (``login_failed`` events since the last successful
login or unlock), so the count itself is tamper-evident.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from govdesk.changes import USERS, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, User
from govdesk.errors import GovDeskError
from govdesk.security import access_log, audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity, client_host
from govdesk.security.kernel import service
from govdesk.security.passwords import verify_password
from govdesk.security.roles import Op, Role
from govdesk.security.settings import read_setting
from govdesk.settings import (
    IDLE_LOCK_MINUTES,
    LOCKOUT_ATTEMPTS,
    LOCKOUT_MINUTES,
    LOCKOUT_WINDOW_MINUTES,
)


class LoginFailed(GovDeskError):
    """Wrong user name or password (deliberately not saying which), or a locked account."""

    exit_code = 3


@overload
def _aware(ts: dt.datetime) -> dt.datetime: ...
@overload
def _aware(ts: None) -> None: ...
def _aware(ts: dt.datetime | None) -> dt.datetime | None:
    """``ts`` as UTC-aware (SQLite hands back naive UTC time stamps)."""
    if ts is None:
        return None
    return ts.replace(tzinfo=dt.timezone.utc) if ts.tzinfo is None else ts


def _recent_failures(session: Session, username: str, window: dt.timedelta) -> int:
    since = utcnow() - window
    reset = session.scalar(select(func.max(AuditEvent.ts)).where(
        AuditEvent.object_id == username,
        AuditEvent.event_type.in_((EventType.LOGIN, EventType.ACCOUNT_UNLOCKED)),
        AuditEvent.success.is_(True)))
    reset_at = _aware(reset)
    if reset_at is not None and reset_at > since:
        since = reset_at
    return int(session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_id == username, AuditEvent.event_type == EventType.LOGIN_FAILED,
        AuditEvent.ts > since)) or 0)


def login_sqlite(db: Database, username: str, password: str, host: str | None = None) -> Identity:
    """Check ``username``/``password`` against the argon2 hash; returns the identity.

    Every attempt is audited. Raises :class:`LoginFailed` for a wrong password, an unknown or
    inactive user, or a locked account (the message says until when).
    """
    host = host or client_host()
    refusal: LoginFailed | None = LoginFailed("login_wrong")
    with db.session() as s:  # the failure records must commit: refuse only after the block
        user = s.scalar(select(User).where(User.username == username))
        anonymous = Identity(username, None, host=host)
        now = utcnow()
        locked_until = _aware(user.locked_until) if user else None
        if user is not None and locked_until is not None and locked_until > now:
            audit.record(s, anonymous, EventType.LOGIN_FAILED, object_type="user",
                         object_id=username, success=False, detail={"reason": "locked"})
            refusal = LoginFailed("login_locked_until", username=username,
                                  until=f"{locked_until.astimezone():%Y-%m-%d %H:%M}")
        elif user is None or not user.is_active or not verify_password(user.password_hash, password):
            audit.record(s, anonymous, EventType.LOGIN_FAILED, object_type="user",
                         object_id=username, success=False, detail={"reason": "password"})
            if user is not None:
                limit = read_setting(s, LOCKOUT_ATTEMPTS)
                window = dt.timedelta(minutes=read_setting(s, LOCKOUT_WINDOW_MINUTES))
                if _recent_failures(s, username, window) >= limit:
                    minutes = read_setting(s, LOCKOUT_MINUTES)
                    user.locked_until = now + dt.timedelta(minutes=minutes)
                    audit.record(s, anonymous, EventType.ACCOUNT_LOCKED, object_type="user",
                                 object_id=username, success=True,
                                 detail={"failures": limit, "minutes": minutes})
        else:
            who = Identity(user.username, Role(user.role_code), user.region_code,
                           user.organisation_id, host)
            user.locked_until = None
            audit.record(s, who, EventType.LOGIN, object_type="user", object_id=username)
            refusal = None
    if refusal is None:
        access_log.record(db, who, access_log.Event(access_log.LOGIN, object_ref=username,
                                                    operation="auth.login"))
        return who
    access_log.record_login(db, username, False, host)
    raise refusal


@service(Op.USERS_MANAGE, writes=True)
def unlock_user(db: Database, who: Identity, username: str) -> None:
    """Lift a lockout (system administrator). Raises PermissionDenied or InputRejected."""
    from govdesk.errors import InputRejected
    from govdesk.security.users import account_call

    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if db.is_postgres:  # the database checks, changes and audits it
            account_call(s, "govdesk_account_unlock(:u)", username)
            return
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise InputRejected("no_such_user", username=username)
        user.locked_until = None
        audit.record(s, who, EventType.ACCOUNT_UNLOCKED, object_type="user", object_id=username)


def idle_lock_minutes(db: Database) -> int:
    """Minutes of inactivity after which the GUI session locks (a security setting)."""
    with db.session() as s:
        return read_setting(s, IDLE_LOCK_MINUTES)


@service(anyone=True, writes=True, why="every user's own session locks when idle")
def record_session_locked(db: Database, who: Identity) -> None:
    """Audit that the idle session was locked."""
    with db.session() as s:
        audit.record(s, who, EventType.SESSION_LOCKED, object_type="user", object_id=who.username)


@service(anyone=True, why="every user may check their own password (to unlock an idle session)")
def confirm_password(db: Database, who: Identity, password: str) -> None:
    """Check ``who``'s password again (to unlock an idle session). On SQLite the check counts
    towards lockout like any login; on PostgreSQL the server checks it on a new connection.
    Raises :class:`LoginFailed`."""
    if not db.is_postgres:
        again = login_sqlite(db, who.username, password, who.host)
        if again.username != who.username:  # pragma: no cover - defensive
            raise LoginFailed("login_wrong")
        return
    from sqlalchemy.engine import make_url

    from govdesk.errors import DatabaseUnavailable
    from govdesk.security.identity import identity_from_connection

    probe = Database(make_url(db.url).set(password=password).render_as_string(hide_password=False))
    try:
        if identity_from_connection(probe).username != who.username:
            raise LoginFailed("login_wrong")
    except DatabaseUnavailable as exc:
        raise LoginFailed("login_wrong_or_unreachable") from exc
    finally:
        probe.dispose()


def login_postgres(url: str, host: str | None = None) -> tuple[Database, Identity]:
    """Log in to PostgreSQL with the user and password in ``url``; returns the database handle
    and the identity the server confirms.

    Before connecting, the login gate is asked whether the account is locked; a failed password
    is reported to the gate, which locks the account after repeated failures. Raises
    :class:`LoginFailed` (wrong password, locked, not a GovDesk user) or DatabaseUnavailable
    (server unreachable).
    """
    from sqlalchemy.engine import make_url

    from govdesk.errors import DatabaseUnavailable, PermissionDenied
    from govdesk.security import gate
    from govdesk.security.identity import identity_from_connection

    host = host or client_host()
    username = make_url(url).username or ""
    try:
        until = gate.locked_until(url, username)
    except gate.GateUnavailable:
        until = None
    locked_until = _aware(until) if until is not None else None
    if locked_until is not None and locked_until > utcnow():
        raise LoginFailed("login_locked_until", username=username,
                          until=f"{locked_until.astimezone():%Y-%m-%d %H:%M}")
    db = Database(url)
    try:
        who = identity_from_connection(db)
    except DatabaseUnavailable as exc:
        db.dispose()
        text_ = str(exc)
        if "password authentication failed" in text_:
            try:
                locked = gate.report_failure(url, username, host)
            except gate.GateUnavailable:
                locked = None
            if locked is not None:
                raise LoginFailed("login_now_locked", username=username,
                                  until=f"{_aware(locked).astimezone():%Y-%m-%d %H:%M}") from exc
            raise LoginFailed("login_wrong") from exc
        if "not permitted to log in" in text_:
            raise LoginFailed("login_locked_or_deactivated", username=username) from exc
        if "CONNECT privilege" in text_ or "permission denied for database" in text_:
            raise LoginFailed("login_other_database", username=username,
                              database=make_url(url).database) from exc
        if f'role "{username}" does not exist' in text_:  # a server that trusts its clients
            raise LoginFailed("login_no_such_role", username=username) from exc
        if "no password supplied" in text_:
            raise LoginFailed("login_no_password", username=username) from exc
        raise
    except PermissionDenied as exc:
        db.dispose()
        raise LoginFailed(exc.code, **exc.params) from exc
    with db.session() as s:
        audit.record(s, who, EventType.LOGIN, object_type="user", object_id=who.username)
    return db, who
