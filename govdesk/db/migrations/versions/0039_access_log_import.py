"""import of external access logs: sources, imports, provenance of imported events

Issue 15. ``access_log_sources`` (a named source, its kind ``exchange_csv`` /
``exchange_jsonl`` / ``pgaudit`` and its saved column mapping), ``access_log_imports`` (one row
per import: file name, SHA-256, line counts, who, when) and five columns of ``access_events``
(``source_id``, ``import_id``, ``line_hash``, ``imported_by``, ``imported_at``), with the dedupe
key unique per source: ``(source_id, line_hash, ts)`` (``ts`` in it so that the index stays
valid when the table is partitioned by month on ``ts``; GovDesk's own events have a NULL
``source_id`` and never conflict).

PostgreSQL: an imported event keeps the external log's user, time, organisation and host, and
only when it names (``import_id``) an import that the *same login opened in the same
transaction* through ``govdesk_access_import_begin`` (SECURITY DEFINER, security administrators
only, owner: the migration runner); the stamp trigger then sets ``source_id``, ``imported_by``
and ``imported_at`` from that import row, whatever the client sent. Any other event of a GovDesk
login is stamped as before (0016) and its five import columns are cleared, so nobody passes an
event of their own off as imported, or an imported one as GovDesk's own. The import rows are
written only by the begin/finish functions (no table grant), and ``finish`` audits the import
with ``govdesk_audit_as``.

``govdesk_access_stamp()`` below is 0035's body with two additions marked ``0039``: the import
branch at the top, and the clearing of the import columns on the ordinary path.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("exchange_csv", "exchange_jsonl", "pgaudit")
IMPORT_COLUMNS = ("source_id", "import_id", "line_hash", "imported_by", "imported_at")

#: 0035's stamp (frozen copy): what a downgrade puts back
STAMP_0035 = r"""
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
"""

#: 0035's stamp with the import branch first and the import columns cleared on the
#: ordinary path
STAMP = r"""
CREATE OR REPLACE FUNCTION govdesk_access_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
  v_import record;
BEGIN
  -- 0039: an imported event keeps the external log's user, time, organisation and host only
  -- inside an import its own login opened in this transaction; provenance from that import
  IF NEW.import_id IS NOT NULL THEN
    SELECT x.source_id, x.imported_by, x.started_at INTO v_import FROM access_log_imports x
    WHERE x.id = NEW.import_id AND x.imported_by = session_user
      AND x.txid = txid_current() AND x.finished_at IS NULL;
    IF FOUND AND NEW.line_hash IS NOT NULL THEN
      NEW.source_id := v_import.source_id;
      NEW.imported_by := v_import.imported_by;
      NEW.imported_at := v_import.started_at;
      NEW.role_code := NULL;
      NEW.client_host := left(NEW.client_host, 255);
      RETURN NEW;
    END IF;
    IF NOT govdesk_is_owner() THEN
      RAISE EXCEPTION 'an imported access event must belong to an import opened by the same login in the same transaction'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
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
  -- 0039: GovDesk's own event is never an imported one
  NEW.source_id := NULL;
  NEW.import_id := NULL;
  NEW.line_hash := NULL;
  NEW.imported_by := NULL;
  NEW.imported_at := NULL;
  RETURN NEW;
END $$;
"""

FUNCTIONS = r"""
-- who saved a source's mapping, from the session (never the client's word)
CREATE OR REPLACE FUNCTION govdesk_access_source_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF govdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW.created_by := session_user;
    NEW.created_at := now();
  ELSE
    NEW.created_by := OLD.created_by;
    NEW.created_at := OLD.created_at;
    NEW.kind := OLD.kind;
  END IF;
  NEW.updated_by := session_user;
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- Opens an import of a file into a source, for the calling security administrator, in this
-- transaction; returns its id, which the rows it inserts name (see govdesk_access_stamp).
CREATE OR REPLACE FUNCTION govdesk_access_import_begin(p_source integer, p_file text,
    p_sha256 text, p_lines integer, p_good integer, p_bad integer, p_ignored integer,
    p_problems text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  w record;
  v_id bigint;
BEGIN
  SELECT * INTO w FROM govdesk_whoami();
  IF w.role_code IS DISTINCT FROM 'secadmin' THEN
    RAISE EXCEPTION 'only security administrators import access logs'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM access_log_sources s WHERE s.id = p_source) THEN
    RAISE EXCEPTION 'no such access log source' USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO access_log_imports (source_id, file_name, file_sha256, lines, good, bad,
      ignored, problems, imported_by, started_at, txid)
  VALUES (p_source, left(p_file, 500), p_sha256, p_lines, p_good, p_bad, p_ignored,
      p_problems, w.username, now(), txid_current())
  RETURNING id INTO v_id;
  RETURN v_id;
END $$;

