"""``govdesk monitor run``: every enabled rule over the access events since its watermark.

- **Incremental**: a rule evaluates the events with ids after its watermark
  (``monitor_watermarks.last_event_id``) up to the newest id when the run starts, then moves the
  watermark there, in the same transaction as the alerts: a run is all or nothing, and running
  twice adds nothing (the second run has no events). Ids, not times, so events imported late
  with old times are still evaluated (rules that look back, such as the baseline, read by time).
- **Serialised**: the run locks the watermark rows first (``FOR UPDATE`` on PostgreSQL; SQLite
  has one writer), so two runs at once evaluate each event once.
- **Folded**: each hit goes into the one alert of its (rule, subject) that is not closed (count,
  runs, first and last seen, the latest detail); only a subject without one gets a new alert.
  A closed alert is never reopened: the next hit raises a new one.
- Each rule kind is a few SQL aggregates (:mod:`rules_time`, :mod:`rules_access`,
  :mod:`rules_grant`); nothing loops over event rows in Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdesk.changes import MONITOR, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import MonitorAlert, MonitorAlertEvent, MonitorRule, MonitorWatermark
from govdesk.monitoring import rules_access, rules_grant, rules_time
from govdesk.monitoring.alert_dto import RuleRun, RunReport
from govdesk.monitoring.hits import Evaluator, Hit, Window, aware
from govdesk.monitoring.sqlparts import E, is_pg
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "monitoring rules look at every region's events; only security administrators run them"

EVALUATORS: dict[str, Evaluator] = {
    "after_hours": rules_time.after_hours,
    "volume_baseline": rules_time.volume_baseline,
    "dormant_active": rules_time.dormant_active,
    "denial_burst": rules_access.denial_burst,
    "first_high_grade": rules_access.first_high_grade,
    "bulk_export": rules_access.bulk_export,
    "new_host": rules_access.new_host,
    "no_active_grant": rules_grant.no_active_grant,
}
#: subjects looked up at once when folding
CHUNK = 500


def _window(s: Session, after: int, upto: int) -> tuple[Window, int]:
    n, start, end = s.execute(select(func.count(), func.min(E.ts), func.max(E.ts)).where(
        E.id > after, E.id <= upto)).one()
    return Window(after, upto, aware(start) if start else None,
                  aware(end) if end else None), int(n)


def _history(s: Session, who: Identity, alert: MonitorAlert, from_state: str | None) -> None:
    """SQLite: the history row and the audit row PostgreSQL's trigger writes (0037)."""
    if is_pg(s):
        return
    s.add(MonitorAlertEvent(alert_id=alert.id, from_state=from_state, to_state=alert.state,
                            assignee=alert.assignee, disposition=alert.disposition,
                            note=alert.note, actor=who.username, at=utcnow()))
    audit.record(s, who, EventType.MONITOR_ALERT, object_type="monitor_alerts",
                 object_id=alert.id, detail={
                     "rule": alert.rule_code, "subject": alert.subject_key, "from": from_state,
                     "to": alert.state, "assignee": alert.assignee,
                     "disposition": alert.disposition})


