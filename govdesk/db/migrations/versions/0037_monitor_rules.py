"""alert rules as data, their watermarks, alerts with a triage history, calendar corrections

Issue 15 (monitoring). ``monitor_rules`` holds one row per rule (code, kind, parameters as JSON,
severity, enabled, description), seeded with one rule of each kind; ``monitor_watermarks`` the
last ``access_events`` id each rule has evaluated; ``monitor_alerts`` the alerts, at most one
not closed per (rule, subject), folded while open or acknowledged; ``monitor_alert_events``
every change of an alert; ``monitor_calendar_days`` an administrator's corrections of the
official working calendar (a day off or a working day).

On PostgreSQL: security administrators write these tables (auditors read them; nobody else
sees them); the database enforces the alert workflow (a new alert is open; open ->
acknowledged -> closed, a close needs a disposition, a closed alert never changes, stamps and
the fields a run sets cannot be forged), writes the history and the audit rows
(``monitor_alert``, ``monitor_rule``) itself, and hands the evaluation the catalogue facts and
the grants it needs through two definer functions that only security administrators execute
(their own row-level security would hide other regions' resources and grants from them).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("after_hours", "volume_baseline", "denial_burst", "first_high_grade", "bulk_export",
         "no_active_grant", "new_host", "dormant_active")
SEVERITIES = ("low", "medium", "high")
STATES = ("open", "acknowledged", "closed")
DISPOSITIONS = ("true_positive", "benign", "false_positive")
DAY_KINDS = ("holiday", "workday")

#: the rules seeded (a frozen copy: govdesk.monitoring.kinds.DEFAULT_RULES at 0037)
RULES: tuple[tuple[str, str, dict[str, object], str, str], ...] = (
    ("after_hours", "after_hours", {"min_rank": 30, "work_start": "08:30", "work_end": "18:00"},
     "low", "非工作时间（周末、法定节假日、工作时间以外）访问三级及以上数据"),
    ("volume_baseline", "volume_baseline", {"factor": 3.0, "minimum": 200, "baseline_days": 30},
     "medium", "当日访问量超过本人前30天日均的3倍且不少于200次"),
    ("denial_burst", "denial_burst", {"count": 10, "minutes": 5}, "medium",
     "5分钟内被拒绝10次及以上"),
    ("first_high_grade", "first_high_grade", {"min_rank": 40}, "medium",
     "首次访问四级及以上的数据资源"),
    ("bulk_export", "bulk_export", {"rows": 5000}, "high", "单次导出或下载超过5000行"),
    ("no_active_grant", "no_active_grant", {}, "high",
     "访问其他区划的资源时没有生效的共享授权"),
    ("new_host", "new_host", {}, "low", "从此前未用过的主机登录或访问"),
    ("dormant_active", "dormant_active", {"days": 60}, "medium",
     "60天没有任何访问的账号重新活跃"),
)


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values))


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                      server_default=sa.func.now()),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                      server_default=sa.func.now())]


EVENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _schema() -> None:
    op.create_table(
        "monitor_rules",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("kind", _enum("monitor_rule_kind", KINDS), nullable=False),
        sa.Column("parameters", JSON_DOC, nullable=False),
        sa.Column("severity", _enum("monitor_severity", SEVERITIES), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(63), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("code", name="pk_monitor_rules"),
    )
    op.create_table(
        "monitor_watermarks",
        sa.Column("rule_code", sa.String(40), nullable=False),
        sa.Column("last_event_id", EVENT_ID, nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["rule_code"], ["monitor_rules.code"],
                                name="fk_monitor_watermarks_rule_code_monitor_rules"),
        sa.PrimaryKeyConstraint("rule_code", name="pk_monitor_watermarks"),
    )
    op.create_table(
        "monitor_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_code", sa.String(40), nullable=False),
        sa.Column("subject_key", sa.String(200), nullable=False),
        sa.Column("username", sa.String(63), nullable=True),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("severity", _enum("monitor_severity", SEVERITIES), nullable=False),
        sa.Column("state", _enum("monitor_alert_state", STATES), nullable=False),
        sa.Column("assignee", sa.String(63), nullable=True),
        sa.Column("disposition", _enum("monitor_disposition", DISPOSITIONS), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_id", EVENT_ID, nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("raised_by", sa.String(63), nullable=True),
        sa.Column("acknowledged_by", sa.String(63), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(63), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["rule_code"], ["monitor_rules.code"],
                                name="fk_monitor_alerts_rule_code_monitor_rules"),
        sa.PrimaryKeyConstraint("id", name="pk_monitor_alerts"),
    )
    op.create_index("uq_monitor_alerts_live_subject", "monitor_alerts",
                    ["rule_code", "subject_key"], unique=True,
                    sqlite_where=sa.text("state <> 'closed'"),
                    postgresql_where=sa.text("state <> 'closed'"))
    op.create_index("ix_monitor_alerts_state_last_seen", "monitor_alerts", ["state", "last_seen"])
    op.create_table(
        "monitor_alert_events",
        sa.Column("id", EVENT_ID, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=True),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(63), nullable=True),
        sa.Column("disposition", sa.String(20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(63), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["monitor_alerts.id"], ondelete="CASCADE",
                                name="fk_monitor_alert_events_alert_id_monitor_alerts"),
        sa.PrimaryKeyConstraint("id", name="pk_monitor_alert_events"),
    )
    op.create_index("ix_monitor_alert_events_alert_id", "monitor_alert_events", ["alert_id"])
    op.create_table(
        "monitor_calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", _enum("monitor_day_kind", DAY_KINDS), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(63), nullable=True),
        sa.PrimaryKeyConstraint("day", name="pk_monitor_calendar_days"),
    )
    rules = sa.table("monitor_rules", sa.column("code"), sa.column("kind"),
                     sa.column("parameters", JSON_DOC), sa.column("severity"),
                     sa.column("enabled"), sa.column("description"), sa.column("version"))
    op.bulk_insert(rules, [{"code": c, "kind": k, "parameters": p, "severity": s,
                            "enabled": True, "description": d, "version": 1}
                           for c, k, p, s, d in RULES])
    marks = sa.table("monitor_watermarks", sa.column("rule_code"), sa.column("last_event_id"))
    op.bulk_insert(marks, [{"rule_code": c, "last_event_id": 0} for c, *_ in RULES])


FUNCTIONS = r"""
-- The alert workflow (0037): only security administrators raise and change alerts; a new alert
-- is open and unstamped; open -> acknowledged -> closed (a close needs a disposition); a closed
-- alert never changes; who and when are the server's.
CREATE OR REPLACE FUNCTION govdesk_monitor_alert_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_role text;
  v_now timestamptz := clock_timestamp();
