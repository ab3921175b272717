"""roles per database, accounts only through definer functions, an audit trail nobody owns

On PostgreSQL (nothing changes on SQLite but the new ``access_events.role_code`` column):

* **Group roles per database.** ``gd_<database>_sysadmin`` … ``_viewer`` (the prefix is kept in
  ``govdesk_instance``; ``govdesk_group(role)`` names a group). Every privilege and policy the
  server-wide ``govdesk_*`` groups held in this database moves to them, the users' logins follow,
  and CONNECT is no longer PUBLIC's: a role of one GovDesk database gives nothing in another.
* **No login holds CREATEROLE.** Accounts are created, changed, locked, unlocked and dropped only
  by ``govdesk_account_*`` functions owned by ``<prefix>_accounts`` (NOLOGIN, CREATEROLE, nobody
  is a member). They act only on logins of this database's groups, never on the caller's own
  account, the owner, a superuser or any other role, and write the audit trail themselves.
  ``users`` is read-only to every group.
* **The audit trail is owned by ``<prefix>_audit``** (NOLOGIN, nobody is a member), with its
  writer. ``govdesk_audit()`` accepts only the event types a client may report; the ones that
  prove something (failed logins, locks, unlocks, account changes, archives) are written only
  by the server's own functions, and the lockout counts only those.
* **The login gate** (``govdesk_gate``) acts only on members of this database's groups, never
  locks the last unlocked system administrator, writes at most a bounded number of rows a minute,
  and its functions are owned by ``<prefix>_accounts``, not a superuser.
* **Access events are stamped** by the database: user, role, organisation and time come from the
  session and the server clock for every GovDesk login.

Run by the database owner (non-superuser, CREATEROLE) or a superuser. Later migrations grant to
``govdesk_group('<role>')``, never to a fixed name.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")

#: event types a client may report through govdesk_audit(); everything else is server-only
CLIENT_EVENTS = ("login", "session_locked", "data_change", "export", "unmask",
                 "permission_change", "audit_export", "audit_verify", "audit_anchor",
                 "settings_change")


def _prefix(bind: sa.engine.Connection) -> str:
    """A role-name prefix for this database that no existing role uses (a dropped database of
    the same name may have left roles behind: reusing them would hand its logins this one)."""
    db = bind.execute(sa.text("SELECT current_database()")).scalar_one()
    base = f"gd_{db}" if re.fullmatch(r"[a-z0-9_]{1,40}", db) else \
        "gd_" + bind.execute(sa.text("SELECT left(md5(:d), 12)"), {"d": db}).scalar_one()
    candidate = base
    while bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE starts_with(rolname, :p)"),
                       {"p": candidate + "_"}).first():
        candidate = f"{base}_{secrets.token_hex(2)}"
    return candidate


TRANSFER = r"""
DO $transfer$
DECLARE
  m record;
  r record;
  v_roles text;
