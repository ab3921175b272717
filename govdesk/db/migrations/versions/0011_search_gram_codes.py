"""PostgreSQL: the bigram index holds 64-bit integers instead of text (``grams bigint[]``), so
each row a search visits is checked with integer comparisons (see docs/architecture.md,
"Search path"). SQLite is unchanged (its bigrams live in an FTS5 table).

A bigram's code is its UTF-8 bytes read as one big-endian 64-bit integer: two characters take at
most 8 bytes and text never holds a zero byte, so the code is exact (no two bigrams share one),
and ``govdesk_gram_codes`` computes it inside the database for both the stored column and the
query, so the two can never disagree.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRAM_CODES = """
CREATE OR REPLACE FUNCTION govdesk_gram_codes(grams text) RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(
           ('x' || lpad(encode(convert_to(g, 'UTF8'), 'hex'), 16, '0'))::bit(64)::bigint),
         '{}')
  FROM unnest(string_to_array(grams, ' ')) AS g
  WHERE g <> ''
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(GRAM_CODES)
    op.execute("GRANT EXECUTE ON FUNCTION govdesk_gram_codes(text) TO PUBLIC")
    # drop first: the rewrite that adding a stored column causes then leaves the old array out
    op.execute("DROP INDEX IF EXISTS ix_resource_search_bigrams")
    op.execute("ALTER TABLE resource_search DROP COLUMN IF EXISTS bigram_array")
    op.execute("ALTER TABLE resource_search ADD COLUMN grams bigint[] "
               "GENERATED ALWAYS AS (govdesk_gram_codes(bigrams)) STORED")
    op.execute("CREATE INDEX ix_resource_search_grams ON resource_search USING gin (grams)")
    op.execute("ANALYZE resource_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_resource_search_grams")
    op.execute("ALTER TABLE resource_search DROP COLUMN IF EXISTS grams")
    op.execute("DROP FUNCTION IF EXISTS govdesk_gram_codes(text)")
    op.execute("ALTER TABLE resource_search ADD COLUMN bigram_array text[] "
               "GENERATED ALWAYS AS (string_to_array(bigrams, ' ')) STORED")
    op.execute("CREATE INDEX ix_resource_search_bigrams ON resource_search "
               "USING gin (bigram_array)")
