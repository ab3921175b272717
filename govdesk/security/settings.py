"""Database settings: security settings (security administrator) and system settings (system
administrator), as declared in the registry :mod:`govdesk.settings`. Every change is checked
against its declaration (type, range, length) and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.changes import SETTINGS, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import Setting as SettingRow
from govdesk.errors import InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op
from govdesk.settings import REGISTRY, Scope, Setting, database_setting

T = TypeVar("T")


@dataclass(frozen=True)
class SettingInfo:
    key: str
    value: str
    scope: str
    description: str | None
    version: int


def read_setting(session: Session, setting: Setting[T]) -> T:
    """The value of the database setting ``setting`` in ``session``: its declared default when
    the row is missing or its value is not valid for the declaration."""
    assert setting.scope is Scope.DATABASE, setting.key
    return setting.read(session.scalar(select(SettingRow.value)
                                       .where(SettingRow.key == setting.key)))


@service(Op.CONFIG_EDIT, Op.SECURITY_POLICY)
def list_settings(db: Database, who: Identity) -> list[SettingInfo]:
    """The declared database settings as stored (system and security administrators)."""
    with db.session() as s:
        return [SettingInfo(x.key, x.value, x.scope, x.description, x.version)
                for x in s.scalars(select(SettingRow).order_by(SettingRow.key))
                if x.key in REGISTRY]


@service(Op.CONFIG_EDIT, Op.SECURITY_POLICY, writes=True)
def update_setting(db: Database, who: Identity, key: str, value: str) -> SettingInfo:
    """Change one database setting. Security settings need ``security.policy``, system ones
    ``config.edit``. Raises InputRejected for an unknown key or a value its declaration refuses
    (the message names the setting and its range); the value is stored in canonical form."""
    setting = database_setting(key)
    who.require(Op.SECURITY_POLICY if setting.section == "security" else Op.CONFIG_EDIT)
    stored = setting.canonical(value)
    with db.session() as s:
        row = s.get(SettingRow, key)
        if row is None:  # a database this GovDesk did not migrate
            raise InputRejected("no_such_setting", key=key)
        old = row.value
        row.value = stored
        row.updated_by = who.username
        s.flush()
        announce.note(s, Changed.of(SETTINGS, [key]))
        audit.record(s, who, EventType.SETTINGS_CHANGE, object_type="settings", object_id=key,
                     detail={"from": old, "to": stored})
        return SettingInfo(row.key, row.value, row.scope, row.description, row.version)
