"""review workflow: who submitted a resource for review (草稿 → 注册审核 → 发布审核 → 发布)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_resources") as batch:
        batch.add_column(sa.Column("submitted_by", sa.String(length=63), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # security administrators review: they may move the workflow, nothing else
        op.execute("GRANT UPDATE (status, submitted_by, publish_date, version, updated_at) "
                   "ON data_resources TO govdesk_secadmin")
        op.execute("CREATE POLICY resources_review ON data_resources FOR UPDATE "
                   "TO govdesk_secadmin USING (true) WITH CHECK (true)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS resources_review ON data_resources")
    with op.batch_alter_table("data_resources") as batch:
        batch.drop_column("submitted_by")
