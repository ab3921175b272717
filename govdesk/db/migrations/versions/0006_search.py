"""catalogue search index: resource_search documents, SQLite FTS5 (trigram + bigram) tables kept
in step by triggers, PostgreSQL pg_trgm and bigram GIN indexes; backfilled for existing rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: objects that exist only in the database (not in the ORM metadata)
SQLITE_FTS = ("resource_fts", "resource_bigram_fts")
PG_INDEXES = ("ix_resource_search_text_trgm", "ix_resource_search_bigrams")


# -- frozen copy of govdesk.catalog.search.index.document as of this revision: a migration never
# imports application code, so replaying it gives the same rows whatever the code became
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w]+", re.UNICODE)


def _normalize(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def document(code: str, name: str, summary: str, item_names: Iterable[str]) -> tuple[str, str]:
    """(text, bigram tokens) indexed for one resource."""
    text = _normalize(" ".join((code, name, summary, *item_names)))
    grams = dict.fromkeys(word[i:i + 2] for word in _WORD.findall(text)
                          for i in range(len(word) - 1))
    return text, " ".join(grams)


def _backfill() -> None:
    bind = op.get_bind()
    items: dict[int, list[str]] = {}
    for rid, name in bind.execute(sa.text("SELECT resource_id, name FROM data_items ORDER BY "
                                          "resource_id, seq")):
        items.setdefault(rid, []).append(name)
    rows = []
    for rid, code, name, summary in bind.execute(sa.text(
            "SELECT id, code, name, summary FROM data_resources")):
        text, grams = document(code, name, summary or "", items.get(rid, []))
        rows.append({"resource_id": rid, "text": text, "bigrams": grams})
    if rows:
        table = sa.table("resource_search", sa.column("resource_id"), sa.column("text"),
                         sa.column("bigrams"))
        op.bulk_insert(table, rows)


def upgrade() -> None:
    op.create_table(
        "resource_search",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("bigrams", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["resource_id"], ["data_resources.id"],
                                name=op.f("fk_resource_search_resource_id_data_resources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_resource_search")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_resource_search_text_trgm ON resource_search "
                   "USING gin (text gin_trgm_ops)")
        # a stored array: splitting the text per row at query time made the planner scan
        op.execute("ALTER TABLE resource_search ADD COLUMN bigram_array text[] "
                   "GENERATED ALWAYS AS (string_to_array(bigrams, ' ')) STORED")
        op.execute("CREATE INDEX ix_resource_search_bigrams ON resource_search "
                   "USING gin (bigram_array)")
        op.execute("GRANT SELECT ON resource_search TO govdesk_viewer, govdesk_data_admin, "
                   "govdesk_secadmin")
        op.execute("GRANT INSERT, UPDATE, DELETE ON resource_search TO govdesk_data_admin")
        op.execute("ALTER TABLE resource_search ENABLE ROW LEVEL SECURITY")
        visible = "EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id)"
        mine = ("EXISTS (SELECT 1 FROM data_resources r WHERE r.id = resource_id "
                "AND r.region_code LIKE (SELECT govdesk_scope_prefix()) || '%')")
        op.execute(f"CREATE POLICY resource_search_read ON resource_search FOR SELECT USING ({visible})")
        op.execute(f"CREATE POLICY resource_search_write ON resource_search FOR ALL "
                   f"USING ({mine}) WITH CHECK ({mine})")
    else:
        op.execute("CREATE VIRTUAL TABLE resource_fts USING fts5(text, tokenize='trigram')")
        op.execute("CREATE VIRTUAL TABLE resource_bigram_fts USING fts5(bigrams)")
        for fts, col in (("resource_fts", "text"), ("resource_bigram_fts", "bigrams")):
            op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON resource_search BEGIN "
                       f"INSERT INTO {fts}(rowid, {col}) VALUES (new.resource_id, new.{col}); END")
            op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON resource_search BEGIN "
                       f"DELETE FROM {fts} WHERE rowid = old.resource_id; END")
            op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE ON resource_search BEGIN "
                       f"DELETE FROM {fts} WHERE rowid = old.resource_id; "
                       f"INSERT INTO {fts}(rowid, {col}) VALUES (new.resource_id, new.{col}); END")
    _backfill()


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for fts in SQLITE_FTS:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    op.drop_table("resource_search")
