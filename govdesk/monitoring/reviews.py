"""Marking access events reviewed (审查): chosen events, or every event of an organisation in a
period, with a comment. Security administrators only (:attr:`Op.ACCESS_LOG_REVIEW`).

A review is a row of ``access_reviews`` (migration 0036), never changed afterwards; the reviewer
and the time are stamped by PostgreSQL (the service's values are overwritten there), the
comment must count as a reason (:func:`govdesk.security.reasons.is_reason`, the rule of
``govdesk_reason_length``). Each review goes into the hash-chained audit trail: on PostgreSQL
the database writes it (an ``access_review`` row per review and one per statement adding its
events), on SQLite this module does (one row with both). Events are named by ``(id, ts)`` and
copied from ``access_events`` by an ``INSERT … SELECT``, so an event that does not exist is
refused and the stored time is the event's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import insert, literal, select, tuple_
from sqlalchemy.orm import Session

from govdesk.db.engine import Database
from govdesk.db.models import AccessEvent, AccessReview, AccessReviewEvent, Organisation
from govdesk.errors import InputRejected
from govdesk.monitoring.dto import EventKey, ReviewResult
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.reasons import MIN_REASON, is_reason
from govdesk.security.roles import Op

#: events one review may name (more: review the organisation's period)
MAX_EVENTS = 10_000
#: characters a comment may have (the audit row holds it with the events' keys)
MAX_COMMENT = 2_000
#: keys of events an audit row lists (the rest is counted), as migration 0036
AUDITED_KEYS = 500


def _check_comment(comment: str) -> str:
    text = (comment or "").strip()
    if not is_reason(text):
        raise InputRejected("access_review_comment", min=MIN_REASON)
    if len(text) > MAX_COMMENT:
        raise InputRejected("access_review_comment_long", n=len(text), max=MAX_COMMENT)
    return text


def _insert_review(s: Session, who: Identity, comment: str, kind: str, org: int | None = None,
                   since: dt.datetime | None = None,
                   until: dt.datetime | None = None) -> tuple[int, str, dt.datetime]:
    """Insert the review row; (id, reviewer, time) as the database stamped them."""
    from govdesk.db.base import utcnow

    row = s.execute(insert(AccessReview).values(
        reviewed_by=who.username, reviewer_role=who.role.value if who.role else None, reviewed_at=utcnow(),
        comment=comment, kind=kind, organisation_id=org, period_start=since, period_end=until,
    ).returning(AccessReview.id, AccessReview.reviewed_by, AccessReview.reviewed_at)).one()
    at = row[2] if row[2].tzinfo else row[2].replace(tzinfo=dt.timezone.utc)
    return int(row[0]), str(row[1]), at


@service(Op.ACCESS_LOG_REVIEW, writes=True)
def review_events(db: Database, who: Identity, keys: Sequence[EventKey],
                  comment: str) -> ReviewResult:
    """Mark the events ``keys`` reviewed with ``comment`` (audited). All or nothing: raises
    InputRejected for no events, more than :data:`MAX_EVENTS`, an event that does not exist,
    or a comment that is not a reason."""
    text = _check_comment(comment)
    wanted = {k.id: k for k in keys}
    if not wanted:
        raise InputRejected("access_review_nothing")
    if len(wanted) > MAX_EVENTS:
        raise InputRejected("access_review_too_many", n=len(wanted), max=MAX_EVENTS)
    with db.session() as s:
        rid, by, at = _insert_review(s, who, text, "events")
        if db.is_postgres:
            match = tuple_(AccessEvent.id, AccessEvent.ts).in_(
                [(k.id, k.ts) for k in wanted.values()])
        else:  # the id is unique on SQLite; the stored time is copied as it is
            match = AccessEvent.id.in_(sorted(wanted))
        source = select(literal(rid), AccessEvent.id, AccessEvent.ts).where(match)
        done = int(getattr(s.execute(insert(AccessReviewEvent).from_select(
            ["review_id", "event_id", "event_ts"], source)), "rowcount", 0))
        if done != len(wanted):
            found = set(s.scalars(select(AccessReviewEvent.event_id)
                                  .where(AccessReviewEvent.review_id == rid)))
            missing = min(set(wanted) - found)
            raise InputRejected("access_review_unknown", event=missing)
        if not db.is_postgres:
            ordered = sorted(wanted.values(), key=lambda k: (k.ts, k.id), reverse=True)
            audit.record(s, who, EventType.ACCESS_REVIEW, object_type="access_reviews",
                         object_id=rid, detail={
                             "kind": "events", "comment": text, "events": len(wanted),
                             "keys": [[k.id, k.ts.isoformat()] for k in ordered[:AUDITED_KEYS]]})
    return ReviewResult(rid, by, at, len(wanted), "events")


@service(Op.ACCESS_LOG_REVIEW, writes=True)
def review_period(db: Database, who: Identity, organisation_id: int, since: dt.datetime,
                  until: dt.datetime, comment: str) -> ReviewResult:
    """Mark every event of the organisation with ``since <= ts < until`` reviewed with
    ``comment`` (audited). Raises InputRejected for an unknown organisation, an empty period or
    a comment that is not a reason."""
    text = _check_comment(comment)
    if since is None or until is None or since >= until:
        raise InputRejected("access_review_period")
    with db.session() as s:
        if s.get(Organisation, organisation_id) is None:
            raise InputRejected("access_unknown_org", org=organisation_id)
        rid, by, at = _insert_review(s, who, text, "period", organisation_id, since, until)
        if not db.is_postgres:
            audit.record(s, who, EventType.ACCESS_REVIEW, object_type="access_reviews",
                         object_id=rid, detail={"kind": "period", "organisation": organisation_id,
                                                "since": since, "until": until, "comment": text})
    return ReviewResult(rid, by, at, 0, "period")
