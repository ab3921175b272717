"""sharing grants after a red-team run over plain psql as real GovDesk logins

PostgreSQL only (the services on SQLite already hold these rules, or the gap needs raw SQL):

* **A request names an organisation.** A data administrator whose account has no organisation
  passed 0025's "for your own organisation" check (NULL is not distinct from NULL) and could
  *request a scope grant* (``grantee_org_id`` NULL, any ``scope_region_prefix``): requests
  are for one's own organisation only, scopes are offered by the providing side.
* **A scope is a region prefix** of 2, 4, 6, 9 or 12 digits (as
  :func:`govdesk.sharing.policy.check_scope`). The scope is matched with ``LIKE prefix || '%'``,
  so an offer over SQL with ``''``, ``'%'`` or ``'33_1'`` covered every organisation, or
  regions nobody named, while the approver saw an odd code.
* **The items left out are the database's.** ``exclusions`` (shown to the approver as "left out,
  and why") was written by the client: a forged list could say an item was left out while the
  grant gives it. It is now computed from the resource's items whose effective grade forbids
  the sharing type, in the form the service writes (JSON list of item, grade, reason).
* **A grant's id and creation time never change.** ``created_at`` was not among the fixed
  terms, and a request written without ``requested_at`` (demo loader, data migrations) waits
  from it: the providing side's data administrator could back-date a fresh request and mark it
  lapsed at once, or a requester refresh a lapsed one; the id could be renumbered.
* **Items cannot slip in under an approval.** ``govdesk_grant_item_rules`` read the grant's
  status without a lock: while an approval was in flight (not yet committed) the requester
  could add every other item and both committed, so the approved grant gave more than the
  approver saw. The rule now locks the grant row (``FOR SHARE``): an item waits for a pending
  decision and is refused once it is approved.
* **Reasons cannot be invisible.** ``govdesk_reason_length`` (0032) counted characters that draw
  nothing: Hangul fillers (U+3164, U+FFA0, U+115F–U+1160), combining marks, variation
  selectors, the braille blank, private-use and tag characters; four U+3164 passed as a
  reason. They are noise now, in :data:`govdesk.security.reasons.NOISE` too.
* **Only the providing side unmasks.** A data administrator of an organisation a grant covers
  could ask ``govdesk_unmask_request`` for a ticket on the shared resource and read its
  personal data in clear with a reason of their own choosing, though the grant gives the items
  "masked as their grades require" and nobody on the providing side agreed to more. A ticket is
  now issued for a resource of the caller's own region only (the owner aside).
* **A grade deleted and made again weaker is a loosening.** 0032 recorded an ``UPDATE`` that
  weakens a grade; a security administrator could instead delete an unused grade (``core``)
  and insert one under the same code with weaker rules, or rename another grade to that code,
  and only the generic change rows were written. A deleted grade's row is kept in
  ``grade_tombstones`` (no login reads it), and a grade inserted, or renamed, to the code of
  one deleted from its scheme is compared with it: a weaker rule writes ``grade_loosened``
  with ``"recreated": true``, the rules, before and after.
* **Texts of a grant have a length.** ``purpose``, ``legal_basis`` and a step's ``reason`` are
  at most 2,000 characters (the service refuses longer ones first): a 100 MB purpose was
  stored and sent to every reviewer's client.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: longest purpose, legal basis or reason of a grant (govdesk.sharing.policy.MAX_TEXT)
MAX_TEXT = 2000
#: 0032's noise plus the characters that draw nothing (govdesk.security.reasons.NOISE)
NOISE = ((0x01, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),
         (0x0300, 0x036F), (0x115F, 0x1160), (0x1680, 0x1680), (0x17B4, 0x17B5),
         (0x180B, 0x180F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x2000, 0x206F),
         (0x20D0, 0x20FF), (0x2800, 0x2800), (0x3000, 0x303F), (0x3164, 0x3164),
         (0xE000, 0xF8FF), (0xFE00, 0xFE1F), (0xFE20, 0xFE4F), (0xFEFF, 0xFEFF),
         (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),
         (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFF), (0xE0000, 0xE0FFF), (0xF0000, 0x10FFFF))


def _escape(code: int) -> str:
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


NOISE_CLASS = "[" + "".join(f"{_escape(a)}-{_escape(b)}" for a, b in NOISE) + "]"

REASON = r"""
CREATE OR REPLACE FUNCTION govdesk_reason_length(p_reason text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT char_length(regexp_replace(coalesce(p_reason, ''), '@NOISE@', '', 'g'))
$$;
""".replace("@NOISE@", NOISE_CLASS)

#: 0032's ticket request, for the caller's own region's resources only
UNMASK = r"""
CREATE OR REPLACE FUNCTION govdesk_unmask_request(p_resource_id integer, p_reason text,
    p_purpose text DEFAULT 'view')
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user text;
  v_role text;
  v_reason text := left(btrim(coalesce(p_reason, '')), 500);
  v_grade integer;
  v_plain text[];
  v_audit bigint;
  v_ticket bigint;
BEGIN
  SELECT c.username, c.role_code INTO v_user, v_role FROM govdesk_samples_caller() c;
  IF v_user IS NULL OR v_role IS NULL OR v_role NOT IN ('secadmin', 'data_admin', 'owner') THEN
    RAISE EXCEPTION 'permission denied: your role may not see personal data unmasked'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF govdesk_reason_length(v_reason) < 4 THEN
    RAISE EXCEPTION 'Give a reason of at least % letters or digits for the unmasked view; it is recorded in the audit trail.',
      4 USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_grade := govdesk_samples_resource(p_resource_id, p_purpose, v_role);
  IF v_role <> 'owner' AND NOT EXISTS (
      SELECT 1 FROM data_resources r WHERE r.id = p_resource_id
        AND r.region_code LIKE govdesk_scope_prefix() || '%') THEN
    RAISE EXCEPTION 'permission denied: resource % is shared with your organisation masked as its grades require; only its providing side sees it unmasked',
      p_resource_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT coalesce(array_agg(c.name ORDER BY c.name COLLATE "C") FILTER (WHERE c.sensitive),
                  '{}')
    INTO v_plain FROM govdesk_samples_columns(p_resource_id, v_grade, true) c;
  DELETE FROM unmask_tickets t WHERE t.issued_at < clock_timestamp() - interval '1 day';
  v_ticket := nextval(pg_get_serial_sequence('unmask_tickets', 'id'));
  v_audit := govdesk_audit_as(v_user, 'unmask', 'data_resources', p_resource_id::text, true,
    host(inet_client_addr()),
    jsonb_build_object('purpose', p_purpose, 'requested', true, 'reason', v_reason,
                       'plain_columns', to_jsonb(v_plain), 'ticket', v_ticket)::text);
  INSERT INTO unmask_tickets (id, username, resource_id, purpose, audit_id)
  VALUES (v_ticket, v_user, p_resource_id, p_purpose, v_audit);
  RETURN v_ticket;
END $$;
"""

GUARD = r"""
-- Runs before govdesk_grant_rules (trigger names in order): what 0025's rules left open.
CREATE OR REPLACE FUNCTION govdesk_grant_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
BEGIN
  SELECT * INTO w FROM govdesk_whoami();
  IF NOT FOUND THEN
    RETURN NEW;  -- the owner writes rows as given; anyone else is refused by the rules
  END IF;
  IF greatest(char_length(NEW.purpose), char_length(NEW.legal_basis),
              char_length(NEW.reason)) > @MAX_TEXT@ THEN
    RAISE EXCEPTION 'the purpose, legal basis and reason of a sharing grant have at most % characters each',
      @MAX_TEXT@ USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
      RAISE EXCEPTION 'the id and creation time of sharing grant % cannot be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'requested' AND (w.organisation_id IS NULL OR NEW.grantee_org_id IS NULL) THEN
    RAISE EXCEPTION 'a request names the requester''s own organisation: an account without an organisation requests nothing, and scopes are offered by the providing side'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.scope_region_prefix IS NOT NULL
     AND NEW.scope_region_prefix !~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' THEN
    RAISE EXCEPTION 'the scope of a sharing grant is a region code prefix of 2, 4, 6, 9 or 12 digits, not %',
      NEW.scope_region_prefix USING ERRCODE = 'check_violation';
  END IF;
  NEW.created_at := clock_timestamp();
  -- the items left out, as govdesk.sharing.policy.choose_items writes them
  NEW.exclusions := (
    SELECT coalesce(jsonb_agg(jsonb_build_object('item', i.name::text, 'grade', gr.name::text,
                                                 'reason', 'grade_forbids_sharing')
                              ORDER BY i.seq), '[]'::jsonb)::text
    FROM data_items i JOIN data_resources r ON r.id = i.resource_id
    JOIN grades gr ON gr.id = coalesce(i.grade_id, r.grade_id)
    WHERE i.resource_id = NEW.resource_id
      AND (' ' || gr.sharing_types_allowed || ' ') NOT LIKE '% ' || r.sharing_type || ' %');
  RETURN NEW;
END $$;

-- 0025's item rule, the grant row locked first: an item waits for a decision in flight and
-- is then refused.
CREATE OR REPLACE FUNCTION govdesk_grant_item_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  g record;
  v_ok boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami()) AND govdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  SELECT * INTO g FROM sharing_grants x WHERE x.id = NEW.grant_id FOR SHARE;
  IF g.id IS NULL OR g.requested_by IS DISTINCT FROM session_user::text
     OR g.status NOT IN ('requested', 'offered') OR g.all_items
     OR g.first_approved_by IS NOT NULL THEN
    RAISE EXCEPTION 'data items are named by the requester of a grant of chosen items, before any approval'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT (gr.id IS NULL OR (' ' || gr.sharing_types_allowed || ' ') LIKE '% ' || g.sharing_type || ' %')
    INTO v_ok
  FROM data_items i JOIN data_resources r ON r.id = i.resource_id
  LEFT JOIN grades gr ON gr.id = coalesce(i.grade_id, r.grade_id)
  WHERE i.id = NEW.item_id AND i.resource_id = g.resource_id;
  IF v_ok IS NULL THEN
    RAISE EXCEPTION 'data item % is not an item of resource %', NEW.item_id, g.resource_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT v_ok THEN
    RAISE EXCEPTION 'the grade of data item % does not allow % sharing', NEW.item_id,
      g.sharing_type USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION govdesk_grant_guard() FROM PUBLIC;
