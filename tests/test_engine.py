"""Connection failures become clear messages; units of work are all-or-nothing."""

from __future__ import annotations

import psycopg2
import pytest
from sqlalchemy import func, select, text

from govdesk.db.engine import Database
from govdesk.db.models import Organisation
from govdesk.errors import DatabaseUnavailable


def test_unreachable_server_is_a_clear_error() -> None:
    db = Database("postgresql+psycopg2://govdesk:hunter2@127.0.0.1:1/govdesk")
    with pytest.raises(DatabaseUnavailable) as exc:
        with db.session() as s:
            s.execute(text("SELECT 1"))
    assert "Cannot connect to the database" in str(exc.value)
    assert "hunter2" not in str(exc.value) and "127.0.0.1:1" in str(exc.value)


def test_dropped_connection_mid_transaction(pg_db: Database) -> None:
    db = pg_db
    with pytest.raises(DatabaseUnavailable, match="Lost the connection"):
        with db.session() as s:
            s.add(Organisation(code="X-1", name="测试", kind="federation",
                               region_code="330000000000"))
            s.flush()
            pid = s.execute(text("SELECT pg_backend_pid()")).scalar_one()
            admin = psycopg2.connect(db.engine.url.render_as_string(hide_password=False)
                                     .replace("postgresql+psycopg2", "postgresql"))
            admin.autocommit = True
            admin.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
            admin.close()
            s.execute(text("SELECT 1"))
    with db.session() as s:  # the pool recovered and nothing was written
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0


def test_error_inside_unit_of_work_rolls_back(db: Database) -> None:
    with pytest.raises(ZeroDivisionError), db.session() as s:
        s.add(Organisation(code="X-2", name="测试", kind="federation", region_code="330000000000"))
        s.flush()
        _ = 1 / 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0


def test_plain_postgresql_url_uses_the_shipped_driver(pg_db: Database) -> None:
    """IT staff paste ``postgresql://…``; SQLAlchemy 2.1 would read that as psycopg 3, which
    GovDesk does not ship. The URL is pinned to psycopg2 and connects."""
    plain = pg_db.engine.url.render_as_string(hide_password=False).replace(
        "postgresql+psycopg2://", "postgresql://")
    db = Database(plain)
    try:
        assert db.engine.url.drivername == "postgresql+psycopg2"
        with db.session() as s:
            assert s.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        db.dispose()


def test_a_held_lock_is_waited_for_a_bounded_time(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """Every GovDesk connection gives up on a lock after PG_LOCK_TIMEOUT_MS, so an import
    behind another session's row lock ends as a conflict (exit 4), never waits for ever."""
    from govdesk.db.engine import PG_LOCK_TIMEOUT_MS

    handle, _who = accounts_for(pg_db).login("data_admin")
    with handle.engine.connect() as c:
        shown = c.execute(text("SELECT setting::int FROM pg_settings WHERE name = 'lock_timeout'"))
        assert shown.scalar_one() == PG_LOCK_TIMEOUT_MS > 0