def _fold(s: Session, who: Identity, rule: MonitorRule, hits: Sequence[Hit]) -> tuple[int, int]:
    """Fold ``hits`` into the rule's live alerts; (raised, folded)."""
    raised = folded = 0
    for i in range(0, len(hits), CHUNK):
        chunk = hits[i:i + CHUNK]
        live = {a.subject_key: a for a in s.scalars(select(MonitorAlert).where(
            MonitorAlert.rule_code == rule.code, MonitorAlert.state != "closed",
            MonitorAlert.subject_key.in_([h.subject_key for h in chunk])))}
        fresh = []
        for h in chunk:
            detail = json.dumps(h.detail, ensure_ascii=False, sort_keys=True, default=str)
            alert = live.get(h.subject_key)
            if alert is None:
                fresh.append(MonitorAlert(
                    rule_code=rule.code, subject_key=h.subject_key, username=h.username,
                    resource_id=h.resource_id, severity=rule.severity, state="open",
                    count=h.count, hits=1, first_seen=h.first_seen, last_seen=h.last_seen,
                    last_event_id=h.last_event_id, detail=detail,
                    raised_by=None if is_pg(s) else who.username))
                continue
            alert.count += h.count
            alert.hits += 1
            alert.first_seen = min(aware(alert.first_seen), h.first_seen)
            alert.last_seen = max(aware(alert.last_seen), h.last_seen)
            alert.last_event_id = max(alert.last_event_id or 0, h.last_event_id)
            alert.detail = detail
            folded += 1
        s.add_all(fresh)
        s.flush()
        _raised(s, who, rule, fresh)
        raised += len(fresh)
    return raised, folded


def _raised(s: Session, who: Identity, rule: MonitorRule, fresh: Sequence[MonitorAlert]) -> None:
    """SQLite: the history rows of new alerts, and one audit row for them all (PostgreSQL's
    trigger writes a history and an audit row per alert, chained at commit: 0037, 0017)."""
    if is_pg(s) or not fresh:
        return
    now = utcnow()
    s.add_all([MonitorAlertEvent(alert_id=a.id, from_state=None, to_state="open",
                                 actor=who.username, at=now) for a in fresh])
    audit.record(s, who, EventType.MONITOR_ALERT, object_type="monitor_alerts",
                 object_id=fresh[0].id, detail={"rule": rule.code, "raised": [a.id for a in fresh],
                                                "to": "open"})


def _evaluate(s: Session, who: Identity, rule: MonitorRule, mark: MonitorWatermark,
              upto: int, windows: dict[int, tuple[Window, int]]) -> RuleRun:
    after = int(mark.last_event_id)
    if after not in windows:
        windows[after] = _window(s, after, upto)
    window, events = windows[after]
    hits = EVALUATORS[rule.kind](s, dict(rule.parameters), window) if events else []
    raised, folded = _fold(s, who, rule, hits)
    mark.last_event_id = max(after, upto)
    mark.evaluated_at = utcnow()
    return RuleRun(rule.code, after, upto, events, len(hits), raised, folded)


@service(Op.MONITOR_ALERTS, writes=True, scope=Scope.NONE, why=WHY)
def run_rules(db: Database, who: Identity, progress: Progress | None = None,
              rules: Sequence[str] | None = None) -> RunReport:
    """Evaluate every enabled rule (or those of ``rules``) over the events since its watermark,
    fold the hits into alerts and move the watermarks, all in one transaction."""
    with db.session() as s:
        query = (select(MonitorRule, MonitorWatermark)
                 .join(MonitorWatermark, MonitorWatermark.rule_code == MonitorRule.code)
                 .where(MonitorRule.enabled.is_(True)).order_by(MonitorRule.code))
        if rules is not None:
            query = query.where(MonitorRule.code.in_(list(rules)))
        if is_pg(s):
            query = query.with_for_update(of=MonitorWatermark)
        chosen: list[Any] = list(s.execute(query).all())
        upto = int(s.scalar(select(func.coalesce(func.max(E.id), 0))) or 0)
        windows: dict[int, tuple[Window, int]] = {}
        out = []
        for n, (rule, mark) in enumerate(chosen):
            if progress is not None:
                progress.step(n, len(chosen))
            out.append(_evaluate(s, who, rule, mark, upto, windows))
        if progress is not None:
            progress.step(len(chosen), len(chosen))
        if any(r.raised or r.folded for r in out):
            announce.note(s, Changed(MONITOR))
        open_alerts = int(s.scalar(select(func.count()).select_from(MonitorAlert)
                                   .where(MonitorAlert.state != "closed")) or 0)
        return RunReport(tuple(out), upto, open_alerts)
