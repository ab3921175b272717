"""What the monitoring services return: plain frozen dataclasses (no ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class Jsonable:
    """``to_json()``: the fields as JSON-ready values (times as ISO text)."""

    def to_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class RuleRun(Jsonable):
    """One rule in a run: the events it evaluated (ids after ``after_id`` up to ``upto_id``),
    the subjects it hit, the alerts it raised and those it folded hits into."""

    code: str
    after_id: int
    upto_id: int
    events: int
    hits: int
    raised: int
    folded: int


@dataclass(frozen=True)
class RunReport(Jsonable):
    """A run of every enabled rule; ``open_alerts``: alerts not closed after it."""

    rules: tuple[RuleRun, ...]
    upto_id: int
    open_alerts: int

    @property
    def raised(self) -> int:
        return sum(r.raised for r in self.rules)

    @property
    def folded(self) -> int:
        return sum(r.folded for r in self.rules)


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts to list: by state, severity and rule (None: any); ``limit`` of them, the
    most recently seen first, before the alert ``before`` (keyset: (last seen, id))."""

    state: str | None = None
    severity: str | None = None
    rule: str | None = None
    assignee: str | None = None
    limit: int = 200
    before: tuple[dt.datetime, int] | None = None


@dataclass(frozen=True)
class AlertInfo(Jsonable):
    """One alert as lists show it."""

    id: int
    rule_code: str
    kind: str
    subject_key: str
    username: str | None
    resource_id: int | None
    severity: str
    state: str
    assignee: str | None
    disposition: str | None
    note: str | None
    count: int
    hits: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    detail: dict[str, Any]
    created_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    closed_by: str | None
    closed_at: dt.datetime | None
    version: int


@dataclass(frozen=True)
class AlertChange(Jsonable):
    """One line of an alert's history (``from_state`` None: raised)."""

    at: dt.datetime
    actor: str
    from_state: str | None
    to_state: str
    assignee: str | None
    disposition: str | None
    note: str | None


@dataclass(frozen=True)
class AlertDetail(Jsonable):
    """An alert with its history, oldest change first."""

    alert: AlertInfo
    history: tuple[AlertChange, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RuleInfo(Jsonable):
    """A rule with where its evaluation stands."""

    code: str
    kind: str
    parameters: dict[str, Any]
    severity: str
    enabled: bool
    description: str
    updated_by: str | None
    updated_at: dt.datetime | None
    version: int
    last_event_id: int
    evaluated_at: dt.datetime | None


@dataclass(frozen=True)
class RuleRate(Jsonable):
    """A rule's hit rate over a period: alerts raised, where they stand, what closed ones were;
    ``precision``: true positives of the closed ones (None before any closed)."""

    code: str
    kind: str
    days: int
    raised: int
    open: int
    acknowledged: int
    closed: int
    true_positive: int
    benign: int
    false_positive: int
    events: int

    @property
    def precision(self) -> float | None:
        return self.true_positive / self.closed if self.closed else None


@dataclass(frozen=True)
class CalendarDay(Jsonable):
    """An administrator's correction of the working calendar."""

    day: dt.date
    kind: str
    note: str
    updated_by: str | None