BEGIN
  -- tables, views, sequences (and their columns)
  FOR r IN
    SELECT c.oid, c.relname, c.relkind, a.privilege_type, rm.new
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL aclexplode(c.relacl) a
    JOIN pg_temp.role_map rm ON rm.old_oid = a.grantee
    WHERE n.nspname = 'public'
  LOOP
    EXECUTE format('GRANT %s ON %s %I TO %I', r.privilege_type,
                   CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname, r.new);
  END LOOP;
  FOR r IN
    SELECT c.relname, att.attname, a.privilege_type, rm.new
    FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL aclexplode(att.attacl) a
    JOIN pg_temp.role_map rm ON rm.old_oid = a.grantee
    WHERE n.nspname = 'public' AND att.attacl IS NOT NULL
  LOOP
    EXECUTE format('GRANT %s (%I) ON TABLE %I TO %I', r.privilege_type, r.attname, r.relname,
                   r.new);
  END LOOP;
  -- functions
  FOR r IN
    SELECT p.oid::regprocedure AS fn, a.privilege_type, rm.new
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    CROSS JOIN LATERAL aclexplode(p.proacl) a
    JOIN pg_temp.role_map rm ON rm.old_oid = a.grantee
    WHERE n.nspname = 'public'
  LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', r.fn, r.new);
  END LOOP;
  -- policies: the same policy, for the per-database roles
  FOR r IN
    SELECT pol.polname, c.relname, pol.polroles
    FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
    WHERE pol.polroles && (SELECT array_agg(old_oid) FROM pg_temp.role_map)
  LOOP
    SELECT string_agg(quote_ident(coalesce(rm.new, pg_get_userbyid(x))), ', ') INTO v_roles
    FROM unnest(r.polroles) x LEFT JOIN pg_temp.role_map rm ON rm.old_oid = x;
    EXECUTE format('ALTER POLICY %I ON %I TO %s', r.polname, r.relname, v_roles);
  END LOOP;
  -- schema and database
  FOR m IN SELECT * FROM pg_temp.role_map LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', m.new);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), m.new);
    -- the logins listed in users move to this database's group
    FOR r IN
      SELECT u.username FROM users u JOIN pg_roles l ON l.rolname = u.username
      WHERE u.role_code = m.code AND pg_has_role(u.username, m.old_oid, 'MEMBER')
        AND NOT l.rolsuper
    LOOP
      EXECUTE format('GRANT %I TO %I', m.new, r.username);
      EXECUTE format('ALTER ROLE %I NOCREATEROLE NOCREATEDB', r.username);
    END LOOP;
    -- and the server-wide group keeps nothing here
    FOR r IN
      SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f')
    LOOP
      EXECUTE format('REVOKE ALL ON %s %I FROM %I',
                     CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname, m.old);
    END LOOP;
    FOR r IN
      SELECT c.relname, att.attname FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL aclexplode(att.attacl) a
      WHERE n.nspname = 'public' AND att.attacl IS NOT NULL AND a.grantee = m.old_oid
    LOOP
      EXECUTE format('REVOKE ALL (%I) ON TABLE %I FROM %I', r.attname, r.relname, m.old);
    END LOOP;
    FOR r IN
      SELECT p.oid::regprocedure AS fn FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      CROSS JOIN LATERAL aclexplode(p.proacl) a
      WHERE n.nspname = 'public' AND a.grantee = m.old_oid
    LOOP
      EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %I', r.fn, m.old);
    END LOOP;
    EXECUTE format('REVOKE ALL ON SCHEMA public FROM %I', m.old);
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), m.old);
  END LOOP;
