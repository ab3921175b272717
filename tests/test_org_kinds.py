"""Migration 0026: more kinds of organisation, on a database that already holds organisations
and the rows that refer to them (SQLite rebuilds the table: foreign keys must survive it)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.migrate import head_revision, upgrade
from govdesk.vocab import ORG_KIND



def _before_kinds() -> str:
    from alembic.script import ScriptDirectory

    from govdesk.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    revision = script.get_revision("0026")
    assert revision is not None and isinstance(revision.down_revision, str)
    return revision.down_revision


def test_the_new_kinds_reach_a_database_that_holds_organisations(empty_db: Database) -> None:
    upgrade(empty_db, _before_kinds())
    with empty_db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO organisations (code, name, kind, region_code, version, is_active) "
            "VALUES ('T-330000', '浙江省残疾人联合会', 'federation', '330000000000', 1, true), "
            "('T-330100', '杭州市残疾人联合会', 'federation', '330100000000', 1, true)"))
        conn.execute(text("UPDATE organisations SET parent_id = (SELECT id FROM organisations "
                          "WHERE code = 'T-330000') WHERE code = 'T-330100'"))
        before = conn.execute(text("SELECT id, code, parent_id FROM organisations "
                                   "ORDER BY id")).all()
        with pytest.raises(Exception):  # the old constraint: not a kind yet
            with conn.begin_nested():
                conn.execute(text(
                    "INSERT INTO organisations (code, name, kind, region_code, version, "
                    "is_active) VALUES ('GA', '浙江省公安厅', 'public_security', "
                    "'330000000000', 1, true)"))
    assert upgrade(empty_db) == head_revision()
    with empty_db.engine.begin() as conn:
        assert conn.execute(text("SELECT id, code, parent_id FROM organisations "
                                 "ORDER BY id")).all() == before
        for n, code in enumerate(("public_security", "data_bureau", "other")):
            conn.execute(text(
                "INSERT INTO organisations (code, name, kind, region_code, version, is_active) "
                "VALUES (:c, :n, :k, '330000000000', 1, true)"), {"c": f"D{n}", "n": code,
                                                                  "k": code})
        with pytest.raises(Exception):  # still a closed list
            with conn.begin_nested():
                conn.execute(text(
                    "INSERT INTO organisations (code, name, kind, region_code, version, "
                    "is_active) VALUES ('Z', 'z', 'nonsense', '330000000000', 1, true)"))
        if not empty_db.is_postgres:  # enforcement is back on after the rebuild
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        with pytest.raises(Exception):  # a parent that does not exist
            with conn.begin_nested():
                conn.execute(text("UPDATE organisations SET parent_id = -1 "
                                  "WHERE code = 'T-330100'"))


def test_every_kind_of_the_vocabulary_is_allowed(db: Database) -> None:
    with db.engine.begin() as conn:
        for n, code in enumerate(ORG_KIND.codes):
            conn.execute(text(
                "INSERT INTO organisations (code, name, kind, region_code, version, is_active) "
                "VALUES (:c, :n, :k, '330000000000', 1, true)"), {"c": f"K{n}", "n": code,
                                                                  "k": code})
