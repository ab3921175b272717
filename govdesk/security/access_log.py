"""Access events: the evidence of who read what, granted or refused (issue 15).

What is recorded, in ``access_events`` (one row per call, by the service kernel):

* **catalogue queries** (the list and search pages: ``query``, the rows of the page),
* **resource detail views** (``view``), **sample views** masked (``sample_view``) and unmasked
  (``sample_unmask``), with the rows shown,
* **exports** (``export``: catalogue workbook, sample workbook, access matrix; rows written),
* **denials**: a call refused by the permission check or by the database (``failure =
  'denied'``), and a named resource that does not exist or is not visible to the caller
  (``'not_found'``: the client cannot tell the two apart, the record can: ``object_ref`` keeps
  the id or code as given, and the database fills ``resource_id`` when it exists),
* **logins**, successful and failed, with the client host: on PostgreSQL copied from the audit
  queue by the database itself (``govdesk_access_from_audit``, migration 0035; a failed login
  has no session to write with), on SQLite by :func:`record_login`.

A service declares what it records with ``@service(..., access=Access("view"))``; the kernel
calls :meth:`Access.succeeded` after the outermost call returned and :meth:`Access.refused`
when it raised. Nested declared calls are not recorded twice.

**How it is written.** One ``INSERT`` in a transaction of its own, after the call's own
transaction ended, before the result is handed back. On PostgreSQL the row carries nothing the
database trusts: the stamp trigger sets user, role, organisation and time (``ts`` is the
column default, ``statement_timestamp()``); on SQLite this module stamps them from the
identity. No ``RETURNING`` (most roles may insert events but not read them). On PostgreSQL it
is one round trip (``SET LOCAL synchronous_commit TO off; INSERT …`` on an autocommit
connection, which the server runs as one implicit transaction): the server has checked and
accepted the row when the call returns, and its commit reaches disk within the WAL writer's
delay (3 × ``wal_writer_delay``, 600 ms by default) instead of being waited for. What that
leaves open is a crash of the database server itself within that window, which loses the last
events along with every other asynchronous commit; measured, waiting for the flush cost 11 ms
per call on the shared machine, a fifth of the search's 50 ms budget.

**When it cannot be written** the evidence is not dropped silently: a successful call whose
event cannot be written fails closed with :class:`AccessNotRecorded` (the caller gets no
result it could use unrecorded; the service's own work, e.g. a written export file, is not
undone); a refusal whose event cannot be written is logged at ERROR and the refusal itself is
raised as it was (the user must see why they were refused).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text

from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import AccessEvent, DataResource
from govdesk.errors import GovDeskError
from govdesk.security.access_spec import DENIED as DENIED
from govdesk.security.access_spec import LOGIN as LOGIN
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service

log = logging.getLogger(__name__)

#: one round trip: the simple-query protocol runs the two statements as one implicit
#: transaction, whose commit does not wait for the WAL flush (see the module's docstring)
_INSERT_PG = (
    "SET LOCAL synchronous_commit TO off; "
    "INSERT INTO access_events (username, role_code, organisation_id, resource_id, action, "
    "row_count, success, client_host, failure, object_ref, operation) VALUES (%(username)s, "
    "%(role_code)s, %(organisation_id)s, %(resource_id)s, %(action)s, %(row_count)s, "
    "%(success)s, %(client_host)s, %(failure)s, %(object_ref)s, %(operation)s)")


class AccessNotRecorded(GovDeskError):
    """The access event of a call could not be written: the call's result is withheld."""


@dataclass(frozen=True)
class Event:
    """One access event as the client sends it (the database stamps who and when)."""

    action: str
    row_count: int = 0
    success: bool = True
    failure: str | None = None
    resource_id: int | None = None
    object_ref: str | None = None
    operation: str | None = None


@service(anyone=True, scope=Scope.NONE,
         why="everyone's accesses are recorded; on PostgreSQL the database stamps who")
def record(db: Database, who: Identity, event: Event) -> None:
    """Write ``event`` for ``who`` in a transaction of its own (the kernel calls it after a
    declared service; the login, and the importer and monitoring lanes may too). Raises
    :class:`AccessNotRecorded` when it cannot be written."""
    db = db.writing()  # a read on the read replica is recorded on its primary
    row: dict[str, Any] = {
        "username": who.username, "role_code": who.role.value if who.role else None,
        "organisation_id": who.organisation_id, "resource_id": event.resource_id,
        "action": event.action, "row_count": max(0, int(event.row_count)),
        "success": event.success, "client_host": (who.host or None) and who.host[:255],
        "failure": event.failure, "object_ref": event.object_ref and event.object_ref[:100],
        "operation": event.operation and event.operation[:80]}
    try:
        if db.is_postgres:
            _insert_pg(db, row)
            return
        with db.engine.begin() as c:
            if row["resource_id"] is None and row["object_ref"]:
                row["resource_id"] = _resolve(c, row["object_ref"])
            c.execute(insert(AccessEvent).values(ts=utcnow(), **row))
    except Exception as exc:
        log.error("access event not recorded: %s by %s (%s)", event.action, who.username,
                  event.operation, exc_info=True)
        raise AccessNotRecorded("access_not_recorded", action=event.action) from exc


def _insert_pg(db: Database, row: dict[str, Any]) -> None:
    """The event's one round trip, on a pooled connection switched to autocommit for it (the
    DB-API connection directly: SQLAlchemy's per-connection options cost more than the
    insert)."""
    raw = db.engine.raw_connection()
    try:
        conn: Any = raw.driver_connection  # psycopg2's own (a proxy would keep the setting)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(_INSERT_PG, row)
        finally:
            conn.autocommit = False
    finally:
        raw.close()


def _resolve(c: Any, ref: str) -> int | None:
    """The id of the resource named ``ref`` (id or code), whoever may see it (SQLite's twin of
    the stamp trigger's lookup)."""
    key = DataResource.id == int(ref) if ref.isdigit() else DataResource.code == ref
    found = c.execute(select(DataResource.id).where(key)).scalar()
    return int(found) if found is not None else None


def record_login(db: Database, username: str, success: bool, host: str | None) -> None:
    """SQLite: a login attempt (PostgreSQL copies logins from the audit queue itself).
    A failure to record is logged, never raised: the login's own outcome stands, and its
    audit row holds the same facts."""
    if db.is_postgres:
        return
    who = Identity(username, None, host=host or "")
    try:
        record(db, who, Event(LOGIN, success=success, failure=None if success else DENIED,
                              object_ref=username, operation="auth.login"))
    except AccessNotRecorded:
        pass  # logged by record()


