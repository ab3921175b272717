"""The dashboard's access figures (``govdesk.monitoring.rollups``) equal the GROUP BY over the
raw events on both databases: on PostgreSQL read from the rollups the database keeps as events
arrive (migration 0035), on SQLite computed from the one table."""

from __future__ import annotations

import collections
import datetime as dt

import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models.sharing import GRANT_ZONE
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.monitoring.rollups import access_over_time, top_resources, top_users
from govdesk.security import access_log
from govdesk.security.access_log import Event

UTC = dt.timezone.utc


def _raw(db: Database) -> list[tuple[dt.datetime, str, bool, int, str, int | None, int | None]]:
    with db.engine.connect() as c:
        rows = c.execute(text("SELECT ts, action, success, row_count, username, "
                              "organisation_id, resource_id FROM access_events")).all()
    out = []
    for ts, action, ok, n, user, org, res in rows:
        ts = ts if isinstance(ts, dt.datetime) else dt.datetime.fromisoformat(str(ts))
        out.append((ts if ts.tzinfo else ts.replace(tzinfo=UTC), action, bool(ok), n, user,
                    org, res))
    return out


def test_figures_equal_the_group_by_over_raw_events(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(demo_db)
    db, auditor = a.login("auditor")
    writer_db, writer = a.login("data_admin", region="330100")
    for k in range(60):  # events arriving after the load: the trigger keeps the rollups
        access_log.record(writer_db, writer, Event("view" if k % 2 else "query", row_count=k,
                                                   success=k % 5 != 3,
                                                   failure="denied" if k % 5 == 3 else None))
    raw = _raw(demo_db)
    first = min(r[0] for r in raw).replace(minute=0, second=0, microsecond=0)
    until = max(r[0] for r in raw).replace(minute=0, second=0, microsecond=0) \
        + dt.timedelta(hours=1)
    hourly = collections.Counter()
    for ts, action, _ok, _n, _u, _o, _r in raw:
        hourly[(ts.astimezone(UTC).replace(minute=0, second=0, microsecond=0), action)] += 1
    got = access_over_time(db, auditor, first, until, by="action")
    assert {(b.start.astimezone(UTC), b.key): b.events for b in got} == dict(hourly)
    by_result = access_over_time(db, auditor, first, until, by="result", bucket="day")
    days = collections.Counter((ts.astimezone(GRANT_ZONE).date(), "granted" if ok else "refused")
                               for ts, _a, ok, *_rest in raw)
    assert {(b.start.date(), b.key): b.events for b in by_result} == dict(days)
    since_day, until_day = min(days)[0], max(days)[0] + dt.timedelta(days=1)
    users = collections.Counter(r[4] for r in raw)
    top = top_users(db, auditor, since_day, until_day, limit=5)
    assert [t.events for t in top] == sorted(users.values(), reverse=True)[:5]
    assert {t.key: t.events for t in top}.items() <= users.items()
    assert top_users(db, auditor, since_day, until_day, limit=1000)[0].events == max(
        users.values())
    assert (top[0].key, top[0].events, top[0].refused, top[0].rows) == (
        writer.username, 60, 12, sum(range(60)))  # the busiest user of the day
    resources = collections.Counter(str(r[6]) if r[6] is not None else "" for r in raw)
    best = top_resources(db, auditor, since_day, until_day, limit=3)
    assert [t.events for t in best] == sorted(resources.values(), reverse=True)[:3]


def test_who_may_read_and_bad_periods(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(demo_db)
    now = dt.datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for role in ("viewer", "data_admin", "sysadmin"):
        db, who = a.login(role)
        with pytest.raises(PermissionDenied):
            access_over_time(db, who, now - dt.timedelta(days=1), now)
    db, sec = a.login("secadmin")
    with pytest.raises(InputRejected):
        access_over_time(db, sec, now, now - dt.timedelta(hours=1))
    with pytest.raises(InputRejected):
        access_over_time(db, sec, now - dt.timedelta(hours=1), now, by="grade")
    with pytest.raises(InputRejected):
        access_over_time(db, sec, now.replace(tzinfo=None), now)
