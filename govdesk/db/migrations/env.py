"""Alembic environment: uses the engine GovDesk hands over, batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

import govdesk.db.models  # noqa: F401  (registers every table)
from govdesk.db.base import Base, tracked_by_metadata

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = engine_from_config(
            config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=tracked_by_metadata,
        )
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _sqlite_foreign_keys_hold(connection)
            connection.commit()
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """SQLite's foreign-key enforcement on or off for this connection.

    Off while migrating: a batch migration that rebuilds a table others refer to (to change a
    CHECK constraint, SQLite's only way) drops the old table, and with enforcement on that drop
    deletes, or fails on, every row that refers to it. SQLite's own procedure for such changes
    (https://www.sqlite.org/lang_altertable.html#otheralter) turns enforcement off outside the
    transaction and checks the keys with ``PRAGMA foreign_key_check`` before committing. The
    PRAGMA has no effect inside a transaction, hence the commit around it.
    """
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


def _sqlite_foreign_keys_hold(connection: Connection) -> None:
    """Refuse to commit a migration that left a row referring to nothing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration broke {len(broken)} foreign key(s): {broken[:5]}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
