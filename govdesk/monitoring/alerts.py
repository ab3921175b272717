"""Alerts and their triage: list, detail with history, acknowledge, assign, annotate, close
with a disposition; each rule's hit rate over a period.

The workflow is open -> acknowledged -> closed (a close needs a disposition of
:data:`govdesk.vocab.MONITOR_DISPOSITION`; a closed alert never changes). Security
administrators change alerts, auditors and security administrators read them. Every change is
stamped (who, when), kept in ``monitor_alert_events`` and audited (``monitor_alert``): on
PostgreSQL by the database itself (migration 0037, so plain SQL cannot skip a step, close without
a disposition or forge a stamp), on SQLite here. The checks below run on both databases first,
so a refusal reads the same.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.changes import MONITOR, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import MonitorAlert, MonitorAlertEvent, MonitorRule, User
from govdesk.errors import ConflictError, InputRejected
from govdesk.messages import Text
from govdesk.monitoring.alert_dto import AlertChange, AlertDetail, AlertFilter, AlertInfo
from govdesk.monitoring.hits import aware
from govdesk.monitoring.alert_messages import STEPS
from govdesk.monitoring.run import _history
from govdesk.monitoring.sqlparts import is_pg
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "alerts are about every region's events; security administrators and auditors see all"
MAX_NOTE = 2000
#: step -> the states it may leave, and the state it reaches (None: stays)
STEP_RULES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "acknowledge": (("open",), "acknowledged"),
    "close": (("acknowledged",), "closed"),
    "assign": (("open", "acknowledged"), None),
    "note": (("open", "acknowledged"), None),
}


def state_text(state: str) -> Text:
    """An alert state's label in both languages (a message parameter)."""
    words = vocab.MONITOR_ALERT_STATE
    return Text(words.label(state, "zh"), words.label(state, "en"))


def _stamp(value: Any) -> Any:
    return aware(value) if value is not None else None


def info(a: MonitorAlert, kind: str) -> AlertInfo:
    """``a`` as the services return it."""
    try:
        detail = json.loads(a.detail) if a.detail else {}
    except ValueError:
        detail = {"text": a.detail}
    return AlertInfo(a.id, a.rule_code, kind, a.subject_key, a.username, a.resource_id,
                     a.severity, a.state, a.assignee, a.disposition, a.note, a.count, a.hits,
                     aware(a.first_seen), aware(a.last_seen), detail, aware(a.created_at),
                     a.acknowledged_by, _stamp(a.acknowledged_at), a.closed_by,
                     _stamp(a.closed_at), a.version)


def _filtered(query: Any, f: AlertFilter) -> Any:
    a = MonitorAlert
    for value, column, words in ((f.state, a.state, vocab.MONITOR_ALERT_STATE),
                                 (f.severity, a.severity, vocab.MONITOR_SEVERITY)):
        if value is not None:
            if value not in words.codes:
                raise InputRejected("monitor_filter_bad", value=value, field=words.name,
                                    allowed=words.choices())
            query = query.where(column == value)
    if f.rule is not None:
        query = query.where(a.rule_code == f.rule)
    if f.assignee is not None:
        query = query.where(a.assignee == f.assignee)
    if f.before is not None:
        seen, aid = f.before
        query = query.where(or_(a.last_seen < seen, and_(a.last_seen == seen, a.id < aid)))
    return query


@service(Op.MONITOR_READ, scope=Scope.NONE, why=WHY)
def list_alerts(db: Database, who: Identity, f: AlertFilter = AlertFilter()) -> list[AlertInfo]:
    """Alerts passing ``f``, the most recently seen first (``f.limit`` of them, 1..1000)."""
    limit = max(1, min(int(f.limit), 1000))
    with db.session() as s:
        query = (select(MonitorAlert, MonitorRule.kind)
                 .join(MonitorRule, MonitorRule.code == MonitorAlert.rule_code)
                 .order_by(MonitorAlert.last_seen.desc(), MonitorAlert.id.desc()).limit(limit))
        return [info(a, kind) for a, kind in s.execute(_filtered(query, f))]


@service(Op.MONITOR_READ, scope=Scope.NONE, why=WHY)
def count_alerts(db: Database, who: Identity, f: AlertFilter = AlertFilter()) -> int:
    """How many alerts pass ``f`` (its limit and keyset ignored)."""
    with db.session() as s:
        query = select(func.count()).select_from(MonitorAlert)
        return int(s.scalar(_filtered(query, AlertFilter(f.state, f.severity, f.rule,
                                                         f.assignee))) or 0)


