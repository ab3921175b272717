"""resource versions: every saved version of a resource, for history, diff and revert

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resource_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(length=63), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["resource_id"], ["data_resources.id"],
                                name=op.f("fk_resource_versions_resource_id_data_resources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_versions")),
        sa.UniqueConstraint("resource_id", "version",
                            name="uq_resource_versions_resource_version"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("GRANT SELECT ON resource_versions TO govdesk_viewer, govdesk_data_admin, "
                   "govdesk_secadmin")
        op.execute("GRANT INSERT ON resource_versions TO govdesk_data_admin, govdesk_secadmin")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE resource_versions_id_seq TO "
                   "govdesk_data_admin, govdesk_secadmin")
        op.execute("ALTER TABLE resource_versions ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY resource_versions_read ON resource_versions FOR SELECT USING ("
                   "EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id))")
        op.execute("CREATE POLICY resource_versions_write ON resource_versions FOR INSERT "
                   "WITH CHECK (saved_by = session_user AND EXISTS (SELECT 1 FROM data_resources"
                   " r WHERE r.id = resource_id))")


def downgrade() -> None:
    op.drop_table("resource_versions")
