"""Engine creation and the unit of work every service call runs in.

One :class:`Database` per process and URL. A service call opens its own session with
:meth:`Database.session`, which commits on success and rolls back on any error; sessions are
never shared between threads and never handed to the UI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from govdesk.errors import ConflictError, DatabaseUnavailable


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``: foreign keys on for SQLite, pre-ping for PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {"connect_timeout": 10, "application_name": "govdesk"})
    return create_engine(url, **kwargs)


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """A database GovDesk works on: its URL, engine and session factory.

    Thread-safe: the engine pools connections, and each :meth:`session` call gets its own
    session, so worker threads each open their own.
    """

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or create_db_engine(url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

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
        :class:`DatabaseUnavailable` when the server cannot be reached.
        """
        session = self._factory()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError(
                "Someone else changed this record after you opened it; nothing was overwritten."
            ) from exc
        except OperationalError as exc:
            session.rollback()
            if exc.connection_invalidated or _is_connection_error(exc):
                raise DatabaseUnavailable(
                    f"Lost the connection to the database {describe_url(self.url)}: "
                    f"{_first_line(exc)}. Nothing was saved."
                ) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection (before dropping the database, or at exit)."""
        self.engine.dispose()


def _is_connection_error(exc: StatementError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else ""
    return any(
        s in text
        for s in ("could not connect", "connection refused", "server closed", "terminating",
                  "unable to open database", "connection to server")
    )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
