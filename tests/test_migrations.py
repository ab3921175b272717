"""The one Alembic history builds the same schema on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from govdesk.db.base import Base, tracked_by_metadata
from govdesk.db.engine import Database
from govdesk.db.migrate import (
    SchemaState,
    head_revision,
    require_current,
    schema_status,
    upgrade,
)
from govdesk.db.models import Category, Grade, GradeScheme, Region, Role
from govdesk.errors import SchemaError


def test_upgrade_creates_schema_and_reference_data(empty_db: Database) -> None:
    assert schema_status(empty_db).state is SchemaState.EMPTY
    assert upgrade(empty_db) == head_revision()
    assert schema_status(empty_db).state is SchemaState.CURRENT
    with empty_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Region)) == 3511 + 1
        levels = dict(s.execute(select(Region.level, func.count()).group_by(Region.level)).all())
        assert levels == {0: 1, 1: 34, 2: 344, 3: 3133}
        assert s.get(Region, "330100000000").parent_code == "330000000000"  # 杭州市 in 浙江省
        assert s.get(Region, "429004000000").parent_code == "429000000000"  # 仙桃市
        assert {r.code for r in s.scalars(select(Role))} == {
            "sysadmin", "secadmin", "auditor", "data_admin", "viewer"}
        active = s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True))).one()
        assert active.code == "GB/T 43697-2024"
        assert [g.code for g in s.scalars(select(Grade).order_by(Grade.rank.desc()))] == [
            "core", "important", "general4", "general3", "general2", "general1"]
        assert s.scalar(select(func.count()).select_from(Category)) == 19


def test_upgrade_is_idempotent(db: Database) -> None:
    assert upgrade(db) == head_revision()


def test_models_match_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": tracked_by_metadata})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_newer_database_is_refused(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    with pytest.raises(SchemaError, match="newer than this GovDesk knows"):
        schema_status(db)
    with pytest.raises(SchemaError, match="f00dfeed"):
        upgrade(db)


def test_outdated_database_is_reported_then_upgraded(empty_db: Database) -> None:
    upgrade(empty_db, "0001")
    assert schema_status(empty_db).state is SchemaState.OUTDATED
    with pytest.raises(SchemaError, match="govdesk db upgrade"):
        require_current(empty_db)
    upgrade(empty_db)
    require_current(empty_db)
