"""the database announces committed changes: NOTIFY govdesk_changes from statement triggers

Every open GovDesk client listens on the channel ``govdesk_changes`` (``govdesk/db/notify.py``)
and refreshes what another client, or anyone with psql, changed. The announcements come from
the database itself, so nothing that writes can leave them out: an AFTER … FOR EACH STATEMENT
trigger with a transition table on each table the clients show calls ``pg_notify`` with

    {"kind": "<kind>", "ids": [<ids>] | null}

inside the writing transaction. PostgreSQL delivers a notification only when its transaction
commits (and folds identical ones), so only committed changes are announced. ``ids`` are
primary keys (or resource ids, setting keys), never names or values: a notification reaches
every listener of the database, whatever its grants, and what a client then reads is still
decided by its grants and row-level security. More than 200 ids (or more than 1,000 rows in a
statement, or a payload near PostgreSQL's 8,000-byte limit) become ``null``, "any of this
kind", so a bulk import or the demo load costs one small look at the transition table.

The kinds are those of ``govdesk/changes.py``; this migration keeps its own copy of the table
list (migrations import no application code). No grants: LISTEN needs none, and trigger
functions run for every writer; nobody may call the function directly.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-14
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> (kind of change, the column that names what changed)
ANNOUNCED = {
    "data_resources": ("resources", "id"),
    "data_items": ("resources", "resource_id"),
    "resource_samples": ("resources", "resource_id"),
    "resource_profiles": ("resources", "resource_id"),
    "sharing_grants": ("resources", "resource_id"),
    "categories": ("categories", "id"),
    "grade_schemes": ("grades", "id"),
    "grades": ("grades", "scheme_id"),
    "grade_suggestions": ("suggestions", "id"),
    "users": ("users", "id"),
    "settings": ("settings", "key"),
}

FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_notify_changes() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_kind text := TG_ARGV[0];
  v_rows bigint;
  v_ids jsonb;
  v_payload text;
BEGIN
  -- at most 1,001 rows are looked at, whatever the statement wrote
  EXECUTE format('SELECT count(*), jsonb_agg(DISTINCT x) FROM (SELECT %I AS x FROM %I LIMIT 1001) t',
                 TG_ARGV[1], CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
    INTO v_rows, v_ids;
  IF v_rows = 0 THEN
    RETURN NULL;
  END IF;
  IF v_rows > 1000 OR jsonb_array_length(v_ids) > 200 THEN
    v_ids := NULL;  -- any of this kind
  END IF;
  v_payload := jsonb_build_object('kind', v_kind, 'ids', v_ids)::text;
  IF length(v_payload) > 7900 THEN
    v_payload := jsonb_build_object('kind', v_kind, 'ids', NULL)::text;
  END IF;
  PERFORM pg_notify('govdesk_changes', v_payload);
  RETURN NULL;
END $$;
"""

EVENTS = (("insert", "INSERT", "NEW TABLE AS new_rows"),
          ("update", "UPDATE", "NEW TABLE AS new_rows"),
          ("delete", "DELETE", "OLD TABLE AS old_rows"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION govdesk_notify_changes() FROM PUBLIC")
    for table, (kind, column) in ANNOUNCED.items():
        for name, event, ref in EVENTS:
            op.execute(f"CREATE TRIGGER {table}_notify_{name} AFTER {event} ON {table} "
                       f"REFERENCING {ref} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION govdesk_notify_changes('{kind}', '{column}')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ANNOUNCED:
        for name, _event, _ref in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_{name} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS govdesk_notify_changes()")
