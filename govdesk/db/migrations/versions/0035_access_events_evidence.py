"""access events that are evidence: what is recorded, stamped, partitioned by month, rolled up

Both databases:

* ``access_events`` gains ``failure`` (``denied`` / ``not_found`` / ``error`` for a refused or
  failed access, NULL when it succeeded), ``object_ref`` (the resource id or code a caller
  named, kept as given: a denial of something that does not exist is evidence too) and
  ``operation`` (the service that recorded it, e.g. ``browse.get_resource``); ``action`` takes
  the new codes ``view``, ``sample_view``, ``sample_unmask`` and ``login``.
* No foreign keys any more (``organisation_id``, ``resource_id``): an event is evidence of what
  was named when it happened, never rewritten by a deletion elsewhere (the old ``ON DELETE SET
  NULL`` did that) nor tied to rows an imported log may not know; and the two per-row key
  checks (with their row locks on the referenced rows) were most of a bulk COPY's cost.
* Indexes for the review workbench's keyset order and filters: ``(ts, id)``,
  ``(username, ts, id)``, ``(resource_id, ts, id)``, ``(organisation_id, ts, id)``.
* The setting ``security.access_retention_months`` (24; never below 6 months nor below the
  audit retention ``security.audit_retention_days``).

PostgreSQL only:

* ``access_events`` becomes **partitioned by month** on ``ts`` (range, UTC month bounds), with
  ``PRIMARY KEY (id, ts)``, partitions ``access_events_yYYYYmMM`` and the safety net
  ``access_events_default``; existing rows move. ``ts`` defaults to ``statement_timestamp()``
  and a GovDesk login may not supply another (a BEFORE ROW trigger cannot move a row to
  another partition, so the stamp refuses a client time instead of overwriting it).
  ``govdesk_access_partitions_ensure(months, from)`` (definer, owner or security administrator)
  creates the months from ``from`` (default now) to now + ``months``, moving rows the default
  partition holds for them; run here with 12 and by ``govdesk db upgrade``.
* BRIN on ``ts`` (``ix_access_events_ts_brin``).
* ``govdesk_access_stamp()`` (0016) changes in three points: it refuses a client-supplied
  ``ts`` (instead of overwriting it: see above); it lets through a failed login written inside
  the login gate's own functions (session ``govdesk_gate``, inside a trigger); it resolves
  ``object_ref`` to ``resource_id`` when the caller named a resource it may not see. The owner
  pass-through is unchanged, and the trigger now has ``WHEN (current_user <> '<owner>')``:
  rows the owner writes (its COPY, the demo loader, definer functions it owns: the login copy
  below, an importer) skip the per-row function call entirely.
* Logins (success and failure) are copied from the audit queue (``audit_pending``, trigger
  ``audit_pending_access_login``) into ``access_events`` by ``govdesk_access_from_audit()``
  (owned by the owner; role and organisation from ``users``): a failed login cannot be written
  by the user who failed, and a success is audited anyway.
* INSERT on ``access_events`` for every group (auditors and system administrators log in and
  export too; 0003 gave it to three); SELECT only for security administrators and auditors
  (``ACCESS_LOG_READ``), on the events, the rollups and ``access_archives``.
* **Rollups** kept by a statement-level AFTER INSERT trigger with a transition table on the
  partitioned parent (``access_events_rollup`` → ``govdesk_access_rollup()``):
  ``access_rollups_hourly`` (hour UTC, action, success), ``access_rollups_daily`` (day in UTC+8,
  organisation, action, success), ``access_rollups_users_daily`` (day, user, organisation,
  success), ``access_rollups_resources_daily`` (day, resource, success), each with ``events``
  and ``row_total``; ``govdesk_access_rollups_rebuild()`` (owner) recomputes them.
* **Archiving**: ``govdesk_access_partition_archive(partition, rows, file, sha256)`` (definer,
  security administrator or owner) checks the retention, records ``access_archives``, audits
  ``access_archive`` and detaches and drops the partition.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = ("query", "download", "api", "export")
ACTIONS = OLD_ACTIONS + ("view", "sample_view", "sample_unmask", "login")
FAILURES = ("denied", "not_found", "error")
#: (name, columns) of the workbench's B-trees on both databases
INDEXES = (("ix_access_events_ts_id", ("ts", "id")),
           ("ix_access_events_username_ts", ("username", "ts", "id")),
           ("ix_access_events_resource_ts", ("resource_id", "ts", "id")),
           ("ix_access_events_organisation_ts", ("organisation_id", "ts", "id")))
SETTINGS = [("security.access_retention_months", "24", "security",
             "Months access events are kept before their partition may be archived")]
ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")


def _enum(codes: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*codes, name=name, native_enum=False, create_constraint=True,
                   length=max(len(c) for c in codes))


def _listed(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{c}'" for c in codes)


TABLE = f"""
CREATE TABLE access_events (
  id bigint NOT NULL DEFAULT nextval('access_events_id_seq'),
  ts timestamptz NOT NULL DEFAULT statement_timestamp(),
  username varchar(63) NOT NULL,
  organisation_id integer,
  resource_id integer,
  action varchar(13) NOT NULL
    CONSTRAINT ck_access_events_access_action CHECK (action IN ({_listed(ACTIONS)})),
  row_count integer NOT NULL DEFAULT 0,
  success boolean NOT NULL DEFAULT true,
  client_host varchar(255),
  role_code varchar(20),
  failure varchar(9)
    CONSTRAINT ck_access_events_access_failure CHECK (failure IN ({_listed(FAILURES)})),
  object_ref varchar(100),
  operation varchar(80),
  CONSTRAINT pk_access_events PRIMARY KEY (id, ts)
) PARTITION BY RANGE (ts);
CREATE TABLE access_events_default PARTITION OF access_events DEFAULT;
CREATE INDEX ix_access_events_ts_brin ON access_events USING brin (ts);
""" + "".join(f"CREATE INDEX {name} ON access_events ({', '.join(cols)});\n"
              for name, cols in INDEXES)

ROLLUPS = """
CREATE TABLE access_rollups_hourly (
  hour timestamptz NOT NULL, action varchar(13) NOT NULL, success boolean NOT NULL,
  events bigint NOT NULL, row_total bigint NOT NULL, PRIMARY KEY (hour, action, success));
