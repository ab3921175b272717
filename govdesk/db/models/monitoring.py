"""Reviews of the access log (访问日志审查, issue 15): a security administrator's record that
they looked at some access events, or at every event of an organisation in a period, with a
comment. Append-only: nobody updates or deletes a review (PostgreSQL: grants and triggers,
migration 0036; SQLite: the services only insert).

Events are named by ``(event_id, event_ts)``, not by a foreign key: on PostgreSQL
``access_events`` is partitioned by month, with the primary key ``(id, ts)``, so no foreign key
can point at an event by id alone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govdesk.db.base import Base, BigIntPK, utcnow

#: what a review covers: chosen events, or an organisation's events in a period
REVIEW_KINDS = ("events", "period")


class AccessReview(Base):
    """One review decision: who, when (both stamped by the database on PostgreSQL), the
    comment, and what (``kind``: the events listed in :class:`AccessReviewEvent`, or every
    event of ``organisation_id`` with ``period_start <= ts < period_end``)."""

    __tablename__ = "access_reviews"
    __table_args__ = (
        CheckConstraint("kind IN ('events', 'period')", name="kind"),
        CheckConstraint("kind = 'events' OR (organisation_id IS NOT NULL AND period_start IS NOT "
                        "NULL AND period_end IS NOT NULL AND period_start < period_end)",
                        name="period"),
        Index("ix_access_reviews_period", "organisation_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reviewed_by: Mapped[str] = mapped_column(String(63), nullable=False)
    reviewer_role: Mapped[str | None] = mapped_column(String(20))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                     default=utcnow)
    comment: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    period_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AccessReviewEvent(Base):
    """An event a review of kind ``events`` names, by its key ``(event_id, event_ts)``."""

    __tablename__ = "access_review_events"
    __table_args__ = (Index("ix_access_review_events_event", "event_id", "event_ts"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("access_reviews.id"), primary_key=True)
    event_id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    event_ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
