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

Failed actions are audited (``success = false``): ``govdesk_audit`` (migration 0016) accepts two
more client event types, ``permission_denied`` (a service refused the caller's role) and
``action_failed`` (a save, accept or other change that failed), and only as failures.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
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


#: migration 0016's client events, and the failures a client reports from now on
CLIENT_EVENTS_0016 = ("login", "session_locked", "data_change", "export", "unmask",
                      "permission_change", "audit_export", "audit_verify", "audit_anchor",
                      "settings_change")
FAILURE_EVENTS = ("permission_denied", "action_failed")

#: migration 0016's govdesk_audit with the event list as a parameter and, for the failure
#: events, the rule that they are failures
AUDIT = r"""
CREATE OR REPLACE FUNCTION govdesk_audit(p_event text, p_object_type text, p_object_id text,
    p_success boolean, p_client_host text, p_detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT (EXISTS (SELECT 1 FROM govdesk_whoami()) OR govdesk_is_owner()) THEN
    RAISE EXCEPTION 'only GovDesk users of this database write its audit trail'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event IS NULL OR NOT p_event = ANY (@EVENTS@) THEN
    RAISE EXCEPTION 'audit event type % is written only by the database itself', p_event
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_event = 'login' AND (p_object_id IS DISTINCT FROM session_user::text
                            OR p_object_type IS DISTINCT FROM 'user' OR NOT p_success) THEN
    RAISE EXCEPTION 'a login is reported only by the user who logged in'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  @FAILURES@
  RETURN govdesk_audit_as(session_user::text, p_event, p_object_type, left(p_object_id, 100),
                          p_success, left(p_client_host, 255), p_detail);
END $$;
"""
FAILURE_RULE = """IF p_event = ANY (ARRAY['permission_denied', 'action_failed'])
     AND p_success IS DISTINCT FROM false THEN
    RAISE EXCEPTION 'event % records a failure: success must be false', p_event
      USING ERRCODE = 'invalid_parameter_value';
  END IF;"""


def _audit_function(events: tuple[str, ...], failure_rule: str) -> str:
    return AUDIT.replace("@EVENTS@", "ARRAY[" + ", ".join(f"'{e}'" for e in events) + "]") \
        .replace("@FAILURES@", failure_rule)


GENERIC_FIELDS_KEY = "catalog.authority_generic_fields"
GENERIC_FIELDS = ("备注 说明 描述 序号 主键 状态 附件 数据来源 经度 纬度 审核人 审核时间 审核日期 审核意见 "
                  "创建人 创建时间 创建日期 修改人 修改时间 更新人 更新时间 更新日期 录入人 录入时间 "
                  "填报人 填报时间 填报日期 数据更新人 数据更新时间 记录创建时间 记录更新时间 "
                  "最后修改时间 操作人 操作时间 数据质量标记")


def _as_audit_owner(sql: str) -> None:
    """Run ``sql`` (replacing ``govdesk_audit``) as a member of ``<prefix>_audit``, which owns
    the audit functions (migration 0016); the membership lasts for this statement only, as in
    migration 0017."""
    bind = op.get_bind()
    runner = bind.execute(sa.text("SELECT current_user")).scalar_one()
    prefix = bind.execute(sa.text("SELECT prefix FROM govdesk_instance")).scalar_one()
    audit_owner = f"{prefix}_audit"
    op.execute("SELECT pg_advisory_xact_lock(hashtext('govdesk_audit_chain'))")
    op.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{audit_owner}"')
    op.execute(f'GRANT "{audit_owner}" TO "{runner}"')
    op.execute(sql)
    op.execute(f'REVOKE CREATE ON SCHEMA public FROM "{audit_owner}"')
    op.execute(f'REVOKE "{audit_owner}" FROM "{runner}"')


def upgrade() -> None:
    settings = sa.table("settings", sa.column("key"), sa.column("value"), sa.column("scope"),
                        sa.column("description"), sa.column("version"))
    op.bulk_insert(settings, [{
        "key": GENERIC_FIELDS_KEY, "value": GENERIC_FIELDS, "scope": "system", "version": 1,
        "description": "Generic data item names the one-source report ignores"}])
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: govdesk.security.masking masks in Python
    op.execute(MASK_JSON)  # CREATE OR REPLACE keeps the functions' owner and grants
    _as_audit_owner(_audit_function(CLIENT_EVENTS_0016 + FAILURE_EVENTS, FAILURE_RULE))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM settings WHERE key = :k").bindparams(k=GENERIC_FIELDS_KEY))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(MASK_JSON_0015)
    _as_audit_owner(_audit_function(CLIENT_EVENTS_0016, ""))
