"""masked samples: on PostgreSQL raw sample values only through ``govdesk_samples()``, which
masks each column by its grade inside the database; unmasked reads need a committed, audited
ticket

Nobody but the owner may SELECT ``resource_samples`` any more (its row-level security policies
stay). Two SECURITY DEFINER functions take its place:

``govdesk_samples(resource, ticket, limit, purpose)`` returns ``(row_no, data jsonb)``:

- the caller is who ``govdesk_whoami()`` says (an active GovDesk user); security and data
  administrators and viewers may call it, nobody else (but the database owner or a superuser,
  who may read the table anyway: the self-test runs as the owner);
- the resource must be one the caller may see: the ``resources_read`` policy of migration 0003
  (region prefix of ``govdesk_scope_prefix()``, or shared by an approved current grant),
  repeated here because a definer is not subject to row-level security;
- every column is masked when its effective grade (the item's, else the resource's) has
  ``masking_required``, with the masker of the item's standard data-element code, exactly as
  ``govdesk.security.masking`` does (``govdesk_mask``); keys of the stored JSON that are not
  data items of the resource are never returned;
- with purpose ``export`` it refuses when a grade of the resource forbids export;
- a read that shows a column with a personal-data standard code in clear because its grade does
  not require masking writes an ``unmask`` audit row (``requested: false``).

``govdesk_unmask_request(resource, reason, purpose)`` is step one of an unmasked read: only
security and data administrators, a reason required; it writes the ``unmask`` audit row (with
the reason) and returns a ticket. ``govdesk_samples`` unmasks only with a ticket of the same
user, resource and purpose, at most ``TICKET_MINUTES`` old and issued **before the reading
transaction began**, i.e. committed: a client that rolls back, or breaks off, after seeing the
values cannot take the audit row with it. Tickets live in ``unmask_tickets`` (owner only).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-20
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("govdesk_sysadmin", "govdesk_secadmin", "govdesk_auditor", "govdesk_data_admin",
          "govdesk_viewer")
READERS = ("govdesk_secadmin", "govdesk_data_admin", "govdesk_viewer")

#: what Python's str.strip() removes (govdesk.security.masking.WHITESPACE), as a U& literal
WHITESPACE_CODES = (0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
                    *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
WS = "U&'" + "".join(f"\\{c:04X}" for c in WHITESPACE_CODES) + "'"

#: standard data-element code -> masking kind (govdesk.catalog.profiling.samples.MASK_KIND_BY_STANDARD)
MASK_KIND_BY_STANDARD = {
    "DE0001": "person_name", "DE0013": "person_name", "DE0002": "citizen_id",
    "DE0015": "citizen_id", "DE0003": "disability_cert", "DE0009": "phone", "DE0014": "phone",
    "DE0010": "address", "DE0011": "address", "DE0016": "bank_card",
}
KIND_CASE = " ".join(f"WHEN '{code}' THEN '{kind}'" for code, kind in MASK_KIND_BY_STANDARD.items())

#: how long an unmask ticket may be used (govdesk.catalog.profiling.samples reads at once)
TICKET_MINUTES = 5
SAMPLES_SIGNATURE = "govdesk_samples(integer, bigint, integer, text)"
REQUEST_SIGNATURE = "govdesk_unmask_request(integer, text, text)"

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION govdesk_mask_kind(p_standard_code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE p_standard_code @KIND_CASE@ ELSE 'other' END
$$;

-- govdesk.security.masking.mask_address: what its regular expression keeps (province, city,
-- county, each optional, each the shortest run ending in its suffix; '.' stops at a newline).
CREATE OR REPLACE FUNCTION govdesk_mask_address_keep(v text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v_groups text[][] := ARRAY[
    ARRAY['省', '自治区', '', '', '', ''],
    ARRAY['自治州', '地区', '盟', '市', '', ''],
    ARRAY['自治县', '自治旗', '县', '区', '市', '旗']];
  v_len integer := length(v);
  v_pos integer := 1;   -- next character to match
  v_i integer;
  v_g integer;
  v_k integer;
  v_s text;
  v_found boolean;
BEGIN
  FOR v_g IN 1..3 LOOP
    v_found := false;
    v_i := v_pos + 1;   -- the suffix starts after at least one character
    WHILE v_i <= v_len LOOP
      EXIT WHEN substr(v, v_i - 1, 1) = E'\n';
      FOR v_k IN 1..6 LOOP
        v_s := v_groups[v_g][v_k];
        IF v_s <> '' AND substr(v, v_i, length(v_s)) = v_s THEN
          v_pos := v_i + length(v_s);
          v_found := true;
          EXIT;
        END IF;
      END LOOP;
      EXIT WHEN v_found;
      v_i := v_i + 1;
    END LOOP;
  END LOOP;
  RETURN left(v, v_pos - 1);
END $$;

-- govdesk.security.masking.mask(kind, value) for a text value: the same rules, character for
-- character (tests/test_samples_db.py compares both).
CREATE OR REPLACE FUNCTION govdesk_mask(p_kind text, p_value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  v text;
  d text;
  n integer;
  keep text;
BEGIN
  IF p_value IS NULL THEN
    RETURN NULL;
  END IF;
  v := btrim(p_value, @WS@);
  IF p_kind = 'citizen_id' THEN
    RETURN CASE length(v) WHEN 18 THEN left(v, 6) || repeat('*', 8) || substr(v, 15)
                          WHEN 15 THEN left(v, 6) || repeat('*', 6) || substr(v, 13)
                          ELSE repeat('*', length(v)) END;
  ELSIF p_kind = 'disability_cert' THEN
    IF length(v) = 20 THEN
      RETURN govdesk_mask('citizen_id', left(v, 18)) || substr(v, 19);
    END IF;
    RETURN repeat('*', length(v));
  ELSIF p_kind = 'phone' THEN
    d := regexp_replace(p_value, '[^0123456789]', '', 'g');
    n := length(d);
    IF n = 11 AND left(d, 1) = '1' THEN
      RETURN left(d, 3) || repeat('*', 4) || substr(d, 8);
    ELSIF n >= 7 THEN
      RETURN repeat('*', n - 4) || right(d, 4);
    END IF;
    RETURN repeat('*', length(v));
  ELSIF p_kind = 'person_name' THEN
    IF v = '' THEN
      RETURN v;
    END IF;
    n := CASE WHEN length(v) >= 4 THEN 2 ELSE 1 END;
    RETURN left(v, n) || repeat('*', greatest(1, length(v) - n));
  ELSIF p_kind = 'address' THEN
    keep := govdesk_mask_address_keep(v);
    IF keep = '' OR length(keep) >= length(v) THEN
      keep := left(v, least(3, length(v) / 2));
    END IF;
    RETURN keep || repeat('*', 4);
  ELSIF p_kind = 'bank_card' THEN
    d := regexp_replace(p_value, '[^0123456789]', '', 'g');
    n := length(d);
    IF n >= 12 THEN
      RETURN left(d, 6) || repeat('*', n - 10) || right(d, 4);
    END IF;
    RETURN repeat('*', length(v));
  END IF;
  -- 'other' and any kind not known: hidden whole (at most 8 stars); blank stays as it was
  IF v = '' THEN
    RETURN p_value;
  END IF;
  RETURN repeat('*', least(length(v), 8));
END $$;

-- mask() for a JSON value: null stays null; a string is masked; any other value passes
-- unchanged, except that kind 'other' hides it as '****'.
CREATE OR REPLACE FUNCTION govdesk_mask_json(p_kind text, p_value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_value IS NULL OR jsonb_typeof(p_value) = 'null' THEN 'null'::jsonb
    WHEN jsonb_typeof(p_value) = 'string' THEN to_jsonb(govdesk_mask(p_kind, p_value #>> '{}'))
    WHEN p_kind = 'other' THEN '"****"'::jsonb
    ELSE p_value END
$$;

-- A stored sample row as JSON; NULL when it is not valid JSON (the parser's error message
-- would quote the raw text).
CREATE OR REPLACE FUNCTION govdesk_sample_json(p_data text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN p_data::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

-- Owner only (the definer functions below call it): who calls, as govdesk_whoami() says (an
-- active GovDesk user), else 'owner' for the database owner or a superuser (who may read the
-- table anyway: the self-test and maintenance run as the owner), else no row.
CREATE OR REPLACE FUNCTION govdesk_samples_caller()
RETURNS TABLE (username text, role_code text)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT w.username, w.role_code FROM govdesk_whoami() w WHERE w.role_code IS NOT NULL
  UNION ALL
  SELECT session_user::text, 'owner' FROM pg_database d
  WHERE d.datname = current_database()
    AND NOT EXISTS (SELECT 1 FROM govdesk_whoami() w WHERE w.role_code IS NOT NULL)
    AND (pg_get_userbyid(d.datdba) = session_user
         OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper))
  LIMIT 1
$$;

-- Owner only: the grade of a resource the caller (session_user) may see, by the
-- resources_read policy of 0003, repeated because a definer is not subject to row-level
-- security (the owner sees all); for an export, refused when a grade forbids export.
CREATE OR REPLACE FUNCTION govdesk_samples_resource(p_resource_id integer, p_purpose text,
    p_role text)
RETURNS integer
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
  v_visible boolean;
  v_grade integer;
  v_forbidden text;
BEGIN
  IF p_purpose IS NULL OR p_purpose NOT IN ('view', 'export') THEN
    RAISE EXCEPTION 'The purpose of a sample read is view or export.'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT true, r.grade_id INTO v_visible, v_grade FROM data_resources r
  WHERE r.id = p_resource_id
    AND (p_role = 'owner' OR r.region_code LIKE govdesk_scope_prefix() || '%'
         OR r.id = ANY (govdesk_shared_resource_ids()));
  IF NOT coalesce(v_visible, false) THEN
    RAISE EXCEPTION 'Resource % does not exist or is not yours to see.', p_resource_id
      USING ERRCODE = 'no_data_found';
  END IF;
  IF p_purpose = 'export' THEN
    SELECT string_agg(g.name, '、' ORDER BY g.rank DESC, g.id) INTO v_forbidden FROM grades g
    WHERE NOT g.export_allowed
      AND (g.id = v_grade OR g.id IN (SELECT coalesce(i.grade_id, v_grade) FROM data_items i
                                      WHERE i.resource_id = p_resource_id));
    IF v_forbidden IS NOT NULL THEN
      RAISE EXCEPTION 'permission denied: data graded % may not be exported', v_forbidden
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN v_grade;
END $$;

-- Owner only: one entry per sample column (data item name). kind = the masker when the
-- column's effective grade (the item's, else the resource's) requires masking and the read is
-- not unmasked, else NULL (shown as stored); of several items with one name a masked one wins,
-- then the last. sensitive = personal data by standard code, or masked by grade.
CREATE OR REPLACE FUNCTION govdesk_samples_columns(p_resource_id integer, p_grade integer,
    p_unmask boolean)
RETURNS TABLE (name text, kind text, sensitive boolean)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT DISTINCT ON (i.name) i.name::text,
         CASE WHEN coalesce(g.masking_required, false) AND NOT p_unmask
              THEN govdesk_mask_kind(i.standard_code) END,
         coalesce(g.masking_required, false) OR govdesk_mask_kind(i.standard_code) <> 'other'
  FROM data_items i LEFT JOIN grades g ON g.id = coalesce(i.grade_id, p_grade)
  WHERE i.resource_id = p_resource_id
  ORDER BY i.name, coalesce(g.masking_required, false) DESC, i.seq DESC
$$;

-- Step 1 of an unmasked read: a security or data administrator gives a reason; the audit row
-- is written and a ticket returned. The ticket is good for one resource and purpose, for
-- @TICKET_MINUTES@ minutes, and only in a later transaction: the audit row must be committed
-- before a single value is shown in clear (a rolled-back read cannot take its audit with it).
CREATE OR REPLACE FUNCTION govdesk_unmask_request(p_resource_id integer, p_reason text,
    p_purpose text DEFAULT 'view')
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user text;
  v_role text;
  v_reason text := left(btrim(coalesce(p_reason, ''), @WS@), 500);
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
  IF v_reason = '' THEN
    RAISE EXCEPTION 'Give a reason for the unmasked view; it is recorded in the audit trail.'
      USING ERRCODE = 'invalid_parameter_value';
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

-- Sample rows of a resource, each column masked by its grade; with a ticket from
-- govdesk_unmask_request (committed earlier, by the same user, for this resource and purpose)
-- unmasked. A read without a ticket that shows personal data in clear (its grade does not
-- require masking) is audited here, in the read's own transaction.
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
  IF v_unmask AND NOT EXISTS (
      SELECT 1 FROM unmask_tickets t
      WHERE t.id = p_ticket AND t.username = v_user AND t.resource_id = p_resource_id
        AND t.purpose = p_purpose
        AND t.issued_at < transaction_timestamp()
        AND t.issued_at >= clock_timestamp() - interval '@TICKET_MINUTES@ minutes') THEN
    RAISE EXCEPTION 'permission denied: no valid unmask ticket (from govdesk_unmask_request, '
      'committed in an earlier transaction, for this resource and purpose, at most '
      '@TICKET_MINUTES@ minutes old)'
      USING ERRCODE = 'insufficient_privilege';
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
""".replace("@KIND_CASE@", KIND_CASE).replace("@WS@", WS) \
    .replace("@TICKET_MINUTES@", str(TICKET_MINUTES))

