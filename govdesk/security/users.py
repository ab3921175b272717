"""User accounts: create, list, lock, unlock, reset passwords, change one's own.

On PostgreSQL an account is also a login role in exactly one GovDesk group role, created in the
same transaction as its ``users`` row (CREATE ROLE is transactional), with a SCRAM verifier
computed on the client so the password never appears in server logs. On SQLite the ``users`` row
carries an argon2 hash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from psycopg2.extensions import encrypt_password
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from govdesk.changes import USERS, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import Organisation, Region, User
from govdesk.errors import ConflictError, InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.passwords import check_strength, hash_password
from govdesk.security.roles import Op, Role

USERNAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    region_code: str | None
    organisation_id: int | None
    is_active: bool
    locked: bool


def _verifier(session: Session, username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed here so no password reaches the
    server or its logs."""
    conn = session.connection().connection.dbapi_connection
    return str(encrypt_password(password, username, conn, "scram-sha-256"))


@contextlib.contextmanager
def translate_refusal(username: str) -> Iterator[None]:
    """Turn the account functions' refusals into GovDesk errors (the database decides; the
    checks above only give the message early)."""
    try:
        yield
    except DBAPIError as exc:
        code = getattr(exc.orig, "pgcode", None)
        message = str(getattr(getattr(exc.orig, "diag", None), "message_primary", "") or exc.orig)
        if code == "42501":  # insufficient_privilege
            raise PermissionDenied("account_refused", username=username,
                                   reason=message) from exc
        if code == "42710":  # duplicate_object
            raise ConflictError("user_or_role_exists", username=username) from exc
        if code in ("22023", "P0002", "23503"):
            raise InputRejected("account_rejected", username=username, reason=message) from exc
        raise


def account_call(session: Session, call: str, username: str, **params: object) -> None:
    """Run one ``govdesk_account_*`` function for ``username`` (PostgreSQL)."""
    with translate_refusal(username):
        session.execute(text(f"SELECT {call}"), {"u": username, **params})


def _has_active_sysadmin(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User).where(
        User.role_code == Role.SYSADMIN.value, User.is_active.is_(True))))


@service(Op.USERS_MANAGE, owner=True, writes=True)
def create_user(db: Database, who: Identity, username: str, role: Role, password: str, *,
                region_code: str | None = None, organisation_id: int | None = None,
                display_name: str = "") -> UserInfo:
    """Create an account. Allowed to a system administrator, and to the database owner for the
    first system administrator only.

    Raises InputRejected (bad name, weak password, unknown region or organisation),
    ConflictError (the name exists), PermissionDenied.
    """
    if not USERNAME.match(username) or username.startswith(("govdesk_", "pg_", "gd_")):
        raise InputRejected("bad_username", username=username)
    check_strength(password)
    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if who.is_owner:
            # on PostgreSQL the account function decides (it knows which logins exist)
            if role is not Role.SYSADMIN or (not db.is_postgres and _has_active_sysadmin(s)):
                raise PermissionDenied("owner_first_sysadmin_only")
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise ConflictError("user_exists", username=username)
        if region_code is not None:
            region_code = region_code.ljust(12, "0")
            if s.get(Region, region_code) is None:
                raise InputRejected("unknown_region_code", region=region_code)
        if organisation_id is not None and s.get(Organisation, organisation_id) is None:
            raise InputRejected("unknown_organisation_id", organisation=organisation_id)
        if db.is_postgres:
            verifier = _verifier(s, username, password)
            with translate_refusal(username):
                user_id = s.scalar(text(
                    "SELECT govdesk_account_create(:u, :r, :v, :reg, :org, :d)"), {
                    "u": username, "r": role.value, "v": verifier, "reg": region_code,
                    "org": organisation_id, "d": display_name})
            return _info(s.execute(select(*PUBLIC_COLUMNS).where(User.id == user_id)).one())
        user = User(username=username, display_name=display_name, role_code=role.value,
                    region_code=region_code, organisation_id=organisation_id,
                    password_hash=hash_password(password))
        s.add(user)
        s.flush()
        audit.record(s, who, EventType.USER_CREATED, object_type="user", object_id=username,
                     detail={"role": role.value, "region": region_code})
        return _info(user)


def _info(u: Any) -> UserInfo:
    """A :class:`UserInfo` from a User or a row with the columns of :data:`PUBLIC_COLUMNS`."""
    locked_until = u.locked_until
    if locked_until is not None and locked_until.tzinfo is None:
        locked_until = locked_until.replace(tzinfo=dt.timezone.utc)
    return UserInfo(u.id, u.username, u.display_name, Role(u.role_code), u.region_code,
                    u.organisation_id, u.is_active,
                    locked_until is not None and locked_until > utcnow())


#: the columns of ``users`` that every administrator may read (auditors see no more)
PUBLIC_COLUMNS = (User.id, User.username, User.display_name, User.role_code, User.region_code,
                  User.organisation_id, User.is_active, User.locked_until)


def has_users(db: Database) -> bool:
    """True when the database has at least one active account (no permission needed: the GUI
    asks before anyone has logged in, to offer the set-up dialog)."""
    with db.session() as s:
        return bool(s.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))))


@service(Op.USERS_MANAGE, Op.AUDIT_READ)
def list_users(db: Database, who: Identity) -> list[UserInfo]:
    """All accounts, by name. System, security and audit administrators may list them."""
    with db.session() as s:
        return [_info(u) for u in s.execute(select(*PUBLIC_COLUMNS).order_by(User.username))]


