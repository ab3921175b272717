"""Rules about single accesses: bursts of denials, the first access to a high-grade resource,
bulk exports, a login from a new host. SQL aggregates (a window function for the bursts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from govdesk.monitoring.actions import (
    DENIAL_ACTIONS,
    EXPORT_ACTIONS,
    LOGIN_ACTIONS,
    READ_ACTIONS,
    defined,
)
from govdesk.monitoring.hits import Hit, Window, hit
from govdesk.monitoring.rules_time import in_window
from govdesk.monitoring.sqlparts import E, epoch, resource_facts


def denied() -> Any:
    """SQL: the event is a refusal (failed, or an action that is one)."""
    actions = defined(DENIAL_ACTIONS)
    return or_(E.success.is_(False), E.action.in_(actions)) if actions else E.success.is_(False)


def denial_burst(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """Users with ``count`` or more denials within ``minutes``: every denial of the window is
    counted with the user's denials of the ``minutes`` before it (reaching back before the
    window, so a burst split by two runs is still seen)."""
    if w.start is None:
        return []
    seconds = int(p["minutes"]) * 60
    since = w.start - dt.timedelta(seconds=seconds)
    running = func.count().over(partition_by=E.username, order_by=epoch(s, E.ts),
                                range_=(-seconds, 0))
    burst = (select(E.id, E.username, E.ts, running.label("n"))
             .where(denied(), E.ts >= since, E.id <= w.upto_id).subquery("burst"))
    rows = s.execute(select(burst.c.username, func.max(burst.c.n), func.count(),
                            func.min(burst.c.ts), func.max(burst.c.ts), func.max(burst.c.id))
                     .where(burst.c.id > w.after_id, burst.c.n >= p["count"])
                     .group_by(burst.c.username))
    return [hit(row[0], row[0], None, row, most_in_window=int(row[1]), minutes=p["minutes"])
            for row in rows]


def first_high_grade(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """A user's first successful read of a resource graded ``min_rank`` or higher (no
    successful read of it by them before the first one in the window), per user and resource:
    the window's reads are grouped into pairs first, so the look back runs once per pair."""
    join, f = resource_facts(s)
    pairs = (join(select(E.username.label("username"), E.resource_id.label("resource_id"),
                         func.max(f.grade_rank).label("rank"), func.count().label("n"),
                         func.min(E.ts).label("first"), func.max(E.ts).label("last"),
                         func.max(E.id).label("last_id")))
             .where(in_window(w), E.success.is_(True), E.action.in_(defined(READ_ACTIONS)),
                    f.grade_rank >= p["min_rank"])
             .group_by(E.username, E.resource_id).subquery("pairs"))
    before = aliased(E)
    earlier = exists().where(
        before.resource_id == pairs.c.resource_id, before.username == pairs.c.username,
        before.success.is_(True), before.ts < pairs.c.first)
    rows = s.execute(select(pairs.c.username, pairs.c.resource_id, pairs.c.rank, pairs.c.n,
                            pairs.c.first, pairs.c.last, pairs.c.last_id).where(~earlier))
    return [hit(f"{row[0]}:{row[1]}", row[0], row[1], row, grade_rank=row[2]) for row in rows]


def bulk_export(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """Exports and downloads of more than ``rows`` rows, per user."""
    rows = s.execute(
        select(E.username, func.max(E.row_count), func.sum(E.row_count), func.count(),
               func.min(E.ts), func.max(E.ts), func.max(E.id))
        .where(in_window(w), E.success.is_(True), E.action.in_(defined(EXPORT_ACTIONS)),
               E.row_count > p["rows"])
        .group_by(E.username))
    return [hit(row[0], row[0], None, row, largest=int(row[1]), rows=int(row[2]))
            for row in rows]


def new_host(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """A user's first event from a client host (logins when the vocabulary has a login action,
    else any event), for users seen before (a new account's first host is not news), per user."""
    logins = defined(LOGIN_ACTIONS)
    kind = E.action.in_(logins) if logins else E.id.is_not(None)
    pairs = (select(E.username.label("username"), E.client_host.label("host"),
                    func.min(E.ts).label("first"), func.count().label("n"),
                    func.max(E.ts).label("last"), func.max(E.id).label("last_id"))
             .where(in_window(w), kind, E.client_host.is_not(None))
             .group_by(E.username, E.client_host).subquery("pairs"))
    before = aliased(E)
    seen_host = exists().where(before.username == pairs.c.username,
                               before.client_host == pairs.c.host, before.ts < pairs.c.first)
    seen_user = exists().where(before.username == pairs.c.username, before.ts < pairs.c.first)
    rows = s.execute(
        select(pairs.c.username, func.count(), func.min(pairs.c.host), func.sum(pairs.c.n),
               func.min(pairs.c.first), func.max(pairs.c.last), func.max(pairs.c.last_id))
        .where(~seen_host, seen_user).group_by(pairs.c.username))
    return [hit(row[0], row[0], None, row, hosts=int(row[1]), example_host=row[2])
            for row in rows]
