"""ungraded resources are not shared; a grade ranked lower is recorded as a loosening

PostgreSQL (SQLite: ``govdesk.sharing.policy.refusal`` and ``GradeSpec``'s loosenings hold the
same rules for the services).

Left open by the sharing red team (migration 0033):

* **Ungraded resources were shareable with one approval for 365 days**: no grade bound the
  grant, so the loosest terms applied. 就高从严 reads the other way: data whose grade is not
  known is not handed to another organisation. A grant is now requested, offered or approved
  only for a resource that has a grade (``govdesk_grant_graded()``, before 0025's rules); a
  grant approved before this stays in force until it ends or is revoked (it was given under the
  rules of its day; the provider can revoke it).
* **A grade's rank lowered over SQL** (a security administrator's ``UPDATE grades SET rank``)
  let data administrators "raise" items from it to grades now ranked above it, and moved
  就高从严 towards it; only the generic change row recorded it. ``govdesk_grade_loosened()``
  (0032) now names ``rank`` among the loosened rules when it falls.

Revision ID: 0042
Revises: 0034
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0042"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRADED = r"""
CREATE OR REPLACE FUNCTION govdesk_grant_graded() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami()) AND govdesk_is_owner() THEN
    RETURN NEW;  -- the owner (demo loader, data migration) writes rows as given
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.status IS NOT DISTINCT FROM OLD.status
                           OR NEW.status NOT IN ('first_approved', 'approved')) THEN
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM data_resources r WHERE r.id = NEW.resource_id AND r.grade_id IS NULL)
  THEN
    RAISE EXCEPTION 'resource % has no grade yet: it is shared only once it is graded',
      NEW.resource_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION govdesk_grant_graded() FROM PUBLIC;
CREATE TRIGGER sharing_grants_graded BEFORE INSERT OR UPDATE OF status ON sharing_grants
  FOR EACH ROW EXECUTE FUNCTION govdesk_grant_graded();
"""

#: 0032's function, with ``@RANK@`` where the rank's rule goes
LOOSENED = r"""
CREATE OR REPLACE FUNCTION govdesk_grade_loosened() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_rules text[] := ARRAY[]::text[];
  v_old_types text[] := string_to_array(btrim(OLD.sharing_types_allowed), ' ');
  v_new_types text[] := string_to_array(btrim(NEW.sharing_types_allowed), ' ');
  v_scheme text;
BEGIN
  IF OLD.masking_required AND NOT NEW.masking_required THEN
    v_rules := v_rules || 'masking_required'::text;
  END IF;
  IF NEW.export_allowed AND NOT OLD.export_allowed THEN
    v_rules := v_rules || 'export_allowed'::text;
  END IF;
  IF OLD.export_encryption_required AND NOT NEW.export_encryption_required THEN
    v_rules := v_rules || 'export_encryption_required'::text;
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(v_new_types) t WHERE t <> '' AND NOT t = ANY (v_old_types))
  THEN
    v_rules := v_rules || 'sharing_types_allowed'::text;
  END IF;
  IF NEW.approvals_required < OLD.approvals_required THEN
    v_rules := v_rules || 'approvals_required'::text;
  END IF;
  IF NEW.max_grant_days > OLD.max_grant_days THEN
    v_rules := v_rules || 'max_grant_days'::text;
  END IF;
  IF NEW.min_dr_level < OLD.min_dr_level THEN
    v_rules := v_rules || 'min_dr_level'::text;
  END IF;
  IF NEW.audit_retention_days < OLD.audit_retention_days THEN
    v_rules := v_rules || 'audit_retention_days'::text;
  END IF;
@RANK@  IF cardinality(v_rules) > 0 THEN
    SELECT gs.code INTO v_scheme FROM grade_schemes gs WHERE gs.id = NEW.scheme_id;
    PERFORM govdesk_audit_as(session_user::text, 'grade_loosened', 'grades', NEW.id::text, true,
      host(inet_client_addr()),
      jsonb_build_object('grade', NEW.code, 'grade_name', NEW.name, 'scheme', v_scheme,
        'rules', to_jsonb(v_rules),
        'before', (SELECT jsonb_object_agg(k, v) FROM jsonb_each(to_jsonb(OLD)) AS e(k, v)
                   WHERE k = ANY (v_rules)),
        'after', (SELECT jsonb_object_agg(k, v) FROM jsonb_each(to_jsonb(NEW)) AS e(k, v)
                  WHERE k = ANY (v_rules)))::text);
  END IF;
  RETURN NULL;
END $$;
"""

RANK = """  IF NEW.rank < OLD.rank THEN
    v_rules := v_rules || 'rank'::text;
  END IF;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(GRADED)
    op.execute(LOOSENED.replace("@RANK@", RANK))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS sharing_grants_graded ON sharing_grants")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grant_graded()")
    op.execute(LOOSENED.replace("@RANK@", ""))