CREATE TRIGGER sharing_grants_guard BEFORE INSERT OR UPDATE ON sharing_grants
  FOR EACH ROW EXECUTE FUNCTION govdesk_grant_guard();
""".replace("@MAX_TEXT@", str(MAX_TEXT))


TOMBSTONES = r"""
CREATE TABLE grade_tombstones (
  id bigserial PRIMARY KEY,
  scheme_id integer NOT NULL,
  code text NOT NULL,
  grade jsonb NOT NULL,
  deleted_by text NOT NULL,
  deleted_at timestamptz NOT NULL
);
CREATE INDEX ix_grade_tombstones_scheme_code ON grade_tombstones (scheme_id, code);
REVOKE ALL ON grade_tombstones FROM PUBLIC;

-- The rules of p_new weaker than p_old's (0032's list: GradeRules.loosened_by, a longer grant).
CREATE OR REPLACE FUNCTION govdesk_grade_weakened(p_old grades, p_new grades) RETURNS text[]
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN p_old.masking_required AND NOT p_new.masking_required THEN 'masking_required' END,
    CASE WHEN p_new.export_allowed AND NOT p_old.export_allowed THEN 'export_allowed' END,
    CASE WHEN p_old.export_encryption_required AND NOT p_new.export_encryption_required
         THEN 'export_encryption_required' END,
    CASE WHEN EXISTS (SELECT 1 FROM unnest(string_to_array(btrim(p_new.sharing_types_allowed), ' ')) t
                      WHERE t <> '' AND NOT t = ANY (string_to_array(btrim(p_old.sharing_types_allowed), ' ')))
         THEN 'sharing_types_allowed' END,
    CASE WHEN p_new.approvals_required < p_old.approvals_required THEN 'approvals_required' END,
    CASE WHEN p_new.max_grant_days > p_old.max_grant_days THEN 'max_grant_days' END,
    CASE WHEN p_new.min_dr_level < p_old.min_dr_level THEN 'min_dr_level' END,
    CASE WHEN p_new.audit_retention_days < p_old.audit_retention_days
         THEN 'audit_retention_days' END]::text[], NULL)
