"""The working calendar the after-hours rule judges by: weekends, the public holidays and the
make-up working days (调休) of the State Council's official calendar, then an administrator's
corrections (``monitor_calendar_days``), which win.

The official days come from the ``chinesecalendar`` package (import name ``chinese_calendar``),
which knows the years :data:`OFFICIAL_YEARS` (2004–2026 in version 1.11). For a year it does not
know, only weekends are days off until an administrator enters that year's holidays and make-up
days as corrections; :func:`coverage` says which years those are, and the rule's hits say so.

Times are China Standard Time (UTC+8, no daylight saving), the zone the grant day uses too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants

from govdesk.db.models.sharing import GRANT_ZONE

ZONE = GRANT_ZONE
#: the years the installed official calendar knows
OFFICIAL_YEARS = range(min(constants.holidays).year, max(constants.holidays).year + 1)


@dataclass(frozen=True)
class DayKind:
    """One day: a working day or not, and where that was decided (``official``, ``override``,
    ``weekend_fallback`` for a year the official calendar does not know)."""

    day: dt.date
    working: bool
    source: str


def day_kind(day: dt.date, overrides: Mapping[dt.date, str]) -> DayKind:
    """Whether ``day`` is a working day: an override (``holiday``/``workday``) first, then the
    official calendar, else Monday to Friday."""
    if day in overrides:
        return DayKind(day, overrides[day] == "workday", "override")
    if day.year in OFFICIAL_YEARS:
        return DayKind(day, bool(chinese_calendar.is_workday(day)), "official")
    return DayKind(day, day.weekday() < 5, "weekend_fallback")


def coverage(years: range | list[int]) -> list[int]:
    """Of ``years``, those the official calendar does not know (weekends only there)."""
    return [y for y in years if y not in OFFICIAL_YEARS]


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, ZONE).astimezone(dt.timezone.utc)


def off_hours(start: dt.datetime, end: dt.datetime, work_start: dt.time, work_end: dt.time,
              overrides: Mapping[dt.date, str]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The UTC intervals ``[from, to)`` between ``start`` and ``end`` outside working time:
    whole days off, and before ``work_start`` / after ``work_end`` on working days (adjacent
    intervals merged), so a query can match them with plain range conditions on ``ts``."""
    out: list[tuple[dt.datetime, dt.datetime]] = []
    day = start.astimezone(ZONE).date()
    last = end.astimezone(ZONE).date()
    while day <= last:
        midnight, next_midnight = _at(day, dt.time()), _at(day + dt.timedelta(days=1), dt.time())
        if day_kind(day, overrides).working:
            pieces = [(midnight, _at(day, work_start)), (_at(day, work_end), next_midnight)]
        else:
            pieces = [(midnight, next_midnight)]
        for a, b in pieces:
            if out and out[-1][1] == a:
                out[-1] = (out[-1][0], b)
            elif a < b:
                out.append((a, b))
        day += dt.timedelta(days=1)
    return [(max(a, start), min(b, end)) for a, b in out if b > start and a < end]
