"""Documented demo accounts, one per role, for the embedded SQLite demo database only.

They are listed on the login screen. They are never created on PostgreSQL: there every
account is a server login role that an administrator creates with ``govdesk users add``.
"""

from __future__ import annotations

from sqlalchemy import select

from govdesk.db.engine import Database
from govdesk.db.models import Organisation, User
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.passwords import hash_password

DEMO_PASSWORD = "Demo-2026!"

#: username, role, region (None = province-wide), display name
DEMO_USERS = (
    ("demo_sysadmin", "sysadmin", None, "演示系统管理员"),
    ("demo_secadmin", "secadmin", None, "演示安全管理员"),
    # a second one: grants of data graded 一般数据4级 and above need two different approvers
    ("demo_secadmin2", "secadmin", None, "演示安全管理员（第二审批人）"),
    ("demo_auditor", "auditor", None, "演示审计管理员"),
    ("demo_data_admin", "data_admin", None, "演示数据管理员（全省）"),
    ("demo_hz_data_admin", "data_admin", "330100000000", "演示数据管理员（杭州市）"),
    ("demo_viewer", "viewer", None, "演示查看者"),
)


def add_demo_users(db: Database) -> list[str]:
    """Create the demo accounts (SQLite only); returns their names."""
    if db.is_postgres:
        return []
    owner = Identity.local_owner()
    password_hash = hash_password(DEMO_PASSWORD)
    with db.session() as s:
        orgs = {o.region_code: o.id for o in s.scalars(
            select(Organisation).where(Organisation.kind == "federation"))}
        for name, role, region, display in DEMO_USERS:
            s.add(User(username=name, display_name=display, role_code=role, region_code=region,
                       organisation_id=orgs.get(region or "330000000000"),
                       password_hash=password_hash))
            s.flush()
            audit.record(s, owner, EventType.USER_CREATED, object_type="user", object_id=name,
                         detail={"role": role, "region": region, "demo": True})
    return [u[0] for u in DEMO_USERS]


def demo_users_present(db: Database) -> list[str]:
    """Names of the demo accounts that exist in ``db``."""
    with db.session() as s:
        names = [u[0] for u in DEMO_USERS]
        return list(s.scalars(select(User.username).where(User.username.in_(names))))
