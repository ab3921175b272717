"""login gate: server-side lockout after failed PostgreSQL logins

A wrong password fails inside PostgreSQL's own authentication, before any GovDesk code runs as
that user, so the failure has to be reported by someone else: the login role ``govdesk_gate``,
which may do nothing but call two functions. ``govdesk_login_failed`` records the failure in the
audit trail and, after the configured number of failures in the window, locks the account
(``users.locked_until`` and NOLOGIN on the login role); ``govdesk_login_status`` says whether an
account is locked and lifts an expired automatic lock. IT decides how the gate authenticates in
pg_hba.conf (e.g. ``host govdesk govdesk_gate samenet scram-sha-256`` with a password handed to
clients as GOVDESK_GATE_PASSWORD). Functions touch only accounts listed in ``users``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = r"""
-- The audit writer behind govdesk_audit(), for a named user (only other definer functions call it).
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

CREATE OR REPLACE FUNCTION govdesk_audit(p_event text, p_object_type text, p_object_id text,
    p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT govdesk_audit_as(session_user::text, p_event, p_object_type, p_object_id, p_success,
                          p_client_host, p_detail)
$$;

CREATE OR REPLACE FUNCTION govdesk_setting_int(p_key text, p_default integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce((SELECT CASE WHEN value ~ '^[0-9]+$' THEN value::integer END
                   FROM settings WHERE key = p_key), p_default)
$$;

CREATE OR REPLACE FUNCTION govdesk_login_failed(p_username text, p_host text)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_id integer;
  v_since timestamptz;
  v_reset timestamptz;
  v_failures integer;
  v_until timestamptz;
BEGIN
  SELECT id INTO v_id FROM users WHERE username = p_username AND is_active;
  PERFORM govdesk_audit_as(p_username, 'login_failed', 'user', p_username, false, p_host,
                           '{"reason": "password"}');
  IF v_id IS NULL THEN
    RETURN NULL;
  END IF;
  v_since := clock_timestamp()
             - make_interval(mins => govdesk_setting_int('security.lockout_window_minutes', 15));
  SELECT max(ts) INTO v_reset FROM audit_events
   WHERE object_id = p_username AND success
     AND event_type IN ('login', 'account_unlocked');
  IF v_reset IS NOT NULL AND v_reset > v_since THEN
    v_since := v_reset;
  END IF;
  SELECT count(*) INTO v_failures FROM audit_events
   WHERE object_id = p_username AND event_type = 'login_failed' AND ts > v_since;
  IF v_failures < govdesk_setting_int('security.lockout_attempts', 5) THEN
    RETURN NULL;
  END IF;
  v_until := clock_timestamp()
             + make_interval(mins => govdesk_setting_int('security.lockout_minutes', 30));
  UPDATE users SET locked_until = v_until WHERE id = v_id;
  EXECUTE format('ALTER ROLE %I NOLOGIN', p_username);
  PERFORM govdesk_audit_as(p_username, 'account_locked', 'user', p_username, true, p_host,
                           json_build_object('failures', v_failures, 'until', v_until)::text);
  RETURN v_until;
END $$;

CREATE OR REPLACE FUNCTION govdesk_login_status(p_username text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_until timestamptz;
BEGIN
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
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'govdesk_gate') THEN
            CREATE ROLE govdesk_gate LOGIN NOINHERIT;
          END IF;
        END $$""")
    dbname = op.get_bind().execute(sa.text("SELECT current_database()")).scalar_one()
    op.execute(f'GRANT CONNECT ON DATABASE "{dbname}" TO govdesk_gate')
    op.execute(FUNCTIONS)
    for fn in ("govdesk_audit_as(text, text, text, text, boolean, text, text)",
               "govdesk_setting_int(text, integer)",
               "govdesk_login_failed(text, text)", "govdesk_login_status(text)"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION govdesk_login_failed(text, text), "
               "govdesk_login_status(text) TO govdesk_gate")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for fn in ("govdesk_login_status(text)", "govdesk_login_failed(text, text)",
               "govdesk_setting_int(text, integer)"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