BEGIN
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role IS NULL AND govdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  IF v_role IS DISTINCT FROM 'secadmin' THEN
    RAISE EXCEPTION 'only security administrators raise or change monitoring alerts'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.state <> 'open' OR NEW.disposition IS NOT NULL THEN
      RAISE EXCEPTION 'a new monitoring alert is open, with no disposition'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.raised_by := session_user::text;
    NEW.acknowledged_by := NULL; NEW.acknowledged_at := NULL;
    NEW.closed_by := NULL; NEW.closed_at := NULL;
    NEW.created_at := v_now; NEW.updated_at := v_now;
    RETURN NEW;
  END IF;
  IF OLD.state = 'closed' THEN
    RAISE EXCEPTION 'monitoring alert % is closed and cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.id <> OLD.id OR NEW.rule_code <> OLD.rule_code OR NEW.subject_key <> OLD.subject_key
     OR NEW.first_seen > OLD.first_seen OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'the rule, subject and first sighting of monitoring alert % cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.raised_by := OLD.raised_by;
  NEW.acknowledged_by := OLD.acknowledged_by; NEW.acknowledged_at := OLD.acknowledged_at;
  NEW.closed_by := OLD.closed_by; NEW.closed_at := OLD.closed_at;
  NEW.updated_at := v_now;
  IF NEW.state = OLD.state THEN
    IF NEW.disposition IS DISTINCT FROM OLD.disposition THEN
      RAISE EXCEPTION 'a disposition is given when monitoring alert % is closed', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
  ELSIF OLD.state = 'open' AND NEW.state = 'acknowledged' THEN
    IF NEW.disposition IS NOT NULL THEN
      RAISE EXCEPTION 'a disposition is given when monitoring alert % is closed', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.acknowledged_by := session_user::text; NEW.acknowledged_at := v_now;
  ELSIF OLD.state = 'acknowledged' AND NEW.state = 'closed' THEN
    IF NEW.disposition IS NULL THEN
      RAISE EXCEPTION 'closing monitoring alert % needs a disposition', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.closed_by := session_user::text; NEW.closed_at := v_now;
  ELSE
    RAISE EXCEPTION 'a monitoring alert cannot go from % to %', OLD.state, NEW.state
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

