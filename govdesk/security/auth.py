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

from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, Setting, User
from govdesk.errors import GovDeskError
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity, client_host
from govdesk.security.kernel import service
from govdesk.security.passwords import verify_password
from govdesk.security.roles import Op, Role


class LoginFailed(GovDeskError):
    """Wrong user name or password (deliberately not saying which), or a locked account."""

    exit_code = 3


def setting_int(session: Session, key: str, default: int) -> int:
    """An integer setting, or ``default`` when missing or malformed."""
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


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
    refusal = "Wrong user name or password."
    with db.session() as s:  # the failure records must commit: refuse only after the block
        user = s.scalar(select(User).where(User.username == username))
        anonymous = Identity(username, None, host=host)
        now = utcnow()
        locked_until = _aware(user.locked_until) if user else None
        if user is not None and locked_until is not None and locked_until > now:
            audit.record(s, anonymous, EventType.LOGIN_FAILED, object_type="user",
                         object_id=username, success=False, detail={"reason": "locked"})
            refusal = (f"The account {username} is locked until "
                       f"{locked_until.astimezone():%Y-%m-%d %H:%M} after repeated failed logins; "
                       "a system administrator can unlock it.")
        elif user is None or not user.is_active or not verify_password(user.password_hash, password):
            audit.record(s, anonymous, EventType.LOGIN_FAILED, object_type="user",
                         object_id=username, success=False, detail={"reason": "password"})
            if user is not None:
                limit = setting_int(s, "security.lockout_attempts", 5)
                window = dt.timedelta(minutes=setting_int(s, "security.lockout_window_minutes", 15))
                if _recent_failures(s, username, window) >= limit:
                    minutes = setting_int(s, "security.lockout_minutes", 30)
                    user.locked_until = now + dt.timedelta(minutes=minutes)
                    audit.record(s, anonymous, EventType.ACCOUNT_LOCKED, object_type="user",
                                 object_id=username, success=True,
                                 detail={"failures": limit, "minutes": minutes})
        else:
            who = Identity(user.username, Role(user.role_code), user.region_code,
                           user.organisation_id, host)
            user.locked_until = None
            audit.record(s, who, EventType.LOGIN, object_type="user", object_id=username)
            return who
    raise LoginFailed(refusal)


@service(Op.USERS_MANAGE, writes=True)
def unlock_user(db: Database, who: Identity, username: str) -> None:
    """Lift a lockout (system administrator). Raises PermissionDenied or InputRejected."""
    from govdesk.errors import InputRejected
    from govdesk.security.users import account_call

    with db.session() as s:
        if db.is_postgres:  # the database checks, changes and audits it
            account_call(s, "govdesk_account_unlock(:u)", username)
            return
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise InputRejected(f"There is no user named {username}.")
        user.locked_until = None
        audit.record(s, who, EventType.ACCOUNT_UNLOCKED, object_type="user", object_id=username)


def idle_lock_minutes(db: Database) -> int:
    """Minutes of inactivity after which the GUI session locks (a security setting)."""
    with db.session() as s:
        return setting_int(s, "security.idle_lock_minutes", 15)


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
            raise LoginFailed("Wrong user name or password.")
        return
    from sqlalchemy.engine import make_url

    from govdesk.errors import DatabaseUnavailable
    from govdesk.security.identity import identity_from_connection

    probe = Database(make_url(db.url).set(password=password).render_as_string(hide_password=False))
    try:
        if identity_from_connection(probe).username != who.username:
            raise LoginFailed("Wrong user name or password.")
    except DatabaseUnavailable as exc:
        raise LoginFailed("Wrong password, or the database cannot be reached.") from exc
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
        raise LoginFailed(
            f"The account {username} is locked until {locked_until.astimezone():%Y-%m-%d %H:%M}"
            " after repeated failed logins; a system administrator can unlock it.")
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
                raise LoginFailed(f"Wrong password. The account {username} is now locked until "
                                  f"{_aware(locked).astimezone():%Y-%m-%d %H:%M}.") from exc
            raise LoginFailed("Wrong user name or password.") from exc
        if "not permitted to log in" in text_:
            raise LoginFailed(f"The account {username} is locked; a system administrator can "
                              "unlock it.") from exc
        raise
    except PermissionDenied as exc:
        db.dispose()
        raise LoginFailed(str(exc)) from exc
    with db.session() as s:
        audit.record(s, who, EventType.LOGIN, object_type="user", object_id=who.username)
    return db, who