END
$transfer$;
"""

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION govdesk_group(p_role text) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT i.prefix || '_' || p_role FROM govdesk_instance i
  WHERE p_role IN ('sysadmin', 'secadmin', 'auditor', 'data_admin', 'viewer')
$$;

-- The caller, when it is an active GovDesk user of THIS database: a users row for session_user
-- AND membership of the group its role names. Everything that asks "who is calling" asks this.
CREATE OR REPLACE FUNCTION govdesk_whoami()
RETURNS TABLE (username text, role_code text, region_code text, organisation_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.username::text, u.role_code::text, u.region_code::text, u.organisation_id
  FROM users u
  WHERE u.username = session_user AND u.is_active
    AND pg_has_role(session_user, govdesk_group(u.role_code::text), 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION govdesk_scope_prefix() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT govdesk_region_prefix(w.region_code) FROM govdesk_whoami() w
$$;

-- The database owner (or a superuser): may migrate, load the demo and create the first
-- system administrator; is nobody's member and not reachable by any GovDesk role.
CREATE OR REPLACE FUNCTION govdesk_is_owner() RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = current_database()
                 AND d.datdba = (SELECT oid FROM pg_roles WHERE rolname = session_user))
      OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
$$;

-- The audit writer, for a named user. Only definer functions call it (never a client).
CREATE OR REPLACE FUNCTION govdesk_audit_as(p_user text, p_event text, p_object_type text,
    p_object_id text, p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ts timestamptz := clock_timestamp();
  v_role text;
  v_prev text;
  v_hash text;
  v_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_audit_chain'));
  SELECT u.role_code INTO v_role FROM users u WHERE u.username = p_user;
  SELECT a.row_hash INTO v_prev FROM audit_events a ORDER BY a.id DESC LIMIT 1;
  IF v_prev IS NULL THEN
    SELECT x.last_hash INTO v_prev FROM audit_anchors x ORDER BY x.archived_through_id DESC LIMIT 1;
  END IF;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || E'\n' || concat_ws(chr(31),
      to_char(v_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_user,
      coalesce(v_role, ''), p_event, coalesce(p_object_type, ''), coalesce(p_object_id, ''),
      CASE WHEN p_success THEN '1' ELSE '0' END, coalesce(p_client_host, ''),
      coalesce(p_detail, '')), 'UTF8')), 'hex');
  INSERT INTO audit_events (ts, username, role_code, event_type, object_type, object_id,
                            success, client_host, detail, prev_hash, row_hash)
  VALUES (v_ts, p_user, v_role, p_event, p_object_type, p_object_id, p_success,
          p_client_host, p_detail, v_prev, v_hash)
  RETURNING id INTO v_id;
  RETURN v_id;
END $$;

-- What a client may report about itself. A login is always the caller's own.
CREATE OR REPLACE FUNCTION govdesk_audit(p_event text, p_object_type text, p_object_id text,
    p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT (EXISTS (SELECT 1 FROM govdesk_whoami()) OR govdesk_is_owner()) THEN
    RAISE EXCEPTION 'only GovDesk users of this database write its audit trail'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event IS NULL OR NOT p_event = ANY (%(client_events)s) THEN
    RAISE EXCEPTION 'audit event type % is written only by the database itself', p_event
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event = 'login' AND (p_object_id IS DISTINCT FROM session_user::text
                            OR p_object_type IS DISTINCT FROM 'user' OR NOT p_success) THEN
    RAISE EXCEPTION 'a login is reported only by the user who logged in'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN govdesk_audit_as(session_user::text, p_event, p_object_type, left(p_object_id, 100),
                          p_success, left(p_client_host, 255), p_detail);
END $$;

-- Statement-level change audit, written by the database (never through the client allowlist).
CREATE OR REPLACE FUNCTION govdesk_audit_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_n bigint;
  v_ids text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT count(*) INTO v_n FROM old_rows;
    SELECT string_agg(k, ',') INTO v_ids FROM (SELECT to_jsonb(o) ->> TG_ARGV[0] AS k
                                               FROM old_rows o LIMIT 200) s;
  ELSE
    SELECT count(*) INTO v_n FROM new_rows;
    SELECT string_agg(k, ',') INTO v_ids FROM (SELECT to_jsonb(n) ->> TG_ARGV[0] AS k
                                               FROM new_rows n LIMIT 200) s;
  END IF;
  IF v_n > 0 THEN
    PERFORM govdesk_audit_as(session_user::text, 'data_change', TG_TABLE_NAME, left(v_ids, 100),
      true, host(inet_client_addr()),
      json_build_object('op', TG_OP, 'rows', v_n, 'keys', v_ids)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_audit_archive(p_through_id bigint, p_file text, p_sha text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_last text;
  v_rows integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami() w WHERE w.role_code = 'auditor') THEN
    RAISE EXCEPTION 'only audit administrators archive the audit trail'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_audit_chain'));
  SELECT row_hash INTO v_last FROM audit_events WHERE id = p_through_id;
  IF v_last IS NULL THEN
    RAISE EXCEPTION 'audit record % does not exist', p_through_id;
  END IF;
  SELECT count(*) INTO v_rows FROM audit_events WHERE id <= p_through_id;
  INSERT INTO audit_anchors (archived_through_id, last_hash, rows, archived_at, archived_by,
                             file_name, file_sha256)
  VALUES (p_through_id, v_last, v_rows, now(), session_user, p_file, p_sha);
  PERFORM set_config('govdesk.audit_archiving', 'on', true);
  DELETE FROM audit_events WHERE id <= p_through_id;
  PERFORM set_config('govdesk.audit_archiving', 'off', true);
  PERFORM govdesk_audit_as(session_user::text, 'audit_archive', 'audit_events',
                           p_through_id::text, true, NULL,
                           json_build_object('rows', v_rows, 'file', p_file, 'sha256', p_sha)::text);
  RETURN v_rows;
END $$;

-- ---- accounts --------------------------------------------------------------------------------

-- The account p_username when it is a GovDesk login of this database that the caller may
-- manage: a users row, a login role that is neither a superuser, the owner, a pg_ role nor the
-- caller. Raises otherwise.
CREATE OR REPLACE FUNCTION govdesk_account_target(p_username text) RETURNS users
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user users;
  v_role pg_roles;
BEGIN
  IF p_username = session_user::text THEN
    RAISE EXCEPTION 'you cannot change your own account (ask another system administrator)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO v_user FROM users WHERE username = p_username;
  SELECT * INTO v_role FROM pg_roles WHERE rolname = p_username;
  IF v_user.id IS NULL THEN
    RAISE EXCEPTION 'there is no user named %', p_username USING ERRCODE = 'no_data_found';
  END IF;
  IF v_role.rolname IS NULL THEN
    RAISE EXCEPTION 'the account % is deactivated', p_username
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (v_role.rolsuper OR starts_with(p_username, 'pg_')
      OR v_role.oid = (SELECT datdba FROM pg_database WHERE datname = current_database())
      OR NOT EXISTS (SELECT 1 FROM unnest(ARRAY['sysadmin', 'secadmin', 'auditor',
                                                 'data_admin', 'viewer']) g
                     WHERE pg_has_role(v_role.oid, govdesk_group(g), 'MEMBER'))) THEN
    RAISE EXCEPTION 'the role % is not a GovDesk login of this database', p_username
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN v_user;
END $$;

CREATE OR REPLACE FUNCTION govdesk_require_sysadmin() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami() w WHERE w.role_code = 'sysadmin') THEN
    RAISE EXCEPTION 'only a system administrator of this database manages accounts'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION govdesk_active_sysadmins(p_except text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*)::integer FROM users u JOIN pg_roles r ON r.rolname = u.username
  WHERE u.role_code = 'sysadmin' AND u.is_active AND u.username <> coalesce(p_except, '')
    AND r.rolcanlogin AND (u.locked_until IS NULL OR u.locked_until <= clock_timestamp())
    AND pg_has_role(r.oid, govdesk_group('sysadmin'), 'MEMBER')
$$;

-- Create a login in exactly one group of this database, with its users row. p_verifier is a
-- SCRAM-SHA-256 verifier computed by the client (the password never reaches the server).
CREATE OR REPLACE FUNCTION govdesk_account_create(p_username text, p_role text,
    p_verifier text, p_region text, p_org integer, p_display text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_id integer;
BEGIN
  IF govdesk_is_owner() AND NOT EXISTS (SELECT 1 FROM govdesk_whoami()) THEN
    IF p_role <> 'sysadmin' OR govdesk_active_sysadmins(NULL) > 0 THEN
      RAISE EXCEPTION 'the database owner may only create the first system administrator'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSE
    PERFORM govdesk_require_sysadmin();
  END IF;
  IF p_username IS NULL OR p_username !~ '^[a-z][a-z0-9_]{1,62}$'
     OR starts_with(p_username, 'pg_') OR starts_with(p_username, 'govdesk_')
     OR starts_with(p_username, 'gd_') THEN
    RAISE EXCEPTION 'user name % must be 2-63 lower-case letters, digits or _, start with a letter, and not start with pg_, gd_ or govdesk_', p_username
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF govdesk_group(p_role) IS NULL THEN
    RAISE EXCEPTION 'unknown role %', p_role USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
    RAISE EXCEPTION 'a password must be given as a SCRAM-SHA-256 verifier'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username)
     OR EXISTS (SELECT 1 FROM users WHERE username = p_username) THEN
    RAISE EXCEPTION 'a user or database role named % already exists', p_username
      USING ERRCODE = 'duplicate_object';
  END IF;
  EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT '
                 'PASSWORD %L IN ROLE %I', p_username, p_verifier, govdesk_group(p_role));
  INSERT INTO users (username, display_name, role_code, region_code, organisation_id,
                     password_hash, is_active, failed_logins, version)
  VALUES (p_username, coalesce(p_display, ''), p_role, p_region, p_org, NULL, true, 0, 1)
  RETURNING id INTO v_id;
  PERFORM govdesk_audit_as(session_user::text, 'user_created', 'user', p_username, true,
                           host(inet_client_addr()),
                           json_build_object('role', p_role, 'region', p_region,
                                             'organisation', p_org)::text);
  RETURN v_id;
END $$;

-- Change role, region, organisation or display name (NULL leaves a value as it is; p_clear_*
-- set region / organisation to none).
CREATE OR REPLACE FUNCTION govdesk_account_update(p_username text, p_role text, p_region text,
    p_org integer, p_display text, p_clear_region boolean, p_clear_org boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user users;
BEGIN
  PERFORM govdesk_require_sysadmin();
  v_user := govdesk_account_target(p_username);
  IF p_role IS NOT NULL AND p_role <> v_user.role_code THEN
    IF govdesk_group(p_role) IS NULL THEN
      RAISE EXCEPTION 'unknown role %', p_role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('REVOKE %I FROM %I', govdesk_group(v_user.role_code), p_username);
    EXECUTE format('GRANT %I TO %I', govdesk_group(p_role), p_username);
  END IF;
  UPDATE users SET role_code = coalesce(p_role, role_code),
                   region_code = CASE WHEN p_clear_region THEN NULL
                                      ELSE coalesce(p_region, region_code) END,
                   organisation_id = CASE WHEN p_clear_org THEN NULL
                                          ELSE coalesce(p_org, organisation_id) END,
                   display_name = coalesce(p_display, display_name),
                   version = version + 1, updated_at = now()
  WHERE id = v_user.id;
  PERFORM govdesk_audit_as(session_user::text, 'account_changed', 'user', p_username, true,
                           host(inet_client_addr()),
                           json_build_object('role', p_role, 'region', p_region,
                                             'organisation', p_org, 'display_name', p_display,
                                             'clear_region', p_clear_region,
                                             'clear_organisation', p_clear_org)::text);
END $$;

CREATE OR REPLACE FUNCTION govdesk_account_set_password(p_username text, p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM govdesk_require_sysadmin();
  PERFORM govdesk_account_target(p_username);
  IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
    RAISE EXCEPTION 'a password must be given as a SCRAM-SHA-256 verifier'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', p_username, p_verifier);
  PERFORM govdesk_audit_as(session_user::text, 'password_reset', 'user', p_username, true,
                           host(inet_client_addr()), NULL);
END $$;

CREATE OR REPLACE FUNCTION govdesk_account_lock(p_username text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user users;
BEGIN
  PERFORM govdesk_require_sysadmin();
  v_user := govdesk_account_target(p_username);
  UPDATE users SET locked_until = '9999-12-31 00:00:00+00', version = version + 1 WHERE id = v_user.id;
  EXECUTE format('ALTER ROLE %I NOLOGIN', p_username);
  PERFORM govdesk_audit_as(session_user::text, 'account_locked', 'user', p_username, true,
                           host(inet_client_addr()), '{"by": "administrator"}');
END $$;

CREATE OR REPLACE FUNCTION govdesk_account_unlock(p_username text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user users;
BEGIN
  PERFORM govdesk_require_sysadmin();
  v_user := govdesk_account_target(p_username);
  IF NOT v_user.is_active THEN
    RAISE EXCEPTION 'the account % is deactivated', p_username
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE users SET locked_until = NULL, failed_logins = 0, version = version + 1
  WHERE id = v_user.id;
  EXECUTE format('ALTER ROLE %I LOGIN', p_username);
  PERFORM govdesk_audit_as(session_user::text, 'account_unlocked', 'user', p_username, true,
                           host(inet_client_addr()), '{"by": "administrator"}');
END $$;

-- Deactivate: the users row stays (the audit trail names it), the login role is dropped, so
-- the name can never be reused for someone else.
CREATE OR REPLACE FUNCTION govdesk_account_deactivate(p_username text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user users;
BEGIN
  PERFORM govdesk_require_sysadmin();
  v_user := govdesk_account_target(p_username);
  UPDATE users SET is_active = false, version = version + 1 WHERE id = v_user.id;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username) THEN
    EXECUTE format('DROP ROLE %I', p_username);
  END IF;
  PERFORM govdesk_audit_as(session_user::text, 'account_deactivated', 'user', p_username, true,
                           host(inet_client_addr()), NULL);
END $$;

-- Logins in this database's groups that have no active users row (e.g. made by hand): the
-- system and audit administrators are shown them.
CREATE OR REPLACE FUNCTION govdesk_account_anomalies()
RETURNS TABLE (rolname text, group_role text, reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.rolname::text, govdesk_group(g)::text,
         CASE WHEN u.id IS NULL THEN 'no users row'
              WHEN NOT u.is_active THEN 'deactivated user'
              ELSE 'users row says ' || u.role_code END
  FROM pg_roles r
  CROSS JOIN unnest(ARRAY['sysadmin', 'secadmin', 'auditor', 'data_admin', 'viewer']) g
  LEFT JOIN users u ON u.username = r.rolname
  WHERE EXISTS (SELECT 1 FROM govdesk_whoami() w WHERE w.role_code IN ('sysadmin', 'auditor'))
    AND pg_has_role(r.oid, govdesk_group(g), 'MEMBER')
    AND NOT r.rolsuper  -- a superuser "is a member" of every role without being granted it
    AND r.rolname NOT LIKE 'gd\_%%'
    AND (u.id IS NULL OR NOT u.is_active OR u.role_code <> g)
$$;

-- ---- the login gate ------------------------------------------------------------------------

-- True when p_username is a login of this database's groups the gate may act on.
CREATE OR REPLACE FUNCTION govdesk_gate_target(p_username text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM users u JOIN pg_roles r ON r.rolname = u.username
    WHERE u.username = p_username AND u.is_active AND NOT r.rolsuper
      AND r.oid <> (SELECT datdba FROM pg_database WHERE datname = current_database())
      AND pg_has_role(r.oid, govdesk_group(u.role_code::text), 'MEMBER'))
$$;

CREATE OR REPLACE FUNCTION govdesk_login_failed(p_username text, p_host text)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_user users;
  v_since timestamptz;
  v_reset timestamptz;
  v_failures integer;
  v_until timestamptz;
  v_name text := left(coalesce(p_username, ''), 63);
  v_host text := left(p_host, 255);
BEGIN
  -- one report at a time, so the limits below cannot be raced past
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_login_gate'));
  IF NOT govdesk_gate_target(v_name) THEN
    -- unknown names are evidence of guessing, but bounded: 30 rows a minute in all
    IF (SELECT count(*) FROM audit_events WHERE event_type = 'login_failed'
        AND ts > clock_timestamp() - interval '1 minute'
        AND username NOT IN (SELECT username FROM users)) < 30 THEN
      PERFORM govdesk_audit_as(v_name, 'login_failed', 'user', v_name, false, v_host,
                               '{"reason": "unknown user"}');
    END IF;
    RETURN NULL;
  END IF;
  SELECT * INTO v_user FROM users WHERE username = v_name;
  IF v_user.locked_until IS NOT NULL AND v_user.locked_until > clock_timestamp() THEN
    RETURN v_user.locked_until;  -- already locked: nothing more to count
  END IF;
  IF (SELECT count(*) FROM audit_events WHERE event_type = 'login_failed' AND username = v_name
      AND ts > clock_timestamp() - interval '1 minute') >= 20 THEN
    RETURN NULL;  -- at most 20 rows a minute for one account
  END IF;
  PERFORM govdesk_audit_as(v_name, 'login_failed', 'user', v_name, false, v_host,
                           '{"reason": "password"}');
  v_since := clock_timestamp()
             - make_interval(mins => govdesk_setting_int('security.lockout_window_minutes', 15));
  -- the count restarts at the user's own successful login or an unlock by the database
  SELECT max(ts) INTO v_reset FROM audit_events
   WHERE object_id = v_name AND success
     AND ((event_type = 'login' AND username = v_name) OR event_type = 'account_unlocked');
  IF v_reset IS NOT NULL AND v_reset > v_since THEN
    v_since := v_reset;
  END IF;
  SELECT count(*) INTO v_failures FROM audit_events
   WHERE username = v_name AND event_type = 'login_failed' AND ts > v_since;
  IF v_failures < govdesk_setting_int('security.lockout_attempts', 5) THEN
    RETURN NULL;
  END IF;
  IF v_user.role_code = 'sysadmin' AND govdesk_active_sysadmins(v_name) = 0 THEN
    PERFORM govdesk_audit_as(v_name, 'account_lock_refused', 'user', v_name, true, v_host,
        json_build_object('failures', v_failures,
                          'reason', 'last unlocked system administrator')::text);
    RETURN NULL;
  END IF;
  v_until := clock_timestamp()
             + make_interval(mins => govdesk_setting_int('security.lockout_minutes', 30));
  UPDATE users SET locked_until = v_until WHERE id = v_user.id;
  EXECUTE format('ALTER ROLE %I NOLOGIN', v_name);
  PERFORM govdesk_audit_as(v_name, 'account_locked', 'user', v_name, true, v_host,
                           json_build_object('failures', v_failures, 'until', v_until)::text);
  RETURN v_until;
END $$;

CREATE OR REPLACE FUNCTION govdesk_login_status(p_username text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_until timestamptz;
BEGIN
  IF NOT govdesk_gate_target(p_username) THEN
    RETURN NULL;
  END IF;
  SELECT locked_until INTO v_until FROM users WHERE username = p_username;
  IF v_until IS NOT NULL AND v_until <= clock_timestamp() THEN
    UPDATE users SET locked_until = NULL WHERE username = p_username;
    EXECUTE format('ALTER ROLE %I LOGIN', p_username);
    PERFORM govdesk_audit_as(p_username, 'account_unlocked', 'user', p_username, true, NULL,
                             '{"reason": "lock expired"}');
    RETURN NULL;
  END IF;
  RETURN v_until;
END $$;

-- ---- access events ---------------------------------------------------------------------------

-- A GovDesk login's access event carries the session's user, role, organisation and the server
-- clock, whatever the client sent; only the owner (demo loader, log import) writes others.
CREATE OR REPLACE FUNCTION govdesk_access_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
BEGIN
  SELECT * INTO w FROM govdesk_whoami();
  IF w.username IS NULL THEN
    IF govdesk_is_owner() THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'only GovDesk users of this database record access events'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.username := w.username;
  NEW.role_code := w.role_code;
  NEW.organisation_id := w.organisation_id;
  NEW.ts := clock_timestamp();
  NEW.client_host := coalesce(left(NEW.client_host, 255), host(inet_client_addr()));
  RETURN NEW;
END $$;
"""

