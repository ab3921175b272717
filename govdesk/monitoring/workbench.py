"""The access-log review workbench (访问日志审查): filtered pages of access events by key, their
count (an estimate when large), one event in detail, and the filter bar's choices.

**Who and what.** Security administrators and auditors (:attr:`Op.ACCESS_LOG_READ`) read the
whole access log, like the audit trail (``security/audit_read.py``): ``access_events`` has no
row-level security, PostgreSQL grants it whole to both groups, and a review of a city's
organisations is a filter (``organisation_id``), not a scope. Resource codes, names and grades
come from migration 0036's views (every resource, also to auditors, who hold no grant on the
catalogue, and to a regional security administrator, whose row-level security would hide
another region's names), so both databases show the same. The services declare
``scope=Scope.NONE`` for this reason.

**Paging.** Newest first (``ts DESC, id DESC``), by key (:mod:`govdesk.db.keyset`'s
``Seek``/``KeyPage``; the SQL is in :mod:`govdesk.monitoring.queries`): a page 100,000 rows
deep costs what the first page costs (``bench/access_page.py``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdesk.db.engine import Database
from govdesk.db.keyset import KeyPage, Seek
from govdesk.db.models import AccessEvent, AccessReview, AccessReviewEvent, Organisation, Region
from govdesk.errors import InputRejected
from govdesk.monitoring import queries
from govdesk.monitoring.dto import (
    AccessChoices,
    AccessCount,
    AccessDetail,
    AccessFilter,
    AccessRow,
    Choice,
    EventKey,
    ReviewMark,
)
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

#: how many matching rows are counted exactly before an estimate is given instead
COUNT_CAP = 10_000

WHOLE_LOG = ("the access log is read whole by security administrators and auditors, like the "
             "audit trail (no row-level security on access_events); resource labels come from "
             "migration 0036's views")


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHOLE_LOG)
def page_access(db: Database, who: Identity, f: AccessFilter, seek: Seek) -> KeyPage[AccessRow]:
    """A page of the access events matching ``f``, newest first, asked for by the key of a
    neighbouring row (``seek``); each row with its names and the review covering it, if any.
    Raises InputRejected for a key that is not one of this list's or an empty time range."""
    with db.session() as s:  # Core execution: the ORM adds nothing to a statement of columns
        fetched = list(s.connection().execute(queries.page_statement(s, f, seek)))
        rows, keys = queries.rows_of(s, fetched)
    return KeyPage.fetched(rows, keys, seek)


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHOLE_LOG)
def count_access(db: Database, who: Identity, f: AccessFilter,
                 cap: int | None = COUNT_CAP) -> AccessCount:
    """How many events match ``f``: exact up to ``cap`` (None: always exact), above it on
    PostgreSQL the planner's estimate (``exact=False``: "about"), on SQLite the exact count."""
    with db.session() as s:
        conds = queries.conditions(f)
        if cap is not None:
            limited = select(AccessEvent.id).where(*conds).limit(cap + 1).subquery()
            n = int(s.scalar(select(func.count()).select_from(limited)) or 0)
            if n <= cap:
                return AccessCount(n)
            if db.is_postgres:
                return AccessCount(max(n, _estimate(s, select(AccessEvent.id).where(*conds))),
                                   exact=False)
        return AccessCount(int(s.scalar(select(func.count()).select_from(AccessEvent)
                                        .where(*conds)) or 0))


def _estimate(s: Session, stmt: Any) -> int:
    """The planner's row estimate for ``stmt`` (PostgreSQL's EXPLAIN, nothing is run)."""
    compiled = stmt.compile(dialect=s.get_bind().dialect)
    plan = s.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled),
                                          compiled.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHOLE_LOG)
def access_detail(db: Database, who: Identity, key: EventKey) -> AccessDetail:
    """One event in full: its row, its organisation's code and region, every review covering
    it (newest first) with the comment. Raises InputRejected when there is no such event."""
    with db.session() as s:
        stmt = queries.page_statement(s, AccessFilter(), Seek(limit=1)).where(
            AccessEvent.id == key.id)
        if db.is_postgres:  # the key is (id, ts) on a partitioned table; SQLite: id is unique
            stmt = stmt.where(AccessEvent.ts == key.ts)
        fetched = list(s.execute(stmt))
        if not fetched:
            raise InputRejected("access_event_not_found", event=key.id)
        rows, _keys = queries.rows_of(s, fetched)
        row = rows[0]
        org = s.execute(select(Organisation.code, Region.name)
                        .join(Region, Region.code == Organisation.region_code, isouter=True)
                        .where(Organisation.id == row.organisation_id)).first()
        return AccessDetail(row, org[0] if org else None, org[1] if org else None,
                            _reviews_of(s, key.id, fetched[0].ts, row.organisation_id,
                                        db.is_postgres))


def _reviews_of(s: Session, event_id: int, ts: Any, org: int | None,
                by_ts: bool) -> list[tuple[ReviewMark, str]]:
    """Every review naming the event (by id and, with ``by_ts``, time) or covering its
    organisation's period, newest first."""
    named = select(AccessReviewEvent.review_id).where(AccessReviewEvent.event_id == event_id)
    if by_ts:
        named = named.where(AccessReviewEvent.event_ts == ts)
    covering = select(AccessReview.id).where(
        AccessReview.kind == "period", AccessReview.organisation_id == org,
        AccessReview.period_start <= ts, AccessReview.period_end > ts)
    found = s.execute(select(AccessReview).where(
        AccessReview.id.in_(named.union(covering))).order_by(AccessReview.id.desc())).scalars()
    return [(ReviewMark(r.id, r.reviewed_by, queries._utc(r.reviewed_at), r.kind == "period"),
             r.comment) for r in found]


@service(Op.ACCESS_LOG_READ, scope=Scope.NONE, why=WHOLE_LOG)
def access_choices(db: Database, who: Identity) -> AccessChoices:
    """The organisations (active ones, by code) and the active scheme's grades (by rank) the
    filter bar offers."""
    with db.session() as s:
        orgs = [Choice(i, name, code) for i, name, code in s.execute(
            select(Organisation.id, Organisation.name, Organisation.code).where(Organisation.is_active.is_(True))
            .order_by(Organisation.code))]
        g = queries.GRADE_LABELS
        grades = [Choice(i, name) for i, name in s.execute(
            select(g.c.id, g.c.name).order_by(g.c.rank, g.c.id))]
    return AccessChoices(orgs, grades)
