"""User accounts: create, list, lock, unlock, reset passwords.

On PostgreSQL an account is also a login role in exactly one GovDesk group role, created in the
same transaction as its ``users`` row (CREATE ROLE is transactional), with a SCRAM verifier
computed on the client so the password never appears in server logs. On SQLite the ``users`` row
carries an argon2 hash.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from psycopg2.extensions import encrypt_password
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import Organisation, Region, User
from govdesk.errors import ConflictError, InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
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


def _quote_ident(session: Session, name: str) -> str:
    return str(session.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar_one())


def _has_active_sysadmin(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User).where(
        User.role_code == Role.SYSADMIN.value, User.is_active.is_(True))))


def create_user(db: Database, who: Identity, username: str, role: Role, password: str, *,
                region_code: str | None = None, organisation_id: int | None = None,
                display_name: str = "") -> UserInfo:
    """Create an account. Allowed to a system administrator, and to the database owner for the
    first system administrator only.

    Raises InputRejected (bad name, weak password, unknown region or organisation),
    ConflictError (the name exists), PermissionDenied.
    """
    if not USERNAME.match(username) or username.startswith(("govdesk_", "pg_")):
        raise InputRejected(
            f"User name {username!r} must be 2–63 lower-case letters, digits or _, start with a "
            "letter, and not start with govdesk_ or pg_.")
    check_strength(password)
    with db.session() as s:
        if who.is_owner:
            if role is not Role.SYSADMIN or _has_active_sysadmin(s):
                raise PermissionDenied(
                    "The database owner may only create the first system administrator; "
                    "further accounts are created by a system administrator.")
        else:
            who.require(Op.USERS_MANAGE)
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise ConflictError(f"A user named {username} already exists.")
        if region_code is not None:
            region_code = region_code.ljust(12, "0")
            if s.get(Region, region_code) is None:
                raise InputRejected(f"Region code {region_code} is not in the region list.")
        if organisation_id is not None and s.get(Organisation, organisation_id) is None:
            raise InputRejected(f"Organisation {organisation_id} does not exist.")
        if db.is_postgres:
            exists = s.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": username})
            if exists:
                raise ConflictError(f"A PostgreSQL role named {username} already exists.")
            verifier = encrypt_password(password, username, s.connection().connection.dbapi_connection,
                                        "scram-sha-256")
            ident = _quote_ident(s, username)
            extra = " CREATEROLE" if role is Role.SYSADMIN else ""
            s.execute(text(f"CREATE ROLE {ident} LOGIN{extra} PASSWORD :pw IN ROLE {role.pg_group}")
                      .bindparams(pw=verifier))
        user = User(username=username, display_name=display_name, role_code=role.value,
                    region_code=region_code, organisation_id=organisation_id,
                    password_hash=None if db.is_postgres else hash_password(password))
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


def list_users(db: Database, who: Identity) -> list[UserInfo]:
    """All accounts, by name. System, security and audit administrators may list them."""
    if not (who.can(Op.USERS_MANAGE) or who.can(Op.AUDIT_READ)):
        who.require(Op.USERS_MANAGE)
    with db.session() as s:
        return [_info(u) for u in s.execute(select(*PUBLIC_COLUMNS).order_by(User.username))]


def _target(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise InputRejected(f"There is no user named {username}.")
    return user


def lock_user(db: Database, who: Identity, username: str) -> None:
    """Lock an account until unlocked (system administrator). On PostgreSQL the login role also
    loses LOGIN, so the server refuses it whatever the client. Nobody locks themselves."""
    who.require(Op.USERS_MANAGE)
    if username == who.username:
        raise InputRejected("You cannot lock your own account.")
    with db.session() as s:
        user = _target(s, username)
        user.locked_until = dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc)
        if db.is_postgres:
            s.execute(text(f"ALTER ROLE {_quote_ident(s, username)} NOLOGIN"))
        audit.record(s, who, EventType.ACCOUNT_LOCKED, object_type="user", object_id=username,
                     detail={"by": "administrator"})


def reset_password(db: Database, who: Identity, username: str, password: str) -> None:
    """Set a new password for ``username`` (system administrator). Raises InputRejected for a
    weak password or an unknown user."""
    who.require(Op.USERS_MANAGE)
    check_strength(password)
    with db.session() as s:
        user = _target(s, username)
        if db.is_postgres:
            verifier = encrypt_password(password, username,
                                        s.connection().connection.dbapi_connection,
                                        "scram-sha-256")
            s.execute(text(f"ALTER ROLE {_quote_ident(s, username)} PASSWORD :pw")
                      .bindparams(pw=verifier))
        else:
            user.password_hash = hash_password(password)
        audit.record(s, who, EventType.PASSWORD_RESET, object_type="user", object_id=username)
