"""Helpers shared by benchmarks: scratch databases on both backends."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
from psycopg2 import sql

from govdesk.db.engine import Database
from govdesk.db.migrate import upgrade


def _admin(server: str) -> psycopg2.extensions.connection:
    conn = psycopg2.connect(server.replace("postgresql+psycopg2://", "postgresql://") + "/postgres")
    conn.autocommit = True
    return conn


@contextlib.contextmanager
def scratch_db(backend: str, server: str, migrated: bool = True) -> Iterator[Database]:
    """A new database (migrated unless told otherwise), dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            if migrated:
                upgrade(db)
            try:
                yield db
            finally:
                db.dispose()
        return
    name = f"govdesk_bench_{uuid.uuid4().hex[:10]}"
    conn = _admin(server)
    conn.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    db = Database(f"{server}/{name}")
    try:
        if migrated:
            upgrade(db)
        yield db
    finally:
        db.dispose()
        conn.cursor().execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                              .format(sql.Identifier(name)))
        conn.close()
