"""SQL pieces the rules share, the same on both databases: an event's time as seconds, its day
in China Standard Time, and the catalogue facts of every resource (region, grade rank), read on
PostgreSQL through ``govdesk_monitor_resources()`` (0037) because a security administrator's own
row-level security shows only their region's resources.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Date, cast, func, literal_column
from sqlalchemy.orm import Session

from govdesk.db.models import AccessEvent, DataResource, Grade
from govdesk.security.kernel import under_rls

E = AccessEvent


def is_pg(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def epoch(s: Session, column: Any) -> Any:
    """``column`` (a timestamp) as seconds since 1970 (a number to order a RANGE window by)."""
    if is_pg(s):
        return func.extract("epoch", column)
    return (func.julianday(column) - 2440587.5) * 86400.0


def local_day(s: Session, column: Any) -> Any:
    """The day of ``column`` in China Standard Time, as a date (PostgreSQL) or ISO text (SQLite)."""
    if is_pg(s):
        return cast(func.timezone("Asia/Shanghai", column), Date)
    return func.date(column, literal_column("'+8 hours'"))


@dataclass(frozen=True)
class Facts:
    """The catalogue columns the rules read of an event's resource."""

    region_code: Any
    grade_rank: Any


def resource_facts(s: Session) -> tuple[Callable[[Any], Any], Facts]:
    """How to join each event's resource (``E.resource_id``) to a query, and its columns: on
    PostgreSQL under row-level security ``govdesk_monitor_resources()`` (every resource, for a
    security administrator only), else the tables themselves (a join SQLite plans with the
    primary key; a sub-query would be scanned for every event)."""
    if under_rls(s):
        f = func.govdesk_monitor_resources().table_valued(
            "id", "region_code", "grade_rank", "status", "sharing_type").alias("facts")
        return (lambda q: q.join(f, f.c.id == E.resource_id)), Facts(f.c.region_code,
                                                                     f.c.grade_rank)
    r, g = DataResource, Grade
    return ((lambda q: q.join(r, r.id == E.resource_id).outerjoin(g, g.id == r.grade_id)),
            Facts(r.region_code, g.rank))