CREATE TABLE access_rollups_daily (
  day date NOT NULL, organisation_id integer, action varchar(13) NOT NULL,
  success boolean NOT NULL, events bigint NOT NULL, row_total bigint NOT NULL);
CREATE UNIQUE INDEX ux_access_rollups_daily ON access_rollups_daily
  (day, organisation_id, action, success) NULLS NOT DISTINCT;
CREATE TABLE access_rollups_users_daily (
  day date NOT NULL, username varchar(63) NOT NULL, organisation_id integer,
  success boolean NOT NULL, events bigint NOT NULL, row_total bigint NOT NULL);
CREATE UNIQUE INDEX ux_access_rollups_users_daily ON access_rollups_users_daily
  (day, username, organisation_id, success) NULLS NOT DISTINCT;
CREATE TABLE access_rollups_resources_daily (
  day date NOT NULL, resource_id integer, success boolean NOT NULL,
  events bigint NOT NULL, row_total bigint NOT NULL);
CREATE UNIQUE INDEX ux_access_rollups_resources_daily ON access_rollups_resources_daily
  (day, resource_id, success) NULLS NOT DISTINCT;
CREATE TABLE access_archives (
  id serial PRIMARY KEY, partition_name text NOT NULL, range_from timestamptz NOT NULL,
  range_until timestamptz NOT NULL, rows bigint NOT NULL, file_name text NOT NULL,
  file_sha256 text NOT NULL, archived_by text NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT clock_timestamp());
