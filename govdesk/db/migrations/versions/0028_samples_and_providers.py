"""sample rows stay with their resource and their columns keep masking; active providers only;
a locked account's open session reads and writes nothing

Three holes found by a red team over plain psql as real GovDesk logins (PostgreSQL only; on
SQLite no service moves or writes sample rows, and the editor already refuses an inactive
provider, ``organisation_inactive``):

* **Sample rows never change resource.** A data administrator (who holds UPDATE on
  ``resource_samples``) could ``UPDATE resource_samples SET resource_id = <a resource of theirs
  whose 身份证号 item is graded 一般数据1级>``: ``govdesk_samples`` masks by the grades of the
  resource the row belongs to, so a viewer then read the rows in clear. ``resource_id`` of a
  sample row is now fixed for everyone, owner included (no application path moves sample rows;
  the demo loader only inserts them, deleting a resource cascades). And migration 0018's rule
  (a data item that names a stored sample column needs a grade that masks it) is also applied
  the other way round: a sample row a GovDesk login other than the security administrator
  inserts or updates may not hold a column named like a data item of its resource whose
  effective grade (its own, else its resource's) does not require masking. The owner (demo
  loader, migrations) is exempt like every working rule (``row_security_active``).
* **The provider of a new resource is an active organisation.** On insert, and on update when
  ``provider_org_id`` changes, the provider must have ``is_active``; resources of an
  organisation deactivated later keep it (updates that leave the provider alone pass). The
  owner's loads are exempt (``row_security_active``).
* **A locked account is nobody.** ``govdesk_whoami()`` (0016), which every row-level security
  policy and definer function asks, returns no row for a user whose ``locked_until`` lies in
  the future, so an open session of a locked account (``ALTER ROLE … NOLOGIN`` cuts only new
  logins) reads and writes no resource, item or sample and writes no audit row. This is also
  the meaning of the temporary lockout after failed logins (``govdesk_login_failed``): while
  someone guesses an account's password until it locks, that account's own open sessions stop
  working too, until the lockout ends (then ``govdesk_login_status`` clears it at the next
  login, and any ``locked_until`` in the past counts as unlocked). What is granted without
  row-level security and without a trigger that asks ``govdesk_whoami`` (the reference tables —
  regions, categories, organisations, grades —, the SELECT on the audit trail, access events
  and users that auditors and security administrators hold, and the security administrator's
  writes to categories, grade schemes and grades) stays open to an open session of a locked
  account until it disconnects (the lock does not end
  backends: ``<prefix>_accounts`` is NOINHERIT and holds no ``pg_signal_backend``).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SAMPLE_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION govdesk_sample_resource_fixed() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'a sample row stays with its resource: it cannot be moved from resource % to %',
    OLD.resource_id, NEW.resource_id USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION govdesk_sample_row_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_role text;
  v_data jsonb;
  v_column text;
BEGIN
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role = 'secadmin' THEN
    RETURN NEW;
  END IF;
  BEGIN
    v_data := NEW.data::jsonb;
  EXCEPTION WHEN invalid_text_representation THEN
    RETURN NEW;  -- a row that is not JSON names no column
  END;
  IF jsonb_typeof(v_data) IS DISTINCT FROM 'object' THEN
    RETURN NEW;
  END IF;
  SELECT i.name INTO v_column
  FROM data_items i
  JOIN data_resources d ON d.id = i.resource_id
  LEFT JOIN grades g ON g.id = coalesce(i.grade_id, d.grade_id)
  WHERE i.resource_id = NEW.resource_id AND v_data ? i.name
    AND NOT coalesce(g.masking_required, false)
  ORDER BY i.seq LIMIT 1;
  IF v_column IS NOT NULL THEN
    RAISE EXCEPTION 'a sample row may not hold column % of resource %: its data item''s grade does not mask it (ask a security administrator)',
      v_column, NEW.resource_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
"""

PROVIDER_FUNCTION = r"""
CREATE OR REPLACE FUNCTION govdesk_provider_active() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM organisations o
                 WHERE o.id = NEW.provider_org_id AND o.is_active) THEN
    RAISE EXCEPTION 'organisation % is deactivated (or does not exist): it cannot be the provider of a resource',
      NEW.provider_org_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
"""

#: 0016's govdesk_whoami, with @LOCK@ for the lock condition
WHOAMI = r"""
CREATE OR REPLACE FUNCTION govdesk_whoami()
RETURNS TABLE (username text, role_code text, region_code text, organisation_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.username::text, u.role_code::text, u.region_code::text, u.organisation_id
  FROM users u
  WHERE u.username = session_user AND u.is_active@LOCK@
    AND pg_has_role(session_user, govdesk_group(u.role_code::text), 'MEMBER')
$$;
"""
NOT_LOCKED = "\n    AND (u.locked_until IS NULL OR u.locked_until <= now())"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SAMPLE_FUNCTIONS)
    op.execute(PROVIDER_FUNCTION)
    for fn in ("govdesk_sample_resource_fixed()", "govdesk_sample_row_rules()",
               "govdesk_provider_active()"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    # triggers of one event fire in name order: a move is refused as a move first
    op.execute("""CREATE TRIGGER resource_samples_resource_fixed
        BEFORE UPDATE OF resource_id ON resource_samples
        FOR EACH ROW WHEN (OLD.resource_id IS DISTINCT FROM NEW.resource_id)
        EXECUTE FUNCTION govdesk_sample_resource_fixed()""")
    op.execute("""CREATE TRIGGER resource_samples_sample_columns
        BEFORE INSERT OR UPDATE OF data, resource_id ON resource_samples
        FOR EACH ROW WHEN (row_security_active('resource_samples'::regclass))
        EXECUTE FUNCTION govdesk_sample_row_rules()""")
    op.execute("""CREATE TRIGGER data_resources_provider_insert BEFORE INSERT ON data_resources
        FOR EACH ROW WHEN (row_security_active('data_resources'::regclass))
        EXECUTE FUNCTION govdesk_provider_active()""")
    op.execute("""CREATE TRIGGER data_resources_provider_update
        BEFORE UPDATE OF provider_org_id ON data_resources
        FOR EACH ROW WHEN (row_security_active('data_resources'::regclass)
                           AND OLD.provider_org_id IS DISTINCT FROM NEW.provider_org_id)
        EXECUTE FUNCTION govdesk_provider_active()""")
    # CREATE OR REPLACE keeps the owner (the migration runner, 0016) and the grants
    op.execute(WHOAMI.replace("@LOCK@", NOT_LOCKED))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(WHOAMI.replace("@LOCK@", ""))
    for trigger, table in (("resource_samples_resource_fixed", "resource_samples"),
                           ("resource_samples_sample_columns", "resource_samples"),
                           ("data_resources_provider_insert", "data_resources"),
                           ("data_resources_provider_update", "data_resources")):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for fn in ("govdesk_sample_resource_fixed()", "govdesk_sample_row_rules()",
               "govdesk_provider_active()"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
