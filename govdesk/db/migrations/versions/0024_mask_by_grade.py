"""masked columns hide every value: a number, a boolean or a list stored in a masked column of
a sample row is hidden (``****``), whatever the column's masker

``govdesk_mask_json`` (migration 0015) passed any JSON value that is not a string unchanged
unless the masker was ``other``: a citizen ID stored as a JSON number in a column graded for
masking (an 18-digit number, valid or not) was returned in full by ``govdesk_samples``. Masking
follows the column's grade, not the value's type or validity: now ``null`` stays ``null``, a
string is masked by its masker (``govdesk_mask``, unchanged) and every other value becomes
``"****"``, exactly as ``govdesk.security.masking.mask`` does (tests/test_samples_db.py
compares both).

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MASK_JSON = r"""
CREATE OR REPLACE FUNCTION govdesk_mask_json(p_kind text, p_value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_value IS NULL OR jsonb_typeof(p_value) = 'null' THEN 'null'::jsonb
    WHEN jsonb_typeof(p_value) = 'string' THEN to_jsonb(govdesk_mask(p_kind, p_value #>> '{}'))
    ELSE '"****"'::jsonb END
$$;
"""

#: migration 0015's definition, for the downgrade
MASK_JSON_0015 = r"""
CREATE OR REPLACE FUNCTION govdesk_mask_json(p_kind text, p_value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_value IS NULL OR jsonb_typeof(p_value) = 'null' THEN 'null'::jsonb
    WHEN jsonb_typeof(p_value) = 'string' THEN to_jsonb(govdesk_mask(p_kind, p_value #>> '{}'))
    WHEN p_kind = 'other' THEN '"****"'::jsonb
    ELSE p_value END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: govdesk.security.masking masks in Python
    op.execute(MASK_JSON)  # CREATE OR REPLACE keeps the function's owner and grants


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(MASK_JSON_0015)
