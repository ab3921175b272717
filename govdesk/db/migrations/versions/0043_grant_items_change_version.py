"""an item named after a grant was written changes the grant's version

PostgreSQL (SQLite: the services write a grant and its items in one transaction; the approving
services compare the version the reviewer saw).

Left open by the sharing red team (migration 0033, "approving what was seen"): the requester may
name further data items (``INSERT INTO sharing_grant_items``) until the first approval, and an
item added after the reviewer opened the grant but before the approval was part of what was
approved, though the reviewer never saw it. An item row inserted in a later transaction than the
grant's own now counts the grant's ``version`` up (the same column every step counts up), so an
approval that names the version the reviewer saw (``decisions.approve(..., seen_version=)``, as
the GUI does) is refused as changed since it was opened. Items written with the grant, in its
own transaction, change nothing (``created_at`` is the server's ``clock_timestamp()`` there,
never earlier than the transaction's ``now()``).

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = r"""
CREATE OR REPLACE FUNCTION govdesk_grant_item_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE sharing_grants SET version = version + 1
   WHERE id = NEW.grant_id AND created_at < now();
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION govdesk_grant_item_version() FROM PUBLIC;
CREATE TRIGGER sharing_grant_items_version AFTER INSERT ON sharing_grant_items
  FOR EACH ROW EXECUTE FUNCTION govdesk_grant_item_version();
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(BUMP)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS sharing_grant_items_version ON sharing_grant_items")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grant_item_version()")
