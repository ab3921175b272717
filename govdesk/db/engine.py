"""Engine creation and the unit of work every service call runs in.

One :class:`Database` per process and URL. A service call opens its own session with
:meth:`Database.session`, which commits on success and rolls back on any error; sessions are
never shared between threads and never handed to the UI.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from govdesk.db.server_texts import server_text
from govdesk.errors import (
    ConflictError,
    DatabaseBusy,
    DatabaseUnavailable,
    DuplicateKey,
    GovDeskError,
    InputRejected,
    PermissionDenied,
    ReadOnlyDatabase,
)
from govdesk.messages import Text

#: how long a PostgreSQL statement waits for a row or table lock another session holds before
#: giving up as a conflict (milliseconds); a migration waits as long
PG_LOCK_TIMEOUT_MS = 30_000
#: how long an SQLite connection waits for another writer before giving up (milliseconds)
SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
    cur.close()


def _sqlite_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked": another connection kept the write lock past the
    busy timeout."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(exc)


def normalize_url(url: str) -> str:
    """``url`` with PostgreSQL pinned to the psycopg2 driver GovDesk ships.

    A plain ``postgresql://`` URL (what IT staff copy from a server's docs) means psycopg2 in
    SQLAlchemy 2.0 but psycopg 3 from 2.1 on, which is not installed; other URLs pass unchanged.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    return url


def create_db_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``: foreign keys on for SQLite, pre-ping for PostgreSQL.

    Connection failures, at connect time or mid-statement, surface as
    :class:`DatabaseUnavailable` with a message naming the database (password hidden); a
    statement PostgreSQL refuses for lack of privilege surfaces as :class:`PermissionDenied`,
    one that breaks a CHECK constraint or a working rule (migration 0014: workflow, 就高从严,
    the suggestion queue) as :class:`InputRejected`, with the database's message. A rule
    judged at commit (就高从严) surfaces from the commit the same way. SQLite's "database is
    locked" (another writer past :data:`SQLITE_BUSY_TIMEOUT_MS`) surfaces as
    :class:`DatabaseBusy`; a unique violation as :class:`DuplicateKey`, a deadlock, a
    serialization failure or a lock wait given up as :class:`ConflictError` (see
    :func:`refusal`). ``read_only`` (PostgreSQL) opens every transaction read-only
    (``default_transaction_read_only``): the read replica's handle, which then refuses a write
    with the same message whether the server is a standby or, by mistake, a primary.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("connect_args", {
            "connect_timeout": 10, "application_name": "govdesk",
            # a row another session holds is waited for this long, then the statement gives
            # up with 55P03 (a conflict: "nothing saved, try again"), never for ever
            "options": f"-c lock_timeout={int(PG_LOCK_TIMEOUT_MS)}"
                       + (" -c default_transaction_read_only=on" if read_only else "")})
        engine = create_engine(url, **kwargs)
    event.listen(engine, "handle_error", _connection_errors(url))
    return engine


def _connection_errors(url: str) -> Any:
    def handle(ctx: ExceptionContext) -> None:
        if ctx.is_pre_ping:
            return  # the pool reconnects on its own
        orig = ctx.original_exception
        refused = refusal(orig, url)
        if refused is not None:
            raise refused from orig
        if isinstance(orig, sqlite3.DatabaseError) and "file is not a database" in str(orig):
            raise InputRejected("not_a_database_file", database=describe_url(url)) from orig
        if ctx.connection is None and isinstance(ctx.sqlalchemy_exception, OperationalError):
            raise DatabaseUnavailable("db_cannot_connect", database=describe_url(url),
                                      reason=_server_reason(orig)) from orig
        if ctx.is_disconnect:
            raise DatabaseUnavailable("db_connection_lost", database=describe_url(url),
                                      reason=_server_reason(orig)) from orig

    return handle


#: "(code)=(101/000001)" in a unique violation's detail (the same in every server language)
_KEY_VALUE = re.compile(r"\((?P<columns>[^()]*)\)=\((?P<value>.*)\)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<table>\w+)\.(?P<columns>[\w, .]+)")


def refusal(exc: BaseException, url: str | None = None) -> GovDeskError | None:
    """The GovDesk error for a statement the database refused (a DB-API exception), or None.

    - PermissionDenied for insufficient_privilege (grants, row-level security, the working
      rules of migration 0014 about who may);
    - InputRejected for check_violation (a CHECK constraint, or a working rule about what may
      be: the workflow's edges, 就高从严, the suggestion queue), and for a value the column
      cannot hold (too long, out of range, a NUL character: the services check these first,
      see :mod:`govdesk.catalog.editing.limits`; this is the safety net);
    - :class:`DuplicateKey` for a unique violation, naming the value where the database does
      (PostgreSQL; SQLite names only the column);
    - :class:`ReadOnlyDatabase` for a write on a hot standby or a read-only handle (the read
      replica): writes go to the primary;
    - ConflictError for a deadlock, a serialization failure or a lock wait given up, and
      :class:`DatabaseBusy` for SQLite's "database is locked": another user's transaction got
      in the way, nothing was saved, and trying again normally works.

    The server's own message is the ``reason`` parameter where there is one, in the user's
    language through :func:`govdesk.db.server_texts.server_text`.
    """
    code = getattr(exc, "pgcode", None)
    if code == "42501":
        return PermissionDenied("db_refused_permission", reason=_server_reason(exc))
    if code in ("23514", "23502"):
        return InputRejected("db_refused", reason=_server_reason(exc))
    if code in ("22001", "22003", "22P05") or (
            isinstance(exc, ValueError) and "NUL (0x00)" in str(exc)):
        return InputRejected("db_value_unstorable", reason=_server_reason(exc))
    if code == "23505" or (isinstance(exc, sqlite3.IntegrityError)
                           and "UNIQUE constraint failed" in str(exc)):
        return _duplicate(exc)
    if code == "25006":  # read_only_sql_transaction: a hot standby, or a read-only handle
        return ReadOnlyDatabase("db_read_only", database=describe_url(url) if url else "",
                                reason=_server_reason(exc))
    if code == "40P01":
        return ConflictError("db_deadlock")
    if code == "40001":
        return ConflictError("db_serialization")
    if code == "55P03":
        return ConflictError("db_lock_timeout")
    if _sqlite_busy(exc):
        return DatabaseBusy("db_busy", database=describe_url(url) if url else "",
                            seconds=SQLITE_BUSY_TIMEOUT_MS / 1000)
    return None