#: pure masking functions: anyone may call them (they read nothing)
MASKERS = ("govdesk_mask_kind(text)", "govdesk_mask_address_keep(text)",
           "govdesk_mask(text, text)", "govdesk_mask_json(text, jsonb)",
           "govdesk_sample_json(text)")
#: called only by the definer functions (as the owner)
OWNER_ONLY = ("govdesk_samples_caller()", "govdesk_samples_resource(integer, text, text)",
              "govdesk_samples_columns(integer, integer, boolean)")

TICKETS = """
CREATE TABLE unmask_tickets (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  resource_id integer NOT NULL,
  purpose text NOT NULL,
  audit_id bigint NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT clock_timestamp()
)"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one local user; samples.py masks and audits in Python
    op.execute(TICKETS)
    op.execute("REVOKE ALL ON unmask_tickets FROM PUBLIC")
    op.execute("REVOKE ALL ON SEQUENCE unmask_tickets_id_seq FROM PUBLIC")
    op.execute(FUNCTIONS)
    for fn in (*OWNER_ONLY, SAMPLES_SIGNATURE, REQUEST_SIGNATURE):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SAMPLES_SIGNATURE} TO {', '.join(READERS)}")
    op.execute(f"GRANT EXECUTE ON FUNCTION {REQUEST_SIGNATURE} "
               "TO govdesk_secadmin, govdesk_data_admin")
    op.execute(f"REVOKE SELECT ON resource_samples FROM PUBLIC, {', '.join(GROUPS)}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("GRANT SELECT ON resource_samples TO govdesk_secadmin, govdesk_data_admin")
    for fn in (SAMPLES_SIGNATURE, REQUEST_SIGNATURE, *OWNER_ONLY, *reversed(MASKERS)):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.execute("DROP TABLE IF EXISTS unmask_tickets")
