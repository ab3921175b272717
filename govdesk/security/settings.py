"""Configuration values: security settings (security administrator) and system settings
(system administrator). Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from govdesk.db.engine import Database
from govdesk.db.models import Setting
from govdesk.errors import InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op

#: settings whose value must be an integer in this range
INT_RANGES = {
    "security.lockout_attempts": (1, 100),
    "security.lockout_window_minutes": (1, 1440),
    "security.lockout_minutes": (1, 10080),
    "security.idle_lock_minutes": (1, 480),
    "security.audit_retention_days": (180, 36500),
}


@dataclass(frozen=True)
class SettingInfo:
    key: str
    value: str
    scope: str
    description: str | None
    version: int


@service(Op.CONFIG_EDIT, Op.SECURITY_POLICY)
def list_settings(db: Database, who: Identity) -> list[SettingInfo]:
    """All settings (system and security administrators)."""
    with db.session() as s:
        return [SettingInfo(x.key, x.value, x.scope, x.description, x.version)
                for x in s.scalars(select(Setting).order_by(Setting.key))]


@service(Op.CONFIG_EDIT, Op.SECURITY_POLICY, writes=True)
def update_setting(db: Database, who: Identity, key: str, value: str) -> SettingInfo:
    """Change one setting. Security settings need ``security.policy``, system ones
    ``config.edit`` (the declaration lets either in; the setting's scope decides here).
    Raises InputRejected for an unknown key or an out-of-range value."""
    with db.session() as s:
        setting = s.get(Setting, key)
        if setting is None:
            raise InputRejected(f"There is no setting {key}.")
        who.require(Op.SECURITY_POLICY if setting.scope == "security" else Op.CONFIG_EDIT)
        if key in INT_RANGES:
            low, high = INT_RANGES[key]
            if not value.strip().isdigit() or not low <= int(value) <= high:
                raise InputRejected(f"{key} must be a whole number from {low} to {high}.")
            value = str(int(value))
        old = setting.value
        setting.value = value
        setting.updated_by = who.username
        s.flush()
        audit.record(s, who, EventType.SETTINGS_CHANGE, object_type="settings", object_id=key,
                     detail={"from": old, "to": value})
        return SettingInfo(setting.key, setting.value, setting.scope, setting.description,
                           setting.version)
