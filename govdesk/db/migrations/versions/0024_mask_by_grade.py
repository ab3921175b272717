"""masked columns hide every value: a number, a boolean or a list stored in a masked column of
a sample row is hidden (``****``), whatever the column's masker; the 一数一源 stop list

``govdesk_mask_json`` (migration 0015) passed any JSON value that is not a string unchanged
unless the masker was ``other``: a citizen ID stored as a JSON number in a column graded for
masking (an 18-digit number, valid or not) was returned in full by ``govdesk_samples``. Masking
follows the column's grade, not the value's type or validity: now ``null`` stays ``null``, a
string is masked by its masker (``govdesk_mask``, unchanged) and every other value becomes
``"****"``, exactly as ``govdesk.security.masking.mask`` does (tests/test_samples_db.py
compares both).

The setting ``catalog.authority_generic_fields`` (a system setting, edited in the settings
panel and audited like the others) lists the generic data item names (备注, 审核人, 经度 …) that
the one-source report does not count as sources of the same data; seeded here on both
databases with the registry's default (``govdesk.settings``, frozen here).

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
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


GENERIC_FIELDS_KEY = "catalog.authority_generic_fields"
GENERIC_FIELDS = ("备注 说明 描述 序号 主键 状态 附件 数据来源 经度 纬度 审核人 审核时间 审核日期 审核意见 "
                  "创建人 创建时间 创建日期 修改人 修改时间 更新人 更新时间 更新日期 录入人 录入时间 "
                  "填报人 填报时间 填报日期")


def upgrade() -> None:
    settings = sa.table("settings", sa.column("key"), sa.column("value"), sa.column("scope"),
                        sa.column("description"), sa.column("version"))
    op.bulk_insert(settings, [{
        "key": GENERIC_FIELDS_KEY, "value": GENERIC_FIELDS, "scope": "system", "version": 1,
        "description": "Generic data item names the one-source report ignores"}])
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: govdesk.security.masking masks in Python
    op.execute(MASK_JSON)  # CREATE OR REPLACE keeps the function's owner and grants


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM settings WHERE key = :k").bindparams(k=GENERIC_FIELDS_KEY))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(MASK_JSON_0015)
