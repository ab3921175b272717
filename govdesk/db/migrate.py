"""Schema migrations with Alembic, driven from code (no alembic.ini needed at run time).

The same revision history runs on SQLite (batch mode) and PostgreSQL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from govdesk.db.engine import Database, describe_url
from govdesk.errors import SchemaError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: Database | None = None) -> Config:
    """An Alembic config pointing at GovDesk's migrations (and at ``db`` when given)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if db is not None:
        cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
        cfg.attributes["engine"] = db.engine
    return cfg


def head_revision() -> str:
    """The newest revision this GovDesk knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision id in this GovDesk's migration history."""
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for a database GovDesk never migrated."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class SchemaState(enum.Enum):
    EMPTY = "empty"
    OUTDATED = "outdated"
    CURRENT = "current"


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    head: str


def schema_status(db: Database) -> SchemaStatus:
    """Where the database stands against this GovDesk's migrations.

    Raises :class:`SchemaError` when the database is at a revision this GovDesk does not know
    (written by a newer GovDesk): opening it could corrupt data, so the caller must stop.
    """
    head = head_revision()
    rev = current_revision(db)
    if rev is None:
        return SchemaStatus(SchemaState.EMPTY, None, head)
    if rev == head:
        return SchemaStatus(SchemaState.CURRENT, rev, head)
    if rev in known_revisions():
        return SchemaStatus(SchemaState.OUTDATED, rev, head)
    raise SchemaError("schema_too_new", database=describe_url(db.url), revision=rev, head=head)


def upgrade(db: Database, revision: str = "head") -> str:
    """Migrate the database to ``revision`` (default: newest) and return the new revision.

    Refuses (SchemaError) a database that is newer than this GovDesk. On PostgreSQL it then
    makes sure the access log has its monthly partitions a year ahead (:func:`ensure_access_partitions`).
    """
    schema_status(db)
    command.upgrade(alembic_config(db), revision)
    new = current_revision(db)
    assert new is not None
    ensure_access_partitions(db)
    return new


#: months of access-event partitions kept ready ahead of the current one
ACCESS_MONTHS_AHEAD = 12


def ensure_access_partitions(db: Database, months: int = ACCESS_MONTHS_AHEAD) -> int:
    """PostgreSQL at migration 0035 or later: create the access log's monthly partitions up to
    ``months`` ahead (``govdesk_access_partitions_ensure``, as the connection's login: the owner
    here, a security administrator from ``govdesk monitor run``); returns how many were made.
    Nothing on SQLite or an older schema."""
    from sqlalchemy import text

    if not db.is_postgres:
        return 0
    with db.engine.begin() as c:
        known = c.execute(text("SELECT to_regprocedure("
                               "'govdesk_access_partitions_ensure(integer, timestamptz)')"))
        if known.scalar() is None:
            return 0
        return int(c.execute(text("SELECT govdesk_access_partitions_ensure(:m)"),
                             {"m": months}).scalar_one())


def require_current(db: Database) -> None:
    """Raise :class:`SchemaError` unless the database is exactly at the newest revision."""
    status = schema_status(db)
    if status.state is SchemaState.EMPTY:
        raise SchemaError("schema_missing", database=describe_url(db.url))
    if status.state is SchemaState.OUTDATED:
        raise SchemaError("schema_outdated", database=describe_url(db.url),
                          revision=status.revision, head=status.head)
