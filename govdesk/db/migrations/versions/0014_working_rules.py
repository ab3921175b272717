"""working rules in the database: the review workflow, grade changes and 就高从严, the
suggestion queue, and history written only for resources the writer may edit

The services check these rules (catalog/workflow.py, editing.py, grade_rule.py,
suggestions.py); from this revision PostgreSQL refuses the same to any GovDesk login that
connects with plain psql:

- **Workflow** (``govdesk_resource_rules``, BEFORE INSERT/UPDATE on data_resources): a resource
  is created as a draft, ``created_by`` is the creating login and never changes; status moves
  only along the edges of ``govdesk_workflow_step`` (catalog/workflow.py's ``TRANSITIONS``),
  each by a role that may take the step, a review step never by the resource's creator or
  submitter; ``submitted_by`` is stamped from ``session_user`` when it is submitted and
  changes at no other time.
- **Grades** (same trigger, and ``govdesk_item_grade_rules`` on data_items): a security
  administrator changes grades (re-grade, accepting a suggestion; audited by the change
  triggers of 0003); a data administrator may raise a grade, by the rank of the grade scheme,
  never lower or clear one; nobody else changes one.
- **就高从严** (constraint triggers ``data_items_strictest`` and ``data_resources_strictest``,
  DEFERRABLE INITIALLY DEFERRED, so a save that touches a resource and its items in any order
  is judged at commit): a resource is never graded below its strictest data item
  (``govdesk_strictest_breach``, the SQL statement of catalog/grade_rule.py).
- **Suggestions** (``govdesk_suggestion_rules`` on grade_suggestions): inserted pending and
  undecided, naming a data item of the same resource only; decided (pending → accepted or
  rejected, once) only by a security administrator, ``decided_by``/``decided_at`` stamped from
  ``session_user`` and the server clock.
- **History** (write policies on resource_versions, resource_profiles, grade_suggestions):
  written by the login it names, only for a resource in the writer's own area (the
  ``resources_update`` rule of 0003: a resource shared with them is read-only), and a version
  row only for the resource's current version, so nobody can take a version number ahead of
  its owner's next save.

**Who the rules leave alone**: whoever row-level security leaves alone, that is the role that
owns the table (it runs the migrations and the demo loader) and superusers. Every trigger's
WHEN condition asks ``row_security_active(<table>)``, which is false exactly for them (and for
BYPASSRLS roles, which GovDesk never creates); everyone else, a GovDesk login or not, gets the
rules, and a login that ``govdesk_whoami()`` does not know is refused outright. Asked in the
WHEN condition, as the user running the statement, it costs the owner's bulk loads nothing.
The trigger functions are SECURITY DEFINER (owned by the migration runner, search_path pinned)
so their look-ups see every row whatever the caller's policies.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = r"""
-- The workflow, once (catalog/workflow.py TRANSITIONS holds the same table; a test compares):
-- the step that moves a resource from p_from to p_to, NULL when no step does.
CREATE OR REPLACE FUNCTION govdesk_workflow_step(p_from text, p_to text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT t.step FROM (VALUES
    ('draft', 'registration_review', 'submit'),
    ('registration_review', 'publication_review', 'approve'),
    ('publication_review', 'published', 'approve'),
    ('registration_review', 'draft', 'return'),
    ('publication_review', 'draft', 'return')) AS t (frm, dest, step)
  WHERE t.frm = p_from AND t.dest = p_to
$$;

-- Who may take a step (security/roles.py: catalog.edit, catalog.review).
CREATE OR REPLACE FUNCTION govdesk_step_roles(p_step text) RETURNS text[]
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE p_step WHEN 'submit' THEN ARRAY['data_admin']
                     WHEN 'approve' THEN ARRAY['data_admin', 'secadmin']
                     WHEN 'return' THEN ARRAY['data_admin', 'secadmin'] END
$$;

-- 就高从严 (catalog/grade_rule.py): how resource p_resource breaks the rule, or NULL when it
-- does not. With p_item, only that data item is compared (what an inserted or re-graded item
-- can break); without, every item of the resource (what a re-graded resource can break).
-- Written as one view and two look-ups, not one query with "p_item IS NULL OR ...": such a
-- query has no good generic plan, so PL/pgSQL planned it again on every call (97 µs a row
-- instead of 12 µs).
CREATE OR REPLACE VIEW govdesk_grade_breaches AS
  SELECT r.id AS resource_id, i.id AS item_id, gi.rank AS item_rank, i.seq,
         format('就高从严: resource %s is graded %s, below its data item %s (%s); a resource '
                'is never graded below its strictest data item', r.code,
                coalesce(gr.name, 'nothing'), i.name, gi.name) AS message
  FROM data_resources r
  JOIN data_items i ON i.resource_id = r.id
  JOIN grades gi ON gi.id = i.grade_id
  LEFT JOIN grades gr ON gr.id = r.grade_id
  WHERE gr.id IS NULL OR gi.rank > gr.rank;

CREATE OR REPLACE FUNCTION govdesk_strictest_breach(p_resource integer, p_item integer)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_breach text;
BEGIN
  IF p_item IS NULL THEN
    SELECT b.message INTO v_breach FROM govdesk_grade_breaches b
    WHERE b.resource_id = p_resource ORDER BY b.item_rank DESC, b.seq LIMIT 1;
  ELSE
    SELECT b.message INTO v_breach FROM govdesk_grade_breaches b
    WHERE b.resource_id = p_resource AND b.item_id = p_item;
  END IF;
  RETURN v_breach;
END $$;

-- A grade change by a login of role p_role: security administrators re-grade; data
-- administrators only raise (by rank; never to no grade); nobody else changes a grade.
CREATE OR REPLACE FUNCTION govdesk_check_grade_change(p_role text, p_old integer,
    p_new integer, p_what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_old grades%ROWTYPE;
  v_new grades%ROWTYPE;
BEGIN
  IF p_role = 'secadmin' THEN
    RETURN;
  END IF;
  IF p_role IS DISTINCT FROM 'data_admin' THEN
    RAISE EXCEPTION 'Only a security administrator or a data administrator changes the grade of %.',
      p_what USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO v_old FROM grades WHERE id = p_old;
  SELECT * INTO v_new FROM grades WHERE id = p_new;
  IF p_old IS NOT NULL AND (p_new IS NULL OR v_new.rank < v_old.rank) THEN
    RAISE EXCEPTION 'The grade of % cannot go down from % to %: a data administrator only raises grades; a security administrator re-grades.',
      p_what, v_old.name, coalesce(v_new.name, 'no grade')
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION govdesk_resource_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user text := session_user;
  v_role text;
  v_step text;
BEGIN
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'The database login % is not an active GovDesk user: it changes no data resource.',
      v_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'draft' THEN
      RAISE EXCEPTION 'Resource % must be created as a draft, not %: it goes further only through review.',
        NEW.code, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.created_by IS NOT NULL AND NEW.created_by <> v_user THEN
      RAISE EXCEPTION 'Resource % is created by %, not by %: created_by is the login that creates it.',
        NEW.code, v_user, NEW.created_by USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.submitted_by IS NOT NULL THEN
      RAISE EXCEPTION 'New resource % has not been submitted by anyone: submitted_by is set when it is submitted.',
        NEW.code USING ERRCODE = 'check_violation';
    END IF;
    NEW.created_by := v_user;
    RETURN NEW;
  END IF;

  IF NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'created_by of resource % never changes (it is %).',
      OLD.code, coalesce(OLD.created_by, 'empty') USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    v_step := govdesk_workflow_step(OLD.status, NEW.status);
    IF v_step IS NULL THEN
      RAISE EXCEPTION 'Resource % cannot go from % to %: a draft is submitted to registration review, then approved to publication review and published, or returned to draft.',
        OLD.code, OLD.status, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    IF NOT v_role = ANY (govdesk_step_roles(v_step)) THEN
      RAISE EXCEPTION 'A % may not % resource % (% to %).', v_role, v_step, OLD.code,
        OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_step = 'submit' THEN
      IF NEW.submitted_by IS DISTINCT FROM OLD.submitted_by AND NEW.submitted_by IS DISTINCT FROM v_user THEN
        RAISE EXCEPTION 'Resource % is submitted by %, not by %: submitted_by is the login that submits it.',
          OLD.code, v_user, NEW.submitted_by USING ERRCODE = 'insufficient_privilege';
      END IF;
      NEW.submitted_by := v_user;
    ELSE
      IF v_user = OLD.created_by OR v_user = OLD.submitted_by THEN
        RAISE EXCEPTION '% wrote or submitted resource % and cannot also review it.',
          v_user, OLD.code USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.submitted_by IS DISTINCT FROM OLD.submitted_by THEN
        RAISE EXCEPTION 'submitted_by of resource % changes only when it is submitted.',
          OLD.code USING ERRCODE = 'insufficient_privilege';
      END IF;
    END IF;
  ELSIF NEW.submitted_by IS DISTINCT FROM OLD.submitted_by THEN
    RAISE EXCEPTION 'submitted_by of resource % changes only when it is submitted, and is then the login that submits it.',
      OLD.code USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_role = 'secadmin' AND NEW.publish_date IS DISTINCT FROM OLD.publish_date
     AND NOT (NEW.status = 'published' AND OLD.status <> 'published') THEN
    RAISE EXCEPTION 'A security administrator sets the publish date of resource % only when publishing it.',
      OLD.code USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.grade_id IS DISTINCT FROM OLD.grade_id THEN
    PERFORM govdesk_check_grade_change(v_role, OLD.grade_id, NEW.grade_id,
                                       format('resource %s', OLD.code));
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION govdesk_item_grade_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM govdesk_check_grade_change((SELECT w.role_code FROM govdesk_whoami() w),
    OLD.grade_id, NEW.grade_id, format('data item %s of resource %s', OLD.name,
      (SELECT r.code FROM data_resources r WHERE r.id = OLD.resource_id)));
  RETURN NEW;
END $$;

-- Deferred: judged at commit on the rows as they are then.
CREATE OR REPLACE FUNCTION govdesk_strictest_item() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_breach text := govdesk_strictest_breach(NEW.resource_id, NEW.id);
BEGIN
  IF v_breach IS NOT NULL THEN
    RAISE EXCEPTION '%', v_breach USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_strictest_resource() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_breach text := govdesk_strictest_breach(NEW.id, NULL);
BEGIN
  IF v_breach IS NOT NULL THEN
    RAISE EXCEPTION '%', v_breach USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_suggestion_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user text := session_user;
  v_role text;
  v_item_resource integer;
BEGIN
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'The database login % is not an active GovDesk user: it changes no grade suggestion.',
      v_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'pending' OR NEW.decided_by IS NOT NULL
       OR NEW.decided_at IS NOT NULL THEN
      RAISE EXCEPTION 'A grade suggestion is queued pending and undecided (not % by %): a security administrator decides it.',
        NEW.status, coalesce(NEW.decided_by, 'nobody') USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.item_id IS NOT NULL THEN
      SELECT i.resource_id INTO v_item_resource FROM data_items i WHERE i.id = NEW.item_id;
      IF v_item_resource IS DISTINCT FROM NEW.resource_id THEN
        RAISE EXCEPTION 'Data item % is not an item of resource %: a suggestion names an item of its own resource.',
          NEW.item_id, NEW.resource_id USING ERRCODE = 'check_violation';
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF OLD.status <> 'pending' THEN
      RAISE EXCEPTION 'Grade suggestion % was already % by %.', OLD.id, OLD.status,
        coalesce(OLD.decided_by, 'someone') USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status NOT IN ('accepted', 'rejected') THEN
      RAISE EXCEPTION 'Grade suggestion % is accepted or rejected, not %.', OLD.id, NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    IF v_role <> 'secadmin' THEN
      RAISE EXCEPTION 'Only a security administrator decides grade suggestions.'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.decided_by IS DISTINCT FROM OLD.decided_by AND NEW.decided_by IS DISTINCT FROM v_user THEN
      RAISE EXCEPTION 'Grade suggestion % is decided by %, not by %: decided_by is the login that decides.',
        OLD.id, v_user, NEW.decided_by USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.decided_by := v_user;
    NEW.decided_at := clock_timestamp();
  ELSIF NEW.decided_by IS DISTINCT FROM OLD.decided_by
        OR NEW.decided_at IS DISTINCT FROM OLD.decided_at THEN
    RAISE EXCEPTION 'decided_by and decided_at of grade suggestion % are set by its decision.',
      OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
"""

FUNCTION_SIGNATURES = (
    "govdesk_workflow_step(text, text)", "govdesk_step_roles(text)",
    "govdesk_strictest_breach(integer, integer)",
    "govdesk_check_grade_change(text, integer, integer, text)",
    "govdesk_resource_rules()", "govdesk_item_grade_rules()", "govdesk_strictest_item()",
    "govdesk_strictest_resource()", "govdesk_suggestion_rules()",
)
#: callable by every GovDesk login (read-only look-ups the client and tests may ask)
PUBLIC_LOOKUPS = ("govdesk_workflow_step(text, text)", "govdesk_step_roles(text)")
GROUPS = ("govdesk_sysadmin", "govdesk_secadmin", "govdesk_auditor", "govdesk_data_admin",
          "govdesk_viewer")

RLS = "row_security_active('{table}'::regclass)"
TRIGGERS = (
    f"""CREATE TRIGGER data_resources_rules_insert BEFORE INSERT ON data_resources
        FOR EACH ROW WHEN ({RLS.format(table='data_resources')} AND (
          NEW.status IS DISTINCT FROM 'draft' OR NEW.created_by IS DISTINCT FROM session_user
          OR NEW.submitted_by IS NOT NULL))
        EXECUTE FUNCTION govdesk_resource_rules()""",
    f"""CREATE TRIGGER data_resources_rules_update BEFORE UPDATE ON data_resources
        FOR EACH ROW WHEN ({RLS.format(table='data_resources')} AND (
          OLD.status IS DISTINCT FROM NEW.status OR OLD.created_by IS DISTINCT FROM NEW.created_by
          OR OLD.submitted_by IS DISTINCT FROM NEW.submitted_by
          OR OLD.grade_id IS DISTINCT FROM NEW.grade_id
          OR OLD.publish_date IS DISTINCT FROM NEW.publish_date))
        EXECUTE FUNCTION govdesk_resource_rules()""",
    f"""CREATE TRIGGER data_items_grade_rules BEFORE UPDATE OF grade_id ON data_items
        FOR EACH ROW WHEN ({RLS.format(table='data_items')}
                           AND OLD.grade_id IS DISTINCT FROM NEW.grade_id)
        EXECUTE FUNCTION govdesk_item_grade_rules()""",
    f"""CREATE CONSTRAINT TRIGGER data_items_strictest
        AFTER INSERT OR UPDATE OF grade_id, resource_id ON data_items
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.grade_id IS NOT NULL AND {RLS.format(table='data_items')})
        EXECUTE FUNCTION govdesk_strictest_item()""",
    f"""CREATE CONSTRAINT TRIGGER data_resources_strictest
        AFTER UPDATE OF grade_id ON data_resources
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (OLD.grade_id IS DISTINCT FROM NEW.grade_id AND {RLS.format(table='data_resources')})
        EXECUTE FUNCTION govdesk_strictest_resource()""",
    f"""CREATE TRIGGER grade_suggestions_rules BEFORE INSERT OR UPDATE ON grade_suggestions
        FOR EACH ROW WHEN ({RLS.format(table='grade_suggestions')})
        EXECUTE FUNCTION govdesk_suggestion_rules()""",
)
TRIGGER_TABLES = (("data_resources_rules_insert", "data_resources"),
                  ("data_resources_rules_update", "data_resources"),
                  ("data_items_grade_rules", "data_items"),
                  ("data_items_strictest", "data_items"),
                  ("data_resources_strictest", "data_resources"),
                  ("grade_suggestions_rules", "grade_suggestions"))

#: the resource is in the writer's own area: what resources_update (0003) lets them change
MINE = ("EXISTS (SELECT 1 FROM data_resources r WHERE r.id = {table}.resource_id{extra} "
        "AND r.region_code LIKE (SELECT govdesk_scope_prefix()) || '%')")
WRITE_POLICIES = {
    "resource_versions": ("saved_by", " AND r.version = resource_versions.version"),
    "resource_profiles": ("profiled_by", ""),
    "grade_suggestions": ("proposed_by", ""),
}
VISIBLE = "EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has one user at a time and the services' own checks
    op.execute(FUNCTIONS)
    op.execute(f"REVOKE ALL ON FUNCTION {', '.join(FUNCTION_SIGNATURES)} FROM PUBLIC")
    op.execute("REVOKE ALL ON govdesk_grade_breaches FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {', '.join(PUBLIC_LOOKUPS)} TO {', '.join(GROUPS)}")
    for statement in TRIGGERS:
        op.execute(statement)
    for table, (who, extra) in WRITE_POLICIES.items():
        op.execute(f"DROP POLICY IF EXISTS {table}_write ON {table}")
        op.execute(f"CREATE POLICY {table}_write ON {table} FOR INSERT WITH CHECK ("
                   f"{who} = session_user AND {MINE.format(table=table, extra=extra)})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (who, _extra) in WRITE_POLICIES.items():
        op.execute(f"DROP POLICY IF EXISTS {table}_write ON {table}")
        op.execute(f"CREATE POLICY {table}_write ON {table} FOR INSERT "
                   f"WITH CHECK ({who} = session_user AND {VISIBLE})")
    for trigger, table in TRIGGER_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for fn in FUNCTION_SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.execute("DROP VIEW IF EXISTS govdesk_grade_breaches")