-- Closes the caller's open import with the number of rows its INSERT added, and audits it.
CREATE OR REPLACE FUNCTION govdesk_access_import_finish(p_import bigint, p_imported integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  x access_log_imports;
BEGIN
  UPDATE access_log_imports SET imported = p_imported, duplicates = good - p_imported,
      finished_at = clock_timestamp()
  WHERE id = p_import AND imported_by = session_user AND txid = txid_current()
    AND finished_at IS NULL AND p_imported BETWEEN 0 AND good
  RETURNING * INTO x;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no open import of this login in this transaction'
      USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM govdesk_audit_as(session_user::text, 'access_log_import', 'access_log_import',
      x.id::text, true, host(inet_client_addr()),
      json_build_object('source_id', x.source_id, 'file', x.file_name, 'sha256', x.file_sha256,
        'lines', x.lines, 'imported', x.imported, 'duplicates', x.duplicates, 'bad', x.bad,
        'ignored', x.ignored, 'skipped', x.problems::json)::text);
END $$;
"""

OWN_FUNCTIONS = ("govdesk_access_source_stamp()",
                 "govdesk_access_import_begin(integer, text, text, integer, integer, integer, "
                 "integer, text)",
                 "govdesk_access_import_finish(bigint, integer)")


def _tables() -> None:
    op.create_table(
        "access_log_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(63), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(63), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('" + "', '".join(KINDS) + "')",
                           name="ck_access_log_sources_kind"),
        sa.UniqueConstraint("name", name="uq_access_log_sources_name"),
    )
    op.create_table(
        "access_log_imports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey(
            "access_log_sources.id", name="fk_access_log_imports_source_id_access_log_sources"),
            nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=True),
        sa.Column("duplicates", sa.Integer(), nullable=True),
        sa.Column("bad", sa.Integer(), nullable=False),
        sa.Column("ignored", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("imported_by", sa.String(63), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("txid", sa.BigInteger(), nullable=True),
    )
    with op.batch_alter_table("access_events") as batch:
        batch.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("import_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("line_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("imported_by", sa.String(63), nullable=True))
        batch.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ux_access_events_source_line", "access_events",
                    ["source_id", "line_hash", "ts"], unique=True)


def upgrade() -> None:
    _tables()
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    group = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
             for role in ("secadmin", "auditor")}
    sec, aud = f'"{group["secadmin"]}"', f'"{group["auditor"]}"'
    op.execute(STAMP)
    op.execute(FUNCTIONS)
    for fn in OWN_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in OWN_FUNCTIONS[1:]:
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {sec}")
    op.execute("CREATE TRIGGER access_log_sources_stamp BEFORE INSERT OR UPDATE ON "
               "access_log_sources FOR EACH ROW EXECUTE FUNCTION govdesk_access_source_stamp()")
    for event in ("INSERT", "UPDATE"):
        op.execute(f"CREATE TRIGGER access_log_sources_audit_{event.lower()} AFTER {event} ON "
                   "access_log_sources REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                   "EXECUTE FUNCTION govdesk_audit_changes('id')")
    op.execute("REVOKE ALL ON access_log_sources, access_log_imports FROM PUBLIC")
    op.execute(f"GRANT SELECT ON access_log_sources, access_log_imports TO {sec}, {aud}")
    op.execute(f"GRANT INSERT (name, kind, mapping, created_by, created_at, updated_by, "
               f"updated_at), UPDATE (mapping, updated_by, updated_at) ON access_log_sources "
               f"TO {sec}")
    op.execute(f"GRANT USAGE ON SEQUENCE access_log_sources_id_seq TO {sec}")
    # the import stages its rows in a temporary table (0016 revoked TEMP from PUBLIC)
    dbname = bind.execute(sa.text("SELECT current_database()")).scalar_one()
    op.execute(f'GRANT TEMPORARY ON DATABASE "{dbname}" TO {sec}')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        dbname = bind.execute(sa.text("SELECT current_database()")).scalar_one()
        group = bind.execute(sa.text("SELECT govdesk_group('secadmin')")).scalar_one()
        op.execute(f'REVOKE TEMPORARY ON DATABASE "{dbname}" FROM "{group}"')
        for trigger in ("stamp", "audit_insert", "audit_update"):
            op.execute(f"DROP TRIGGER IF EXISTS access_log_sources_{trigger} ON access_log_sources")
        for fn in OWN_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_index("ux_access_events_source_line", table_name="access_events")
    if bind.dialect.name == "postgresql":
        # the stamp reads the columns dropped next: 0035's body first
        op.execute(STAMP_0035)
    with op.batch_alter_table("access_events") as batch:
        for column in reversed(IMPORT_COLUMNS):
            batch.drop_column(column)
    op.drop_table("access_log_imports")
    op.drop_table("access_log_sources")