-- Every raise and every change a person makes (state, assignee, note) into the history and
-- the audit trail; a fold by a run (count, last seen) is neither.
CREATE OR REPLACE FUNCTION govdesk_monitor_alert_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_from text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.state = OLD.state AND NEW.assignee IS NOT DISTINCT FROM OLD.assignee
       AND NEW.note IS NOT DISTINCT FROM OLD.note THEN
      RETURN NULL;
    END IF;
    v_from := OLD.state;
  END IF;
  INSERT INTO monitor_alert_events (alert_id, from_state, to_state, assignee, disposition, note,
                                    actor, at)
  VALUES (NEW.id, v_from, NEW.state, NEW.assignee, NEW.disposition,
          CASE WHEN TG_OP = 'UPDATE' AND NEW.note IS NOT DISTINCT FROM OLD.note THEN NULL
               ELSE NEW.note END,
          session_user::text, clock_timestamp());
  IF EXISTS (SELECT 1 FROM govdesk_whoami()) THEN
    PERFORM govdesk_audit_as(session_user::text, 'monitor_alert', 'monitor_alerts',
      NEW.id::text, true, host(inet_client_addr()),
      json_build_object('rule', NEW.rule_code, 'subject', NEW.subject_key, 'from', v_from,
                        'to', NEW.state, 'assignee', NEW.assignee,
                        'disposition', NEW.disposition)::text);
  END IF;
  RETURN NULL;
END $$;

-- A rule's code and kind are fixed; its parameters are a JSON object; the editor is stamped and
-- every change audited with the values before and after.
CREATE OR REPLACE FUNCTION govdesk_monitor_rule_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami()) AND govdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  IF NEW.code <> OLD.code OR NEW.kind <> OLD.kind THEN
    RAISE EXCEPTION 'the code and kind of monitoring rule % cannot change', OLD.code
      USING ERRCODE = 'check_violation';
  END IF;
  IF jsonb_typeof(NEW.parameters) <> 'object' THEN
    RAISE EXCEPTION 'the parameters of monitoring rule % must be a JSON object', OLD.code
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.updated_by := session_user::text;
  NEW.updated_at := clock_timestamp();
  PERFORM govdesk_audit_as(session_user::text, 'monitor_rule', 'monitor_rules', OLD.code, true,
    host(inet_client_addr()),
    json_build_object('before', json_build_object('parameters', OLD.parameters,
                        'severity', OLD.severity, 'enabled', OLD.enabled),
                      'after', json_build_object('parameters', NEW.parameters,
                        'severity', NEW.severity, 'enabled', NEW.enabled))::text);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION govdesk_monitor_day_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  NEW.updated_by := session_user::text;
  RETURN NEW;
END $$;

