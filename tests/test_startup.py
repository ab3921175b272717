"""First launch: the embedded database is created, migrated and seeded; others are checked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from govdesk.config import default_db_url, default_sqlite_path, resolve_db_url
from govdesk.db.engine import Database
from govdesk.db.migrate import head_revision, upgrade, current_revision
from govdesk.db.models import DataResource
from govdesk.errors import SchemaError
from govdesk.startup import open_database


@pytest.fixture
def fresh_data_dir(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "userdata"))
    return tmp_path / "userdata"


def test_first_launch_creates_and_seeds_the_embedded_database(fresh_data_dir) -> None:  # type: ignore[no-untyped-def]
    assert resolve_db_url() == default_db_url()
    assert not default_sqlite_path().exists()
    opened = open_database(default_db_url())
    assert opened.created and default_sqlite_path().is_file()
    with opened.db.session() as s:
        assert s.scalar(select(func.count()).select_from(DataResource)) == 300
    opened.db.dispose()
    again = open_database(default_db_url())
    assert not again.created
    again.db.dispose()


def test_embedded_database_is_upgraded_in_place(fresh_data_dir) -> None:  # type: ignore[no-untyped-def]
    db = Database(default_db_url())
    upgrade(db, "0001")
    db.dispose()
    opened = open_database(default_db_url())
    assert current_revision(opened.db) == head_revision()
    opened.db.dispose()


def test_other_databases_must_be_current(empty_db: Database) -> None:
    with pytest.raises(SchemaError, match="govdesk db upgrade"):
        open_database(empty_db.url)


def test_newer_database_is_never_opened(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff0000'"))
    with pytest.raises(SchemaError, match="newer"):
        open_database(db.url)
