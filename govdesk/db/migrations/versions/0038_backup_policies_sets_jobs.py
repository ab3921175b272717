"""backup and disaster recovery: policies with method, retention, targets and encryption; the
catalogue of backup sets and the job history

Both databases (issue 16, ``govdesk/backup/``):

* ``backup_policies`` gains ``source`` (``postgresql``: the central database, ``sqlite``: the
  embedded file), ``method`` (``pg_dump``, ``pg_dump_dir``, ``sqlite``, ``pgbackrest``; the demo
  rows' ``wal`` policy becomes ``pgbackrest``), retention (``keep_last``/``keep_daily``/
  ``keep_weekly``/``keep_monthly``/``keep_yearly``, ``min_copies``), ``offsite_targets`` (a JSON
  list of directories), ``encrypted`` (on by default) and ``key_id`` (the key's fingerprint:
  the key itself lives in the OS keyring or a key file, never here);
* ``backup_sets``: one row per finished backup (directory label, size, key id, manifest hash,
  verification and restore drill with its measured time, the achieved RTO, legal hold);
* ``backup_jobs``: start, end, size, result and error of every run, verification, drill,
  restore and prune.

PostgreSQL: system administrators read and write the three tables (they run backups), security
administrators read them (compliance and health); nobody else sees them. ``govdesk_audit``
accepts the backup events clients report (``backup_policy``, ``backup_run``, ``backup_verify``,
``backup_restore``, ``backup_prune``); the rest of 0024's function is unchanged.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

POLICY_COLUMNS = (
    ("source", sa.String(20), "postgresql"),
    ("method", sa.String(20), "pg_dump"),
    ("keep_last", sa.Integer(), "7"),
    ("keep_daily", sa.Integer(), "7"),
    ("keep_weekly", sa.Integer(), "4"),
    ("keep_monthly", sa.Integer(), "12"),
    ("keep_yearly", sa.Integer(), "0"),
    ("min_copies", sa.Integer(), "3"),
    ("encrypted", sa.Boolean(), "1"),
)

#: 0024's client events, and the backup events from now on
CLIENT_EVENTS_0024 = ("login", "session_locked", "data_change", "export", "unmask",
                      "permission_change", "audit_export", "audit_verify", "audit_anchor",
                      "settings_change", "permission_denied", "action_failed")
BACKUP_EVENTS = ("backup_policy", "backup_run", "backup_verify", "backup_restore",
                 "backup_prune")

#: 0024's govdesk_audit (frozen copy) with the event list as a parameter
AUDIT = r"""
CREATE OR REPLACE FUNCTION govdesk_audit(p_event text, p_object_type text, p_object_id text,
    p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT (EXISTS (SELECT 1 FROM govdesk_whoami()) OR govdesk_is_owner()) THEN
    RAISE EXCEPTION 'only GovDesk users of this database write its audit trail'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event IS NULL OR NOT p_event = ANY (@EVENTS@) THEN
    RAISE EXCEPTION 'audit event type % is written only by the database itself', p_event
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event = 'login' AND (p_object_id IS DISTINCT FROM session_user::text
                            OR p_object_type IS DISTINCT FROM 'user' OR NOT p_success) THEN
    RAISE EXCEPTION 'a login is reported only by the user who logged in'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event = ANY (ARRAY['permission_denied', 'action_failed'])
     AND p_success IS DISTINCT FROM false THEN
    RAISE EXCEPTION 'event % records a failure: success must be false', p_event
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN govdesk_audit_as(session_user::text, p_event, p_object_type, left(p_object_id, 100),
                          p_success, left(p_client_host, 255), p_detail);
END $$;
"""


def _audit_function(events: tuple[str, ...]) -> str:
    return AUDIT.replace("@EVENTS@", "ARRAY[" + ", ".join(f"'{e}'" for e in events) + "]")


def _as_audit_owner(sql: str) -> None:
    """Run ``sql`` as a member of ``<prefix>_audit`` (owner of the audit functions, 0016), for
    this statement only (as 0017 and 0024 do)."""
    bind = op.get_bind()
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = bind.execute(sa.text("SELECT prefix FROM govdesk_instance")).scalar_one()
    audit_owner = f"{prefix}_audit"
    op.execute("SELECT pg_advisory_xact_lock(hashtext('govdesk_audit_chain'))")
    op.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{audit_owner}"')
    op.execute(f'GRANT "{audit_owner}" TO "{runner}"')
    op.execute(sql)
    op.execute(f'REVOKE CREATE ON SCHEMA public FROM "{audit_owner}"')
    op.execute(f'REVOKE "{audit_owner}" FROM "{runner}"')


def _tables() -> None:
    op.create_table(
        "backup_sets",
        sa.Column("id", BigIntPK, nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("offsite_copies", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("schema_revision", sa.String(40), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("drill_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("drill_seconds", sa.Float(), nullable=True),
        sa.Column("legal_hold", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('complete', 'verified', 'verify_failed', 'pruned')",
                           name="ck_backup_sets_backup_status"),
        sa.ForeignKeyConstraint(["policy_id"], ["backup_policies.id"], ondelete="SET NULL",
                                name="fk_backup_sets_policy_id_backup_policies"),
        sa.PrimaryKeyConstraint("id", name="pk_backup_sets"),
        sa.UniqueConstraint("label", name="uq_backup_sets_label"),
    )
    op.create_index("ix_backup_sets_policy_id", "backup_sets", ["policy_id"])
    op.create_table(
        "backup_jobs",
        sa.Column("id", BigIntPK, nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("backup_id", BigIntPK, nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("username", sa.String(63), nullable=False),
        sa.Column("host", sa.String(255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('run', 'verify', 'drill', 'restore', 'prune')",
                           name="ck_backup_jobs_backup_job_kind"),
        sa.CheckConstraint("result IN ('running', 'ok', 'failed', 'cancelled', 'interrupted')",
                           name="ck_backup_jobs_backup_job_result"),
        sa.ForeignKeyConstraint(["policy_id"], ["backup_policies.id"], ondelete="SET NULL",
                                name="fk_backup_jobs_policy_id_backup_policies"),
        sa.ForeignKeyConstraint(["backup_id"], ["backup_sets.id"], ondelete="SET NULL",
                                name="fk_backup_jobs_backup_id_backup_sets"),
        sa.PrimaryKeyConstraint("id", name="pk_backup_jobs"),
    )
    op.create_index("ix_backup_jobs_policy_id", "backup_jobs", ["policy_id"])
    op.create_index("ix_backup_jobs_backup_id", "backup_jobs", ["backup_id"])


def _pg_upgrade() -> None:
    bind = op.get_bind()
    group = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
             for role in ("sysadmin", "secadmin")}
    sysadmin, secadmin = f'"{group["sysadmin"]}"', f'"{group["secadmin"]}"'
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON backup_sets, backup_jobs TO {sysadmin}")
    op.execute("GRANT USAGE, SELECT ON SEQUENCE backup_sets_id_seq, backup_jobs_id_seq "
               f"TO {sysadmin}")
    op.execute(f"GRANT SELECT ON backup_sets, backup_jobs TO {secadmin}")
    _as_audit_owner(_audit_function(CLIENT_EVENTS_0024 + BACKUP_EVENTS))


def upgrade() -> None:
    with op.batch_alter_table("backup_policies") as batch:
        for name, type_, default in POLICY_COLUMNS:
            batch.add_column(sa.Column(name, type_, server_default=default, nullable=False))
        batch.add_column(sa.Column("offsite_targets", sa.Text(), nullable=True))
        batch.add_column(sa.Column("key_id", sa.String(64), nullable=True))
    policies = sa.table("backup_policies", sa.column("method"), sa.column("backup_type"))
    op.execute(policies.update().where(policies.c.backup_type == "wal")
               .values(method="pgbackrest"))
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _as_audit_owner(_audit_function(CLIENT_EVENTS_0024))
    op.drop_table("backup_jobs")
    op.drop_table("backup_sets")
    with op.batch_alter_table("backup_policies") as batch:
        for name in [c[0] for c in POLICY_COLUMNS] + ["offsite_targets", "key_id"]:
            batch.drop_column(name)
