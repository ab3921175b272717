"""access-log reviews: who looked at which access events, or at an organisation's period

Both databases: ``access_reviews`` (one decision: reviewer, time, comment, and either
``kind = 'events'`` with the events in ``access_review_events`` by their key ``(event_id,
event_ts)``, or ``kind = 'period'``: every event of ``organisation_id`` with ``period_start <=
ts < period_end``). Events are named by ``(id, ts)`` and not by a foreign key: the events lane
(migration 0035) partitions ``access_events`` by month with the primary key ``(id, ts)``.

PostgreSQL enforces the rules (SQLite: the services in ``govdesk/monitoring/reviews.py``):

* grants: security administrators insert (and read) reviews, auditors read them, nobody else
  touches them; no group may update, delete or truncate (a trigger refuses it to the owner too);
* ``access_reviews_stamp`` (BEFORE INSERT): only an active security administrator's own login
  inserts; reviewer, role and time are stamped from ``session_user`` and the transaction's
  clock whatever the client sent; the comment must count as a reason
  (``govdesk_reason_length``, migration 0033: at least 4 letters or digits);
* ``access_review_events_check`` (BEFORE INSERT): an event is added only to a review of events
  made by the same login in the same transaction, and only an event that exists;
* ``access_reviews_nonempty`` (deferred to commit): a review of events names at least one;
* the audit trail (hash chain) gets an ``access_review`` row for every review (its comment,
  organisation and period) and one per statement adding events (how many, the first 500 keys),
  written by the database, so a review made over plain SQL is audited too.

Both databases: the views the workbench reads labels through, ``access_resource_labels``
(every resource's code, name and grade) and ``access_grade_labels`` (the active scheme's
grades). On PostgreSQL they run with their owner's rights (auditors hold no grant on the
catalogue, and a regional security administrator's row-level security would hide other
regions' names) and only security administrators and auditors may read them.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: keys of events an audit row lists at most (the rest is counted): 500 keys are ~23 kB
AUDITED_KEYS = 500

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION govdesk_access_review_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_role text;
BEGIN
  SELECT w.role_code INTO v_role FROM govdesk_whoami() w;
  IF v_role IS DISTINCT FROM 'secadmin' THEN
    RAISE EXCEPTION 'only security administrators review the access log'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF govdesk_reason_length(NEW.comment) < 4 THEN
    RAISE EXCEPTION 'a review needs a comment of at least 4 letters or digits'
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.reviewed_by := session_user::text;
  NEW.reviewer_role := v_role;
  NEW.reviewed_at := now();
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_review_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM govdesk_audit_as(NEW.reviewed_by, 'access_review', 'access_reviews', NEW.id::text,
    true, host(inet_client_addr()),
    json_build_object('kind', NEW.kind, 'organisation', NEW.organisation_id,
                      'since', NEW.period_start, 'until', NEW.period_end,
                      'comment', NEW.comment)::text);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_review_event_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM access_reviews r WHERE r.id = NEW.review_id
                 AND r.kind = 'events' AND r.reviewed_by = session_user::text
                 AND r.reviewed_at = now()) THEN
    RAISE EXCEPTION 'events are added only to a review of events its reviewer makes in the same transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM access_events e WHERE e.id = NEW.event_id
                 AND e.ts = NEW.event_ts) THEN
    RAISE EXCEPTION 'access event % at % does not exist', NEW.event_id, NEW.event_ts
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_review_events_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT n.review_id, count(*) AS n,
                  (array_agg(json_build_array(n.event_id, n.event_ts)
                             ORDER BY n.event_ts DESC, n.event_id DESC))[1:@KEYS@] AS keys
           FROM new_rows n GROUP BY n.review_id LOOP
    PERFORM govdesk_audit_as(session_user::text, 'access_review', 'access_review_events',
      r.review_id::text, true, host(inet_client_addr()),
      json_build_object('review', r.review_id, 'events', r.n, 'keys', to_json(r.keys))::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_review_nonempty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.kind = 'events' AND NOT EXISTS (
      SELECT 1 FROM access_review_events x WHERE x.review_id = NEW.id) THEN
    RAISE EXCEPTION 'a review of events names at least one event'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION govdesk_access_review_frozen() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'access-log reviews cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

""".replace("@KEYS@", str(AUDITED_KEYS))

