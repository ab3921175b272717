"""security: settings table; on PostgreSQL the group roles, grants, row-level security,
append-only audit trail with its SECURITY DEFINER writer, and change-audit triggers

Run by the database owner (a role with CREATEROLE, usually the one that created the database).
Group roles are server-wide and created only when missing, so several GovDesk databases on one
server share them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("govdesk_sysadmin", "govdesk_secadmin", "govdesk_auditor", "govdesk_data_admin",
          "govdesk_viewer")
CATALOG_READ = ("categories", "grade_schemes", "grades", "organisations", "data_resources",
                "data_items")
AUDITED_TABLES = ("data_resources", "data_items", "resource_samples", "categories",
                  "grade_schemes", "grades", "sharing_grants", "backup_policies", "organisations",
                  "users", "settings")

SETTINGS = [
    ("security.lockout_attempts", "5", "security", "Failed logins that lock an account"),
    ("security.lockout_window_minutes", "15", "security", "Window in which failures are counted"),
    ("security.lockout_minutes", "30", "security", "How long a locked account stays locked"),
    ("security.idle_lock_minutes", "15", "security", "Idle time after which a session locks"),
    ("security.audit_retention_days", "180", "security",
     "Audit rows younger than this are never archived (at least 180)"),
    ("system.site_name", "浙江省残疾人联合会", "system", "Organisation name printed on exports"),
]

GRANTS = {
    "govdesk_viewer": [
        "GRANT SELECT ON {catalog}, sharing_grants TO {g}",
        "GRANT INSERT ON access_events TO {g}",
    ],
    "govdesk_data_admin": [
        "GRANT SELECT ON {catalog} TO {g}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON data_resources, data_items, resource_samples TO {g}",
        "GRANT SELECT, INSERT ON sharing_grants TO {g}",
        "GRANT INSERT ON access_events TO {g}",
    ],
    "govdesk_secadmin": [
        "GRANT SELECT ON {catalog}, resource_samples, sharing_grants, access_events, audit_events,"
        " users, settings, backup_policies TO {g}",
        "GRANT UPDATE (grade_id) ON data_resources, data_items TO {g}",
        "GRANT INSERT, UPDATE, DELETE ON categories, grade_schemes, grades TO {g}",
        "GRANT UPDATE ON sharing_grants TO {g}",
        "GRANT UPDATE (value, version, updated_at, updated_by) ON settings TO {g}",
        "GRANT INSERT ON access_events TO {g}",
    ],
    "govdesk_auditor": [
        "GRANT SELECT ON audit_events, access_events, organisations TO {g}",
        "GRANT SELECT (id, username, display_name, role_code, region_code, organisation_id,"
        " is_active, locked_until) ON users TO {g}",
    ],
    "govdesk_sysadmin": [
        "GRANT SELECT, INSERT, UPDATE ON users TO {g}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON backup_policies TO {g}",
        "GRANT SELECT, INSERT, UPDATE ON organisations TO {g}",
        "GRANT SELECT ON settings TO {g}",
        "GRANT UPDATE (value, version, updated_at, updated_by) ON settings TO {g}",
    ],
}

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION govdesk_region_prefix(p_code text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_code IS NULL OR p_code ~ '^0+$' THEN ''
    WHEN p_code ~ '0{10}$' THEN left(p_code, 2)
    WHEN p_code ~ '0{8}$' THEN left(p_code, 4)
    WHEN p_code ~ '0{6}$' THEN left(p_code, 6)
    WHEN p_code ~ '0{3}$' THEN left(p_code, 9)
    ELSE p_code END
$$;

CREATE OR REPLACE FUNCTION govdesk_whoami()
RETURNS TABLE (username text, role_code text, region_code text, organisation_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.username::text, u.role_code::text, u.region_code::text, u.organisation_id
  FROM users u WHERE u.username = session_user AND u.is_active
$$;

-- The region prefix that scopes the current login ('' = everything; NULL = nothing).
CREATE OR REPLACE FUNCTION govdesk_scope_prefix() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT govdesk_region_prefix(u.region_code) FROM users u
  WHERE u.username = session_user AND u.is_active
$$;

-- Resources shared with the current login's organisation by an approved, current grant.
CREATE OR REPLACE FUNCTION govdesk_shared_resource_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(g.resource_id), '{}') FROM sharing_grants g
  JOIN users u ON u.organisation_id = g.grantee_org_id AND u.username = session_user
  WHERE g.status = 'approved' AND (g.valid_until IS NULL OR g.valid_until >= current_date)
    AND (g.valid_from IS NULL OR g.valid_from <= current_date)
$$;

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

CREATE OR REPLACE FUNCTION govdesk_audit_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records cannot be changed or deleted (% on audit_events)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

-- Statement-level change audit: one audit row per statement and table, with the ids touched.
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
    PERFORM govdesk_audit('data_change', TG_TABLE_NAME, left(v_ids, 100), true,
      host(inet_client_addr()),
      json_build_object('op', TG_OP, 'rows', v_n, 'keys', v_ids)::text);
  END IF;
  RETURN NULL;
END $$;
"""


