"""the published catalogue searchable for a sharing request, by code or name

A data administrator asks for a resource of another region, which row-level security hides
(0003's ``resources_read``). Migration 0025 gave the request the published metadata of *one*
resource by its exact code (``govdesk_grant_resource``); the Sharing area of the GUI lets a
person find it by a part of its code or name first.

``govdesk_grant_search(text, limit)`` (SECURITY DEFINER) returns the code, name, region, sharing
type and provider name of published resources whose code or name contains the text (case
ignored for the code), at most ``limit`` (1–100) rows, by code. It gives nothing
``govdesk_grant_resource`` does not already give any data or security administrator for a code,
and nothing of a draft or of a resource under review; a locked account (no ``govdesk_whoami()``
row) gets nothing. Executable by data and security administrators only.

PostgreSQL only: on SQLite the sharing service reads the same rows through the ORM.

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

SIGNATURE = "govdesk_grant_search(text, integer)"
FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_grant_search(p_text text, p_limit integer)
RETURNS TABLE (code text, name text, region_code text, sharing_type text, provider text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.code::text, r.name::text, r.region_code::text, r.sharing_type::text, o.name::text
  FROM data_resources r LEFT JOIN organisations o ON o.id = r.provider_org_id
  WHERE r.status = 'published' AND EXISTS (SELECT 1 FROM govdesk_whoami())
    AND (strpos(lower(r.code), lower(btrim(p_text))) > 0
         OR strpos(r.name, btrim(p_text)) > 0)
  ORDER BY r.code
  LIMIT least(greatest(coalesce(p_limit, 50), 1), 100)
$$;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    groups = [bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": r}).scalar_one()
              for r in ("secadmin", "data_admin")]
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO " + ", ".join(f'"{g}"' for g in groups))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
