"""Open a database for use: check its schema, and create the embedded demo on first launch."""

from __future__ import annotations

from dataclasses import dataclass

from govdesk.config import is_default_db
from govdesk.db.engine import Database
from govdesk.db.migrate import SchemaState, require_current, schema_status, upgrade
from govdesk.demo.load import catalogue_is_empty, load_demo
from govdesk.progress import Progress


@dataclass(frozen=True)
class OpenedDatabase:
    db: Database
    created: bool  #: True when this call created and seeded the embedded demo database


def open_database(url: str, progress: Progress | None = None) -> OpenedDatabase:
    """A :class:`Database` at the current schema revision, ready for services.

    The embedded SQLite database (the default URL) is created, migrated and seeded with the
    small demo on first launch, and migrated forward when an older GovDesk created it.
    Any other database must already be at the current revision: raises SchemaError saying what to
    run otherwise, or when the database is newer than this GovDesk (never opened).
    """
    db = Database(url)
    if not is_default_db(url):
        require_current(db)
        return OpenedDatabase(db, created=False)
    status = schema_status(db)  # raises for a newer database
    created = status.state is SchemaState.EMPTY
    if status.state is not SchemaState.CURRENT:
        upgrade(db)
    if created and catalogue_is_empty(db):
        load_demo(db, "small", progress=progress)
    return OpenedDatabase(db, created=created)
