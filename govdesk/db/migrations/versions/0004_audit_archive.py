"""audit archiving: anchors, and on PostgreSQL a retention rule the database enforces

Audit rows may leave the table only through ``govdesk_audit_archive`` (audit administrators),
only when older than the retention setting and never younger than 180 days, and only after an
anchor records the hash the chain continues from. The immutability trigger enforces the age
rule for everyone, the table owner included.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("govdesk_sysadmin", "govdesk_secadmin", "govdesk_auditor", "govdesk_data_admin",
          "govdesk_viewer")

PG_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION govdesk_audit_retention_days() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT greatest(180, coalesce((SELECT value::integer FROM settings
                                 WHERE key = 'security.audit_retention_days'), 180))
$$;

CREATE OR REPLACE FUNCTION govdesk_audit_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('govdesk.audit_archiving', true) = 'on' THEN
    IF OLD.ts >= now() - make_interval(days => govdesk_audit_retention_days()) THEN
      RAISE EXCEPTION 'audit record % is younger than the retention period and cannot be archived',
        OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit records cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

-- After an archive emptied the table, the chain continues from the newest anchor.
CREATE OR REPLACE FUNCTION govdesk_audit(p_event text, p_object_type text, p_object_id text,
    p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ts timestamptz := clock_timestamp();
  v_user text := session_user;
  v_role text;
  v_prev text;
  v_hash text;
  v_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_audit_chain'));
  SELECT u.role_code INTO v_role FROM users u WHERE u.username = v_user;
  SELECT a.row_hash INTO v_prev FROM audit_events a ORDER BY a.id DESC LIMIT 1;
  IF v_prev IS NULL THEN
    SELECT x.last_hash INTO v_prev FROM audit_anchors x ORDER BY x.archived_through_id DESC LIMIT 1;
  END IF;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || E'\n' || concat_ws(chr(31),
      to_char(v_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), v_user,
      coalesce(v_role, ''), p_event, coalesce(p_object_type, ''), coalesce(p_object_id, ''),
      CASE WHEN p_success THEN '1' ELSE '0' END, coalesce(p_client_host, ''),
      coalesce(p_detail, '')), 'UTF8')), 'hex');
  INSERT INTO audit_events (ts, username, role_code, event_type, object_type, object_id,
                            success, client_host, detail, prev_hash, row_hash)
  VALUES (v_ts, v_user, v_role, p_event, p_object_type, p_object_id, p_success,
          p_client_host, p_detail, v_prev, v_hash)
  RETURNING id INTO v_id;
  RETURN v_id;
END $$;

CREATE OR REPLACE FUNCTION govdesk_audit_archive(p_through_id bigint, p_file text, p_sha text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_last text;
  v_rows integer;
BEGIN
  IF NOT pg_has_role(session_user, 'govdesk_auditor', 'MEMBER') THEN
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
  PERFORM govdesk_audit('audit_archive', 'audit_events', p_through_id::text, true, NULL,
                        json_build_object('rows', v_rows, 'file', p_file, 'sha256', p_sha)::text);
  RETURN v_rows;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archived_through_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_by", sa.String(length=63), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
        sa.UniqueConstraint("archived_through_id", name=op.f("uq_audit_anchors_archived_through_id")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PG_FUNCTIONS)
    op.execute("REVOKE ALL ON FUNCTION govdesk_audit_archive(bigint, text, text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION govdesk_audit_archive(bigint, text, text) "
               "TO govdesk_auditor")
    op.execute("GRANT SELECT ON audit_anchors TO govdesk_auditor, govdesk_secadmin")
    op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_anchors FROM PUBLIC, "
               f"{', '.join(GROUPS)}")
    op.execute("CREATE TRIGGER audit_anchors_immutable BEFORE UPDATE OR DELETE ON audit_anchors "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_audit_immutable()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_anchors_immutable ON audit_anchors")
        op.execute("DROP FUNCTION IF EXISTS govdesk_audit_archive(bigint, text, text)")
        op.execute("DROP FUNCTION IF EXISTS govdesk_audit_retention_days()")
    op.drop_table("audit_anchors")
