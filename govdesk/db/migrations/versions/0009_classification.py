"""classification: detectors per grade, the grade-suggestion review queue, resource profiles

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: GB/T 43697-2024 default: which grade a detected kind of value suggests. Disability status,
#: identity numbers and financial accounts are sensitive personal information (PIPL art. 28):
#: level 4; other personal information level 3; region codes alone level 2.
DEFAULT_DETECTORS = {
    "general4": "citizen_id disability_cert disability_category disability_grade bank_card",
    "general3": "person_name phone address birth_date",
    "general2": "region_code",
}


def upgrade() -> None:
    with op.batch_alter_table("grades") as batch:
        batch.add_column(sa.Column("detectors", sa.String(length=300), nullable=False,
                                   server_default=""))
    grades = sa.table("grades", sa.column("scheme_id", sa.Integer),
                      sa.column("code", sa.String), sa.column("detectors", sa.String))
    for code, detectors in DEFAULT_DETECTORS.items():
        op.execute(grades.update().where(grades.c.scheme_id == 1, grades.c.code == code)
                   .values(detectors=detectors))
    op.create_table(
        "grade_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("column_name", sa.String(length=200), nullable=False),
        sa.Column("detector", sa.String(length=40), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("guardian", sa.Boolean(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source_file", sa.String(length=260), nullable=False),
        sa.Column("proposed_by", sa.String(length=63), nullable=False),
        sa.Column("decided_by", sa.String(length=63), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.CheckConstraint("confidence BETWEEN 0 AND 1",
                           name=op.f("ck_grade_suggestions_confidence_range")),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')",
                           name=op.f("ck_grade_suggestions_status_values")),
        sa.ForeignKeyConstraint(["grade_id"], ["grades.id"],
                                name=op.f("fk_grade_suggestions_grade_id_grades")),
        sa.ForeignKeyConstraint(["item_id"], ["data_items.id"],
                                name=op.f("fk_grade_suggestions_item_id_data_items"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resource_id"], ["data_resources.id"],
                                name=op.f("fk_grade_suggestions_resource_id_data_resources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_suggestions")),
    )
    op.create_index("ix_grade_suggestions_status_resource", "grade_suggestions",
                    ["status", "resource_id"])
    op.create_table(
        "resource_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("source_file", sa.String(length=260), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("columns", sa.Text(), nullable=False),
        sa.Column("identifier_validity", sa.Float(), nullable=True),
        sa.Column("metadata_completeness", sa.Float(), nullable=False),
        sa.Column("quality_score", sa.Float(), nullable=False),
        sa.Column("profiled_by", sa.String(length=63), nullable=False),
        sa.Column("profiled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["resource_id"], ["data_resources.id"],
                                name=op.f("fk_resource_profiles_resource_id_data_resources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_profiles")),
    )
    op.create_index(op.f("ix_resource_profiles_resource_id"), "resource_profiles",
                    ["resource_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("grade_suggestions", "resource_profiles"):
            op.execute(f"GRANT SELECT ON {table} TO govdesk_data_admin, govdesk_secadmin")
            op.execute(f"GRANT INSERT ON {table} TO govdesk_data_admin, govdesk_secadmin")
            op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO "
                       "govdesk_data_admin, govdesk_secadmin")
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            visible = "EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id)"
            op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({visible})")
            proposer = "proposed_by" if table == "grade_suggestions" else "profiled_by"
            op.execute(f"CREATE POLICY {table}_write ON {table} FOR INSERT "
                       f"WITH CHECK ({proposer} = session_user AND {visible})")
        # the quality score shows with a resource's details, to everyone who reads the catalogue
        op.execute("GRANT SELECT ON resource_profiles TO govdesk_viewer")
        # only security administrators decide, and only the decision columns
        op.execute("GRANT UPDATE (status, decided_by, decided_at, version, updated_at) "
                   "ON grade_suggestions TO govdesk_secadmin")
        op.execute("CREATE POLICY grade_suggestions_decide ON grade_suggestions FOR UPDATE "
                   "TO govdesk_secadmin USING (status = 'pending') "
                   "WITH CHECK (decided_by = session_user)")
        # regrading bumps the row versions the client uses for conflict detection
        op.execute("GRANT UPDATE (grade_id, version, updated_at) ON data_items TO govdesk_secadmin")
        op.execute("GRANT UPDATE (grade_id, version, updated_at) ON data_resources "
                   "TO govdesk_secadmin")
        op.execute("GRANT INSERT ON resource_versions TO govdesk_secadmin")
        for table in ("grade_suggestions", "resource_profiles"):
            for event, ref in (("INSERT", "NEW TABLE AS new_rows"),
                               ("UPDATE", "NEW TABLE AS new_rows"),
                               ("DELETE", "OLD TABLE AS old_rows")):
                op.execute(f"CREATE TRIGGER {table}_audit_{event.lower()} AFTER {event} ON "
                           f"{table} REFERENCING {ref} FOR EACH STATEMENT "
                           "EXECUTE FUNCTION govdesk_audit_changes('id')")


def downgrade() -> None:
    op.drop_table("resource_profiles")
    op.drop_table("grade_suggestions")
    with op.batch_alter_table("grades") as batch:
        batch.drop_column("detectors")