def _pg_upgrade() -> None:
    bind = op.get_bind()
    for g in GROUPS:
        op.execute(f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{g}') THEN
                CREATE ROLE {g} NOLOGIN;
              END IF;
            END $$""")
    dbname = bind.execute(sa.text("SELECT current_database()")).scalar_one()
    op.execute(f'GRANT CONNECT ON DATABASE "{dbname}" TO {", ".join(GROUPS)}')
    op.execute(f"GRANT USAGE ON SCHEMA public TO {', '.join(GROUPS)}")
    op.execute(FUNCTIONS)
    op.execute("REVOKE ALL ON FUNCTION govdesk_audit(text, text, text, boolean, text, text), "
               "govdesk_whoami(), govdesk_scope_prefix(), govdesk_shared_resource_ids() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION govdesk_audit(text, text, text, boolean, text, text), "
               f"govdesk_whoami(), govdesk_scope_prefix(), govdesk_shared_resource_ids() "
               f"TO {', '.join(GROUPS)}")
    op.execute(f"GRANT SELECT ON roles, regions, settings, alembic_version TO {', '.join(GROUPS)}")
    catalog = ", ".join(CATALOG_READ)
    for group, statements in GRANTS.items():
        for stmt in statements:
            op.execute(stmt.format(g=group, catalog=catalog))
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {', '.join(GROUPS)}")

    # The audit trail: nobody writes it but govdesk_audit(); nobody changes or deletes it.
    op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC, {', '.join(GROUPS)}")
    op.execute("CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_audit_immutable()")
    op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
               "FOR EACH STATEMENT EXECUTE FUNCTION govdesk_audit_immutable()")

    # Row-level security: a regional user sees their region plus what was shared with them,
    # and writes only inside their region. The owner (migrations, demo loader) is not subject.
    scope = "(SELECT govdesk_scope_prefix())"
    op.execute("ALTER TABLE data_resources ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY resources_read ON data_resources FOR SELECT USING ("
               f"region_code LIKE {scope} || '%' OR id = ANY ((SELECT govdesk_shared_resource_ids())::integer[]))")
    op.execute(f"CREATE POLICY resources_insert ON data_resources FOR INSERT "
               f"WITH CHECK (region_code LIKE {scope} || '%')")
    op.execute(f"CREATE POLICY resources_update ON data_resources FOR UPDATE "
               f"USING (region_code LIKE {scope} || '%') WITH CHECK (region_code LIKE {scope} || '%')")
    op.execute(f"CREATE POLICY resources_delete ON data_resources FOR DELETE "
               f"USING (region_code LIKE {scope} || '%')")
    for child in ("data_items", "resource_samples"):
        op.execute(f"ALTER TABLE {child} ENABLE ROW LEVEL SECURITY")
        visible = "EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id)"
        mine = (f"EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id "
                f"AND r.region_code LIKE {scope} || '%')")
        op.execute(f"CREATE POLICY {child}_read ON {child} FOR SELECT USING ({visible})")
        op.execute(f"CREATE POLICY {child}_insert ON {child} FOR INSERT WITH CHECK ({mine})")
        op.execute(f"CREATE POLICY {child}_update ON {child} FOR UPDATE USING ({mine}) "
                   f"WITH CHECK ({mine})")
        op.execute(f"CREATE POLICY {child}_delete ON {child} FOR DELETE USING ({mine})")
    op.execute("ALTER TABLE sharing_grants ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY grants_read ON sharing_grants FOR SELECT USING ("
               "EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id))")
    op.execute("CREATE POLICY grants_request ON sharing_grants FOR INSERT "
               "WITH CHECK (requested_by = session_user AND status = 'requested')")
    op.execute("CREATE POLICY grants_decide ON sharing_grants FOR UPDATE USING (true)")
    op.execute("ALTER TABLE settings ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY settings_read ON settings FOR SELECT USING (true)")
    op.execute("CREATE POLICY settings_security ON settings FOR UPDATE TO govdesk_secadmin "
               "USING (scope = 'security') WITH CHECK (scope = 'security')")
    op.execute("CREATE POLICY settings_system ON settings FOR UPDATE TO govdesk_sysadmin "
               "USING (scope = 'system') WITH CHECK (scope = 'system')")

    # Change audit written by the database itself, whatever the client.
    for table in AUDITED_TABLES:
        key = "key" if table == "settings" else "id"
        for event, ref in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "NEW TABLE AS new_rows"),
                           ("DELETE", "OLD TABLE AS old_rows")):
            op.execute(f"CREATE TRIGGER {table}_audit_{event.lower()} AFTER {event} ON {table} "
                       f"REFERENCING {ref} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION govdesk_audit_changes('{key}')")


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=63), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    settings = sa.table("settings", sa.column("key"), sa.column("value"), sa.column("scope"),
                        sa.column("description"), sa.column("version"))
    op.bulk_insert(settings, [{"key": k, "value": v, "scope": s, "description": d, "version": 1}
                              for k, v, s, d in SETTINGS])
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_audit_{event} ON {table}")
        op.execute("DROP TRIGGER IF EXISTS audit_events_immutable ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        for table in ("data_resources", "data_items", "resource_samples", "sharing_grants"):
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
            for policy in ("read", "insert", "update", "delete", "request", "decide"):
                op.execute(f"DROP POLICY IF EXISTS {table.split('_')[0]}_{policy} ON {table}")
                op.execute(f"DROP POLICY IF EXISTS {table}_{policy} ON {table}")
        op.execute("DROP POLICY IF EXISTS resources_read ON data_resources")
        for fn in ("govdesk_audit_changes()", "govdesk_audit_immutable()",
                   "govdesk_audit(text, text, text, boolean, text, text)",
                   "govdesk_shared_resource_ids()", "govdesk_scope_prefix()", "govdesk_whoami()",
                   "govdesk_region_prefix(text)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_table("settings")