$$;

CREATE OR REPLACE FUNCTION govdesk_grade_removed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO grade_tombstones (scheme_id, code, grade, deleted_by, deleted_at)
  VALUES (OLD.scheme_id, OLD.code, to_jsonb(OLD), session_user::text, clock_timestamp());
  RETURN NULL;
END $$;

-- A grade inserted (or renamed) under the code of one deleted from its scheme, weaker than it.
CREATE OR REPLACE FUNCTION govdesk_grade_recreated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_json jsonb;
  v_old grades;
  v_rules text[];
  v_scheme text;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.code = OLD.code THEN
    RETURN NULL;
  END IF;
  SELECT t.grade INTO v_json FROM grade_tombstones t
  WHERE t.scheme_id = NEW.scheme_id AND t.code = NEW.code ORDER BY t.id DESC LIMIT 1;
  IF v_json IS NULL THEN
    RETURN NULL;
  END IF;
  v_old := jsonb_populate_record(NULL::grades, v_json);
  v_rules := govdesk_grade_weakened(v_old, NEW);
  IF cardinality(v_rules) > 0 THEN
    SELECT gs.code INTO v_scheme FROM grade_schemes gs WHERE gs.id = NEW.scheme_id;
    PERFORM govdesk_audit_as(session_user::text, 'grade_loosened', 'grades', NEW.id::text, true,
      host(inet_client_addr()),
      jsonb_build_object('grade', NEW.code, 'grade_name', NEW.name, 'scheme', v_scheme,
        'recreated', true, 'rules', to_jsonb(v_rules),
        'before', (SELECT jsonb_object_agg(k, v) FROM jsonb_each(v_json) AS e(k, v)
                   WHERE k = ANY (v_rules)),
        'after', (SELECT jsonb_object_agg(k, v) FROM jsonb_each(to_jsonb(NEW)) AS e(k, v)
                  WHERE k = ANY (v_rules)))::text);
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION govdesk_grade_weakened(grades, grades) FROM PUBLIC;
REVOKE ALL ON FUNCTION govdesk_grade_removed() FROM PUBLIC;
REVOKE ALL ON FUNCTION govdesk_grade_recreated() FROM PUBLIC;
CREATE TRIGGER grades_removed AFTER DELETE ON grades
  FOR EACH ROW EXECUTE FUNCTION govdesk_grade_removed();
CREATE TRIGGER grades_recreated AFTER INSERT OR UPDATE OF code ON grades
  FOR EACH ROW EXECUTE FUNCTION govdesk_grade_recreated();
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: the services hold these rules (policy, reasons, workflow)
    # CREATE OR REPLACE keeps the owners and grants of 0025 and 0032
    op.execute(REASON)
    op.execute(UNMASK)
    op.execute(GUARD)
    op.execute(TOMBSTONES)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS grades_recreated ON grades")
    op.execute("DROP TRIGGER IF EXISTS grades_removed ON grades")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grade_recreated()")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grade_removed()")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grade_weakened(grades, grades)")
    op.execute("DROP TABLE IF EXISTS grade_tombstones")
    op.execute("DROP TRIGGER IF EXISTS sharing_grants_guard ON sharing_grants")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grant_guard()")