DEFINER_FUNCTIONS = {
    # owned by <prefix>_audit
    "audit": ("govdesk_audit_as(text, text, text, text, boolean, text, text)",
              "govdesk_audit(text, text, text, boolean, text, text)",
              "govdesk_audit_archive(bigint, text, text)"),
    # owned by <prefix>_accounts
    "accounts": ("govdesk_account_target(text)", "govdesk_require_sysadmin()",
                 "govdesk_active_sysadmins(text)",
                 "govdesk_account_create(text, text, text, text, integer, text)",
                 "govdesk_account_update(text, text, text, integer, text, boolean, boolean)",
                 "govdesk_account_set_password(text, text)", "govdesk_account_lock(text)",
                 "govdesk_account_unlock(text)", "govdesk_account_deactivate(text)",
                 "govdesk_gate_target(text)", "govdesk_login_failed(text, text)",
                 "govdesk_login_status(text)"),
}


def _pg_upgrade() -> None:
    bind = op.get_bind()
    me = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = _prefix(bind)
    op.execute("CREATE TABLE govdesk_instance (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
               "prefix text NOT NULL)")
    op.execute(sa.text("INSERT INTO govdesk_instance (prefix) VALUES (:p)").bindparams(p=prefix))
    op.execute("REVOKE ALL ON govdesk_instance FROM PUBLIC")
    g = {role: f"{prefix}_{role}" for role in ROLES}
    accounts, audit_owner = f"{prefix}_accounts", f"{prefix}_audit"
    for name in g.values():
        op.execute(f'CREATE ROLE "{name}" NOLOGIN NOINHERIT')
    op.execute(f'CREATE ROLE "{accounts}" NOLOGIN CREATEROLE NOINHERIT')
    op.execute(f'CREATE ROLE "{audit_owner}" NOLOGIN NOINHERIT')

    # move every privilege and policy of the server-wide groups to this database's
    op.execute("CREATE TEMP TABLE role_map (code text, old text, old_oid oid, new text) "
               "ON COMMIT DROP")
    for role in ROLES:
        op.execute(sa.text(
            "INSERT INTO pg_temp.role_map SELECT :code, rolname, oid, :new FROM pg_roles "
            "WHERE rolname = :old").bindparams(code=role, old=f"govdesk_{role}", new=g[role]))
    op.execute(TRANSFER)

    dbname = bind.execute(sa.text("SELECT current_database()")).scalar_one()
    op.execute(f'REVOKE ALL ON DATABASE "{dbname}" FROM PUBLIC')
    op.execute(f'GRANT CONNECT ON DATABASE "{dbname}" TO '
               + ", ".join(f'"{n}"' for n in g.values()))
    op.execute(f'GRANT CONNECT ON DATABASE "{dbname}" TO govdesk_gate')

    op.add_column("access_events", sa.Column("role_code", sa.String(length=20), nullable=True))
    op.execute(FUNCTIONS.replace("%(client_events)s",
                                 "ARRAY[" + ", ".join(f"'{e}'" for e in CLIENT_EVENTS) + "]")
               .replace("%%", "%"))

    # users: read-only to every group; written by the account and gate functions only
    op.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON users FROM PUBLIC, "
               + ", ".join(f'"{n}"' for n in g.values()))
    op.execute(f'GRANT SELECT, INSERT, UPDATE ON users TO "{accounts}"')
    op.execute(f'GRANT SELECT ON users, settings, govdesk_instance, roles, regions, '
               f'organisations TO "{accounts}", "{audit_owner}"')
    op.execute(f'GRANT USAGE, SELECT ON SEQUENCE users_id_seq TO "{accounts}"')

    # ownership: audit tables and writers to <prefix>_audit, accounts and gate to _accounts
    for role in (accounts, audit_owner):
        op.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{role}"')
        op.execute(f'GRANT "{role}" TO "{me}"')
    op.execute(f'ALTER TABLE audit_events OWNER TO "{audit_owner}"')
    op.execute(f'ALTER TABLE audit_anchors OWNER TO "{audit_owner}"')
    for owner, fns in (("audit", DEFINER_FUNCTIONS["audit"]),
                       ("accounts", DEFINER_FUNCTIONS["accounts"])):
        for fn in fns:
            op.execute(f'ALTER FUNCTION {fn} OWNER TO "{prefix}_{owner}"')

    # who may call what
    every = ", ".join(f'"{n}"' for n in g.values())
    owner = bind.execute(sa.text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                                 "WHERE datname = current_database()")).scalar_one()
    me = f'{me}", "{owner}' if owner != me else me
    public_fns = ("govdesk_group(text)", "govdesk_is_owner()", "govdesk_whoami()",
                  "govdesk_scope_prefix()", "govdesk_account_anomalies()")
    for fn in (*DEFINER_FUNCTIONS["audit"], *DEFINER_FUNCTIONS["accounts"], *public_fns,
               "govdesk_access_stamp()", "govdesk_audit_changes()"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in public_fns:
        op.execute(f'GRANT EXECUTE ON FUNCTION {fn} TO {every}, "{accounts}", "{audit_owner}"')
    op.execute(f"GRANT EXECUTE ON FUNCTION govdesk_audit(text, text, text, boolean, text, text) "
               f'TO {every}, "{me}"')
    op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_audit_as(text, text, text, text, boolean, '
               f'text, text) TO "{accounts}", "{me}"')
    # the owner (installer, demo loader) reads the trail it cannot change, like a superuser
    op.execute(f'GRANT SELECT ON audit_events, audit_anchors TO "{me}", "{accounts}"')
    op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_audit_archive(bigint, text, text) '
               f'TO "{g["auditor"]}"')
    op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_setting_int(text, integer) TO "{accounts}"')
    for fn in DEFINER_FUNCTIONS["accounts"]:
        if fn.startswith("govdesk_account_"):
            op.execute(f'GRANT EXECUTE ON FUNCTION {fn} TO "{g["sysadmin"]}", "{me}"')
    op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_active_sysadmins(text), '
               f'govdesk_require_sysadmin() TO "{accounts}"')
    op.execute("GRANT EXECUTE ON FUNCTION govdesk_login_failed(text, text), "
               "govdesk_login_status(text) TO govdesk_gate")
    op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_account_anomalies() TO "{g["sysadmin"]}", '
               f'"{g["auditor"]}"')

    op.execute("CREATE TRIGGER access_events_stamp BEFORE INSERT ON access_events "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_access_stamp()")
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    for role in (accounts, audit_owner):
        op.execute(f'REVOKE CREATE ON SCHEMA public FROM "{role}"')
        op.execute(f'REVOKE "{role}" FROM "{runner}"')

    # the server-wide groups are dropped once no GovDesk database on the server uses them
    for role in ROLES:
        op.execute(f"""
            DO $$ BEGIN
              DROP ROLE IF EXISTS govdesk_{role};
            EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
              NULL;
            END $$""")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table("access_events") as batch:
            batch.add_column(sa.Column("role_code", sa.String(length=20), nullable=True))
        return
    _pg_upgrade()


def downgrade() -> None:
    raise NotImplementedError(
        "0016 moves privileges to per-database roles and drops the server-wide ones; restore "
        "a backup taken before the upgrade to go back.")
