"""Every guarded service operation, tried by every role, on both databases.

On PostgreSQL each role acts through its own login (a real server role in its group role), so
an operation the service allows must also pass the database's grants and row-level security.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from govdesk.catalog.search.browse import ResourceFilter, count_resources, get_resource, list_resources
from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, load_draft, save_resource
from govdesk.catalog.profiling.samples import sample_rows
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.audit_read import (
    AuditFilter,
    archive_events,
    export_events,
    list_events,
    verify_chain,
)
from govdesk.security.auth import unlock_user
from govdesk.security.identity import Identity, identity_from_connection
from govdesk.security.roles import ALLOWED, Op, Role
from govdesk.security.settings import list_settings, update_setting
from govdesk.security.users import create_user, list_users

ROLES = ["sysadmin", "secadmin", "auditor", "data_admin", "viewer"]
RESOURCE_WITH_SAMPLES = 1  # 101/000001, a base-population resource with personal data


def operations(tmp: Path, other: str) -> dict[str, tuple[set[str], Callable[[Database, Identity], object]]]:
    """operation name -> (roles allowed, call)."""
    def allowed(op: Op) -> set[str]:
        return {r.value for r in ALLOWED[op]}

    return {
        "catalog.count": (allowed(Op.CATALOG_READ),
                          lambda db, who: count_resources(db, who, ResourceFilter())),
        "catalog.list": (allowed(Op.CATALOG_READ),
                         lambda db, who: list_resources(db, who, ResourceFilter(), 0, 10)),
        "catalog.detail": (allowed(Op.CATALOG_READ), lambda db, who: get_resource(db, who, 1)),
        "catalog.create": (allowed(Op.CATALOG_EDIT), lambda db, who: save_resource(
            db, who, ResourceDraft(
                name=f"测试资源{uuid.uuid4().hex[:6]}", category_code="203", provider_org_id=1,
                region_code="330000000000", format="spreadsheet", sharing_type="unconditional",
                open_type="unconditional", update_cycle="yearly",
                items=(ItemDraft("岗位名称", "C", 100, grade_code="general1"),)))),
        "catalog.update": (allowed(Op.CATALOG_EDIT), lambda db, who: save_resource(
            db, who, dataclasses.replace(load_draft(db, who, 2)[0], summary="修订"),
            resource_id=2, base_version=load_draft(db, who, 2)[1])),
        "samples.masked": (allowed(Op.SAMPLES_READ),
                           lambda db, who: sample_rows(db, who, RESOURCE_WITH_SAMPLES)),
        "samples.unmasked": (allowed(Op.PERSONAL_DATA_UNMASKED),
                             lambda db, who: sample_rows(db, who, RESOURCE_WITH_SAMPLES,
                                                         unmask=True, reason="核对残疾人证")),
        "users.create": (allowed(Op.USERS_MANAGE), lambda db, who: create_user(
            db, who, f"n{uuid.uuid4().hex[:10]}", Role.VIEWER, "Fresh-Passw0rd!")),
        "users.list": ({"sysadmin", "secadmin", "auditor"}, lambda db, who: list_users(db, who)),
        "users.unlock": (allowed(Op.USERS_MANAGE),
                         lambda db, who: unlock_user(db, who, other)),
        "settings.list": ({"sysadmin", "secadmin"}, lambda db, who: list_settings(db, who)),
        "settings.security": (allowed(Op.SECURITY_POLICY), lambda db, who: update_setting(
            db, who, "security.idle_lock_minutes", "20")),
        "settings.system": (allowed(Op.CONFIG_EDIT), lambda db, who: update_setting(
            db, who, "system.site_name", "杭州市残疾人联合会")),
        "audit.list": (allowed(Op.AUDIT_READ),
                       lambda db, who: list_events(db, who, AuditFilter(), 0, 50)),
        "audit.verify": (allowed(Op.AUDIT_READ), lambda db, who: verify_chain(db, who)),
        "audit.export": (allowed(Op.AUDIT_EXPORT), lambda db, who: export_events(
            db, who, AuditFilter(), tmp / f"{uuid.uuid4().hex}.csv")),
        # nothing in a fresh demo is old enough: an allowed role gets "nothing to archive"
        "audit.archive": (allowed(Op.AUDIT_ARCHIVE), lambda db, who: archive_events(
            db, who, dt.datetime.now(dt.timezone.utc), tmp / f"{uuid.uuid4().hex}.csv")),
    }


@pytest.fixture
def acting(demo_db: Database, accounts_for):  # type: ignore[no-untyped-def]
    """role -> (database handle as that role, identity)."""
    accounts = accounts_for(demo_db)
    result = {}
    for role in ROLES:
        who = accounts.add(role)
        if demo_db.is_postgres:
            db = Database(accounts.url_for(who.username))
            who = identity_from_connection(db)
        else:
            db = demo_db
        result[role] = (db, who)
    yield result
    for db, _who in result.values():
        if db is not demo_db:
            db.dispose()


def test_role_operation_matrix(acting, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    # unlocking another account (the database refuses anyone their own)
    other = acting["viewer"][1].username
    for name, (allowed, call) in operations(tmp_path, other).items():
        for role in ROLES:
            db, who = acting[role]
            try:
                call(db, who)
                outcome = "allowed"
            except PermissionDenied:
                outcome = "denied"
            except InputRejected as exc:  # passed the permission check, then refused the input
                outcome = "allowed" if "old" in str(exc) else f"error: {exc}"
            expected = "allowed" if role in allowed else "denied"
            if outcome != expected:
                wrong.append(f"{name} by {role}: {outcome}, expected {expected}")
    assert wrong == []


def test_the_three_administrators_are_separate() -> None:
    trio = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
    assert {r for r in Role if r.is_admin_trio} == trio
    # no operation is shared between the system administrator and the auditor
    for op, roles in ALLOWED.items():
        assert not ({Role.SYSADMIN, Role.AUDITOR} <= roles), op
    # only the auditor and security administrator read the audit trail; nobody else
    assert ALLOWED[Op.AUDIT_READ] == {Role.AUDITOR, Role.SECADMIN}


def test_samples_are_masked_unless_unmasked_by_a_cleared_role(acting) -> None:  # type: ignore[no-untyped-def]
    db, who = acting["data_admin"]
    masked = sample_rows(db, who, RESOURCE_WITH_SAMPLES)
    plain = sample_rows(db, who, RESOURCE_WITH_SAMPLES, unmask=True, reason="核对残疾人证")
    col = masked.columns.index("公民身份号码")
    assert "公民身份号码" in masked.masked and "姓名" in masked.masked
    assert "性别" not in masked.masked  # general-2 items are not masked by the default scheme
    for m, p in zip(masked.rows, plain.rows):
        assert m[col] == p[col][:6] + "********" + p[col][14:]
    events = list_events(acting["secadmin"][0], acting["secadmin"][1],
                         AuditFilter(event_type="unmask"), 0, 10)
    assert [e.username for e in events] == [who.username]


def test_regional_user_sees_only_their_region(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    hz = accounts.add("viewer", region="330100")
    db = Database(accounts.url_for(hz.username)) if demo_db.is_postgres else demo_db
    try:
        rows = list_resources(db, hz, ResourceFilter(), 0, 500)
        assert rows and count_resources(db, hz, ResourceFilter()) == len(rows)
        assert all(r.id in _hangzhou_ids(demo_db) for r in rows)
        province_rows = count_resources(demo_db, Identity("p", Role.VIEWER), ResourceFilter())
        assert len(rows) < province_rows
    finally:
        if db is not demo_db:
            db.dispose()


def _hangzhou_ids(db: Database) -> set[int]:
    """Hangzhou's resources (the test user has no organisation, so nothing is shared)."""
    from sqlalchemy import select

    from govdesk.db.models import DataResource

    with db.session() as s:
        return set(s.scalars(select(DataResource.id).where(DataResource.region_code.like("3301%"))))
