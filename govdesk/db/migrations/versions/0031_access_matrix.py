"""the effective-access matrix: what an organisation may read of resources of other regions

PostgreSQL only (SQLite has no row-level security; the services apply the same rule there).

The matrix (``govdesk/sharing/matrix.py``) shows a data or security administrator their own
region's resources × every organisation (read under the caller's row-level security, as
everything else), and *their own organisation* × every resource granted to it, in any state:
an expired, revoked or pending grant explains a denied cell. Those resources lie in other
regions, so ``resources_read`` and ``data_items_read`` hide them (or all their items but the
granted ones). Two definer functions give what the matrix needs of them, and nothing more:

* ``govdesk_matrix_resources(ids)``: code, name, region, status, sharing type, grade and
  category of each of ``ids`` the caller may know of: in the caller's region, published (the
  catalogue metadata a request reads anyway, ``govdesk_grant_resource`` of 0025), or named by
  a grant that covers the caller's organisation (any state).
* ``govdesk_matrix_items(ids)``: the data items of the same resources (id, seq, name,
  effective grade), so a cell can say which items are readable and which are not, and why.

* ``govdesk_matrix_granted()``: the resources of every grant covering the caller's
  organisation (any state), and ``govdesk_matrix_page(filter, after, limit)``: a page of the
  caller's own region's resources by code with the matrix's filters (only what
  ``resources_read`` shows them; planned with the values, 130 ms → a few ms at 10^5
  resources, see docs/architecture.md).

All answer data and security administrators only (the matrix's readers) and refuse anyone
else with a message (``server_texts``); neither returns a value of a sample row.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = r"""
-- The caller may read the matrix (a data or security administrator), else a refusal.
CREATE OR REPLACE FUNCTION govdesk_matrix_reader() RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
BEGIN
  SELECT * INTO w FROM govdesk_whoami();
  IF NOT FOUND OR w.role_code NOT IN ('data_admin', 'secadmin') THEN
    RAISE EXCEPTION 'only data and security administrators read the access matrix'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN coalesce(w.organisation_id, 0);
END $$;

-- Of p_ids, the resources the caller may know of: own region, published, or granted (any
-- state) to the caller's organisation.
CREATE OR REPLACE FUNCTION govdesk_matrix_known(p_ids integer[]) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH me AS (SELECT govdesk_matrix_reader() AS org, govdesk_scope_prefix() AS prefix)
  SELECT r.id FROM data_resources r, me
  WHERE r.id = ANY (p_ids)
    AND (r.status = 'published' OR r.region_code LIKE me.prefix || '%'
         OR r.id IN (SELECT g.resource_id FROM govdesk_grants_covering(me.org) g))
$$;

CREATE OR REPLACE FUNCTION govdesk_matrix_resources(p_ids integer[])
RETURNS TABLE (id integer, code text, name text, region_code text, status text,
               sharing_type text, grade_id integer, category_code text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.id, r.code::text, r.name::text, r.region_code::text, r.status::text,
         r.sharing_type::text, r.grade_id, c.code::text
  FROM data_resources r JOIN categories c ON c.id = r.category_id
  WHERE r.id IN (SELECT govdesk_matrix_known(p_ids))
$$;

-- The resources granted (any state) to the caller's organisation.
CREATE OR REPLACE FUNCTION govdesk_matrix_granted() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT g.resource_id FROM govdesk_grants_covering(govdesk_matrix_reader()) g
$$;

-- A page of the caller's own region's resources by code (what resources_read shows them),
-- with the matrix's filters (jsonb: region, code, exact, category, grade), after p_after.
-- Planned with the values (EXECUTE), as the owner's plans: under the caller's row-level
-- security the planner misjudged how many rows a region holds and read them all (130 ms).
CREATE OR REPLACE FUNCTION govdesk_matrix_page(p_filter jsonb, p_after text, p_limit integer)
RETURNS TABLE (id integer, code text, name text, region_code text, status text,
               sharing_type text, grade_id integer, category_code text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_scope text;
  v_where text := '';
  v_value text;
BEGIN
  PERFORM govdesk_matrix_reader();
  v_scope := govdesk_scope_prefix();
  IF v_scope IS NULL THEN
    RETURN;
  END IF;
  v_where := format('r.region_code LIKE %L', govdesk_matrix_like(v_scope));
  v_value := nullif(btrim(p_filter ->> 'region'), '');
  IF v_value IS NOT NULL THEN
    v_where := v_where || format(' AND r.region_code LIKE %L', govdesk_matrix_like(v_value));
  END IF;
  v_value := nullif(btrim(p_filter ->> 'code'), '');
  IF v_value IS NOT NULL AND coalesce((p_filter ->> 'exact')::boolean, false) THEN
    v_where := v_where || format(' AND r.code = %L', v_value);
  ELSIF v_value IS NOT NULL THEN
    v_where := v_where || format(' AND r.code LIKE %L', govdesk_matrix_like(v_value));
  END IF;
  v_value := nullif(btrim(p_filter ->> 'category'), '');
  IF v_value IS NOT NULL THEN
    v_where := v_where || format(' AND c.code LIKE %L', govdesk_matrix_like(v_value));
  END IF;
  v_value := nullif(btrim(p_filter ->> 'grade'), '');
  IF v_value IS NOT NULL THEN
    v_where := v_where || format(
      ' AND r.grade_id IN (SELECT x.id FROM grades x WHERE x.code = %L)', v_value);
  END IF;
  IF p_after IS NOT NULL THEN
    v_where := v_where || format(' AND r.code > %L', p_after);
  END IF;
  RETURN QUERY EXECUTE
    'SELECT r.id, r.code::text, r.name::text, r.region_code::text, r.status::text, '
    'r.sharing_type::text, r.grade_id, c.code::text FROM data_resources r '
    'JOIN categories c ON c.id = r.category_id WHERE ' || v_where ||
    format(' ORDER BY r.code LIMIT %s', greatest(1, least(coalesce(p_limit, 50), 1000)));
END $$;

CREATE OR REPLACE FUNCTION govdesk_matrix_like(p_prefix text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT replace(replace(replace(p_prefix, '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;

CREATE OR REPLACE FUNCTION govdesk_matrix_items(p_ids integer[])
RETURNS TABLE (id integer, resource_id integer, seq integer, name text, grade_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.id, i.resource_id, i.seq, i.name::text, coalesce(i.grade_id, r.grade_id)
  FROM data_items i JOIN data_resources r ON r.id = i.resource_id
  WHERE i.resource_id IN (SELECT govdesk_matrix_known(p_ids))
  ORDER BY i.resource_id, i.seq
$$;
"""

INTERNAL = ("govdesk_matrix_reader()", "govdesk_matrix_known(integer[])",
            "govdesk_matrix_like(text)")
READERS = ("govdesk_matrix_resources(integer[])", "govdesk_matrix_items(integer[])",
           "govdesk_matrix_granted()", "govdesk_matrix_page(jsonb, text, integer)")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    group = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
             for role in ("secadmin", "data_admin")}
    readers = ", ".join(f'"{g}"' for g in group.values())
    op.execute(FUNCTIONS)
    for fn in (*INTERNAL, *READERS):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in READERS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {readers}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for fn in (*READERS, *INTERNAL):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