def _target(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise InputRejected("no_such_user", username=username)
    return user


@service(Op.USERS_MANAGE, writes=True)
def lock_user(db: Database, who: Identity, username: str) -> None:
    """Lock an account until unlocked (system administrator). On PostgreSQL the login role also
    loses LOGIN, so the server refuses it whatever the client. Nobody locks themselves."""
    if username == who.username:
        raise InputRejected("cannot_lock_self")
    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if db.is_postgres:
            account_call(s, "govdesk_account_lock(:u)", username)
            return
        user = _target(s, username)
        user.locked_until = dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc)
        audit.record(s, who, EventType.ACCOUNT_LOCKED, object_type="user", object_id=username,
                     detail={"by": "administrator"})


@service(Op.USERS_MANAGE, writes=True)
def reset_password(db: Database, who: Identity, username: str, password: str) -> None:
    """Set a new password for ``username`` (system administrator). Raises InputRejected for a
    weak password or an unknown user."""
    check_strength(password)
    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if db.is_postgres:
            account_call(s, "govdesk_account_set_password(:u, :v)", username,
                         v=_verifier(s, username, password))
            return
        user = _target(s, username)
        user.password_hash = hash_password(password)
        audit.record(s, who, EventType.PASSWORD_RESET, object_type="user", object_id=username)




@service(anyone=True, writes=True, why="every user may change their own password")
def change_own_password(db: Database, who: Identity, old_password: str, new_password: str) -> None:
    """Change ``who``'s own password after checking the current one (which counts towards
    lockout like a login). On PostgreSQL the login role's password changes (a SCRAM verifier
    computed here); connections opened afterwards need the new password, so the GUI logs in
    again. Raises LoginFailed (wrong current password), InputRejected (weak new password)."""
    from govdesk.security.auth import confirm_password

    check_strength(new_password)
    confirm_password(db, who, old_password)
    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if db.is_postgres:  # the database changes it and audits it (migration 0027)
            s.execute(text("SELECT govdesk_account_own_password(:v)"),
                      {"v": _verifier(s, who.username, new_password)})
            return
        _target(s, who.username).password_hash = hash_password(new_password)
        audit.record(s, who, EventType.ACCOUNT_CHANGED, object_type="user",
                     object_id=who.username, detail={"password": "changed by the user"})


@service(Op.USERS_MANAGE, writes=True)
def deactivate_user(db: Database, who: Identity, username: str) -> None:
    """Deactivate an account for good (system administrator): it can no longer log in, its
    name is never reused, and the audit trail keeps naming it. On PostgreSQL the login role is
    dropped. Nobody deactivates themselves."""
    if username == who.username:
        raise InputRejected("cannot_deactivate_self")
    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if db.is_postgres:
            account_call(s, "govdesk_account_deactivate(:u)", username)
            return
        user = _target(s, username)
        user.is_active = False
        audit.record(s, who, EventType.ACCOUNT_DEACTIVATED, object_type="user",
                     object_id=username)


@service(Op.USERS_MANAGE, writes=True)
def update_user(db: Database, who: Identity, username: str, *, role: Role | None = None,
                region_code: str | None = None, organisation_id: int | None = None,
                display_name: str | None = None, clear_region: bool = False,
                clear_organisation: bool = False) -> UserInfo:
    """Change an account's role, region, organisation or display name (system administrator;
    None leaves a value as it is). On PostgreSQL the login moves to the new role's group in the
    same transaction. Nobody changes their own account."""
    if username == who.username:
        raise InputRejected("cannot_change_self")
    with db.session() as s:
        announce.note(s, Changed.of(USERS))  # published only if it commits
        if region_code is not None:
            region_code = region_code.ljust(12, "0")
            if s.get(Region, region_code) is None:
                raise InputRejected("unknown_region_code", region=region_code)
        if organisation_id is not None and s.get(Organisation, organisation_id) is None:
            raise InputRejected("unknown_organisation_id", organisation=organisation_id)
        if db.is_postgres:
            account_call(s, "govdesk_account_update(:u, :r, :reg, :org, :d, :cr, :co)", username,
                         r=role.value if role else None, reg=region_code, org=organisation_id,
                         d=display_name, cr=clear_region, co=clear_organisation)
        else:
            user = _target(s, username)
            if role is not None:
                user.role_code = role.value
            if clear_region or region_code is not None:
                user.region_code = None if clear_region else region_code
            if clear_organisation or organisation_id is not None:
                user.organisation_id = None if clear_organisation else organisation_id
            if display_name is not None:
                user.display_name = display_name
            audit.record(s, who, EventType.ACCOUNT_CHANGED, object_type="user",
                         object_id=username,
                         detail={"role": role.value if role else None, "region": region_code,
                                 "organisation": organisation_id})
        s.flush()
        return _info(s.execute(select(*PUBLIC_COLUMNS).where(User.username == username)).one())


@service(Op.USERS_MANAGE, Op.AUDIT_ARCHIVE)
def account_anomalies(db: Database, who: Identity) -> list[tuple[str, str, str]]:
    """Logins in this database's GovDesk groups that no active ``users`` row accounts for
    (login, group, reason), e.g. made by hand with psql. PostgreSQL only; system and audit
    administrators."""
    if not db.is_postgres:
        return []
    with db.session() as s:
        return [(r[0], r[1], r[2]) for r in s.execute(
            text("SELECT rolname, group_role, reason FROM govdesk_account_anomalies()"))]
