"""Migration 0040 (a page's rows in one scoped call, item counts from an index) goes down to
the revision before it and up again on PostgreSQL: the function, its helper and the index go and come back, and
the item counts of 0030 answer the same in between."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.migrate import alembic_config, current_revision, head_revision, upgrade

pytestmark = pytest.mark.postgres


def _state(db: Database) -> tuple[set[str], bool, dict[int, int]]:
    with db.engine.connect() as c:
        functions = set(c.execute(text(
            "SELECT proname FROM pg_proc WHERE proname IN ('govdesk_catalog_rows', "
            "'govdesk_catalog_item_count_sql', 'govdesk_catalog_item_counts')")).scalars())
        index = bool(c.execute(text(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_data_items_resource_items'"))
            .scalar_one())
        counts = dict(c.execute(text(
            "SELECT resource_id, count(*) FROM data_items WHERE resource_id <= 20 GROUP BY 1"))
            .all())
    return functions, index, counts


def test_0040_goes_down_and_up(pg_demo_db: Database) -> None:
    db = pg_demo_db
    functions, index, counts = _state(db)
    assert functions == {"govdesk_catalog_rows", "govdesk_catalog_item_count_sql",
                         "govdesk_catalog_item_counts"} and index and counts
    before = ScriptDirectory.from_config(alembic_config(db)).get_revision("0040").down_revision
    command.downgrade(alembic_config(db), str(before))  # to just before 0040
    assert current_revision(db) == before
    assert _state(db) == ({"govdesk_catalog_item_counts"}, False, counts)
    upgrade(db)
    assert current_revision(db) == head_revision()
    assert _state(db) == (functions, True, counts)
