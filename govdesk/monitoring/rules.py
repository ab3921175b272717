"""The rules as data: listing them, editing their thresholds, severity and switch (security
administrators, audited), and the administrator's corrections of the working calendar.

Every edit is validated per kind (:func:`govdesk.monitoring.kinds.validate`) and written
all-or-nothing; ``base_version`` (the version read) refuses an edit over someone else's
(:class:`~govdesk.errors.ConflictError`). On PostgreSQL the database stamps the editor and
writes the audit row with the values before and after (``govdesk_monitor_rule_rules``, 0037),
so a change made over plain SQL is audited too; on SQLite this module writes the same row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.changes import MONITOR, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import MonitorCalendarDay, MonitorRule, MonitorWatermark
from govdesk.errors import ConflictError, InputRejected
from govdesk.monitoring.alert_dto import CalendarDay, RuleInfo
from govdesk.monitoring.hits import aware
from govdesk.monitoring.kinds import check_severity, validate
from govdesk.monitoring.sqlparts import is_pg
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "monitoring rules and the working calendar are the whole database's, not a region's"
MAX_TEXT = 2000


def _info(rule: MonitorRule, mark: MonitorWatermark | None) -> RuleInfo:
    return RuleInfo(rule.code, rule.kind, dict(rule.parameters), rule.severity, rule.enabled,
                    rule.description, rule.updated_by,
                    aware(rule.updated_at) if rule.updated_at else None, rule.version,
                    int(mark.last_event_id) if mark else 0,
                    aware(mark.evaluated_at) if mark and mark.evaluated_at else None)


def _rows(s: Session, code: str | None = None) -> list[RuleInfo]:
    query = (select(MonitorRule, MonitorWatermark)
             .outerjoin(MonitorWatermark, MonitorWatermark.rule_code == MonitorRule.code)
             .order_by(MonitorRule.code))
    if code is not None:
        query = query.where(MonitorRule.code == code)
    return [_info(rule, mark) for rule, mark in s.execute(query)]


@service(Op.MONITOR_READ, scope=Scope.NONE, why=WHY)
def list_rules(db: Database, who: Identity) -> list[RuleInfo]:
    """Every rule, by code, with its watermark."""
    with db.session() as s:
        return _rows(s)


def _text(value: str, field: str) -> str:
    if len(value) > MAX_TEXT:
        raise InputRejected("monitor_note_too_long", length=len(value), max=MAX_TEXT)
    return value.strip()


@service(Op.MONITOR_RULES, writes=True, scope=Scope.NONE, why=WHY)
def edit_rule(db: Database, who: Identity, code: str, *,
              parameters: Mapping[str, Any] | None = None, severity: str | None = None,
              enabled: bool | None = None, description: str | None = None,
              base_version: int | None = None) -> RuleInfo:
    """Change what is given of rule ``code`` (parameters replace the old ones whole, and must
    name every parameter of the kind); returns the rule as saved."""
    with db.session() as s:
        rule = s.get(MonitorRule, code)
        if rule is None:
            raise InputRejected("monitor_rule_unknown", rule=code)
        if base_version is not None and base_version != rule.version:
            raise ConflictError("record_changed")
        before = {"parameters": dict(rule.parameters), "severity": rule.severity,
                  "enabled": rule.enabled}
        if parameters is not None:
            rule.parameters = validate(code, rule.kind, parameters)
        if severity is not None:
            rule.severity = check_severity(severity)
        if enabled is not None:
            rule.enabled = bool(enabled)
        if description is not None:
            rule.description = _text(description, "description")
        if not is_pg(s):  # PostgreSQL's trigger stamps and audits (0037)
            rule.updated_by = who.username
            audit.record(s, who, EventType.MONITOR_RULE, object_type="monitor_rules",
                         object_id=code, detail={"before": before, "after": {
                             "parameters": rule.parameters, "severity": rule.severity,
                             "enabled": rule.enabled}})
        announce.note(s, Changed(MONITOR))
        s.flush()
        s.refresh(rule)
        return _rows(s, code)[0]


@service(Op.MONITOR_READ, scope=Scope.NONE, why=WHY)
def calendar_days(db: Database, who: Identity, year: int | None = None) -> list[CalendarDay]:
    """The calendar corrections (of ``year``, or all), by day."""
    with db.session() as s:
        query = select(MonitorCalendarDay).order_by(MonitorCalendarDay.day)
        if year is not None:
            query = query.where(MonitorCalendarDay.day.between(dt.date(year, 1, 1),
                                                               dt.date(year, 12, 31)))
        return [CalendarDay(d.day, d.kind, d.note, d.updated_by) for d in s.scalars(query)]


@service(Op.MONITOR_RULES, writes=True, scope=Scope.NONE, why=WHY)
def set_calendar_day(db: Database, who: Identity, day: dt.date, kind: str,
                     note: str = "") -> CalendarDay:
    """Make ``day`` a day off (``holiday``) or a working day (``workday``) whatever the
    official calendar says (replacing an earlier correction of that day)."""
    if kind not in vocab.MONITOR_DAY_KIND.codes:
        raise InputRejected("monitor_day_kind_bad", value=kind,
                            allowed=vocab.MONITOR_DAY_KIND.choices())
    with db.session() as s:
        row = s.get(MonitorCalendarDay, day)
        if row is None:
            row = MonitorCalendarDay(day=day, kind=kind, note=_text(note, "note"))
            s.add(row)
        else:
            row.kind, row.note = kind, _text(note, "note")
        row.updated_by = who.username
        if not is_pg(s):  # PostgreSQL's statement triggers audit the table (0037)
            audit.record(s, who, EventType.DATA_CHANGE, object_type="monitor_calendar_days",
                         object_id=day.isoformat(), detail={"kind": kind, "note": note})
        announce.note(s, Changed(MONITOR))
        s.flush()
        return CalendarDay(row.day, row.kind, row.note, row.updated_by)


@service(Op.MONITOR_RULES, writes=True, scope=Scope.NONE, why=WHY)
def remove_calendar_day(db: Database, who: Identity, day: dt.date) -> bool:
    """Drop the correction of ``day`` (the official calendar applies again); False if none."""
    with db.session() as s:
        row = s.get(MonitorCalendarDay, day)
        if row is None:
            return False
        s.delete(row)
        announce.note(s, Changed(MONITOR))
        if not is_pg(s):
            audit.record(s, who, EventType.DATA_CHANGE, object_type="monitor_calendar_days",
                         object_id=day.isoformat(), detail={"op": "DELETE"})
        return True
