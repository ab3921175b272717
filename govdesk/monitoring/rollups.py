"""Access over time, top users and top resources, for the dashboard (issue 15).

On PostgreSQL these read the rollups that the database keeps as events arrive (migration
0035): ``access_rollups_hourly`` (hour, action, success), ``access_rollups_daily`` (day in UTC+8, the
sharing calendar's day; organisation, action, success), ``access_rollups_users_daily`` and
``access_rollups_resources_daily`` (day; user or resource, success). On SQLite (one demo table) the same figures come from a GROUP BY over
``access_events``. Either way the numbers equal the GROUP BY over the raw events
(``tests/test_access_rollups.py``); the rollups keep counting events whose partition was
archived, so the dashboard's history outlives the retention period.

Readable with ACCESS_LOG_READ (security administrators and auditors), as the events are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models.sharing import GRANT_ZONE
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "access events and their rollups are not catalogue rows (no regional scope applies)"

#: what :func:`access_over_time` may split by, as its SQL key
BY = {"action": "action", "result": "success", "organisation": "organisation_id"}
BUCKETS = ("hour", "day")


@dataclass(frozen=True)
class Bucket:
    """Events in one hour (UTC start) or day (UTC+8) for one value of the split."""

    start: dt.datetime
    key: str  #: the action code, ``granted``/``refused``, or the organisation id ('' = none)
    events: int
    rows: int


@dataclass(frozen=True)
class Top:
    """One user or resource with its event counts over the period."""

    key: str  #: the user name, or the resource id ('' = none)
    organisation_id: int | None
    events: int
    refused: int
    rows: int


def _key(by: str, value: Any) -> str:
    if by == "result":
        return "granted" if value else "refused"
    return "" if value is None else str(value)


def _aware(value: Any, bucket: str) -> dt.datetime:
    """A bucket's start as an aware time: an hour in UTC, a day at midnight UTC+8."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    start: dt.datetime = value
    if start.tzinfo:
        return start
    return start.replace(tzinfo=GRANT_ZONE if bucket == "day" else dt.timezone.utc)


def _over_time_sql(postgres: bool, by: str, bucket: str) -> str:
    column = BY[by]
    if postgres and bucket == "hour":
        return (f"SELECT hour AS b, {column} AS k, sum(events), sum(row_total) "
                "FROM access_rollups_hourly WHERE hour >= :since AND hour < :until "
                "GROUP BY 1, 2 ORDER BY 1, 2")
    if postgres:
        return (f"SELECT day AS b, {column} AS k, sum(events), sum(row_total) "
                "FROM access_rollups_daily WHERE day >= :since_day AND day < :until_day "
                "AND (CAST(:org AS integer) IS NULL OR organisation_id = :org) "
                "GROUP BY 1, 2 ORDER BY 1, 2")
    start = "substr(ts, 1, 13) || ':00:00'" if bucket == "hour" else "date(ts, '+8 hours')"
    return (f"SELECT {start} AS b, {column} AS k, count(*), sum(row_count) "
            "FROM access_events WHERE ts >= :since AND ts < :until "
            "AND (:org IS NULL OR organisation_id = :org) GROUP BY 1, 2 ORDER BY 1, 2")


def _bounds(db: Database, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    """``since`` and ``until`` (aware) as the database compares them: SQLite holds naive UTC
    text."""
    if since.tzinfo is None or until.tzinfo is None:
        raise InputRejected("access_period_naive")
    if until <= since:
        raise InputRejected("access_period_empty")
    if db.is_postgres:  # the days that hold since and until (for the daily rollup)
        return {"since": since, "until": until,
                "since_day": since.astimezone(GRANT_ZONE).date(),
                "until_day": (until - dt.timedelta(microseconds=1)).astimezone(GRANT_ZONE)
                .date() + dt.timedelta(days=1)}
    utc = dt.timezone.utc
    return {"since": since.astimezone(utc).replace(tzinfo=None).isoformat(" "),
            "until": until.astimezone(utc).replace(tzinfo=None).isoformat(" ")}


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHY)
def access_over_time(db: Database, who: Identity, since: dt.datetime, until: dt.datetime,
                     by: str = "action", bucket: str = "hour",
                     organisation_id: int | None = None) -> list[Bucket]:
    """Events and rows per ``bucket`` (``hour``: whole UTC hours; ``day``: days in UTC+8)
    from ``since`` (inclusive) to ``until`` (exclusive; both aware; on PostgreSQL whole hours
    for ``hour`` and, for ``day``, the whole days that hold them), split ``by`` action or
    result, or per day also by organisation or for one organisation. Raises InputRejected for
    an unknown split or bucket, an hourly split by organisation, an empty period;
    PermissionDenied."""
    if by not in BY or bucket not in BUCKETS:
        raise InputRejected("access_split_unknown", by=by, bucket=bucket)
    if bucket == "hour" and (by == "organisation" or organisation_id is not None):
        raise InputRejected("access_hourly_not_by_organisation")
    params = _bounds(db, since, until) | {"org": organisation_id}
    with db.session() as s:
        rows = s.execute(text(_over_time_sql(db.is_postgres, by, bucket)), params).all()
    return [Bucket(_aware(b, bucket), _key(by, k), int(n), int(r or 0)) for b, k, n, r in rows]


def _top_sql(postgres: bool, users: bool) -> str:
    key = "username" if users else "resource_id"
    group, org = ("username, organisation_id", "organisation_id") if users else \
        ("resource_id", "NULL")
    if postgres:
        table = "access_rollups_users_daily" if users else "access_rollups_resources_daily"
        return (f"SELECT {key}, {org}, sum(events) AS n, sum(events) FILTER (WHERE NOT success)"
                f", sum(row_total) FROM {table} WHERE day >= :since AND day < :until "
                f"GROUP BY {group} ORDER BY n DESC, {key} LIMIT :limit")
    return (f"SELECT {key}, {org}, count(*) AS n, sum(CASE WHEN success THEN 0 ELSE 1 END), "
            f"sum(row_count) FROM access_events WHERE date(ts, '+8 hours') >= :since AND "
            f"date(ts, '+8 hours') < :until GROUP BY {group} ORDER BY n DESC, {key} "
            "LIMIT :limit")


def _top(db: Database, since: dt.date, until: dt.date, limit: int, users: bool) -> list[Top]:
    if until <= since:
        raise InputRejected("access_period_empty")
    params: dict[str, Any] = {"since": since, "until": until, "limit": max(1, min(limit, 1000))}
    if not db.is_postgres:
        params |= {"since": since.isoformat(), "until": until.isoformat()}
    with db.session() as s:
        rows = s.execute(text(_top_sql(db.is_postgres, users)), params).all()
    return [Top("" if k is None else str(k), org, int(n), int(bad or 0), int(r or 0))
            for k, org, n, bad, r in rows]


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHY)
def top_users(db: Database, who: Identity, since: dt.date, until: dt.date,
              limit: int = 10) -> list[Top]:
    """The users with most events from day ``since`` to day ``until`` (exclusive; days in
    UTC+8), with their refusals and rows. Raises InputRejected, PermissionDenied."""
    return _top(db, since, until, limit, users=True)


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHY)
def top_resources(db: Database, who: Identity, since: dt.date, until: dt.date,
                  limit: int = 10) -> list[Top]:
    """The resources with most events over the days (as :func:`top_users`); ``key`` is the
    resource id ('' for events that named none: logins, queries), ``organisation_id`` None.
    Raises InputRejected, PermissionDenied."""
    return _top(db, since, until, limit, users=False)
