"""Plain values the access-log workbench's services take and return (no ORM objects, no Qt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True)
class AccessFilter:
    """Which access events: every field that is set narrows (all of them together).

    ``since`` / ``until``: ``since <= ts < until`` (aware datetimes); ``username`` exact;
    ``organisation_id``; ``resource_code`` (the resource's code, exact); ``grade_id`` (the
    grade of the resource, in the active scheme); ``action`` (a code of
    :data:`govdesk.vocab.ACCESS_ACTION`); ``success`` (True: succeeded, False: denied);
    ``client_host`` (the host, or its beginning: ``10.33.1.``); ``unreviewed``: only events no
    review covers (neither by event nor by the organisation's period); ``ids``: these events only."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    username: str | None = None
    organisation_id: int | None = None
    resource_code: str | None = None
    grade_id: int | None = None
    action: str | None = None
    success: bool | None = None
    client_host: str | None = None
    unreviewed: bool = False
    ids: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The filter as JSON-ready values (for the audit trail and ``--json``)."""
        return {k: (v.isoformat() if isinstance(v, dt.datetime) else v)
                for k, v in self.__dict__.items() if v not in (None, False, ())}


@dataclass(frozen=True)
class EventKey:
    """An access event's key: its id and time (on a partitioned table the id alone is not)."""

    id: int
    ts: dt.datetime


@dataclass(frozen=True)
class ReviewMark:
    """The review that covers an event: who, when, and whether it covered the whole period."""

    review_id: int
    reviewed_by: str
    reviewed_at: dt.datetime
    period: bool = False


class AccessRow(NamedTuple):
    """One access event as the list shows it: names beside the codes (labels are the caller's:
    :func:`govdesk.vocab.ACCESS_ACTION.label`, :func:`govdesk.security.roles.role_label`).
    A named tuple, not a dataclass: a page builds 200 of them, and a frozen dataclass's
    constructor cost more than the page's SQL (measured in ``bench/access_page.py``)."""

    id: int
    ts: dt.datetime
    username: str
    display_name: str | None
    role_code: str | None
    organisation_id: int | None
    organisation_name: str | None
    resource_id: int | None
    resource_code: str | None
    resource_name: str | None
    grade_name: str | None
    action: str
    row_count: int
    success: bool
    client_host: str | None
    review: ReviewMark | None = None

    @property
    def key(self) -> EventKey:
        return EventKey(self.id, self.ts)


@dataclass(frozen=True)
class AccessCount:
    """How many events match: exact, or ``about`` (a planner estimate, for big results)."""

    value: int
    exact: bool = True


@dataclass(frozen=True)
class AccessDetail:
    """One event in full, for the detail pane: the row, the organisation's region name, the
    grade's rank, and every review that covers it (newest first) with its comment."""

    row: AccessRow
    organisation_code: str | None
    region_name: str | None
    reviews: list[tuple[ReviewMark, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Choice:
    """An entry of a filter's list: its id, name and (an organisation's) code."""

    id: int
    name: str
    code: str | None = None


@dataclass(frozen=True)
class AccessChoices:
    """What the filter bar offers: organisations and the active scheme's grades."""

    organisations: list[Choice]
    grades: list[Choice]


@dataclass(frozen=True)
class ReviewResult:
    """A recorded review: its id, time (stamped by the database), and what it covers."""

    review_id: int
    reviewed_by: str
    reviewed_at: dt.datetime
    events: int  #: events named (a review of events), or 0 for a period
    kind: str  #: "events" or "period"
