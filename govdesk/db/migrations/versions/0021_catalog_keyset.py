"""PostgreSQL: the catalogue list pages by key, not by offset, under row-level security

``govdesk_catalog_page(filter, sort, descending, offset, limit)`` (0013) skipped ``offset`` rows
to reach a page, so a page 100,000 rows deep read 100,000 rows first.
``govdesk_catalog_keyset(filter, sort, descending, after, backward, skip, limit)`` replaces it:
the rows after (``backward``: before) the key ``after`` of a neighbouring row, given as
``{"v": sort value, "c": code}`` as the function returned it, so every page costs what the first
one costs. ``skip`` still passes over rows first: ``after`` NULL with ``skip`` n is the old
offset n, and a jump to an arbitrary position starts from the nearest key the client knows.

The order is the list's: the sort column (NULL largest: ascending NULLS LAST, descending NULLS
FIRST, as PostgreSQL orders by default), then the unique code ascending (for the code column
itself, the code in the chosen direction). It returns each row's id, its sort value as JSON
(``to_jsonb``) and its code, in fetch order (nearest first); scope, filters and refusals are
those of 0013 (``govdesk_catalog_filter_sql``, ``govdesk_catalog_guard``).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYSET = "govdesk_catalog_keyset(jsonb, text, boolean, jsonb, boolean, integer, integer)"
OFFSET = "govdesk_catalog_page(jsonb, text, boolean, integer, integer)"
#: the groups that may read the catalogue (as 0013: viewers, data and security administrators)
READERS = ("viewer", "data_admin", "secadmin")

FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_catalog_keyset(p_filter jsonb, p_sort text,
    p_descending boolean, p_after jsonb, p_backward boolean, p_skip integer, p_limit integer)
RETURNS TABLE (resource_id integer, sort_value jsonb, code text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_key text;
  v_type text;
  v_join text;
  v_back boolean := coalesce(p_backward, false);
  -- the rows wanted have larger sort values than the key (NULL the largest)
  v_larger boolean := coalesce(p_backward, false) = coalesce(p_descending, false);
  v_where text;
  v_tie text;
  v_value text;
  v_order text;
BEGIN
  PERFORM govdesk_catalog_guard();
  v_key := CASE p_sort
    WHEN 'code' THEN 'r.code' WHEN 'name' THEN 'r.name' WHEN 'category' THEN 'c.code'
    WHEN 'provider' THEN 'o.name' WHEN 'region' THEN 'r.region_code' WHEN 'grade' THEN 'g.rank'
    WHEN 'sharing_type' THEN 'r.sharing_type' WHEN 'update_cycle' THEN 'r.update_cycle'
    WHEN 'status' THEN 'r.status' WHEN 'updated_at' THEN 'r.updated_at' END;
  IF v_key IS NULL THEN
    RAISE EXCEPTION 'cannot sort by %', p_sort USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_type := CASE p_sort WHEN 'grade' THEN 'integer' WHEN 'updated_at' THEN 'timestamptz'
                        ELSE 'text' END;
  v_join := CASE p_sort
    WHEN 'category' THEN ' JOIN categories c ON c.id = r.category_id'
    WHEN 'provider' THEN ' JOIN organisations o ON o.id = r.provider_org_id'
    WHEN 'grade' THEN ' LEFT JOIN grades g ON g.id = r.grade_id' ELSE '' END;
  v_where := govdesk_catalog_filter_sql(p_filter);
  IF p_after IS NOT NULL THEN
    IF jsonb_typeof(p_after) <> 'object' OR jsonb_typeof(p_after -> 'c') IS DISTINCT FROM 'string'
       OR EXISTS (SELECT 1 FROM jsonb_object_keys(p_after) k WHERE k NOT IN ('v', 'c')) THEN
      RAISE EXCEPTION 'a list key is {"v": value, "c": code}'
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_tie := format('r.code %s %L', CASE WHEN v_back THEN '<' ELSE '>' END, p_after ->> 'c');
    IF p_sort = 'code' THEN
      v_where := v_where || format(' AND r.code %s %L', CASE WHEN v_larger THEN '>' ELSE '<' END,
                                   p_after ->> 'c');
    ELSIF p_after ->> 'v' IS NULL THEN  -- the key row's value is NULL
      v_where := v_where || CASE WHEN v_larger
        THEN format(' AND %s IS NULL AND %s', v_key, v_tie)
        ELSE format(' AND (%s IS NOT NULL OR %s)', v_key, v_tie) END;
    ELSE
      -- the redundant bound (key >= v) lets an index on the sort column serve the range
      v_value := format('CAST(%L AS %s)', p_after ->> 'v', v_type);
      v_where := v_where || CASE WHEN v_larger
        THEN format(' AND ((%1$s >= %2$s AND (%1$s > %2$s OR %3$s))%4$s)', v_key, v_value, v_tie,
                    CASE WHEN p_sort = 'grade' THEN format(' OR %s IS NULL', v_key) ELSE '' END)
        ELSE format(' AND %1$s <= %2$s AND (%1$s < %2$s OR %3$s)', v_key, v_value, v_tie) END;
    END IF;
  END IF;
  v_order := CASE WHEN p_sort = 'code'
    THEN CASE WHEN v_larger THEN 'r.code ASC' ELSE 'r.code DESC' END
    ELSE format('%s %s, r.code %s', v_key,
                CASE WHEN v_larger THEN 'ASC NULLS LAST' ELSE 'DESC NULLS FIRST' END,
                CASE WHEN v_back THEN 'DESC' ELSE 'ASC' END) END;
  RETURN QUERY EXECUTE format(
    'SELECT r.id, to_jsonb(%s), r.code::text FROM data_resources r%s WHERE %s ORDER BY %s '
    'OFFSET %s LIMIT %s', v_key, v_join, v_where, v_order,
    greatest(coalesce(p_skip, 0), 0), greatest(coalesce(p_limit, 0), 0));
END $$;
"""

