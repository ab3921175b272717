"""Planted access patterns for the monitoring tests: a demo database whose own events are behind
every rule's watermark, facts to plant against (resources by grade, organisations by region),
and helpers to plant events as the owner (who writes rows as given) and to read the alerts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, insert, select, update

from govdesk.db.engine import Database
from govdesk.db.models import (
    AccessEvent,
    DataResource,
    Grade,
    MonitorAlert,
    MonitorWatermark,
    Organisation,
)
from govdesk.security.identity import Identity, region_prefix

CST = dt.timezone(dt.timedelta(hours=8))


def cst(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    """A time in China Standard Time, as UTC."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=CST).astimezone(dt.timezone.utc)


class Plant:
    """Plant events on ``db`` (the owner's handle) and read what the rules made of them."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.tag = uuid.uuid4().hex[:6]
        with db.session() as s:
            r, g = DataResource, Grade
            by_rank = s.execute(select(r.id, r.region_code, g.rank).join(g, g.id == r.grade_id)
                                .order_by(r.id)).all()
            self.orgs = {row[1]: row[0] for row in s.execute(
                select(Organisation.id, Organisation.code))}
            self.org_region = {row[0]: row[1] for row in s.execute(
                select(Organisation.id, Organisation.region_code))}
        self.resources = by_rank
        self.high = next(row for row in by_rank if row[2] >= 40)  #: (id, region, rank)
        self.low = next(row for row in by_rank if row[2] < 30)
        self.graded = next(row for row in by_rank if row[2] >= 30)

    def user(self, name: str) -> str:
        return f"p{self.tag}_{name}"

    def orgs_reading(self, resource_region: str, own: bool) -> list[int]:
        """The organisations that read a resource of ``resource_region`` as their own region's
        (``own``), or that do not."""
        return [oid for oid, region in sorted(self.org_region.items())
                if resource_region.startswith(region_prefix(region)) == own]

    def behind(self) -> int:
        """Move every rule's watermark to the newest event (what is there is history)."""
        with self.db.session() as s:
            top = int(s.scalar(select(func.coalesce(func.max(AccessEvent.id), 0))) or 0)
            s.execute(update(MonitorWatermark).values(last_event_id=top))
        return top

    def events(self, *rows: dict[str, Any]) -> None:
        """Insert events: each a dict with at least ``username`` and ``ts``."""
        base = {"action": "query", "row_count": 1, "success": True, "client_host": "10.0.0.1",
                "resource_id": self.low[0], "organisation_id": None, "role_code": "viewer"}
        with self.db.session() as s:
            s.execute(insert(AccessEvent), [{**base, **r} for r in rows])

    def alerts(self, rule: str | None = None) -> list[MonitorAlert]:
        with self.db.session() as s:
            query = select(MonitorAlert).where(MonitorAlert.username.like(f"p{self.tag}_%"))
            if rule:
                query = query.where(MonitorAlert.rule_code == rule)
            rows = list(s.scalars(query.order_by(MonitorAlert.id)))
            s.expunge_all()
            return rows

    def fired(self, rule: str) -> set[str]:
        """The planted users (short names) with an alert of ``rule``."""
        cut = len(f"p{self.tag}_")
        return {str(a.username)[cut:] for a in self.alerts(rule)}


def secadmin(db: Database, accounts: Any) -> tuple[Database, Identity]:
    """A real security administrator's login (province-wide)."""
    handle, who = accounts.login("secadmin")
    return handle, who
