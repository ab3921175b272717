"""resource codes a data administrator cannot use: held by a resource outside their area

An import matches its rows to resources by code. Row-level security hides another region's
resources from a regional data administrator, so a row whose code belongs to one looked new,
and its INSERT ended in a unique violation (a traceback that confirmed the hidden code). On
SQLite, where nothing is hidden, the same row overwrote the other region's resource (issue 11).

``govdesk_codes_unavailable(codes text[])`` returns those of ``codes`` that a resource holds
which the caller may not change: its region is outside the caller's ``govdesk_scope_prefix()``,
exactly what the ``resources_update`` policy (0003) lets them change. It is SECURITY DEFINER,
so it sees every resource, and it returns nothing but the codes it was given: not the
resource, its region or anything else. That a code is taken is what any INSERT of it would
tell the caller anyway (the unique violation); the import and the editor say only "this code
cannot be used", never whose it is. Callable by data administrators only (the one role that
creates resources); the database owner (not subject to RLS) checks on its own.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "govdesk_codes_unavailable(text[])"
FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_codes_unavailable(p_codes text[]) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(r.code::text ORDER BY r.code), '{}')
  FROM data_resources r
  WHERE r.code = ANY (p_codes)
    AND NOT coalesce(r.region_code LIKE (SELECT govdesk_scope_prefix()) || '%', false)
$$;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite hides nothing: the services compare the regions themselves
    op.execute(FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    group = bind.execute(sa.text("SELECT govdesk_group('data_admin')")).scalar_one()
    op.execute(f'GRANT EXECUTE ON FUNCTION {SIGNATURE} TO "{group}"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
