"""the organisations directory: organisations can be deactivated, only the system
administrator writes them, and every client hears when they change

* ``organisations.is_active`` (NOT NULL, default true). A deactivated organisation still names
  the provider of its resources (and stays in every exported workbook) but is not offered for
  new ones. Nobody deletes an organisation: no role holds DELETE on the table.
* On PostgreSQL the table's privileges are stated once, whatever earlier migrations left:
  SELECT for every GovDesk group (a provider's name is shown with every resource, a user's
  organisation with every account), INSERT and UPDATE for the system administrators only, DELETE
  and TRUNCATE for nobody; the id sequence is used by the system administrators only. Changes
  are still audited by the statement trigger of migration 0003.
* ``NOTIFY govdesk_changes`` with kind ``organisations`` after every write (the function of
  migration 0019), so open clients refresh their lists of providers.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
EVENTS = (("insert", "INSERT", "NEW TABLE AS new_rows"),
          ("update", "UPDATE", "NEW TABLE AS new_rows"),
          ("delete", "DELETE", "OLD TABLE AS old_rows"))


def _pg_upgrade(bind: sa.engine.Connection) -> None:
    groups = {role: bind.execute(sa.text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one()
              for role in ROLES}
    every = ", ".join(f'"{g}"' for g in groups.values())
    sysadmin = f'"{groups["sysadmin"]}"'
    op.execute(f"REVOKE ALL ON organisations FROM PUBLIC, {every}")
    op.execute(f"GRANT SELECT ON organisations TO {every}")
    op.execute(f"GRANT INSERT, UPDATE ON organisations TO {sysadmin}")
    op.execute(f"REVOKE ALL ON SEQUENCE organisations_id_seq FROM PUBLIC, {every}")
    op.execute(f"GRANT USAGE, SELECT ON SEQUENCE organisations_id_seq TO {sysadmin}")
    for name, event, ref in EVENTS:
        op.execute(f"CREATE TRIGGER organisations_notify_{name} AFTER {event} ON organisations "
                   f"REFERENCING {ref} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION govdesk_notify_changes('organisations', 'id')")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("organisations") as batch:  # ADD COLUMN: no copy on SQLite
        batch.add_column(sa.Column("is_active", sa.Boolean(), server_default=sa.true(),
                                   nullable=False))
    if bind.dialect.name == "postgresql":
        _pg_upgrade(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name, _event, _ref in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS organisations_notify_{name} ON organisations")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("is_active")