-- What the evaluation needs of every resource (a security administrator's own row-level
-- security shows only their region's): region, grade rank, status, sharing type.
CREATE OR REPLACE FUNCTION govdesk_monitor_resources()
RETURNS TABLE (id integer, region_code text, grade_rank integer, status text, sharing_type text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami() w WHERE w.role_code = 'secadmin') THEN
    RAISE EXCEPTION 'only security administrators evaluate monitoring rules'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT r.id, r.region_code::text, g.rank, r.status::text, r.sharing_type::text
    FROM data_resources r LEFT JOIN grades g ON g.id = r.grade_id;
END $$;

-- The grants on the resources ``p_ids`` (any state), for the "no active grant" rule.
CREATE OR REPLACE FUNCTION govdesk_monitor_grants(p_ids integer[])
RETURNS TABLE (id integer, resource_id integer, grantee_org_id integer,
               scope_region_prefix text, scope_org_kind text, scope_org_level integer,
               status text, valid_from date, valid_until date, ended_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM govdesk_whoami() w WHERE w.role_code = 'secadmin') THEN
    RAISE EXCEPTION 'only security administrators evaluate monitoring rules'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT g.id, g.resource_id, g.grantee_org_id, g.scope_region_prefix::text,
      g.scope_org_kind::text, g.scope_org_level, g.status::text, g.valid_from, g.valid_until,
      g.ended_at
    FROM sharing_grants g WHERE g.resource_id = ANY (p_ids);
END $$;
"""

INTERNAL = ("govdesk_monitor_alert_rules()", "govdesk_monitor_alert_history()",
            "govdesk_monitor_rule_rules()", "govdesk_monitor_day_stamp()")
FOR_SECADMIN = ("govdesk_monitor_resources()", "govdesk_monitor_grants(integer[])")
TABLES = ("monitor_rules", "monitor_watermarks", "monitor_alerts", "monitor_alert_events",
          "monitor_calendar_days")


def _pg_upgrade() -> None:
    bind = op.get_bind()
    group = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
             for role in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")}
    sec, aud = f'"{group["secadmin"]}"', f'"{group["auditor"]}"'
    every = ", ".join(f'"{g}"' for g in group.values())
    op.execute(FUNCTIONS)
    for fn in (*INTERNAL, *FOR_SECADMIN):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in FOR_SECADMIN:
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {sec}")
    op.execute(f"REVOKE ALL ON {', '.join(TABLES)} FROM PUBLIC, {every}")
    op.execute(f"GRANT SELECT ON {', '.join(TABLES)} TO {sec}, {aud}")
    op.execute(f"GRANT UPDATE (parameters, severity, enabled, description, version, updated_at) "
               f"ON monitor_rules TO {sec}")
    op.execute(f"GRANT INSERT, UPDATE ON monitor_watermarks TO {sec}")
    op.execute(f"GRANT INSERT, UPDATE ON monitor_alerts TO {sec}")
    op.execute(f"GRANT INSERT, UPDATE, DELETE ON monitor_calendar_days TO {sec}")
    op.execute(f"GRANT USAGE, SELECT ON SEQUENCE monitor_alerts_id_seq TO {sec}")
    op.execute("CREATE TRIGGER monitor_alerts_rules BEFORE INSERT OR UPDATE ON monitor_alerts "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_monitor_alert_rules()")
    op.execute("CREATE TRIGGER monitor_alerts_history AFTER INSERT OR UPDATE ON monitor_alerts "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_monitor_alert_history()")
    op.execute("CREATE TRIGGER monitor_rules_rules BEFORE UPDATE ON monitor_rules "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_monitor_rule_rules()")
    op.execute("CREATE TRIGGER monitor_calendar_days_stamp BEFORE INSERT OR UPDATE "
               "ON monitor_calendar_days FOR EACH ROW EXECUTE FUNCTION govdesk_monitor_day_stamp()")
    for event, ref in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "NEW TABLE AS new_rows"),
                       ("DELETE", "OLD TABLE AS old_rows")):
        op.execute(f"CREATE TRIGGER monitor_calendar_days_audit_{event.lower()} AFTER {event} "
                   f"ON monitor_calendar_days REFERENCING {ref} FOR EACH STATEMENT "
                   "EXECUTE FUNCTION govdesk_audit_changes('day')")


def upgrade() -> None:
    _schema()
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for fn in (*INTERNAL, *FOR_SECADMIN):
            op.execute(f"DROP FUNCTION IF EXISTS {fn} CASCADE")
    for table in ("monitor_calendar_days", "monitor_alert_events", "monitor_alerts",
                  "monitor_watermarks", "monitor_rules"):
        op.drop_table(table)
