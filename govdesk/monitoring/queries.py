"""The SQL of the access-log workbench: the filter's conditions, the page by key, the review
marks. Internal to :mod:`govdesk.monitoring` (the services are in ``workbench``, ``reviews``
and ``export``).

The list is ordered newest first, ``ts DESC, id DESC``; a row's key is ``Key(ts, id)``. The
page after a key is ``ts <= t AND (ts < t OR id < i)`` (the redundant bound lets the index on
``ts`` serve the range: PostgreSQL reads the index backwards from the key and stops after the
page, so a page 100,000 rows deep costs what the first page costs). On SQLite the key's time is
the stored text (rows written by the demo loader and by the ORM store times with and without
microseconds, which a bound datetime would not compare equal to; see ``db/keyset.py``).

Each row carries two scalar sub-queries, the newest review that names it and the newest review
of its organisation's period that covers it, evaluated for the page's rows only; ``unreviewed``
asks for both to be NULL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from govdesk.db.keyset import Key, Seek
from govdesk.db.models import AccessEvent, AccessReview, AccessReviewEvent, Organisation, User
from govdesk.errors import InputRejected
from govdesk.monitoring.dto import AccessFilter, AccessRow, ReviewMark

_VIEWS = MetaData()
#: migration 0036's views (kept out of the ORM's metadata: they are not tables)
RESOURCE_LABELS = Table("access_resource_labels", _VIEWS, Column("id", Integer),
                        Column("code", String), Column("name", String),
                        Column("grade_id", Integer), Column("grade_name", String),
                        Column("grade_rank", Integer))
GRADE_LABELS = Table("access_grade_labels", _VIEWS, Column("id", Integer), Column("name", String),
                     Column("rank", Integer))

E = AccessEvent


def ts_key(s: Session) -> Any:
    """The column a row's key holds for its time: the stored text on SQLite, else ``ts``."""
    if s.get_bind().dialect.name == "sqlite":
        return type_coerce(E.ts, String)
    return E.ts


def by_event() -> Any:
    """Scalar sub-query: the newest review naming the outer event, or NULL."""
    return (select(AccessReview.id)
            .join(AccessReviewEvent, AccessReviewEvent.review_id == AccessReview.id)
            .where(AccessReviewEvent.event_id == E.id, AccessReviewEvent.event_ts == E.ts)
            .order_by(AccessReview.id.desc()).limit(1).correlate(E).scalar_subquery())


def by_period() -> Any:
    """Scalar sub-query: the newest review of the outer event's organisation and period."""
    return (select(AccessReview.id)
            .where(AccessReview.kind == "period",
                   AccessReview.organisation_id == E.organisation_id,
                   AccessReview.period_start <= E.ts, AccessReview.period_end > E.ts)
            .order_by(AccessReview.id.desc()).limit(1).correlate(E).scalar_subquery())


def conditions(f: AccessFilter) -> list[Any]:
    """The WHERE conditions of ``f`` on ``access_events``."""
    out: list[Any] = []
    if f.since is not None and f.until is not None and f.since >= f.until:
        raise InputRejected("access_bad_range", since=f.since.isoformat(),
                            until=f.until.isoformat())
    if f.since is not None:
        out.append(E.ts >= f.since)
    if f.until is not None:
        out.append(E.ts < f.until)
    if f.username:
        out.append(E.username == f.username.strip())
    if f.organisation_id is not None:
        out.append(E.organisation_id == f.organisation_id)
    if f.resource_code:
        out.append(E.resource_id.in_(select(RESOURCE_LABELS.c.id)
                                     .where(RESOURCE_LABELS.c.code == f.resource_code.strip())))
    if f.grade_id is not None:
        out.append(E.resource_id.in_(select(RESOURCE_LABELS.c.id)
                                     .where(RESOURCE_LABELS.c.grade_id == f.grade_id)))
    if f.action:
        out.append(E.action == f.action)
    if f.success is not None:
        out.append(E.success.is_(f.success))
    if f.client_host:
        host = f.client_host.strip()
        out.append(E.client_host.like(host.replace("%", r"\%").replace("_", r"\_") + "%",
                                      escape="\\") if host.endswith(".") else
                   E.client_host == host)
    if f.ids:
        out.append(E.id.in_(sorted(set(f.ids))))
    if f.unreviewed:
        out += [by_event().is_(None), by_period().is_(None)]
    return out