def _detail(s: Session, alert_id: int) -> AlertDetail:
    row = s.execute(select(MonitorAlert, MonitorRule.kind)
                    .join(MonitorRule, MonitorRule.code == MonitorAlert.rule_code)
                    .where(MonitorAlert.id == alert_id)).first()
    if row is None:
        raise InputRejected("monitor_alert_unknown", alert=alert_id)
    e = MonitorAlertEvent
    history = tuple(AlertChange(aware(h.at), h.actor, h.from_state, h.to_state, h.assignee,
                                h.disposition, h.note)
                    for h in s.scalars(select(e).where(e.alert_id == alert_id)
                                       .order_by(e.at, e.id)))
    return AlertDetail(info(row[0], row[1]), history)


@service(Op.MONITOR_READ, scope=Scope.NONE, why=WHY)
def alert_detail(db: Database, who: Identity, alert_id: int) -> AlertDetail:
    """One alert with its history."""
    with db.session() as s:
        return _detail(s, alert_id)


def _note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    if len(note) > MAX_NOTE:
        raise InputRejected("monitor_note_too_long", length=len(note), max=MAX_NOTE)
    return note.strip()


def _assignee(s: Session, name: str) -> str:
    ok = s.scalar(select(User.username).where(User.username == name, User.is_active.is_(True),
                                              User.role_code == "secadmin"))
    if ok is None:
        raise InputRejected("monitor_assignee_unknown", user=name)
    return name


def _step(db: Database, who: Identity, alert_id: int, step: str, *, note: str | None = None,
          assignee: str | None = None, disposition: str | None = None,
          base_version: int | None = None) -> AlertDetail:
    sources, target = STEP_RULES[step]
    with db.session() as s:
        alert = s.get(MonitorAlert, alert_id, with_for_update=is_pg(s))
        if alert is None:
            raise InputRejected("monitor_alert_unknown", alert=alert_id)
        if alert.state not in sources:
            raise InputRejected("monitor_alert_step", alert=alert_id, step=STEPS[step],
                                state=state_text(alert.state))
        if base_version is not None and base_version != alert.version:
            raise ConflictError("record_changed")
        before = alert.state
        # every check (and query) before the first change: one UPDATE, one history row
        given = (_assignee(s, assignee) if assignee else None) if assignee is not None else None
        alert.note = _note(note)
        if assignee is not None:
            alert.assignee = given
        if target is not None:
            alert.state = target
        if step == "close":
            alert.disposition = disposition
        if not is_pg(s):  # PostgreSQL's trigger stamps (0037)
            now = utcnow()
            if target == "acknowledged":
                alert.acknowledged_by, alert.acknowledged_at = who.username, now
            elif target == "closed":
                alert.closed_by, alert.closed_at = who.username, now
        s.flush()
        _history(s, who, alert, before)
        announce.note(s, Changed.of(MONITOR, [alert_id]))
        s.flush()
        s.expire_all()
        return _detail(s, alert_id)


@service(Op.MONITOR_ALERTS, writes=True, scope=Scope.NONE, why=WHY)
def acknowledge(db: Database, who: Identity, alert_id: int, note: str | None = None,
                assignee: str | None = None, base_version: int | None = None) -> AlertDetail:
    """Open -> acknowledged (taken in hand), optionally assigning it (a security
    administrator's login name) and with a note."""
    return _step(db, who, alert_id, "acknowledge", note=note, assignee=assignee,
                 base_version=base_version)


@service(Op.MONITOR_ALERTS, writes=True, scope=Scope.NONE, why=WHY)
def assign(db: Database, who: Identity, alert_id: int, assignee: str, note: str | None = None,
           base_version: int | None = None) -> AlertDetail:
    """Give an alert that is not closed to ``assignee`` (a security administrator; "" takes it
    from whoever had it)."""
    return _step(db, who, alert_id, "assign", note=note, assignee=assignee,
                 base_version=base_version)


@service(Op.MONITOR_ALERTS, writes=True, scope=Scope.NONE, why=WHY)
def annotate(db: Database, who: Identity, alert_id: int, note: str,
             base_version: int | None = None) -> AlertDetail:
    """Add a note to an alert that is not closed (kept in its history)."""
    if _note(note) is None:
        raise InputRejected("monitor_note_missing")
    return _step(db, who, alert_id, "note", note=note, base_version=base_version)


@service(Op.MONITOR_ALERTS, writes=True, scope=Scope.NONE, why=WHY)
def close_alert(db: Database, who: Identity, alert_id: int, disposition: str,
                note: str | None = None, base_version: int | None = None) -> AlertDetail:
    """Acknowledged -> closed with ``disposition`` (true_positive, benign, false_positive)."""
    if disposition not in vocab.MONITOR_DISPOSITION.codes:
        raise InputRejected("monitor_disposition_bad", value=disposition,
                            allowed=vocab.MONITOR_DISPOSITION.choices())
    return _step(db, who, alert_id, "close", note=note, disposition=disposition,
                 base_version=base_version)
