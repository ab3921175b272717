"""PostgreSQL: a page's list rows and item counts in one scoped call, counted from an index

Under row-level security a search's first page took three statements after the match: the
page's rows by id through the ``resources_read`` policy (which computes the caller's shared
resources again), then ``govdesk_catalog_item_counts(ids)`` (0013/0030: the scope once more,
and for a caller holding any grant ``govdesk_shared_item_ids()``, every item its grants give,
even when the page holds none of them), each item count reading the item rows from the heap.

- ``govdesk_catalog_rows(ids)``: the list rows (the columns of ``ResourceRow``) of those of
  ``ids`` the caller may see, in the order given, with their item counts: one statement, the
  scope computed once. Same guard, ``search_path`` and grants as the other catalogue
  functions (viewers, data and security administrators of this database).
- The item count (``govdesk_catalog_item_count_sql``, used by the new function and by a
  redefined ``govdesk_catalog_item_counts``): a resource of the caller's region counts all its
  items; a resource shared with the caller counts the items of ``govdesk_shared_item_ids()``
  (0030's rule, unchanged), which is now evaluated only when the page holds such a resource.
- ``ix_data_items_resource_items`` on ``data_items (resource_id, id)``: both counts are read
  from the index alone (an index-only scan per resource instead of visiting its item rows).

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROWS = "govdesk_catalog_rows(integer[])"
COUNT_SQL = "govdesk_catalog_item_count_sql(text)"
#: the groups that may read the catalogue (as 0013/0021)
READERS = ("viewer", "data_admin", "secadmin")

FUNCTIONS = r"""
-- The item count of data_resources r as SQL, for a caller whose region prefix is p_prefix
-- ('' when every visible resource lies in the caller's region): all items of a resource of
-- the region, the granted ones (0030) of a shared resource. The granted items are an
-- init-plan, so they are computed once, and only if a row of another region is counted
-- (called directly, the planner would run the function already to estimate its rows).
CREATE OR REPLACE FUNCTION govdesk_catalog_item_count_sql(p_prefix text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN coalesce(p_prefix, '') = ''
    THEN '(SELECT count(*) FROM data_items i WHERE i.resource_id = r.id)'
    ELSE format('CASE WHEN r.region_code LIKE %L '
                'THEN (SELECT count(*) FROM data_items i WHERE i.resource_id = r.id) '
                'ELSE (SELECT count(*) FROM data_items i WHERE i.resource_id = r.id '
                'AND i.id IN (SELECT unnest((SELECT govdesk_shared_item_ids())))) END',
                p_prefix || '%') END
$$;

-- How many data items each of the given resources has, for those the caller may see (0030's
-- counts, from the index, the granted items only when needed).
CREATE OR REPLACE FUNCTION govdesk_catalog_item_counts(p_ids integer[])
RETURNS TABLE (resource_id integer, n bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_scope record;
BEGIN
  PERFORM govdesk_catalog_guard();
  v_scope := govdesk_catalog_scope();
  RETURN QUERY EXECUTE format(
    'SELECT r.id, %s FROM data_resources r WHERE r.id = ANY ($1) AND %s',
    govdesk_catalog_item_count_sql(v_scope.prefix),
    govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix, v_scope.shared))
    USING p_ids;
END $$;

-- The catalogue list's rows of those of p_ids the caller may see, in the order of p_ids.
CREATE OR REPLACE FUNCTION govdesk_catalog_rows(p_ids integer[])
RETURNS TABLE (id integer, code text, name text, category text, provider text, region text,
               grade text, sharing_type text, update_cycle text, status text,
               item_count bigint, updated_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_scope record;
BEGIN
  PERFORM govdesk_catalog_guard();
  v_scope := govdesk_catalog_scope();
  RETURN QUERY EXECUTE format(
    'SELECT r.id, r.code::text, r.name::text, c.name::text, o.name::text, rg.name::text, '
    'g.name::text, r.sharing_type::text, r.update_cycle::text, r.status::text, %s, '
    'r.updated_at FROM unnest($1) WITH ORDINALITY AS p(id, n) '
    'JOIN data_resources r ON r.id = p.id '
    'JOIN categories c ON c.id = r.category_id '
    'JOIN organisations o ON o.id = r.provider_org_id '
    'LEFT JOIN grades g ON g.id = r.grade_id '
    'JOIN regions rg ON rg.code = r.region_code '
    'WHERE %s ORDER BY p.n',
    govdesk_catalog_item_count_sql(v_scope.prefix),
    govdesk_catalog_visible_sql('r.region_code', 'r.id', v_scope.prefix, v_scope.shared))
    USING p_ids;
END $$;
"""

#: 0030's item counts, restored by the downgrade
ITEM_COUNTS_0030 = r"""
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
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite: the list's own statement counts items (paging._row_select)
    op.execute("CREATE INDEX ix_data_items_resource_items ON data_items (resource_id, id)")
    op.execute(FUNCTIONS)
    op.execute(f"REVOKE ALL ON FUNCTION {ROWS}, {COUNT_SQL} FROM PUBLIC")
    for role in READERS:
        group = bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
        op.execute(f'GRANT EXECUTE ON FUNCTION {ROWS} TO "{group}"')
    op.execute("ANALYZE data_items")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(ITEM_COUNTS_0030)
    op.execute(f"DROP FUNCTION IF EXISTS {ROWS}")
    op.execute(f"DROP FUNCTION IF EXISTS {COUNT_SQL}")
    op.execute("DROP INDEX IF EXISTS ix_data_items_resource_items")
