"""Who is acting: the identity every guarded service call receives.

On PostgreSQL the identity is the login role of the connection (``session_user``) looked up in
``users``, never a local flag. On SQLite it is the user who logged in through the GUI, or, for
headless commands, the local operator who holds the database file (``Identity.local_owner``).
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass

from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.errors import PermissionDenied
from govdesk.messages import Text
from govdesk.security.messages import OWNER
from govdesk.security.roles import OP_LABELS, Op, OpLabel, Role, allowed, roles_allowed
from govdesk.vocab import ROLE


def client_host() -> str:
    """This machine's host name, recorded with every audit event."""
    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover - only on broken network configuration
        return "unknown"


@dataclass(frozen=True)
class Identity:
    """The acting user. ``role`` is None for the database owner, who may only bootstrap
    (create the first system administrator) and migrate."""

    username: str
    role: Role | None
    region_code: str | None = None
    organisation_id: int | None = None
    host: str = ""
    is_owner: bool = False

    @classmethod
    def local_owner(cls) -> Identity:
        """The operator running headless commands on a local SQLite file."""
        return cls(getpass.getuser(), None, host=client_host(), is_owner=True)

    def can(self, op: Op) -> bool:
        return self.role is not None and allowed(self.role, op)

    def require(self, op: Op, *others: Op) -> None:
        """Raise :class:`PermissionDenied` unless this identity may perform ``op`` (or, with
        ``others``, any one of them: the message then names every operation and every role
        that may perform one)."""
        ops = (op, *others)
        if not any(self.can(o) for o in ops):
            who = (Text(ROLE.label(self.role.value, "zh"), ROLE.label(self.role.value, "en"))
                   if self.role else OWNER)
            operation, roles = OP_LABELS[op], roles_allowed(op)
            if others:
                operation = OpLabel("或".join(OP_LABELS[o].zh for o in ops),
                                    " or ".join(OP_LABELS[o].en for o in ops), op.value)
                roles = roles_allowed(*ops)
            raise PermissionDenied("not_allowed", username=self.username, role=who,
                                   operation=operation, allowed=roles)


def identity_from_connection(db: Database) -> Identity:
    """The identity of a PostgreSQL connection: its login role, found in ``users``.

    Raises PermissionDenied when the login is neither a GovDesk user nor the database owner.
    """
    with db.session() as s:
        row = s.execute(text("SELECT * FROM govdesk_whoami()")).mappings().first()
        if row is not None and row["role_code"] is not None:
            return Identity(row["username"], Role(row["role_code"]), row["region_code"],
                            row["organisation_id"], client_host())
        login, database = s.execute(text("SELECT session_user, current_database()")).one()
        owner = s.execute(text(
            "SELECT pg_get_userbyid(datdba) = session_user OR "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
            "FROM pg_database WHERE datname = current_database()")).scalar_one()
    if owner:
        return Identity(str(login), None, host=client_host(), is_owner=True)
    raise PermissionDenied("not_a_user", login=login, database=database)


# -- the scope rule's region prefix (the kernel applies it; see govdesk.security.kernel) ---
def region_prefix(code: str) -> str:
    """The significant prefix of a 12-digit region code (national = empty); the SQL twin is
    ``govdesk_region_prefix`` (migration 0003)."""
    stripped = code.rstrip("0")
    for width in (2, 4, 6, 9, 12):
        if len(stripped) <= width:
            return code[:width] if stripped else ""
    return code


def scope_prefix(who: Identity) -> str:
    """The region prefix that narrows ``who`` ('' = the whole country: nothing narrows)."""
    return region_prefix(who.region_code) if who.region_code else ""


def narrows(who: Identity) -> bool:
    """True when ``who``'s scope leaves some resources out."""
    return bool(scope_prefix(who))
