"""unmask reasons that say something, single-use unmask tickets, a size limit on audit details,
grade loosenings over plain SQL recorded as such

Four points a red team left open over plain psql as real GovDesk logins (PostgreSQL only; on
SQLite the services hold the same rules, :mod:`govdesk.security.reasons` and
:func:`govdesk.security.audit.record`):

* **A reason is at least** ``MIN_REASON`` **characters that are not whitespace, punctuation or
  symbols** (``govdesk_unmask_request``). "x" or "。。。。" was accepted and recorded as the
  reason for seeing personal data in clear. What counts as noise is the same list of code-point
  ranges as :data:`govdesk.security.reasons.NOISE` (ASCII and Latin-1 punctuation and symbols,
  whitespace, general punctuation, CJK symbols and punctuation, full-width punctuation); the
  rest (letters and digits of any script) is counted.
* **An unmask ticket is used once.** ``govdesk_samples`` marks the ticket used
  (``unmask_tickets.used_at``) by the read that unmasks with it, and refuses a used one; before,
  a ticket unmasked the same resource as often as its holder liked for five minutes under one
  audit row. A read that is rolled back takes its mark with it (PostgreSQL has no write that
  survives a rollback): such a ticket may be used again until it expires — by the same user,
  for the same resource and purpose, within the five minutes, under the audit row (with its
  reason) that was committed before any value was shown.
* **An audit row's detail is at most** ``MAX_DETAIL`` **bytes.** A trigger on
  ``audit_pending`` (every audit row passes through it: ``govdesk_audit``, the definer functions,
  the statement triggers) refuses a larger one; before, any login could write rows of any size
  through ``govdesk_audit``. The rate is not limited: a login may still write many small rows
  (each is its own, attributed, chained record; the alarm for that is the audit view, not a
  refusal that would drop records).
* **A loosened grade is recorded as a loosening.** A security administrator may ``UPDATE
  grades`` over plain SQL; the client asks for a confirmation before weakening a rule, the
  database could not. Now every update of a grade that weakens a rule (masking or encrypted
  exports no longer required, export allowed, a sharing type allowed, fewer approvals, a longer
  grant, a lower disaster-recovery level, a shorter audit retention — ``GradeRules.loosened_by``
  plus the grant length) writes a ``grade_loosened`` audit row, by the database, naming the
  grade, the rules and their values before and after, whoever made it (the client's confirmed
  scheme updates included). Deleting a grade and inserting a weaker one under its code is
  refused while resources or items use it (foreign keys); an unused grade carries no data.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: characters a reason must have beyond noise (govdesk.security.reasons.MIN_REASON)
MIN_REASON = 4
#: code-point ranges that do not count in a reason (govdesk.security.reasons.NOISE)
NOISE = ((0x01, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),
         (0x1680, 0x1680), (0x2000, 0x206F), (0x3000, 0x303F), (0xFE10, 0xFE1F),
         (0xFE30, 0xFE4F), (0xFEFF, 0xFEFF), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20),
         (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
NOISE_CLASS = "[" + "".join(f"\\u{a:04X}-\\u{b:04X}" for a, b in NOISE) + "]"
#: bytes an audit row's detail may hold (govdesk.security.audit.MAX_DETAIL)
MAX_DETAIL = 65536
TICKET_MINUTES = 5

REQUEST = r"""
CREATE OR REPLACE FUNCTION govdesk_reason_length(p_reason text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT char_length(regexp_replace(coalesce(p_reason, ''), '@NOISE@', '', 'g'))
$$;

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
  IF govdesk_reason_length(v_reason) < @MIN@ THEN
    RAISE EXCEPTION 'Give a reason of at least % letters or digits for the unmasked view; it is recorded in the audit trail.',
      @MIN@ USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_grade := govdesk_samples_resource(p_resource_id, p_purpose, v_role);
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

-- 0015's reader; a ticket unmasks one read, then it is used
CREATE OR REPLACE FUNCTION govdesk_samples(p_resource_id integer, p_ticket bigint DEFAULT NULL,
    p_limit integer DEFAULT NULL, p_purpose text DEFAULT 'view')
RETURNS TABLE (row_no integer, data jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_user text;
  v_role text;
  v_grade integer;
  v_unmask boolean := p_ticket IS NOT NULL;
  v_names text[];
  v_kinds text[];
  v_plain text[];
  v_rows integer;
BEGIN
  SELECT c.username, c.role_code INTO v_user, v_role FROM govdesk_samples_caller() c;
  IF v_user IS NULL OR v_role IS NULL
     OR v_role NOT IN ('secadmin', 'data_admin', 'viewer', 'owner') THEN
    RAISE EXCEPTION 'permission denied: your account may not read sample rows'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_unmask AND v_role NOT IN ('secadmin', 'data_admin', 'owner') THEN
    RAISE EXCEPTION 'permission denied: your role may not see personal data unmasked'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NOT NULL AND p_limit < 0 THEN
    RAISE EXCEPTION 'A row limit cannot be negative.' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_grade := govdesk_samples_resource(p_resource_id, p_purpose, v_role);
  IF v_unmask THEN
    UPDATE unmask_tickets t SET used_at = clock_timestamp()
    WHERE t.id = p_ticket AND t.username = v_user AND t.resource_id = p_resource_id
      AND t.purpose = p_purpose AND t.used_at IS NULL
      AND t.issued_at < transaction_timestamp()
      AND t.issued_at >= clock_timestamp() - interval '@TICKET_MINUTES@ minutes';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'permission denied: no valid unmask ticket (from govdesk_unmask_request, committed in an earlier transaction, for this resource and purpose, not used before, at most % minutes old)',
        @TICKET_MINUTES@ USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;

  SELECT coalesce(array_agg(c.name ORDER BY c.name COLLATE "C"), '{}'),
         coalesce(array_agg(c.kind ORDER BY c.name COLLATE "C"), '{}'),
         coalesce(array_agg(c.name ORDER BY c.name COLLATE "C")
                    FILTER (WHERE c.kind IS NULL AND c.sensitive), '{}')
    INTO v_names, v_kinds, v_plain
  FROM govdesk_samples_columns(p_resource_id, v_grade, v_unmask) c;

  RETURN QUERY
  SELECT s.row_no,
         (SELECT coalesce(jsonb_object_agg(n.name,
                   CASE WHEN n.kind IS NULL THEN coalesce(x.d -> n.name, 'null'::jsonb)
                        ELSE govdesk_mask_json(n.kind, x.d -> n.name) END), '{}'::jsonb)
          FROM unnest(v_names, v_kinds) AS n(name, kind))
  FROM resource_samples s
  CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(j) = 'object' THEN j END AS d
                      FROM govdesk_sample_json(s.data) AS j) x
  WHERE s.resource_id = p_resource_id
  ORDER BY s.row_no
  LIMIT p_limit;
  GET DIAGNOSTICS v_rows = ROW_COUNT;

  IF NOT v_unmask AND cardinality(v_plain) > 0 AND v_rows > 0 THEN
    PERFORM govdesk_audit_as(v_user, 'unmask', 'data_resources', p_resource_id::text, true,
      host(inet_client_addr()),
      jsonb_build_object('rows', v_rows, 'purpose', p_purpose, 'requested', false,
                         'plain_columns', to_jsonb(v_plain))::text);
  END IF;
END $$;
""".replace("@NOISE@", NOISE_CLASS).replace("@MIN@", str(MIN_REASON)) \
    .replace("@TICKET_MINUTES@", str(TICKET_MINUTES))

#: created as the audit owner (it owns audit_pending)
DETAIL_LIMIT = r"""
CREATE OR REPLACE FUNCTION govdesk_audit_detail_limit() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF octet_length(NEW.detail) > @MAX@ THEN
    RAISE EXCEPTION 'an audit detail of % bytes is too large (at most % bytes)',
      octet_length(NEW.detail), @MAX@ USING ERRCODE = 'program_limit_exceeded';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION govdesk_audit_detail_limit() FROM PUBLIC;
CREATE TRIGGER audit_pending_detail_limit BEFORE INSERT ON audit_pending
  FOR EACH ROW EXECUTE FUNCTION govdesk_audit_detail_limit();
""".replace("@MAX@", str(MAX_DETAIL))

LOOSENING = r"""
-- Every update of a grade that weakens one of its rules is written to the audit trail as a
-- loosening, by the database, whoever made it and however (GradeRules.loosened_by, plus a
-- longer longest grant).
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
  IF cardinality(v_rules) > 0 THEN
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
REVOKE ALL ON FUNCTION govdesk_grade_loosened() FROM PUBLIC;
CREATE TRIGGER grades_loosened AFTER UPDATE ON grades
  FOR EACH ROW EXECUTE FUNCTION govdesk_grade_loosened();
"""


def _as_audit_owner(sql: str) -> None:
    """Run ``sql`` as a member of ``<prefix>_audit``, which owns ``audit_pending`` (migration
    0017); the membership lasts for this migration's statements only (as in 0017 and 0024)."""
    bind = op.get_bind()
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = bind.execute(sa.text("SELECT prefix FROM govdesk_instance")).scalar_one()
    audit_owner = f"{prefix}_audit"
    op.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{audit_owner}"')
    op.execute(f'GRANT "{audit_owner}" TO "{runner}"')
    op.execute(f'SET LOCAL ROLE "{audit_owner}"')
    op.execute(sql)
    op.execute("RESET ROLE")
    op.execute(f'REVOKE CREATE ON SCHEMA public FROM "{audit_owner}"')
    op.execute(f'REVOKE "{audit_owner}" FROM "{runner}"')


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: govdesk.security.reasons and audit.record hold the same rules
    op.execute("ALTER TABLE unmask_tickets ADD COLUMN used_at timestamptz")
    # CREATE OR REPLACE keeps the owner and the grants of 0015 and 0016
    op.execute(REQUEST)
    op.execute("REVOKE ALL ON FUNCTION govdesk_reason_length(text) FROM PUBLIC")
    _as_audit_owner(DETAIL_LIMIT)
    op.execute(LOOSENING)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS grades_loosened ON grades")
    op.execute("DROP FUNCTION IF EXISTS govdesk_grade_loosened()")
    _as_audit_owner("DROP TRIGGER IF EXISTS audit_pending_detail_limit ON audit_pending;\n"
                    "DROP FUNCTION IF EXISTS govdesk_audit_detail_limit();")
    op.execute("ALTER TABLE unmask_tickets DROP COLUMN IF EXISTS used_at")
    op.execute("DROP FUNCTION IF EXISTS govdesk_reason_length(text)")
