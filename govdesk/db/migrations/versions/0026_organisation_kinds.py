"""more kinds of organisation: the departments a federation shares data with beyond the first
four (公安, 医疗保障, 住房和城乡建设, 统计, 政务数据管理) and 其他部门 for the rest

The kinds are a CHECK constraint over ``govdesk.vocab.ORG_KIND`` (a non-native enum, migration
0001; a sharing grant's scope names a kind too, migration 0025), and the longest new code is
longer than the column: on PostgreSQL the constraint is
replaced and the column widened in place; on SQLite, which cannot alter a constraint, the table
is rebuilt (batch mode), with foreign-key enforcement off around the migration as SQLite's own
procedure asks (see ``env.py``), so the rows that refer to an organisation keep referring to it.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: frozen here: the kinds before and after (the vocabulary's codes at the time of writing)
OLD = ("federation", "education", "civil_affairs", "hrss", "health")
NEW = OLD + ("public_security", "medical_security", "housing", "statistics", "data_bureau",
             "other")


def _kinds(codes: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*codes, name="org_kind", native_enum=False, create_constraint=True,
                   length=max(len(c) for c in codes))


#: the columns that hold an organisation kind: the organisation's own, and a sharing grant's
#: scope ("every federation under 杭州市", migration 0025)
COLUMNS = (("organisations", "kind", False), ("sharing_grants", "scope_org_kind", True))


def _change(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, nullable in COLUMNS:
        constraint = f"ck_{table}_org_kind"
        if postgres:
            listed = ", ".join(f"'{c}'" for c in new)
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar("
                       f"{max(len(c) for c in new)})")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} "
                       f"CHECK ({column} IN ({listed}))")
            continue
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.alter_column(column, existing_type=_kinds(old), type_=_kinds(new),
                               existing_nullable=nullable)


def upgrade() -> None:
    _change(OLD, NEW)


def downgrade() -> None:
    if op.get_bind().execute(sa.text(
            "SELECT count(*) FROM organisations WHERE kind NOT IN :old").bindparams(
                sa.bindparam("old", expanding=True)), {"old": list(OLD)}).scalar_one():
        raise RuntimeError("organisations of the new kinds exist: change their kind first")
    _change(NEW, OLD)
