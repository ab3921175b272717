"""a grant gives access only while its resource is published and shared

PostgreSQL (SQLite: ``govdesk.db.models.sharing.shared_resource_ids`` / ``shared_item_ids``
hold the same rule for the services).

Found by the red team: a resource marked 不予共享 (``sharing_type = 'none'``) or no longer
published (``status <> 'published'``) *after* a grant on it was approved stayed readable by the
grantee (the resource row, its granted items and ``govdesk_samples``): the items' grades were
re-checked on each read, the resource's sharing type and status were not. Both are now checked
at the time of the read, like the grades: ``govdesk_shared_resource_ids()`` and
``govdesk_shared_item_ids()`` (0025) give a grant's resource and items only while the resource
is published and not 不予共享. Everything that reads grant access goes through these two
(``resources_read``, ``data_items_read``, the catalogue search of 0013, the item counts of 0030,
``govdesk_samples_resource`` / ``govdesk_samples_columns`` of 0015/0025). The grant itself is
not changed: the provider can still revoke it, and a resource made shareable (or published)
again is readable again within the grant's dates. The matrix's definer functions of 0031 read
grants in any state on purpose (an explanation names them) and are unchanged.

``CREATE OR REPLACE`` keeps 0025's owner, ``SECURITY DEFINER``, ``search_path`` and grants.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the condition on the grant's resource ``r`` (0025 had none)
SHARED = "r.status = 'published' AND r.sharing_type <> 'none'"

FUNCTIONS = r"""
-- Resources shared with the caller's organisation by a grant in force today, while the
-- resource is published and not 不予共享 (0034).
CREATE OR REPLACE FUNCTION govdesk_shared_resource_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(DISTINCT g.resource_id), '{}')
  FROM govdesk_grants_covering((SELECT w.organisation_id FROM govdesk_whoami() w)) g
  JOIN data_resources r ON r.id = g.resource_id
  WHERE g.status = 'approved'
    AND (g.valid_from IS NULL OR g.valid_from <= (SELECT govdesk_grant_day()))
    AND (g.valid_until IS NULL OR g.valid_until >= (SELECT govdesk_grant_day()))
    AND @SHARED@
$$;

-- Data items those grants give: all or the listed ones, never one whose effective grade
-- does not allow the grant's sharing type, nor one of a resource unpublished or 不予共享.
CREATE OR REPLACE FUNCTION govdesk_shared_item_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(DISTINCT i.id), '{}')
  FROM govdesk_grants_covering((SELECT w.organisation_id FROM govdesk_whoami() w)) g
  JOIN data_items i ON i.resource_id = g.resource_id
  JOIN data_resources r ON r.id = i.resource_id
  LEFT JOIN grades gr ON gr.id = coalesce(i.grade_id, r.grade_id)
  WHERE g.status = 'approved'
    AND (g.valid_from IS NULL OR g.valid_from <= (SELECT govdesk_grant_day()))
    AND (g.valid_until IS NULL OR g.valid_until >= (SELECT govdesk_grant_day()))
    AND @SHARED@
    AND (g.all_items OR EXISTS (SELECT 1 FROM sharing_grant_items x
                                WHERE x.grant_id = g.id AND x.item_id = i.id))
    AND (gr.id IS NULL OR (' ' || gr.sharing_types_allowed || ' ') LIKE '% ' || g.sharing_type || ' %')
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: the services' rule (govdesk.db.models.sharing)
    op.execute(FUNCTIONS.replace("@SHARED@", SHARED))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS.replace("@SHARED@", "true"))  # 0025's rule: no condition on r
