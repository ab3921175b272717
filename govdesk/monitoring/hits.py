"""What a rule's evaluation returns: hits, one per subject, each an aggregate of the events that
matched (how many, first and last seen, the newest event's id). The run folds them into alerts
(:mod:`govdesk.monitoring.run`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Window:
    """The events a run evaluates for one rule: ids in ``(after_id, upto_id]``; ``start`` and
    ``end`` the earliest and latest time among them (None when there are none)."""

    after_id: int
    upto_id: int
    start: dt.datetime | None
    end: dt.datetime | None


@dataclass(frozen=True)
class Hit:
    """One subject's matching events in a window."""

    subject_key: str
    username: str | None
    resource_id: int | None
    count: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    last_event_id: int
    detail: dict[str, Any] = field(default_factory=dict)


Evaluator = Callable[[Session, dict[str, Any], Window], list[Hit]]


def aware(stamp: Any) -> dt.datetime:
    """A database timestamp as an aware UTC datetime (SQLite returns naive UTC, or text)."""
    if isinstance(stamp, str):
        stamp = dt.datetime.fromisoformat(stamp)
    assert isinstance(stamp, dt.datetime)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def hit(key: str, username: str | None, resource_id: int | None, row: Any,
        **detail: Any) -> Hit:
    """A hit from a row whose last four columns are ``n, first, last, last_id``."""
    n, first, last, last_id = row[-4:]
    return Hit(key, username, resource_id, int(n), aware(first), aware(last), int(last_id),
               detail)
