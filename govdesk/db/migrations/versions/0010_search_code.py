"""search documents carry their resource's code, so a common term's first page can come from
one bitmap scan bounded by code (see catalog/browse.py, "code bound")

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = (("resource_fts", "text"), ("resource_bigram_fts", "bigrams"))


def _fts_update_triggers(of_columns: bool) -> None:
    """SQLite: re-index the FTS tables on an update of the indexed column only (filling the
    new code column must not rebuild every FTS row)."""
    for fts, col in FTS:
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_au")
        when = f"UPDATE OF {col}" if of_columns else "UPDATE"
        op.execute(f"CREATE TRIGGER {fts}_au AFTER {when} ON resource_search BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = old.resource_id; "
                   f"INSERT INTO {fts}(rowid, {col}) VALUES (new.resource_id, new.{col}); END")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _fts_update_triggers(of_columns=True)
    with op.batch_alter_table("resource_search") as batch:
        batch.add_column(sa.Column("code", sa.String(length=40), nullable=True))
    op.execute("UPDATE resource_search SET code = (SELECT r.code FROM data_resources r "
               "WHERE r.id = resource_search.resource_id)")
    op.create_index("ix_resource_search_code", "resource_search", ["code"])


def downgrade() -> None:
    op.drop_index("ix_resource_search_code", table_name="resource_search")
    with op.batch_alter_table("resource_search") as batch:
        batch.drop_column("code")
    if op.get_bind().dialect.name == "sqlite":
        _fts_update_triggers(of_columns=False)
