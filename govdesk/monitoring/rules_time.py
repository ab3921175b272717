"""Rules about when and how much: after-hours access to graded data (by the working calendar),
volume above the user's own baseline, a dormant account suddenly active. Each is a few SQL
aggregates over the window's events; no loop over event rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from govdesk.db.models import MonitorCalendarDay
from govdesk.monitoring.actions import READ_ACTIONS, defined
from govdesk.monitoring.calendar import ZONE, coverage, off_hours
from govdesk.monitoring.hits import Hit, Window, aware, hit
from govdesk.monitoring.kinds import parse_time
from govdesk.monitoring.sqlparts import E, local_day, resource_facts


def in_window(w: Window) -> Any:
    return and_(E.id > w.after_id, E.id <= w.upto_id)


def overrides(s: Session, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """The administrator's calendar corrections between ``start`` and ``end``."""
    rows = s.execute(select(MonitorCalendarDay.day, MonitorCalendarDay.kind).where(
        MonitorCalendarDay.day.between(start, end)))
    return {day: kind for day, kind in rows}


def after_hours(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """Successful reads of resources graded ``min_rank`` or higher outside working time (days
    off of the calendar, or before ``work_start`` / after ``work_end``), per user."""
    if w.start is None or w.end is None:
        return []
    days = (w.start.astimezone(ZONE).date(), w.end.astimezone(ZONE).date())
    ranges = off_hours(w.start, w.end + dt.timedelta(seconds=1), parse_time(p["work_start"]),
                       parse_time(p["work_end"]), overrides(s, *days))
    if not ranges:
        return []
    join, f = resource_facts(s)
    rows = s.execute(
        join(select(E.username, func.count(), func.min(E.ts), func.max(E.ts), func.max(E.id)))
        .where(in_window(w), E.success.is_(True), E.action.in_(defined(READ_ACTIONS)),
                    f.grade_rank >= p["min_rank"],
                    or_(*(and_(E.ts >= a, E.ts < b) for a, b in ranges)))
        .group_by(E.username))
    fallback = coverage(range(days[0].year, days[1].year + 1))
    return [hit(row[0], row[0], None, row, weekend_only_years=fallback) for row in rows]


def volume_baseline(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """Per user and day (CST): the day's accesses (up to the window's end) at least ``minimum``
    and above ``factor`` × the user's daily mean over the ``baseline_days`` before."""
    day = local_day(s, E.ts)
    news = s.execute(select(E.username, day, func.count(), func.min(E.ts), func.max(E.ts),
                            func.max(E.id)).where(in_window(w)).group_by(E.username, day)).all()
    by_day: dict[dt.date, dict[str, Any]] = {}
    for row in news:
        d = row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(row[1])
        by_day.setdefault(d, {})[row[0]] = row
    out: list[Hit] = []
    for d, rows in sorted(by_day.items()):
        out.extend(_volume_day(s, p, w, d, rows))
    return out


def _volume_day(s: Session, p: dict[str, Any], w: Window, d: dt.date,
                rows: dict[str, Any]) -> list[Hit]:
    start = dt.datetime.combine(d, dt.time(), ZONE).astimezone(dt.timezone.utc)
    end = start + dt.timedelta(days=1)
    busy = list(s.scalars(select(E.username).where(
        E.ts >= start, E.ts < end, E.id <= w.upto_id, E.username.in_(list(rows)))
        .group_by(E.username).having(func.count() >= p["minimum"])))
    if not busy:
        return []
    days = p["baseline_days"]
    today = func.sum(case((E.ts >= start, 1), else_=0))
    before = func.sum(case((E.ts < start, 1), else_=0))
    found = s.execute(select(E.username, today, before).where(
        E.username.in_(busy), E.ts >= start - dt.timedelta(days=days), E.ts < end,
        E.id <= w.upto_id).group_by(E.username)
        .having(today > before * p["factor"] / days))
    return [hit(name, name, None, rows[name], day=d.isoformat(), today=int(n),
                baseline=round(int(b) / days, 1)) for name, n, b in found]


def dormant_active(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """Users whose first event in the window follows ``days`` or more without any event, who
    had one before (a new account is not dormant)."""
    first = (select(E.username.label("username"), func.min(E.ts).label("first"),
                    func.count().label("n"), func.max(E.ts).label("last"),
                    func.max(E.id).label("last_id"))
             .where(in_window(w)).group_by(E.username).subquery("firsts"))
    prev = (select(func.max(E.ts)).where(E.username == first.c.username, E.ts < first.c.first)
            .correlate(first).scalar_subquery())
    rows = s.execute(select(first.c.username, prev.label("prev"), first.c.n, first.c.first,
                            first.c.last, first.c.last_id))
    out = []
    gap = dt.timedelta(days=p["days"])
    for row in rows:
        if row.prev is not None and aware(row.first) - aware(row.prev) >= gap:
            out.append(hit(row.username, row.username, None, row,
                           previous=aware(row.prev).isoformat(),
                           idle_days=(aware(row.first) - aware(row.prev)).days))
    return out
