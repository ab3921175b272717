"""sharing alerts: their settings; the catalogue's item counts of a shared resource count the
granted items only

Both databases: the security settings of the sharing alerts (``govdesk.sharing.alerts``):

* ``sharing.expiry_warning_days`` (14): a grant ending within so many days is due for renewal;
* ``sharing.unused_days`` (180): an active grant not used for so many days is flagged for
  review (counted from its start when it was never used);
* ``sharing.request_reminder_days`` (3, as Databricks reminds approvers): so many days before an
  unanswered request lapses its approvers are reminded.

PostgreSQL: ``govdesk_catalog_item_counts(ids)`` (0013), the catalogue list's item column, counted
every data item of a resource the caller may see. For a resource shared with the caller's
organisation it now counts what the ``data_items_read`` policy (0025) shows them: the items of
grants in force whose grade allows the grant's type (``govdesk_shared_item_ids()``); a resource
of the caller's own region still counts all its items.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTINGS = (
    ("sharing.expiry_warning_days", "14", "security",
     "Days before a grant ends that its renewal is due"),
    ("sharing.unused_days", "180", "security",
     "Days without use after which an active grant is flagged for review"),
    ("sharing.request_reminder_days", "3", "security",
     "Days before an unanswered request lapses that its approvers are reminded"),
)

#: 0013's body with the item count narrowed for shared resources
ITEM_COUNTS = r"""
CREATE OR REPLACE FUNCTION govdesk_catalog_item_counts(p_ids integer[])
RETURNS TABLE (resource_id integer, n bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_scope record;
BEGIN
  PERFORM govdesk_catalog_guard();
  v_scope := govdesk_catalog_scope();
  IF v_scope.prefix = '' OR coalesce(cardinality(v_scope.shared), 0) = 0 THEN
    -- every visible resource lies in the caller's region: all its items are theirs
    RETURN QUERY EXECUTE format(
      'SELECT r.id, (SELECT count(*) FROM data_items i WHERE i.resource_id = r.id) '
      'FROM data_resources r WHERE r.id = ANY ($1) AND %s',
      govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix, v_scope.shared))
      USING p_ids;
    RETURN;
  END IF;
  -- a shared resource of another region: only the items its grants in force give
  RETURN QUERY EXECUTE format(
    'SELECT r.id, (SELECT count(*) FROM data_items i WHERE i.resource_id = r.id '
    'AND (r.region_code LIKE %L OR i.id IN (SELECT unnest($2)))) '
    'FROM data_resources r WHERE r.id = ANY ($1) AND %s',
    v_scope.prefix || '%',
    govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix, v_scope.shared))
    USING p_ids, govdesk_shared_item_ids();
END $$;
"""


def upgrade() -> None:
    settings = sa.table("settings", sa.column("key"), sa.column("value"), sa.column("scope"),
                        sa.column("description"), sa.column("version"))
    op.bulk_insert(settings, [{"key": k, "value": v, "scope": s, "description": d, "version": 1}
                              for k, v, s, d in SETTINGS])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ITEM_COUNTS)


def downgrade() -> None:
    settings = sa.table("settings", sa.column("key"))
    op.execute(settings.delete().where(settings.c.key.in_([k for k, *_ in SETTINGS])))