def _duplicate(exc: BaseException) -> DuplicateKey:
    diag = getattr(exc, "diag", None)
    table = getattr(diag, "table_name", None)
    columns = value = None
    if diag is not None:
        # the detail with the value is left out for a table under row-level security; the
        # constraint's name (naming convention uq_<table>_<column>) still says the column
        found = _KEY_VALUE.search(getattr(diag, "message_detail", None) or "")
        constraint = getattr(diag, "constraint_name", None) or ""
        if found:
            columns, value = found.group("columns"), found.group("value")
        elif table and constraint.startswith(f"uq_{table}_"):
            columns = constraint[len(f"uq_{table}_"):]
    else:
        found = _SQLITE_UNIQUE.search(str(exc))
        if found:
            table = found.group("table")
            columns = ", ".join(c.split(".")[-1].strip() for c in found.group("columns")
                                .split(","))
    if table == "data_resources" and columns == "code":
        if value:
            return DuplicateKey("code_taken_meanwhile", table=table, columns=columns, value=value,
                                code=value)
        return DuplicateKey("code_taken_meanwhile_unnamed", table=table, columns=columns,
                            value=value)
    what = f"{columns} = {value}" if columns and value else (columns or "?")
    return DuplicateKey("duplicate_value", table=table, columns=columns, value=value, what=what)


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """A database GovDesk works on: its URL, engine and session factory.

    Thread-safe: the engine pools connections, and each :meth:`session` call gets its own
    session, so worker threads each open their own.
    """

    def __init__(self, url: str, engine: Engine | None = None, *,
                 read_only: bool = False) -> None:
        self.url = url = normalize_url(url)
        #: a handle whose every transaction is read-only (the read replica's)
        self.read_only = read_only
        self.engine = engine or create_db_engine(url, read_only=read_only)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        #: the read replica attached to this (primary) handle, if any
        self.replica: Database | None = None
        #: for a read replica's handle, the primary it was attached to
        self.primary: Database | None = None

    def attach_replica(self, url: str | None) -> Database | None:
        """Use the hot standby at ``url`` for heavy reads (see :meth:`reading`); None or "" for
        none. The replica handle is read-only and logs in as ``url`` says (the same login as
        the primary: roles and passwords replicate). Nothing connects until it is used."""
        if self.replica is not None:
            self.replica.dispose()
        self.replica = Database(url, read_only=True) if url else None
        if self.replica is not None:
            self.replica.primary = self
        return self.replica

    def reading(self) -> Database:
        """The handle for heavy reads (the dashboard, the review workbench): the read replica
        when one is attached, else this database itself. Its ``is_replica`` says which; a
        write through a replica handle raises :class:`ReadOnlyDatabase`. Read through it only
        what may lag behind the primary by the replica's delay
        (:func:`govdesk.db.replica.read_source` measures it)."""
        return self.replica or self

    def writing(self) -> Database:
        """The handle for writes that belong to a read: the audit record of a refused or
        failed call, an access event. The primary for a read replica's handle, else this
        database itself."""
        return self.primary or self

    @property
    def is_replica(self) -> bool:
        """True for a read replica's handle (made by :meth:`attach_replica`)."""
        return self.read_only

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit when the block ends normally, roll back on any exception.

        Raises :class:`ConflictError` for a stale versioned write and
        :class:`DatabaseUnavailable` when the server cannot be reached (see
        :func:`create_db_engine`).
        """
        session = self._factory()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError("record_changed") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection (before dropping the database, or at exit), the read
        replica's too."""
        self.engine.dispose()
        if self.replica is not None:
            self.replica.dispose()


def _server_reason(exc: BaseException) -> Text:
    """The server's refusal as a text in both languages (see :mod:`govdesk.db.server_texts`)."""
    return server_text(_first_line(exc))


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    # the server's own message: psycopg2 2.9 mis-decodes the text of an error raised by
    # COMMIT (a deferred constraint) in str(exc), but not in its diagnostics
    primary = getattr(getattr(orig, "diag", None), "message_primary", None)
    if primary and primary.strip():
        return str(primary).strip().splitlines()[0]
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