"""

#: the rollups' grain, as SELECT lists over a set of events ``e`` (one definition for the
#: trigger and the rebuild)
DAY = "(ts AT TIME ZONE INTERVAL '+08:00')::date"
GRAIN = {
    "access_rollups_hourly": ("hour, action, success",
                              "date_trunc('hour', ts, 'UTC'), action, success"),
    "access_rollups_daily": ("day, organisation_id, action, success",
                             f"{DAY}, organisation_id, action, success"),
    "access_rollups_users_daily": ("day, username, organisation_id, success",
                                   f"{DAY}, username, organisation_id, success"),
    "access_rollups_resources_daily": ("day, resource_id, success",
                                       f"{DAY}, resource_id, success"),
}


def _rollup_sql(source: str, upsert: bool) -> str:
    parts = []
    for table, (keys, exprs) in GRAIN.items():
        n = len(keys.split(","))
        by = ", ".join(str(i) for i in range(1, n + 1))
        statement = (f"INSERT INTO {table} AS r ({keys}, events, row_total) "
                     f"SELECT {exprs}, count(*), coalesce(sum(row_count), 0) FROM {source} "
                     f"GROUP BY {by} ORDER BY {by}")
        if upsert:
            statement += (f" ON CONFLICT ({keys}) DO UPDATE SET events = r.events + "
                          "EXCLUDED.events, row_total = r.row_total + EXCLUDED.row_total")
        parts.append(statement + ";")
    return "\n  ".join(parts)


FUNCTIONS = r"""
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
    -- a failed login, copied from the audit queue inside the login gate's definer function
    -- (the gate holds no privilege on access_events: nothing else reaches here as it)
    IF session_user = 'govdesk_gate' AND pg_trigger_depth() > 1 AND NEW.action = 'login'
       AND NOT NEW.success AND NEW.ts = statement_timestamp() THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'only GovDesk users of this database record access events'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- the row was routed to its partition by ts before this trigger: it cannot be moved, so a
  -- client's own time is refused rather than overwritten (0035)
  IF NEW.ts IS DISTINCT FROM statement_timestamp() THEN
    RAISE EXCEPTION 'the time of an access event is the server''s: leave ts out'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.username := w.username;
  NEW.role_code := w.role_code;
  NEW.organisation_id := w.organisation_id;
  NEW.client_host := coalesce(left(NEW.client_host, 255), host(inet_client_addr()));
  IF NEW.resource_id IS NULL AND NEW.object_ref IS NOT NULL THEN
    IF NEW.object_ref ~ '^[0-9]{1,9}$' THEN
      SELECT r.id INTO NEW.resource_id FROM data_resources r WHERE r.id = NEW.object_ref::integer;
    ELSE
      SELECT r.id INTO NEW.resource_id FROM data_resources r WHERE r.code = NEW.object_ref;
    END IF;
  END IF;
  RETURN NEW;
END $$;

-- logins, successful or not, from the audit queue (the audit row is written in the same
-- transaction, by the user's own login or by the gate's govdesk_login_failed)
CREATE OR REPLACE FUNCTION govdesk_access_from_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- written as the owner, so the stamp's WHEN skips it: role and organisation come from users
  INSERT INTO access_events (username, role_code, organisation_id, action, row_count, success,
                             failure, client_host, object_ref, operation)
  SELECT NEW.username, u.role_code, u.organisation_id, 'login', 0, NEW.success,
         CASE WHEN NEW.success THEN NULL ELSE 'denied' END, left(NEW.client_host, 255),
         left(NEW.object_id, 100), 'auth.' || NEW.event_type
  FROM (SELECT 1) one LEFT JOIN users u ON u.username = NEW.username;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_rollup() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  @UPSERT@
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_rollups_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT govdesk_is_owner() THEN
    RAISE EXCEPTION 'only the database owner rebuilds the access rollups'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  TRUNCATE access_rollups_hourly, access_rollups_daily, access_rollups_users_daily,
    access_rollups_resources_daily;
  @REBUILD@
  RETURN (SELECT coalesce(sum(events), 0) FROM access_rollups_hourly);
END $$;

-- only the owner and security administrators manage the access log's partitions
CREATE OR REPLACE FUNCTION govdesk_access_manager() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
BEGIN
  IF govdesk_is_owner() THEN
    RETURN session_user::text;
  END IF;
  SELECT * INTO w FROM govdesk_whoami();
  IF w.role_code IS DISTINCT FROM 'secadmin' THEN
    RAISE EXCEPTION 'only security administrators manage the access log''s partitions'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN w.username;
END $$;

