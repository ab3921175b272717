"""the audit chain is extended at commit: writers no longer queue behind each other

Until 0016 every audit row (and so every audited write) took the one advisory lock that guards
the hash chain at its first audit row and held it until commit: an unrelated save waited behind a
whole import, and two imports deadlocked (a row lock against the chain lock). From here on, on
PostgreSQL (nothing changes on SQLite):

* ``govdesk_audit_as`` only stamps the event (time, user, role) and queues it in
  ``audit_pending``, which is owned by ``<prefix>_audit`` like the trail itself and nobody else
  may read or write.
* A ``DEFERRABLE INITIALLY DEFERRED`` constraint trigger on ``audit_pending`` fires once per
  transaction, at commit: it takes the chain lock, moves the transaction's queued rows into
  ``audit_events`` in the order they were written, computing ``prev_hash``/``row_hash`` exactly
  as before (same canonical text, over the time stamp that is stored), and moves the chain head.
  The lock is held only for the last instant of the transaction, after it took every row lock
  it needed, so it can no longer close a deadlock.
* ``audit_events`` ids are the chain order, which is commit order; ``ts`` stays the time of the
  event, so a long transaction's rows carry earlier times than rows committed before them.
* ``audit_chain_head`` holds the last chained row's id and hash. Chaining from it rather than
  from the newest surviving row means rows cut off the end of the trail break the chain at the
  next row, and a REPEATABLE READ or SERIALIZABLE transaction whose snapshot predates the head
  fails with a serialization error instead of forking the chain.
* Readers that count rows their own transaction just wrote (the login gate) read
  ``audit_events_seen``: the trail plus this transaction's queued rows.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = r"""
-- The events of transactions still running, each in the transaction that wrote it (uncommitted
-- rows are seen by nobody else; at commit the trigger below empties them into audit_events).
-- UNLOGGED: a queued row never outlives its transaction, so there is nothing to recover.
CREATE UNLOGGED TABLE audit_pending (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  xact bigint NOT NULL,  -- txid_current(): the top-level transaction, in savepoints too
  first_in_xact boolean NOT NULL,
  ts timestamptz NOT NULL,
  username varchar(63) NOT NULL,
  role_code varchar(20),
  event_type varchar(40) NOT NULL,
  object_type varchar(40),
  object_id varchar(100),
  success boolean NOT NULL,
  client_host varchar(255),
  detail text
);
CREATE INDEX ix_audit_pending_xact ON audit_pending (xact, seq);

-- The newest row of the chain (the anchor's hash, or the genesis hash, when there is none).
CREATE TABLE audit_chain_head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  last_id bigint NOT NULL,
  last_hash varchar(64) NOT NULL
);
INSERT INTO audit_chain_head (last_id, last_hash)
SELECT coalesce((SELECT max(id) FROM audit_events),
                (SELECT max(archived_through_id) FROM audit_anchors), 0),
       coalesce((SELECT row_hash FROM audit_events ORDER BY id DESC LIMIT 1),
                (SELECT last_hash FROM audit_anchors ORDER BY archived_through_id DESC LIMIT 1),
                repeat('0', 64));

-- What a check made inside a transaction must count: the trail and this transaction's queue.
CREATE VIEW audit_events_seen AS
  SELECT id, ts, username, role_code, event_type, object_type, object_id, success, client_host,
         detail
  FROM audit_events
  UNION ALL
  SELECT NULL::bigint, ts, username, role_code, event_type, object_type, object_id, success,
         client_host, detail
  FROM audit_pending WHERE xact = txid_current_if_assigned();
