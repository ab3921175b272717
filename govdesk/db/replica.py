"""The read replica: which server the heavy reads come from, and how far behind it is.

A PostgreSQL hot standby (streaming replication) serves the dashboard and the review
workbench so that review does not load the primary. The connection profile names it beside
the primary (``replica_url`` in :mod:`govdesk.db.urls`); :meth:`Database.attach_replica`
gives the primary handle a read-only replica handle, :meth:`Database.reading` returns the one
to read from, and :func:`read_source` says which it is and the replica's lag, for a line on the
screen. The same login works on the standby: roles, their passwords, grants and row-level
security policies are catalogue rows and replicate with everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from govdesk.db.engine import Database, describe_url
from govdesk.messages import DEFAULT_LANG, render

_STATUS = text(
    "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), "
    "pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(), "
    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8")


@dataclass(frozen=True)
class ReadSource:
    """Where reads come from. ``replica`` when the read replica serves them; ``in_recovery``
    whether that server is a standby (None on SQLite); ``last_replay`` the commit time of the
    last transaction it replayed; ``caught_up`` whether it has replayed all the WAL it
    received; ``lag_seconds`` 0 when caught up, else the age of ``last_replay`` (how old the
    newest data on the replica may be). ``text(lang)`` says all this in a sentence."""

    replica: bool
    database: str
    in_recovery: bool | None = None
    last_replay: datetime | None = None
    caught_up: bool | None = None
    lag_seconds: float | None = None

    @property
    def code(self) -> str:
        if not self.replica:
            return "read_from_primary"
        if not self.in_recovery:
            return "read_replica_not_standby"
        return "read_from_replica_current" if self.caught_up else "read_from_replica"

    def text(self, lang: str = DEFAULT_LANG) -> str:
        replayed = f"{self.last_replay.astimezone():%Y-%m-%d %H:%M:%S}" if self.last_replay \
            else "-"
        params: dict[str, Any] = {"database": self.database, "lag": self.lag_seconds or 0.0,
                                  "replayed": replayed}
        return render(self.code, lang, params)


def read_source(db: Database) -> ReadSource:
    """Which handle :meth:`Database.reading` gives for ``db`` and, for a replica, its state
    (one query on the replica, any login may run it). Raises
    :class:`~govdesk.errors.DatabaseUnavailable` naming the replica when it cannot be reached:
    reads do not silently move to the primary."""
    handle = db.reading()
    name = describe_url(handle.url)
    if handle is db or not handle.is_postgres:
        return ReadSource(False, name)
    with handle.engine.connect() as conn:
        in_recovery, replayed, caught_up, age = conn.execute(_STATUS).one()
    lag = 0.0 if caught_up else (max(float(age), 0.0) if age is not None else None)
    return ReadSource(True, name, bool(in_recovery), replayed,
                      bool(caught_up) if in_recovery else None, lag if in_recovery else None)