-- one month's partition (UTC bounds), taking its rows out of the default partition; false when
-- it exists. Called by the two definer functions below only (no grant).
CREATE OR REPLACE FUNCTION govdesk_access_partition_make(p_month timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
  v_month timestamptz := date_trunc('month', p_month);
  v_name text := 'access_events_' || to_char(date_trunc('month', p_month), '"y"YYYY"m"MM');
BEGIN
  IF to_regclass(v_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE access_events INCLUDING DEFAULTS '
                 'INCLUDING CONSTRAINTS)', v_name);
  EXECUTE format('WITH moved AS (DELETE FROM access_events_default WHERE ts >= %L '
                 'AND ts < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                 v_month, v_month + interval '1 month', v_name);
  EXECUTE format('ALTER TABLE access_events ATTACH PARTITION %I FOR VALUES FROM (%L) '
                 'TO (%L)', v_name, v_month, v_month + interval '1 month');
  RETURN true;
END $$;

-- this month and p_months ahead; before them, from p_from (at most 240 months back) the months
-- whose rows the default partition holds (no empty partitions for gaps); p_from's month when
-- it lies further ahead. Returns how many were created.
CREATE OR REPLACE FUNCTION govdesk_access_partitions_ensure(p_months integer,
    p_from timestamptz DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
  v_month timestamptz;
  v_last timestamptz;
  v_made integer := 0;
BEGIN
  PERFORM govdesk_access_manager();
  IF p_months IS NULL OR p_months < 0 OR p_months > 120 THEN
    RAISE EXCEPTION 'months ahead must be between 0 and 120, not %', p_months
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('govdesk_access_partitions'));
  v_last := date_trunc('month', clock_timestamp()) + make_interval(months => p_months);
  v_month := greatest(date_trunc('month', least(coalesce(p_from, clock_timestamp()),
                                                clock_timestamp())),
                      v_last - interval '240 months');
  WHILE v_month <= v_last LOOP
    IF v_month >= date_trunc('month', clock_timestamp()) OR EXISTS (
        SELECT 1 FROM access_events_default d
        WHERE d.ts >= v_month AND d.ts < v_month + interval '1 month') THEN
      v_made := v_made + govdesk_access_partition_make(v_month)::integer;
    END IF;
    v_month := v_month + interval '1 month';
  END LOOP;
  IF p_from > v_last THEN
    v_made := v_made + govdesk_access_partition_make(p_from)::integer;
  END IF;
  RETURN v_made;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_partition_archive(p_partition text, p_rows bigint,
    p_file text, p_sha256 text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
  v_by text := govdesk_access_manager();
  v_match text[] := regexp_match(p_partition, '^access_events_y([0-9]{4})m([0-9]{2})$');
  v_from timestamptz;
  v_until timestamptz;
  v_rows bigint;
  v_months integer := greatest(govdesk_setting_int('security.access_retention_months', 24), 6);
  v_days integer := greatest(govdesk_setting_int('security.audit_retention_days', 180), 180);
BEGIN
  IF v_match IS NULL OR NOT EXISTS (SELECT 1 FROM pg_inherits i
      WHERE i.inhparent = 'access_events'::regclass AND i.inhrelid = to_regclass(p_partition)) THEN
    RAISE EXCEPTION '% is not a monthly partition of access_events', p_partition
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_from := make_timestamptz(v_match[1]::integer, v_match[2]::integer, 1, 0, 0, 0, 'UTC');
  v_until := v_from + interval '1 month';
  IF v_until > date_trunc('month', clock_timestamp()) - make_interval(months => v_months)
     OR v_until > clock_timestamp() - make_interval(days => v_days) THEN
    RAISE EXCEPTION 'access events of % are younger than the retention period and cannot be archived',
      p_partition USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('SELECT count(*) FROM %I', p_partition) INTO v_rows;
  IF v_rows IS DISTINCT FROM p_rows THEN
    RAISE EXCEPTION 'partition % holds % rows, not the % archived', p_partition, v_rows, p_rows
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO access_archives (partition_name, range_from, range_until, rows, file_name,
                               file_sha256, archived_by)
  VALUES (p_partition, v_from, v_until, v_rows, p_file, p_sha256, v_by);
  PERFORM govdesk_audit_as(v_by, 'access_archive', 'access_events', p_partition, true, NULL,
    json_build_object('rows', v_rows, 'file', p_file, 'sha256', p_sha256,
                      'from', v_from, 'until', v_until)::text);
  EXECUTE format('ALTER TABLE access_events DETACH PARTITION %I', p_partition);
  EXECUTE format('DROP TABLE %I', p_partition);
  RETURN v_rows;
END $$;
"""

DEFINERS = ("govdesk_access_from_audit()", "govdesk_access_rollup()",
            "govdesk_access_rollups_rebuild()", "govdesk_access_manager()",
            "govdesk_access_partition_make(timestamptz)",
            "govdesk_access_partitions_ensure(integer, timestamptz)",
            "govdesk_access_partition_archive(text, bigint, text, text)")
COLUMNS = "id, ts, username, organisation_id, resource_id, action, row_count, success, " \
          "client_host, role_code"


def _groups(bind: sa.engine.Connection) -> dict[str, str]:
    return {r: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": r}).scalar_one()
            for r in ROLES}


def _grants(bind: sa.engine.Connection) -> None:
    g = _groups(bind)
    every = ", ".join(f'"{n}"' for n in g.values())
    readers = f'"{g["secadmin"]}", "{g["auditor"]}"'
    op.execute(f"GRANT INSERT ON access_events TO {every}")
    op.execute(f"GRANT USAGE ON SEQUENCE access_events_id_seq TO {every}")
    op.execute(f"GRANT SELECT ON access_events, access_rollups_hourly, access_rollups_daily, "
               f"access_rollups_users_daily, access_rollups_resources_daily, access_archives "
               f"TO {readers}")
    for fn in DEFINERS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_access_partitions_ensure(integer, '
               f'timestamptz), govdesk_access_partition_archive(text, bigint, text, text) '
               f'TO "{g["secadmin"]}"')


def _audit_trigger(bind: sa.engine.Connection, create: bool) -> None:
    """The login copy is a trigger on the audit queue, owned by ``<prefix>_audit``: the
    migration runner joins that role for the statement, as 0016 did."""
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = bind.execute(sa.text("SELECT prefix FROM govdesk_instance")).scalar_one()
    audit_owner = f"{prefix}_audit"
    op.execute(f'GRANT "{audit_owner}" TO "{runner}"')
    if create:
        op.execute(f'GRANT EXECUTE ON FUNCTION govdesk_access_from_audit() TO "{audit_owner}"')
    op.execute(f'SET ROLE "{audit_owner}"')
    if create:
        op.execute("CREATE TRIGGER audit_pending_access_login AFTER INSERT ON audit_pending "
                   "FOR EACH ROW WHEN (NEW.event_type IN ('login', 'login_failed')) "
                   "EXECUTE FUNCTION govdesk_access_from_audit()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_pending_access_login ON audit_pending")
    op.execute("RESET ROLE")
    op.execute(f'REVOKE "{audit_owner}" FROM "{runner}"')


def _pg_upgrade() -> None:
    bind = op.get_bind()
    op.execute("ALTER TABLE access_events RENAME TO access_events_old")
    op.execute("ALTER TABLE access_events_old RENAME CONSTRAINT pk_access_events "
               "TO pk_access_events_old")
    op.execute("DROP INDEX ix_access_events_ts, ix_access_events_resource_ts")
    op.execute("ALTER SEQUENCE access_events_id_seq OWNED BY NONE")
    op.execute("ALTER TABLE access_events_old ALTER COLUMN id DROP DEFAULT")
    op.execute(TABLE)
    op.execute(ROLLUPS)
    op.execute(FUNCTIONS.replace("@UPSERT@", _rollup_sql("added", True))
               .replace("@REBUILD@", _rollup_sql("access_events", False)))
    op.execute("SELECT govdesk_access_partitions_ensure(12)")
    op.execute("SELECT govdesk_access_partition_make(m) FROM (SELECT DISTINCT "
               "date_trunc('month', ts, 'UTC') AS m FROM access_events_old) months")
    op.execute(f"INSERT INTO access_events ({COLUMNS}) SELECT {COLUMNS} FROM access_events_old")
    op.execute("DROP TABLE access_events_old")
    op.execute("ALTER SEQUENCE access_events_id_seq OWNED BY access_events.id")
    op.execute("SELECT govdesk_access_rollups_rebuild()")
    # the owner's own rows (its COPY, the demo loader, definer functions it owns such as the
    # login copy and an importer) skip the per-row call: a WHEN clause costs no function call
    owner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    op.execute("CREATE TRIGGER access_events_stamp BEFORE INSERT ON access_events "
               f"FOR EACH ROW WHEN (current_user <> '{owner.replace(chr(39), chr(39) * 2)}') "
               "EXECUTE FUNCTION govdesk_access_stamp()")
    op.execute("CREATE TRIGGER access_events_rollup AFTER INSERT ON access_events "
               "REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
               "EXECUTE FUNCTION govdesk_access_rollup()")
    _grants(bind)
    _audit_trigger(bind, create=True)
    op.execute("ANALYZE access_events")


def _sqlite_upgrade() -> None:
    with op.batch_alter_table("access_events", recreate="always") as batch:
        batch.alter_column("action", existing_type=_enum(OLD_ACTIONS, "access_action"),
                           type_=_enum(ACTIONS, "access_action"), existing_nullable=False)
        batch.add_column(sa.Column("failure", _enum(FAILURES, "access_failure"), nullable=True))
        batch.add_column(sa.Column("object_ref", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("operation", sa.String(length=80), nullable=True))
        batch.drop_constraint("fk_access_events_organisation_id_organisations", "foreignkey")
        batch.drop_constraint("fk_access_events_resource_id_data_resources", "foreignkey")
        batch.drop_index("ix_access_events_ts")
        batch.drop_index("ix_access_events_resource_ts")
        for name, cols in INDEXES:
            batch.create_index(name, list(cols))


def upgrade() -> None:
    settings = sa.table("settings", sa.column("key"), sa.column("value"), sa.column("scope"),
                        sa.column("description"), sa.column("version"))
    op.bulk_insert(settings, [{"key": k, "value": v, "scope": s, "description": d, "version": 1}
                              for k, v, s, d in SETTINGS])
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def _pg_downgrade() -> None:
    bind = op.get_bind()
    _audit_trigger(bind, create=False)
    op.execute("ALTER TABLE access_events RENAME TO access_events_new")
    op.execute("ALTER TABLE access_events_new RENAME CONSTRAINT pk_access_events "
               "TO pk_access_events_new")
    op.execute("DROP INDEX " + ", ".join(name for name, _cols in INDEXES))
    op.execute("ALTER SEQUENCE access_events_id_seq OWNED BY NONE")
    op.execute("ALTER TABLE access_events_new ALTER COLUMN id DROP DEFAULT")
    op.execute(f"""
        CREATE TABLE access_events (
          id bigint NOT NULL DEFAULT nextval('access_events_id_seq'),
          ts timestamptz NOT NULL, username varchar(63) NOT NULL,
          organisation_id integer
            CONSTRAINT fk_access_events_organisation_id_organisations REFERENCES organisations (id),
          resource_id integer CONSTRAINT fk_access_events_resource_id_data_resources
            REFERENCES data_resources (id) ON DELETE SET NULL,
          action varchar(8) NOT NULL
            CONSTRAINT ck_access_events_access_action CHECK (action IN ({_listed(OLD_ACTIONS)})),
          row_count integer NOT NULL, success boolean NOT NULL, client_host varchar(255),
          role_code varchar(20), CONSTRAINT pk_access_events PRIMARY KEY (id));
        CREATE INDEX ix_access_events_ts ON access_events (ts);
        CREATE INDEX ix_access_events_resource_ts ON access_events (resource_id, ts);
        INSERT INTO access_events ({COLUMNS}) SELECT {COLUMNS} FROM access_events_new
          WHERE action IN ({_listed(OLD_ACTIONS)});
        DROP TABLE access_events_new;
        ALTER SEQUENCE access_events_id_seq OWNED BY access_events.id;
        DROP TABLE access_rollups_hourly, access_rollups_daily, access_rollups_users_daily,
          access_rollups_resources_daily, access_archives;
        CREATE TRIGGER access_events_stamp BEFORE INSERT ON access_events
          FOR EACH ROW EXECUTE FUNCTION govdesk_access_stamp();
    """)
    for fn in DEFINERS:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute(STAMP_0016)
    g = _groups(bind)
    op.execute(f'GRANT INSERT ON access_events TO "{g["viewer"]}", "{g["data_admin"]}", '
               f'"{g["secadmin"]}"')
    op.execute(f'GRANT SELECT ON access_events TO "{g["secadmin"]}", "{g["auditor"]}"')


#: 0016's stamp, restored by the downgrade
STAMP_0016 = r"""
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


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_downgrade()
    else:
        op.execute(f"DELETE FROM access_events WHERE action NOT IN ({_listed(OLD_ACTIONS)})")
        with op.batch_alter_table("access_events", recreate="always") as batch:
            for name, _cols in INDEXES:
                batch.drop_index(name)
            batch.drop_constraint("access_failure", "check")
            batch.drop_column("operation")
            batch.drop_column("object_ref")
            batch.drop_column("failure")
            batch.alter_column("action", existing_type=_enum(ACTIONS, "access_action"),
                               type_=_enum(OLD_ACTIONS, "access_action"),
                               existing_nullable=False)
            batch.create_foreign_key("fk_access_events_organisation_id_organisations",
                                     "organisations", ["organisation_id"], ["id"])
            batch.create_foreign_key("fk_access_events_resource_id_data_resources",
                                     "data_resources", ["resource_id"], ["id"],
                                     ondelete="SET NULL")
            batch.create_index("ix_access_events_ts", ["ts"])
            batch.create_index("ix_access_events_resource_ts", ["resource_id", "ts"])
    settings = sa.table("settings", sa.column("key"))
    op.execute(settings.delete().where(settings.c.key.in_([k for k, *_ in SETTINGS])))
