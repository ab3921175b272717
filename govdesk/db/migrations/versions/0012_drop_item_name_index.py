"""drop the btree index on data item names: no query reads it (the 一数一源 report groups by a
normalised expression of the name, and search reads the search documents), and every data item
written paid for it (22 % of a bulk insert of data items on SQLite)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_items") as batch:
        batch.drop_index("ix_data_items_name")


def downgrade() -> None:
    with op.batch_alter_table("data_items") as batch:
        batch.create_index("ix_data_items_name", ["name"], unique=False)
