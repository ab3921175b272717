"""The alert workflow on both databases as real logins: folding, idempotent runs, open ->
acknowledged -> closed with a disposition, history and audit rows, hit rates, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, MonitorAlert
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.monitoring.alerts import (
    acknowledge,
    alert_detail,
    annotate,
    assign,
    close_alert,
    count_alerts,
    list_alerts,
)
from govdesk.monitoring.alert_dto import AlertFilter
from govdesk.monitoring.rates import hit_rates
from govdesk.monitoring.run import run_rules
from monitor_world import Plant, cst


@pytest.fixture
def world(demo_db: Database, accounts_for):  # type: ignore[no-untyped-def]
    p = Plant(demo_db)
    p.behind()
    accounts = accounts_for(demo_db)
    p.login = accounts.login("secadmin")  # type: ignore[attr-defined]
    p.auditor = accounts.login("auditor")  # type: ignore[attr-defined]
    p.viewer = accounts.login("viewer")  # type: ignore[attr-defined]
    return p


def export(p: Plant, name: str, rows: int = 9000, day: int = 1) -> None:
    p.events({"username": p.user(name), "ts": cst(2026, 12, day), "action": "export",
              "row_count": rows})


def test_repeats_fold_and_a_second_run_adds_nothing(world: Plant) -> None:
    export(world, "x")
    first = run_rules(*world.login)  # type: ignore[attr-defined]
    assert {r.code: r.raised for r in first.rules}["bulk_export"] == 1
    again = run_rules(*world.login)  # type: ignore[attr-defined]
    assert again.raised == 0 and again.folded == 0
    assert all(r.events == 0 for r in again.rules)
    export(world, "x", 7000, day=2)
    export(world, "x", 8000, day=3)
    third = run_rules(*world.login)  # type: ignore[attr-defined]
    assert {r.code: (r.raised, r.folded) for r in third.rules}["bulk_export"] == (0, 1)
    (alert,) = world.alerts("bulk_export")
    assert (alert.count, alert.hits, alert.state) == (3, 2, "open")
    assert alert.first_seen.replace(tzinfo=dt.timezone.utc) == cst(2026, 12, 1) or \
        alert.first_seen == cst(2026, 12, 1)


def test_the_workflow_with_history_and_audit(world: Plant) -> None:
    db, who = world.login  # type: ignore[attr-defined]
    export(world, "y")
    run_rules(db, who)
    (alert,) = world.alerts("bulk_export")
    with pytest.raises(InputRejected, match="cannot be closed"):
        close_alert(db, who, alert.id, "benign")  # open -> closed skips a step
    acked = acknowledge(db, who, alert.id, note="正在核实", assignee=who.username)
    assert acked.alert.state == "acknowledged" and acked.alert.acknowledged_by == who.username
    assert acked.alert.assignee == who.username
    annotate(db, who, alert.id, "已联系该用户所在单位")
    with pytest.raises(InputRejected, match="disposition"):
        close_alert(db, who, alert.id, "maybe")
    with pytest.raises(InputRejected, match="security administrator"):
        assign(db, who, alert.id, "nobody_of_that_name")
    done = close_alert(db, who, alert.id, "false_positive", note="为年度统计导出，已报备")
    assert done.alert.state == "closed" and done.alert.disposition == "false_positive"
    assert done.alert.closed_by == who.username and done.alert.closed_at is not None
    steps = [(h.from_state, h.to_state) for h in done.history]
    assert steps == [(None, "open"), ("open", "acknowledged"), ("acknowledged", "acknowledged"),
                     ("acknowledged", "closed")]
    assert done.history[-1].note == "为年度统计导出，已报备"
    assert all(h.actor for h in done.history)
    with pytest.raises(InputRejected, match="cannot be"):
        acknowledge(db, who, alert.id)
    with world.db.session() as s:
        audited = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event_type == "monitor_alert", AuditEvent.object_id == str(alert.id)))
    assert audited == 4
    # a closed alert is never reopened: the next hit raises a new one
    export(world, "y", day=5)
    run_rules(db, who)
    assert [a.state for a in world.alerts("bulk_export")] == ["closed", "open"]


def test_reading_filters_and_hit_rates(world: Plant) -> None:
    db, who = world.login  # type: ignore[attr-defined]
    export(world, "a")
    export(world, "b")
    run_rules(db, who)
    first, second = world.alerts("bulk_export")
    acknowledge(db, who, first.id)
    close_alert(db, who, first.id, "true_positive")
    adb, auditor = world.auditor  # type: ignore[attr-defined]
    mine = [a for a in list_alerts(adb, auditor, AlertFilter(rule="bulk_export"))
            if a.username and a.username.startswith(f"p{world.tag}")]
    assert {a.state for a in mine} == {"closed", "open"}
    assert count_alerts(adb, auditor, AlertFilter(rule="bulk_export", state="open")) >= 1
    assert alert_detail(adb, auditor, second.id).alert.kind == "bulk_export"
    rate = {r.code: r for r in hit_rates(adb, auditor, 30)}["bulk_export"]
    assert (rate.raised, rate.closed, rate.true_positive, rate.precision) == (2, 1, 1, 1.0)
    with pytest.raises(InputRejected):
        list_alerts(adb, auditor, AlertFilter(state="maybe"))
    with pytest.raises(PermissionDenied):
        acknowledge(adb, auditor, second.id)
    with pytest.raises(PermissionDenied):
        list_alerts(*world.viewer)  # type: ignore[attr-defined]
    with world.db.session() as s:
        assert s.get(MonitorAlert, second.id).state == "open"  # type: ignore[union-attr]