"""

FUNCTIONS = r"""
-- SHA-256 over the previous hash, a newline and the canonical text of a row: the same as
-- govdesk.security.audit.chain_hash(prev, canonical(...)).
CREATE OR REPLACE FUNCTION govdesk_audit_row_hash(p_prev text, p_ts timestamptz, p_user text,
    p_role text, p_event text, p_object_type text, p_object_id text, p_success boolean,
    p_client_host text, p_detail text) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT encode(sha256(convert_to(p_prev || E'\n' || concat_ws(chr(31),
      to_char(p_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_user,
      coalesce(p_role, ''), p_event, coalesce(p_object_type, ''), coalesce(p_object_id, ''),
      CASE WHEN p_success THEN '1' ELSE '0' END, coalesce(p_client_host, ''),
      coalesce(p_detail, '')), 'UTF8')), 'hex')
$$;

-- The audit writer, for a named user. Only definer functions call it (never a client). The
-- event is stamped now and chained when the transaction commits; returns its place in the
-- transaction's queue (the audit_events id is known only at commit).
CREATE OR REPLACE FUNCTION govdesk_audit_as(p_user text, p_event text, p_object_type text,
    p_object_id text, p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ts timestamptz := clock_timestamp();
  v_xact bigint := txid_current();
  v_role text;
  v_seq bigint;
BEGIN
  SELECT u.role_code INTO v_role FROM users u WHERE u.username = p_user;
  -- the first queued row of the transaction carries the commit trigger; a row queued in a
  -- savepoint that was rolled back took its trigger event with it, so the next row carries it
  INSERT INTO audit_pending (xact, first_in_xact, ts, username, role_code, event_type,
                             object_type, object_id, success, client_host, detail)
  VALUES (v_xact, NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.xact = v_xact), v_ts, p_user,
          v_role, p_event, p_object_type, p_object_id, p_success, p_client_host, p_detail)
  RETURNING seq INTO v_seq;
  RETURN v_seq;
END $$;

-- At commit (or at SET CONSTRAINTS ... IMMEDIATE): this transaction's queued rows join the chain
-- under the chain lock, in the order they were written. The head row is locked too: in
-- REPEATABLE READ or SERIALIZABLE a snapshot older than the head fails here rather than forking.
CREATE OR REPLACE FUNCTION govdesk_audit_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_xact bigint := txid_current();
  v_last_id bigint;
  v_prev text;
  v_tail_id bigint;
  v_tail_hash text;
  v_hash text;
  v_id bigint;
  r record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.xact = v_xact) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_audit_chain'));
  SELECT h.last_id, h.last_hash INTO v_last_id, v_prev FROM audit_chain_head h FOR UPDATE;
  -- a row appended by a pre-0017 writer that was waiting for the chain lock while this design
  -- was installed: chain after it (rows missing from the end are NOT skipped this way)
  SELECT a.id, a.row_hash INTO v_tail_id, v_tail_hash
  FROM audit_events a ORDER BY a.id DESC LIMIT 1;
  IF v_tail_id > v_last_id THEN
    v_prev := v_tail_hash;
  END IF;
  FOR r IN SELECT * FROM audit_pending p WHERE p.xact = v_xact ORDER BY p.seq LOOP
    v_hash := govdesk_audit_row_hash(v_prev, r.ts, r.username, r.role_code, r.event_type,
                                     r.object_type, r.object_id, r.success, r.client_host,
                                     r.detail);
    INSERT INTO audit_events (ts, username, role_code, event_type, object_type, object_id,
                              success, client_host, detail, prev_hash, row_hash)
    VALUES (r.ts, r.username, r.role_code, r.event_type, r.object_type, r.object_id, r.success,
            r.client_host, r.detail, v_prev, v_hash)
    RETURNING id INTO v_id;
    v_prev := v_hash;
  END LOOP;
  DELETE FROM audit_pending p WHERE p.xact = v_xact;
  UPDATE audit_chain_head SET last_id = v_id, last_hash = v_prev;
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
  -- no transaction extends the chain while rows leave it
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_audit_chain'));
  PERFORM 1 FROM audit_chain_head FOR UPDATE;
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
                           json_build_object('rows', v_rows, 'file', p_file,
                                             'sha256', p_sha)::text);
  RETURN v_rows;
END $$;

-- As in 0016, but the counts read audit_events_seen: the rows this very transaction queued
-- (a failure just reported, or 500 reported in one statement) count at once.
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
    IF (SELECT count(*) FROM audit_events_seen WHERE event_type = 'login_failed'
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
  IF (SELECT count(*) FROM audit_events_seen WHERE event_type = 'login_failed'
      AND username = v_name AND ts > clock_timestamp() - interval '1 minute') >= 20 THEN
    RETURN NULL;  -- at most 20 rows a minute for one account
  END IF;
  PERFORM govdesk_audit_as(v_name, 'login_failed', 'user', v_name, false, v_host,
                           '{"reason": "password"}');
  v_since := clock_timestamp()
             - make_interval(mins => govdesk_setting_int('security.lockout_window_minutes', 15));
  -- the count restarts at the user's own successful login or an unlock by the database
  SELECT max(ts) INTO v_reset FROM audit_events_seen
   WHERE object_id = v_name AND success
     AND ((event_type = 'login' AND username = v_name) OR event_type = 'account_unlocked');
  IF v_reset IS NOT NULL AND v_reset > v_since THEN
    v_since := v_reset;
  END IF;
  SELECT count(*) INTO v_failures FROM audit_events_seen
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
"""

#: functions this migration creates, owned by <prefix>_audit and executable by nobody else
NEW_AUDIT_FUNCTIONS = (
    "govdesk_audit_row_hash(text, timestamptz, text, text, text, text, text, boolean, text, text)",
    "govdesk_audit_commit()",
)


def _pg_upgrade() -> None:
    bind = op.get_bind()
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = bind.execute(sa.text("SELECT prefix FROM govdesk_instance")).scalar_one()
    audit_owner, accounts = f"{prefix}_audit", f"{prefix}_accounts"

    # no audit row is written while the chain moves to its new writer (writers of 0016 wait)
    op.execute("SELECT pg_advisory_xact_lock(hashtext('govdesk_audit_chain'))")
    # the runner acts as the owners for the time of the migration (as in 0016)
    for role in (audit_owner, accounts):
        op.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{role}"')
        op.execute(f'GRANT "{role}" TO "{runner}"')

    op.execute(TABLES)
    op.execute(FUNCTIONS)
    op.execute("CREATE CONSTRAINT TRIGGER audit_pending_commit AFTER INSERT ON audit_pending "
               "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.first_in_xact) "
               "EXECUTE FUNCTION govdesk_audit_commit()")

    for kind, name in (("TABLE", "audit_pending"), ("TABLE", "audit_chain_head"),
                       ("VIEW", "audit_events_seen")):
        op.execute(f"REVOKE ALL ON {name} FROM PUBLIC")
        op.execute(f'ALTER {kind} {name} OWNER TO "{audit_owner}"')
    for fn in NEW_AUDIT_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(f'ALTER FUNCTION {fn} OWNER TO "{audit_owner}"')
    # the login gate (owned by <prefix>_accounts) counts what its own transaction reported
    op.execute(f'GRANT SELECT ON audit_events_seen TO "{accounts}"')

    for role in (audit_owner, accounts):
        op.execute(f'REVOKE CREATE ON SCHEMA public FROM "{role}"')
        op.execute(f'REVOKE "{role}" FROM "{runner}"')


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    raise NotImplementedError(
        "0017 changes how the audit chain is written; restore a backup taken before the upgrade "
        "to go back.")