INTERNAL = ("govdesk_access_review_stamp()", "govdesk_access_review_audit()",
            "govdesk_access_review_event_check()", "govdesk_access_review_events_audit()",
            "govdesk_access_review_nonempty()", "govdesk_access_review_frozen()")
#: the labels the workbench shows beside an event's resource (auditors hold no grant on the
#: catalogue, and a regional security administrator's row-level security would hide another
#: region's names): views run with their owner's rights, so they show every resource
VIEWS = {
    "access_resource_labels": (
        "SELECT r.id, r.code, r.name, r.grade_id, g.name AS grade_name, g.rank AS grade_rank "
        "FROM data_resources r LEFT JOIN grades g ON g.id = r.grade_id"),
    "access_grade_labels": (
        "SELECT g.id, g.name, g.rank FROM grades g JOIN grade_schemes s ON s.id = g.scheme_id "
        "WHERE s.is_active"),
}
TABLES = "access_reviews, access_review_events"


def _tables() -> None:
    op.create_table(
        "access_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=63), nullable=False),
        sa.Column("reviewer_role", sa.String(length=20), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('events', 'period')", name=op.f("ck_access_reviews_kind")),
        sa.CheckConstraint(
            "kind = 'events' OR (organisation_id IS NOT NULL AND period_start IS NOT NULL AND "
            "period_end IS NOT NULL AND period_start < period_end)",
            name=op.f("ck_access_reviews_period")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_access_reviews_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_reviews")),
    )
    op.create_index("ix_access_reviews_period", "access_reviews",
                    ["organisation_id", "period_start"])
    op.create_table(
        "access_review_events",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("event_ts", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["access_reviews.id"],
                                name=op.f("fk_access_review_events_review_id_access_reviews")),
        sa.PrimaryKeyConstraint("review_id", "event_id", "event_ts",
                                name=op.f("pk_access_review_events")),
    )
    op.create_index("ix_access_review_events_event", "access_review_events",
                    ["event_id", "event_ts"])


def _triggers() -> None:
    op.execute("CREATE TRIGGER access_reviews_stamp BEFORE INSERT ON access_reviews "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_access_review_stamp()")
    op.execute("CREATE TRIGGER access_reviews_audit AFTER INSERT ON access_reviews "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_access_review_audit()")
    op.execute("CREATE CONSTRAINT TRIGGER access_reviews_nonempty AFTER INSERT ON "
               "access_reviews DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
               "EXECUTE FUNCTION govdesk_access_review_nonempty()")
    op.execute("CREATE TRIGGER access_review_events_check BEFORE INSERT ON access_review_events "
               "FOR EACH ROW EXECUTE FUNCTION govdesk_access_review_event_check()")
    op.execute("CREATE TRIGGER access_review_events_audit AFTER INSERT ON access_review_events "
               "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
               "EXECUTE FUNCTION govdesk_access_review_events_audit()")
    for table in ("access_reviews", "access_review_events"):
        op.execute(f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION govdesk_access_review_frozen()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION govdesk_access_review_frozen()")


def _pg_upgrade() -> None:
    bind = op.get_bind()
    group = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
             for role in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")}
    every = ", ".join(f'"{g}"' for g in group.values())
    readers = f'"{group["secadmin"]}", "{group["auditor"]}"'
    op.execute(FUNCTIONS)
    for fn in INTERNAL:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    views = ", ".join(VIEWS)
    op.execute(f"REVOKE ALL ON {TABLES}, {views} FROM PUBLIC, {every}")
    op.execute(f"GRANT SELECT ON {TABLES}, {views} TO {readers}")
    op.execute(f'GRANT INSERT ON {TABLES} TO "{group["secadmin"]}"')
    op.execute(f'GRANT USAGE ON SEQUENCE access_reviews_id_seq TO "{group["secadmin"]}"')
    _triggers()


def upgrade() -> None:
    _tables()
    for name, query in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.drop_index("ix_access_review_events_event", table_name="access_review_events")
    op.drop_table("access_review_events")
    op.drop_index("ix_access_reviews_period", table_name="access_reviews")
    op.drop_table("access_reviews")
    if op.get_bind().dialect.name == "postgresql":
        for fn in INTERNAL:
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
