"""Hear what other clients change: LISTEN govdesk_changes on a dedicated connection.

PostgreSQL announces every committed change of the catalogue, classification, accounts and
settings tables itself (migration 0019: ``NOTIFY govdesk_changes, '{"kind": …, "ids": …}'``
from statement triggers, inside the writing transaction, so only committed changes are
heard). A :class:`ChangeListener` keeps one connection of its own, outside the pool, in
autocommit mode, and waits on it with ``select()`` in a background thread; what it hears goes
to ``deliver`` as :class:`~govdesk.changes.Changes` with ``remote=True`` (the GUI hands it to
its change bus). It ignores what this client's own pooled connections wrote (their backend
pids, recorded at each checkout), since the operation runner already published those.

A dropped connection (server restart, network cut, a terminated backend) is noticed at once
or, on a silent network, by a keep-alive query after ``keepalive_seconds`` of quiet; the
listener then reconnects with exponential backoff (``0.5 s`` doubling up to
``max_backoff_seconds``) and, once back, delivers ``Changes.everything()``: notifications sent
while it was away are lost, so everything may have changed.

Notifications reach every listener of the database, whatever its grants: they carry kinds and
ids only, and what a client then reads about them is still decided by its grants and
row-level security.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from govdesk.changes import Changed, Changes
from govdesk.db.engine import Database

log = logging.getLogger(__name__)

CHANNEL = "govdesk_changes"
_PID = "govdesk_backend_pid"


class ChangeListener:
    """Listens for committed changes of other clients of ``db`` (PostgreSQL only) until
    :meth:`stop`; ``deliver`` is called on the listener's thread."""

    def __init__(self, db: Database, deliver: Callable[[Changes], None], *,
                 keepalive_seconds: float = 15.0, max_backoff_seconds: float = 30.0) -> None:
        if not db.is_postgres:
            raise ValueError("change notifications need PostgreSQL")
        self._db, self._deliver = db, deliver
        self.keepalive_seconds = keepalive_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()  # stop() wakes the select() at once
        self._own: set[int] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        #: set while the listening connection is up (tests and diagnostics)
        self.connected = threading.Event()
        #: the listening connection's backend pid, None while disconnected
        self.backend_pid: int | None = None
        #: how many times the connection was made again after a drop
        self.reconnects = 0
        event.listen(db.engine, "checkout", self._checked_out)
        event.listen(db.engine, "close", self._closed)
        event.listen(db.engine, "invalidate", self._invalidated)

    # -- this client's own connections ------------------------------------------------------
    def _checked_out(self, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        pid = record.info.get(_PID)
        if pid is None:
            pid = record.info[_PID] = dbapi_conn.get_backend_pid()
        with self._lock:
            self._own.add(pid)

    def _closed(self, _dbapi_conn: Any, record: Any) -> None:
        pid = record.info.pop(_PID, None) if record is not None else None
        with self._lock:
            self._own.discard(pid)

    def _invalidated(self, dbapi_conn: Any, record: Any, _exc: Any) -> None:
        self._closed(dbapi_conn, record)

    def own_pids(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._own)

    # -- running ---------------------------------------------------------------------------
    def start(self) -> ChangeListener:
        """Start listening in a daemon thread (returns self)."""
        self._thread = threading.Thread(target=self._run, name="govdesk-changes", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and close the connection; waits up to ``timeout`` seconds."""
        self._stop.set()
        try:
            os.write(self._wake_w, b"x")
        except OSError:  # already closed
            pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        event.remove(self._db.engine, "checkout", self._checked_out)
        event.remove(self._db.engine, "close", self._closed)
        event.remove(self._db.engine, "invalidate", self._invalidated)
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def _run(self) -> None:
        delay, first = 0.5, True
        while not self._stop.is_set():
            try:
                raw, conn = self._connect()
            except Exception as exc:  # the server is away: try again later
                log.info("change listener cannot connect (retrying in %.1f s): %s", delay, exc)
                self._stop.wait(delay)
                delay = min(self.max_backoff_seconds, delay * 2)
                continue
            if not first:
                self.reconnects += 1
                self._deliver(Changes.everything(remote=True))  # what was missed meanwhile
            first, delay = False, 0.5
            try:
                self._listen(conn)
            except Exception as exc:  # a dropped connection: reconnect
                log.info("change listener lost its connection: %s", exc)
            finally:
                self.connected.clear()
                self.backend_pid = None
                try:
                    raw.close()
                except Exception:  # already broken
                    pass

    def _connect(self) -> tuple[Any, Any]:
        raw = self._db.engine.raw_connection()
        raw.detach()  # a connection of its own: never returned to the pool
        conn: Any = raw.dbapi_connection  # psycopg2's connection
        assert conn is not None
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        self.backend_pid = conn.get_backend_pid()
        with self._lock:
            self._own.discard(self.backend_pid)  # counted at its checkout; it never writes
        self.connected.set()
        return raw, conn

    def _listen(self, conn: Any) -> None:
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            ready, _w, _x = select.select([conn, self._wake_r], [], [],
                                          min(1.0, self.keepalive_seconds))
            if self._stop.is_set():
                return
            if conn in ready:
                conn.poll()  # raises when the server closed the connection
                self._hand_over(conn)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= self.keepalive_seconds:
                with conn.cursor() as cur:  # a silent network shows up as an error here
                    cur.execute("SELECT 1")
                self._hand_over(conn)
                quiet_since = time.monotonic()

    def _hand_over(self, conn: Any) -> None:
        heard = list(conn.notifies)
        conn.notifies.clear()
        own = self.own_pids()
        changed = [c for n in heard if n.channel == CHANNEL and n.pid not in own
                   and (c := Changed.from_json(n.payload)) is not None]
        if changed:
            self._deliver(Changes.of(*changed, remote=True))
