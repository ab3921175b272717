"""Failed actions in the audit trail (issue 13): a refused permission and a failed save are
recorded with success=False, in a transaction of their own (never rolled back with the failed
one), by codes only; on PostgreSQL the database takes the two failure events from clients only
as failures (migration 0024)."""

from __future__ import annotations

import json

import psycopg2
import pytest
from sqlalchemy import select

from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, save_resource
from govdesk.catalog.classification.suggestions import decide
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, DataResource
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType


def _failures(db: Database, username: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(
            AuditEvent.username == username, AuditEvent.success.is_(False),
            AuditEvent.event_type.in_((EventType.PERMISSION_DENIED, EventType.ACTION_FAILED)))
            .order_by(AuditEvent.id)))


def _draft(**changes: object) -> ResourceDraft:
    base = ResourceDraft(
        name="审计失败测试", category_code="201", provider_org_id=1, region_code="330100000000",
        format="database", sharing_type="conditional", sharing_condition="仅用于测试",
        open_type="none", update_cycle="monthly", summary="测试。",
        items=(ItemDraft("姓名", "C", 50, grade_code="general4"),))
    return ResourceDraft(**{**base.__dict__, **changes})


def test_a_refused_permission_is_recorded(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, admin = accounts_for(demo_db).login("data_admin")
    with pytest.raises(PermissionDenied):
        decide(db, admin, 1, accept=True)  # deciding is the security administrator's
    (event,) = _failures(demo_db, admin.username)
    assert event.event_type == "permission_denied" and event.success is False
    detail = json.loads(event.detail or "{}")
    assert detail["service"] == "catalog.classification.suggestions.decide"
    assert detail["error"] == "not_allowed"  # the message code, not its text
    assert audit.verify(demo_db).ok


def test_a_failed_save_is_recorded_and_not_rolled_back(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, admin = accounts_for(demo_db).login("data_admin")
    with demo_db.session() as s:
        before = s.scalar(select(DataResource.id).order_by(DataResource.id.desc()).limit(1))
    with pytest.raises(InputRejected):
        save_resource(db, admin, _draft(name="", items=(ItemDraft("", "C", 50),)))
    with demo_db.session() as s:  # nothing saved
        assert s.scalar(select(DataResource.id).order_by(DataResource.id.desc()).limit(1)) \
            == before
    (event,) = _failures(demo_db, admin.username)
    assert event.event_type == "action_failed"
    detail = json.loads(event.detail or "{}")
    assert detail["service"] == "catalog.editing.resources.save_resource"
    assert detail["problems"] and "审计失败测试" not in (event.detail or "")  # codes only
    assert audit.verify(demo_db).ok


@pytest.mark.postgres
def test_the_database_takes_failure_events_only_as_failures(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    who = accounts.add("viewer")
    conn = accounts.connect(who.username)
    try:
        with conn.cursor() as cur:
            for event in ("permission_denied", "action_failed"):
                cur.execute("SELECT govdesk_audit(%s, NULL, NULL, false, 'h', '{}')", (event,))
                with pytest.raises(psycopg2.errors.InvalidParameterValue):
                    cur.execute("SELECT govdesk_audit(%s, NULL, NULL, true, 'h', '{}')",
                                (event,))
                conn.rollback()
        conn.commit()
    finally:
        conn.close()


def test_a_failure_to_record_never_hides_the_error(sqlite_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db, admin = accounts_for(sqlite_demo_db).login("data_admin")

    def broken(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(PermissionDenied):  # the user's error, not the recorder's
        decide(db, admin, 1, accept=True)