#: 0013's offset function, restored by the downgrade
OFFSET_FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_catalog_page(p_filter jsonb, p_sort text,
    p_descending boolean, p_offset integer, p_limit integer)
RETURNS TABLE (resource_id integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_key text;
  v_join text := '';
BEGIN
  PERFORM govdesk_catalog_guard();
  v_key := CASE p_sort
    WHEN 'code' THEN 'r.code' WHEN 'name' THEN 'r.name' WHEN 'category' THEN 'c.code'
    WHEN 'provider' THEN 'o.name' WHEN 'region' THEN 'r.region_code' WHEN 'grade' THEN 'g.rank'
    WHEN 'sharing_type' THEN 'r.sharing_type' WHEN 'update_cycle' THEN 'r.update_cycle'
    WHEN 'status' THEN 'r.status' WHEN 'updated_at' THEN 'r.updated_at' END;
  IF v_key IS NULL THEN
    RAISE EXCEPTION 'cannot sort by %', p_sort USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_join := CASE p_sort
    WHEN 'category' THEN ' JOIN categories c ON c.id = r.category_id'
    WHEN 'provider' THEN ' JOIN organisations o ON o.id = r.provider_org_id'
    WHEN 'grade' THEN ' LEFT JOIN grades g ON g.id = r.grade_id' ELSE '' END;
  RETURN QUERY EXECUTE format(
    'SELECT r.id FROM data_resources r%s WHERE %s ORDER BY %s %s, r.code OFFSET %s LIMIT %s',
    v_join, govdesk_catalog_filter_sql(p_filter), v_key,
    CASE WHEN p_descending THEN 'DESC' ELSE 'ASC' END,
    greatest(coalesce(p_offset, 0), 0), greatest(coalesce(p_limit, 0), 0));
END $$;
"""


def _grant(function: str) -> None:
    bind = op.get_bind()
    op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    for role in READERS:
        group = bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
        op.execute(f'GRANT EXECUTE ON FUNCTION {function} TO "{group}"')


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    _grant(KEYSET)
    op.execute(f"DROP FUNCTION {OFFSET}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(OFFSET_FUNCTION)
    _grant(OFFSET)
    op.execute(f"DROP FUNCTION IF EXISTS {KEYSET}")
