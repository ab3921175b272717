"""The monitoring dashboard (监测看板, issue 15): everything one refresh shows, in one call.

:func:`dashboard` returns a :class:`Dashboard` for a :class:`Period` (today, the last 7 or 30
days, or custom days; days in UTC+8, the sharing calendar's): access over time by action and
by result (the denials are its refused series), the top users and resources, grading coverage,
the grants expiring soonest, the alerts not yet closed by severity and every backup policy's
health (:func:`govdesk.backup.health.health`). Every figure is a SQL aggregate: the
access figures come from the events lane's rollups (:mod:`govdesk.monitoring.rollups`), grading
coverage from :func:`govdesk.catalog.classification.coverage.coverage`, the expiring grants are
:func:`govdesk.sharing.alerts.list_alerts` rows (one per grant, soonest first, no counting here).

All reads go through ``db.reading()`` (the read replica when one is attached). A part the
caller's role may not read (an auditor has no catalogue or sharing operations) is
:data:`NOT_PERMITTED` rather than an error, so the dashboard shows what the role may see.
Readable with MONITOR_READ (security administrators and auditors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from sqlalchemy import select

from govdesk.catalog.classification.coverage import Coverage, coverage
from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Organisation
from govdesk.db.models.sharing import GRANT_ZONE, grant_day
from govdesk.db.replica import ReadSource, read_source
from govdesk.errors import InputRejected
from govdesk.monitoring.rollups import Bucket, Top, access_over_time, top_resources, top_users
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op
from govdesk import vocab
from govdesk.backup.health import PolicyHealth, health
from govdesk.monitoring.alert_dto import AlertFilter
from govdesk.monitoring.alerts import count_alerts
from govdesk.sharing.alerts import GrantAlert, list_alerts

PERIODS = ("today", "7d", "30d", "custom")
#: a part the caller's role may not read
NOT_PERMITTED = "not_permitted"
READY = "ready"
State = str  #: READY or NOT_PERMITTED
#: top users / resources listed, expiring grants listed at most
TOP = 10
EXPIRING = 20
#: custom periods at most this many days (the daily rollups make longer ones cheap, but a
#: chart of more bars than this is unreadable)
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Whole days in UTC+8 from ``first`` to ``last`` (both inclusive)."""

    kind: str
    first: dt.date
    last: dt.date

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), GRANT_ZONE)

    @property
    def until(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), GRANT_ZONE)

    @property
    def bucket(self) -> str:
        """``hour`` for periods of up to two days, else ``day``."""
        return "hour" if (self.last - self.first).days < 2 else "day"


def period(kind: str, first: dt.date | None = None, last: dt.date | None = None,
           today: dt.date | None = None) -> Period:
    """The period ``kind`` (:data:`PERIODS`) ending today (the sharing calendar's day), or for
    ``custom`` the days ``first`` to ``last``. Raises InputRejected for an unknown kind, a
    custom period without both days, ending before it starts or longer than MAX_DAYS."""
    day = today or grant_day()
    if kind == "today":
        return Period(kind, day, day)
    if kind in ("7d", "30d"):
        return Period(kind, day - dt.timedelta(days=int(kind[:-1]) - 1), day)
    if kind != "custom":
        raise InputRejected("dashboard_period_unknown", period=kind)
    if first is None or last is None or last < first:
        raise InputRejected("access_period_empty")
    if (last - first).days >= MAX_DAYS:
        raise InputRejected("dashboard_period_too_long", days=MAX_DAYS)
    return Period(kind, first, last)


@dataclass(frozen=True)
class Named:
    """A top user or resource with the names to show (``None``: not readable by the role)."""

    top: Top
    name: str | None
    organisation: str | None


@dataclass(frozen=True)
class AlertCount:
    """Alerts of one severity not yet closed: open, and acknowledged but not closed."""

    severity: str
    open: int
    acknowledged: int


