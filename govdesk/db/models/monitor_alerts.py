"""Monitoring (issue 15, migration 0037): alert rules kept as data, where each rule's evaluation
stands, the alerts they raise with the history of every state change, and the administrator's
corrections of the official working calendar.

On PostgreSQL only security administrators write these tables and the database enforces the
alert workflow (open -> acknowledged -> closed with a disposition) and stamps every change
(``govdesk_monitor_alert_rules``); auditors read them. On SQLite the services hold the same rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govdesk import vocab
from govdesk.db.base import Base, BigIntPK, Versioned, utcnow
from govdesk.db.models._enum import vocab_enum

#: JSON on SQLite, JSONB on PostgreSQL (a rule's parameters)
JSON_DOC = JSON().with_variant(JSONB(), "postgresql")
#: an event id (``access_events`` ids are 64-bit on PostgreSQL)
EVENT_ID = BigInteger().with_variant(Integer(), "sqlite")


class MonitorRule(Versioned, Base):
    """One alert rule: a kind of pattern with its thresholds (``parameters``, validated per kind
    by :mod:`govdesk.monitoring.kinds`)."""

    __tablename__ = "monitor_rules"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(vocab_enum(vocab.MONITOR_RULE_KIND), nullable=False)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON_DOC, nullable=False)
    severity: Mapped[str] = mapped_column(vocab_enum(vocab.MONITOR_SEVERITY), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_by: Mapped[str | None] = mapped_column(String(63))


class MonitorWatermark(Base):
    """How far a rule has evaluated ``access_events``: every event with an id up to
    ``last_event_id`` has been through it."""

    __tablename__ = "monitor_watermarks"

    rule_code: Mapped[str] = mapped_column(ForeignKey("monitor_rules.code"), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(EVENT_ID, nullable=False, default=0)
    evaluated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MonitorAlert(Versioned, Base):
    """An alert: the hits of one rule on one subject (a user, a user and a resource, a user and
    a host), folded while the alert is not closed (``count`` events, ``hits`` runs, first and
    last seen). At most one alert per (rule, subject) is not closed."""

    __tablename__ = "monitor_alerts"
    __table_args__ = (
        Index("uq_monitor_alerts_live_subject", "rule_code", "subject_key", unique=True,
              sqlite_where=text("state <> 'closed'"),
              postgresql_where=text("state <> 'closed'")),
        Index("ix_monitor_alerts_state_last_seen", "state", "last_seen"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_code: Mapped[str] = mapped_column(ForeignKey("monitor_rules.code"), nullable=False)
    subject_key: Mapped[str] = mapped_column(String(200), nullable=False)
    username: Mapped[str | None] = mapped_column(String(63))
    resource_id: Mapped[int | None] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(vocab_enum(vocab.MONITOR_SEVERITY), nullable=False)
    state: Mapped[str] = mapped_column(vocab_enum(vocab.MONITOR_ALERT_STATE), nullable=False,
                                       default="open")
    assignee: Mapped[str | None] = mapped_column(String(63))
    disposition: Mapped[str | None] = mapped_column(vocab_enum(vocab.MONITOR_DISPOSITION))
    note: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    hits: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_event_id: Mapped[int | None] = mapped_column(EVENT_ID)
    detail: Mapped[str | None] = mapped_column(Text)
    raised_by: Mapped[str | None] = mapped_column(String(63))
    acknowledged_by: Mapped[str | None] = mapped_column(String(63))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(63))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MonitorAlertEvent(Base):
    """One change of an alert: raised, acknowledged, assigned, closed (who, when, what)."""

    __tablename__ = "monitor_alert_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("monitor_alerts.id", ondelete="CASCADE"),
                                          nullable=False, index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20), nullable=False)
    assignee: Mapped[str | None] = mapped_column(String(63))
    disposition: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(63), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                            default=utcnow)


class MonitorCalendarDay(Base):
    """An administrator's correction of the official calendar: ``day`` is a day off
    (``holiday``) or a working day (``workday``), whatever the official calendar says."""

    __tablename__ = "monitor_calendar_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(vocab_enum(vocab.MONITOR_DAY_KIND), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_by: Mapped[str | None] = mapped_column(String(63))
