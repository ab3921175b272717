"""Open a database for use: check its schema, and create the embedded demo on first launch.

Start-up cost: a database already at the newest revision is recognised without Alembic (the
stored ``alembic_version`` against the head read from the migration files' ``revision`` and
``down_revision`` lines), so Alembic and the demo generator are imported only when there is
something to migrate or create.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from govdesk.config import is_default_db
from govdesk.db.engine import Database
from govdesk.progress import Progress

VERSIONS_DIR = Path(__file__).resolve().parent / "db" / "migrations" / "versions"
_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*['"]?([\w]+)['"]?""",
                            re.MULTILINE)


@dataclass(frozen=True)
class OpenedDatabase:
    db: Database
    created: bool  #: True when this call created and seeded the embedded demo database


@cache
def head_from_files() -> str | None:
    """The newest revision, read from the migration files without Alembic: the one revision no
    other file names as its ``down_revision``. None when that is not a single revision (a merge
    in progress, unreadable files): the caller then asks Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        fields = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in fields:
            revisions.add(fields["revision"])
        if fields.get("down_revision") not in (None, "None"):
            parents.add(fields["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revisions(db: Database) -> list[str]:
    """The revisions recorded in the database: none without an ``alembic_version`` table."""
    try:
        with db.engine.connect() as conn:
            return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DBAPIError:  # no such table (a new database): Alembic looks again
        return []


def is_current(db: Database) -> bool:
    """True when the database is exactly at the newest revision, checked with one query."""
    head = head_from_files()
    return head is not None and stored_revisions(db) == [head]


def open_database(url: str, progress: Progress | None = None) -> OpenedDatabase:
    """A :class:`Database` at the current schema revision, ready for services.

    The embedded SQLite database (the default URL) is created, migrated and seeded with the
    small demo on first launch, and migrated forward when an older GovDesk created it.
    Any other database must already be at the current revision: raises SchemaError saying what to
    run otherwise, or when the database is newer than this GovDesk (never opened).
    """
    db = Database(url)
    if is_current(db):
        return OpenedDatabase(db, created=False)
    from govdesk.db.migrate import SchemaState, require_current, schema_status, upgrade

    if not is_default_db(url):
        require_current(db)
        return OpenedDatabase(db, created=False)
    status = schema_status(db)  # raises for a newer database
    created = status.state is SchemaState.EMPTY
    if status.state is not SchemaState.CURRENT:
        upgrade(db)
    if created:
        from govdesk.demo.load import catalogue_is_empty, load_demo

        if catalogue_is_empty(db):
            load_demo(db, "small", progress=progress)
    return OpenedDatabase(db, created=created)