@dataclass(frozen=True)
class Dashboard:
    """One refresh of the dashboard. ``*_state`` says whether a part is :data:`READY`,
    :data:`NOT_PERMITTED` (the caller's role may not read it)."""

    period: Period
    by_action: tuple[Bucket, ...]
    by_result: tuple[Bucket, ...]  #: keys ``granted`` and ``refused``: the denials
    top_users: tuple[Named, ...]
    top_resources: tuple[Named, ...]
    coverage: Coverage | None
    coverage_state: State
    expiring: tuple[GrantAlert, ...]
    expiring_state: State
    alerts: tuple[AlertCount, ...]  #: by severity, highest first
    alerts_state: State
    backup: tuple[PolicyHealth, ...]  #: every backup policy's health
    backup_state: State
    source: ReadSource  #: where the figures were read (``source.text(lang)`` says it)

    @property
    def events(self) -> int:
        return sum(b.events for b in self.by_result)

    @property
    def refused(self) -> int:
        return sum(b.events for b in self.by_result if b.key == "refused")


def _names(db: Database, who: Identity, users: list[Top], resources: list[Top]
           ) -> tuple[tuple[Named, ...], tuple[Named, ...]]:
    """Organisation names for the users, resource names where the role reads the catalogue
    (the kernel and row-level security narrow them as for any catalogue read)."""
    org_ids = {t.organisation_id for t in users if t.organisation_id is not None}
    res_ids = [int(t.key) for t in resources if t.key.isdigit()]
    with db.session() as s:
        orgs = {int(i): str(n) for i, n in s.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids)))} \
            if org_ids else {}
        names: dict[int, str] = {}
        if res_ids and who.can(Op.CATALOG_READ):
            names = {int(i): str(n) for i, n in s.execute(
                select(DataResource.id, DataResource.name).where(DataResource.id.in_(res_ids)))}
    return (tuple(Named(t, None, orgs.get(t.organisation_id or -1)) for t in users),
            tuple(Named(t, names.get(int(t.key)) if t.key.isdigit() else None, None)
                  for t in resources))


def _expiring(db: Database, who: Identity) -> tuple[tuple[GrantAlert, ...], State]:
    if not (who.can(Op.SHARING_DECIDE) or who.can(Op.SHARING_REQUEST)):
        return (), NOT_PERMITTED
    found = list_alerts(db, who, kinds=["expiring"])
    return tuple(sorted(found, key=lambda a: (a.due, a.grant_id))[:EXPIRING]), READY


def _alerts(db: Database, who: Identity) -> tuple[tuple[AlertCount, ...], State]:
    """The alerts not yet closed, by severity (SQL counts, one per severity and state)."""
    found = tuple(AlertCount(sev, count_alerts(db, who, AlertFilter(state="open", severity=sev)),
                             count_alerts(db, who, AlertFilter(state="acknowledged",
                                                               severity=sev)))
                  for sev in reversed(vocab.MONITOR_SEVERITY.codes))
    return found, READY


def _backup(db: Database, who: Identity) -> tuple[tuple[PolicyHealth, ...], State]:
    """Every backup policy's health, for the roles that may read it (security and system
    administrators); the auditor's dashboard says it is not theirs to see."""
    if not (who.can(Op.BACKUP_READ) or who.can(Op.BACKUP_MANAGE)):
        return (), NOT_PERMITTED
    return tuple(health(db, who)), READY


@service(Op.MONITOR_READ)
def dashboard(db: Database, who: Identity, when: Period | None = None) -> Dashboard:
    """Everything the dashboard shows for ``when`` (default: the last 7 days), read through
    ``db.reading()``. Raises PermissionDenied; DatabaseUnavailable when the replica is not
    reachable (reads do not move to the primary silently)."""
    span = when or period("7d")
    handle = db.reading()
    action = access_over_time(handle, who, span.since, span.until, by="action",
                              bucket=span.bucket)
    result = access_over_time(handle, who, span.since, span.until, by="result",
                              bucket=span.bucket)
    end = span.last + dt.timedelta(days=1)
    users = top_users(handle, who, span.first, end, TOP)
    resources = top_resources(handle, who, span.first, end, TOP)
    named_users, named_resources = _names(handle, who, users, resources)
    graded = coverage(handle, who) if who.can(Op.CATALOG_READ) else None
    expiring, expiring_state = _expiring(handle, who)
    alerts, alerts_state = _alerts(handle, who)
    backup, backup_state = _backup(handle, who)
    return Dashboard(span, tuple(action), tuple(result), named_users, named_resources, graded,
                     READY if graded is not None else NOT_PERMITTED, expiring, expiring_state,
                     alerts, alerts_state, backup, backup_state, read_source(db))