def _beyond(key_col: Any, key: Key, seek: Seek) -> Any:
    """After ``key`` in the list (ts DESC, id DESC), or before it when ``seek.backward``."""
    t, i = key.value, key.tie
    if seek.backward:
        return and_(key_col >= t, or_(key_col > t, E.id > i))
    return and_(key_col <= t, or_(key_col < t, E.id < i))


def page_statement(s: Session, f: AccessFilter, seek: Seek) -> Select[Any]:
    """The page ``seek`` asks for: each event with its names and review marks, in fetch order
    (newest first; oldest first for a backward fetch)."""
    if seek.after is not None and not (isinstance(seek.after, Key) and
                                       isinstance(seek.after.tie, int)):
        raise InputRejected("access_bad_page_key")
    key_col = ts_key(s)
    r = RESOURCE_LABELS
    stmt = (select(E.id, E.ts, key_col.label("ts_key"), E.username, User.display_name,
                   E.role_code, E.organisation_id, Organisation.name.label("org_name"),
                   E.resource_id, r.c.code.label("res_code"), r.c.name.label("res_name"),
                   r.c.grade_name, E.action, E.row_count, E.success, E.client_host,
                   by_event().label("rev_event"), by_period().label("rev_period"))
            .outerjoin(Organisation, Organisation.id == E.organisation_id)
            .outerjoin(User, User.username == E.username)
            .outerjoin(r, r.c.id == E.resource_id)
            .where(*conditions(f)))
    if seek.after is not None:
        stmt = stmt.where(_beyond(key_col, seek.after, seek))
    order = ([key_col.asc(), E.id.asc()] if seek.backward else [key_col.desc(), E.id.desc()])
    return stmt.order_by(*order).offset(max(0, seek.skip)).limit(max(0, seek.limit))


def _utc(ts: dt.datetime) -> dt.datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=dt.timezone.utc)


def rows_of(s: Session, fetched: list[Any]) -> tuple[list[AccessRow], list[Key]]:
    """The page's rows (review marks filled in with one more query when any) and keys."""
    ids = {x for row in fetched for x in (row[16], row[17]) if x is not None}
    marks = review_marks(s, ids)
    utc = dt.timezone.utc
    rows, keys = [], []
    for (eid, ts, key, user, name, role, org, org_name, rid, code, res_name, grade, action,
         n, ok, host, by_event_id, by_period_id) in fetched:
        review = by_event_id if by_event_id is not None else by_period_id
        rows.append(AccessRow(
            eid, ts if ts.tzinfo else ts.replace(tzinfo=utc), user, name, role, org, org_name,
            rid, code, res_name, grade, action, n, bool(ok), host,
            marks.get(review) if review is not None else None))
        keys.append(Key(key, eid))
    return rows, keys


def review_marks(s: Session, ids: set[int]) -> dict[int, ReviewMark]:
    """The reviews ``ids`` as marks."""
    if not ids:
        return {}
    found = s.execute(select(AccessReview.id, AccessReview.reviewed_by, AccessReview.reviewed_at,
                             AccessReview.kind).where(AccessReview.id.in_(sorted(ids))))
    return {i: ReviewMark(i, by, _utc(at), kind == "period") for i, by, at, kind in found}


__all__ = ["GRADE_LABELS", "RESOURCE_LABELS", "conditions", "page_statement",
           "review_marks", "rows_of", "ts_key"]
