"""the next free resource code of a category, across every region

A new resource's code is ``<category>/<sequence>``, the next sequence number in the category.
Row-level security hides other regions' resources from a regional data administrator, so the
highest sequence they could see was often not the highest there is, and the code they were given
collided with a hidden resource's (a conflict on every save of a new resource in such a
category). ``govdesk_next_code_number(category text)`` returns the highest sequence number used
in the category (0 when none), nothing else: the number says only that codes up to it are
taken, which an INSERT would tell as well. SECURITY DEFINER, callable by data administrators
(the one role that creates resources); the owner and SQLite count themselves.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "govdesk_next_code_number(text)"
FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_next_code_number(p_category text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(max(substr(r.code, length(p_category) + 2)::bigint), 0)::integer
  FROM data_resources r
  WHERE p_category ~ '^[0-9]{1,20}$'
    AND r.code LIKE p_category || '/%'
    AND substr(r.code, length(p_category) + 2) ~ '^[0-9]{1,9}$'
$$;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    group = bind.execute(sa.text("SELECT govdesk_group('data_admin')")).scalar_one()
    op.execute(f'GRANT EXECUTE ON FUNCTION {SIGNATURE} TO "{group}"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
