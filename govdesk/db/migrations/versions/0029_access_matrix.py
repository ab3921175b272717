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

Both answer data and security administrators only (the matrix's readers) and refuse anyone
else with a message (``server_texts``); neither returns a value of a sample row.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
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

CREATE OR REPLACE FUNCTION govdesk_matrix_items(p_ids integer[])
RETURNS TABLE (id integer, resource_id integer, seq integer, name text, grade_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.id, i.resource_id, i.seq, i.name::text, coalesce(i.grade_id, r.grade_id)
  FROM data_items i JOIN data_resources r ON r.id = i.resource_id
  WHERE i.resource_id IN (SELECT govdesk_matrix_known(p_ids))
  ORDER BY i.resource_id, i.seq
$$;
"""

INTERNAL = ("govdesk_matrix_reader()", "govdesk_matrix_known(integer[])")
READERS = ("govdesk_matrix_resources(integer[])", "govdesk_matrix_items(integer[])")


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
