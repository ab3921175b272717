"""SQL pieces the rules share, the same on both databases: an event's time as seconds, its day
in China Standard Time, and the catalogue facts of every resource (region, grade rank), read on
PostgreSQL through ``govdesk_monitor_resources()`` (0037) because a security administrator's own
row-level security shows only their region's resources.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, cast, func, literal_column, select
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


def resource_facts(s: Session) -> Any:
    """A selectable of every resource: ``id``, ``region_code``, ``grade_rank`` (None: ungraded),
    ``status``, ``sharing_type``."""
    if under_rls(s):
        return func.govdesk_monitor_resources().table_valued(
            "id", "region_code", "grade_rank", "status", "sharing_type").alias("facts")
    r = DataResource
    return (select(r.id, r.region_code, Grade.rank.label("grade_rank"), r.status, r.sharing_type)
            .outerjoin(Grade, Grade.id == r.grade_id).subquery("facts"))
