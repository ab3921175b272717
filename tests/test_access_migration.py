"""Migration 0035 goes down and up again on both databases with the demo's events kept
(PostgreSQL: from the partitioned table back to one table and back)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.migrate import alembic_config, upgrade


def test_down_and_up(demo_db: Database) -> None:
    with demo_db.engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM access_events")).scalar_one()
    command.downgrade(alembic_config(demo_db), "0034")
    with demo_db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM access_events")).scalar_one() == n
    upgrade(demo_db)
    with demo_db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM access_events")).scalar_one() == n
