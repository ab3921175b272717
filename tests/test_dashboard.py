"""The dashboard's one-call service (``govdesk.monitoring.dashboard``) on both databases: its
access figures equal the GROUP BY over the raw events for a planted set of events, each part
says whether it is ready, not permitted for the role or not available yet, and the period is
checked."""

from __future__ import annotations

import collections
import datetime as dt

import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models.sharing import GRANT_ZONE, grant_day
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.monitoring.dashboard import (
    NOT_PERMITTED,
    READY,
    dashboard,
    period,
)
from govdesk.security import access_log
from govdesk.security.access_log import Event

UTC = dt.timezone.utc


def _raw_since(db: Database, since: dt.datetime) -> list[tuple[dt.datetime, str, bool, str]]:
    with db.engine.connect() as c:
        rows = c.execute(text("SELECT ts, action, success, username FROM access_events")).all()
    out = []
    for ts, action, ok, user in rows:
        ts = ts if isinstance(ts, dt.datetime) else dt.datetime.fromisoformat(str(ts))
        ts = ts if ts.tzinfo else ts.replace(tzinfo=UTC)
        if ts >= since:
            out.append((ts, action, bool(ok), user))
    return out


def _plant(a) -> str:  # type: ignore[no-untyped-def]
    writer_db, writer = a.login("data_admin", region="330100")
    for k in range(40):
        access_log.record(writer_db, writer, Event(("query", "view", "export")[k % 3],
                                                   row_count=k, success=k % 4 != 1,
                                                   failure="denied" if k % 4 == 1 else None))
    return str(writer.username)


def test_figures_equal_the_raw_group_by(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(demo_db)
    planted = _plant(a)
    for role in ("secadmin", "auditor"):
        db, who = a.login(role)
        today = dashboard(db, who, period("today"))
        raw = _raw_since(demo_db, today.period.since)
        hourly = collections.Counter(
            (ts.astimezone(UTC).replace(minute=0, second=0, microsecond=0), action)
            for ts, action, _ok, _u in raw)
        assert {(b.start.astimezone(UTC), b.key): b.events for b in today.by_action} == \
            dict(hourly)
        assert today.refused == sum(1 for r in raw if not r[2]) >= 10
        assert today.events == len(raw) >= 40
        users = collections.Counter(r[3] for r in raw)
        assert [n.top.events for n in today.top_users] == \
            sorted(users.values(), reverse=True)[:10]
        assert planted in {n.top.key for n in today.top_users}
        week = dashboard(db, who, period("7d"))
        assert week.period.bucket == "day"
        raw = _raw_since(demo_db, week.period.since)
        days = collections.Counter((ts.astimezone(GRANT_ZONE).date(),
                                    "granted" if ok else "refused") for ts, _a, ok, _u in raw)
        assert {(b.start.date(), b.key): b.events for b in week.by_result} == dict(days)
        assert week.alerts_state == READY
        assert week.backup_state == (READY if role == "secadmin" else NOT_PERMITTED)
        assert [c.severity for c in week.alerts] == ["high", "medium", "low"]
        assert (len(week.backup) >= 1) is (role == "secadmin")  # the demo's policies' health
        assert week.source.replica is False


def test_parts_follow_the_role(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(demo_db)
    db, sec = a.login("secadmin")
    seen = dashboard(db, sec)
    assert (seen.coverage_state, seen.expiring_state) == (READY, READY)
    assert seen.coverage is not None and seen.coverage.total.resources > 0
    assert all(e.kind == "expiring" for e in seen.expiring)
    assert [e.due for e in seen.expiring] == sorted(e.due for e in seen.expiring)
    db, auditor = a.login("auditor")
    audited = dashboard(db, auditor)
    assert (audited.coverage_state, audited.expiring_state) == (NOT_PERMITTED, NOT_PERMITTED)
    assert audited.coverage is None and audited.expiring == ()
    assert audited.backup_state == NOT_PERMITTED and audited.alerts_state == READY
    assert all(n.name is None for n in audited.top_resources)  # no catalogue for auditors
    for role in ("viewer", "data_admin", "sysadmin"):
        db, who = a.login(role)
        with pytest.raises(PermissionDenied):
            dashboard(db, who)


def test_periods() -> None:
    day = dt.date(2026, 3, 10)
    assert period("today", today=day).bucket == "hour"
    week = period("7d", today=day)
    assert (week.first, week.last, week.bucket) == (dt.date(2026, 3, 4), day, "day")
    assert period("30d", today=day).first == dt.date(2026, 2, 9)
    custom = period("custom", dt.date(2026, 1, 1), dt.date(2026, 1, 2))
    assert custom.until - custom.since == dt.timedelta(days=2)
    assert custom.since.utcoffset() == dt.timedelta(hours=8)
    for bad in (("year", None, None), ("custom", day, None), ("custom", day, day.replace(day=1)),
                ("custom", dt.date(2024, 1, 1), dt.date(2025, 1, 1))):
        with pytest.raises(InputRejected):
            period(*bad)
    assert period("7d").last == grant_day()
