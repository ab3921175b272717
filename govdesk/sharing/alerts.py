"""Sharing alerts (共享提醒): what needs a person before a date passes, per role.

Four kinds (:data:`govdesk.vocab.GRANT_ALERT`), each naming who should act
(:data:`govdesk.vocab.GRANT_ALERT_ACTOR`) and what to do (:data:`govdesk.vocab.GRANT_ALERT_ACTION`):

- ``expiring``: an active grant ending within ``sharing.expiry_warning_days`` (default 14) with
  no renewal asked for or approved yet: the grantee's data administrators renew it (a scope
  grant, which no single organisation renews: the providing side offers it anew);
- ``unused``: an active grant that no organisation it covers used (``access_events`` of its
  resource by a covered organisation, successful, since the grant started) for
  ``sharing.unused_days`` (default 180; a grant never used counts from its start): the
  providing side's security administrators review it;
- ``request_waiting``: a pending request (requested, offered, first approved) that lapses
  within ``sharing.request_reminder_days`` (default 3, as Databricks reminds approvers): the
  providing side's security administrators decide it;
- ``request_lapsed``: a pending request already past ``sharing.request_lapse_days`` and not
  yet marked: any data or security administrator runs ``govdesk sharing expire-due``.

Who sees which: the providing side's security administrators (the resource lies in their
region) see the queue (``request_*``), the expiries and the unused grants of their region; a
data administrator sees the expiries of the grants naming their organisation and the waiting
requests for it. Nobody else has alerts. The same reads on both databases: on PostgreSQL every
row read here is one the caller's policies show them (grants, their labels through
``govdesk_grant_labels``; ``access_events`` is read only for security administrators, who may
read it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from govdesk import vocab
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import AccessEvent, Organisation, Region, SharingGrant
from govdesk.db.models.sharing import grant_day, in_force
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op, Role
from govdesk.security.settings import read_setting
from govdesk.settings import (
    SHARING_EXPIRY_WARNING_DAYS,
    SHARING_REQUEST_LAPSE_DAYS,
    SHARING_REQUEST_REMINDER_DAYS,
    SHARING_UNUSED_DAYS,
)
from govdesk.sharing.dto import GrantInfo, GrantScope
from govdesk.sharing.queries import infos, provider_side
from govdesk.sharing.states import PENDING, asked_at

WHY = ("alerts are narrowed by the grants' own rule: the providing side's region for security "
       "administrators, the caller's organisation for data administrators")

#: kind -> (what to do, who does it)
ACTS: dict[str, tuple[str, str]] = {
    "expiring": ("renew", "grantee_admin"),
    "unused": ("review", "provider_secadmin"),
    "request_waiting": ("decide", "provider_secadmin"),
    "request_lapsed": ("mark_lapsed", "any_admin"),
}


@dataclass(frozen=True)
class GrantAlert:
    """One alert. ``due``: the grant's last day (``expiring``), the day the request lapses
    (``request_*``), the day the grant counted as unused (``unused``); ``days``: from today
    (the grant day) to ``due``, negative once past. ``idle_days`` and ``last_used`` only for
    ``unused`` (``last_used`` None: never used since it started)."""

    kind: str
    grant_id: int
    resource_code: str | None
    resource_name: str | None
    grantee_org_id: int | None
    grantee_name: str | None
    scope: GrantScope | None
    state: str
    due: dt.date
    days: int
    action: str
    actor: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    idle_days: int | None = None
    last_used: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values (dates as ISO text)."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, dt.date):
                out[key] = value.isoformat()
        return out


@dataclass(frozen=True)
class AlertWindows:
    """The days the alerts look ahead or back (the settings, or a caller's ``within_days``)."""

    expiry: int
    unused: int
    reminder: int
    lapse: int


def _alert(kind: str, g: GrantInfo, due: dt.date, day: dt.date, **extra: Any) -> GrantAlert:
    action, actor = ACTS[kind]
    if kind == "expiring" and g.grantee_org_id is None:
        action, actor = "offer", "provider_secadmin"  # a scope grant is offered anew
    return GrantAlert(kind, g.id, g.resource_code, g.resource_name, g.grantee_org_id,
                      g.grantee_name, g.scope, g.state, due, (due - day).days, action, actor,
                      g.valid_from, g.valid_until, **extra)


def _renewed_ids(s: Session, ids: Sequence[int]) -> set[int]:
    """Of ``ids``, the grants a renewal was asked for (pending) or approved."""
    if not ids:
        return set()
    return set(s.scalars(select(SharingGrant.renews_grant_id).where(
        SharingGrant.renews_grant_id.in_(ids),
        SharingGrant.status.in_((*PENDING, "approved")))))


def last_uses(s: Session, grants: Sequence[SharingGrant]) -> dict[int, dt.datetime]:
    """grant id -> the last successful access to its resource by an organisation it covers,
    since the grant started (grants never used are left out)."""
    if not grants:
        return {}
    g, a = aliased(SharingGrant), AccessEvent
    org, region = aliased(Organisation), aliased(Region)
    in_scope = exists().where(
        org.id == a.organisation_id, region.code == org.region_code,
        org.region_code.like(g.scope_region_prefix + "%"),
        or_(g.scope_org_kind.is_(None), g.scope_org_kind == org.kind),
        or_(g.scope_org_level.is_(None), g.scope_org_level == region.level))
    covered = or_(a.organisation_id == g.grantee_org_id,
                  and_(g.scope_region_prefix.is_not(None), in_scope))
    rows = s.execute(select(g.id, func.max(a.ts)).join(a, a.resource_id == g.resource_id)
                     .where(g.id.in_([x.id for x in grants]), a.success.is_(True),
                            a.ts >= g.valid_from, covered)
                     .group_by(g.id))
    return {gid: ts for gid, ts in rows if ts is not None}


def _candidates(s: Session, who: Identity, day: dt.date, w: AlertWindows) -> list[SharingGrant]:
    """The grants that may need an alert for ``who``: pending ones and those in force ending
    soon, or started long enough ago to be unused, on the caller's side."""
    g = SharingGrant
    ending = and_(in_force(g, day), g.valid_until <= day + dt.timedelta(days=w.expiry))
    if who.role is Role.SECADMIN:
        old = and_(in_force(g, day), g.valid_from <= day - dt.timedelta(days=w.unused))
        side = provider_side(who)
        wanted = or_(g.status.in_(PENDING), ending, old)
    elif who.role is Role.DATA_ADMIN and who.organisation_id is not None:
        side = g.grantee_org_id == who.organisation_id
        wanted = or_(g.status.in_(PENDING), ending)
    else:
        return []
    return list(s.scalars(select(g).where(side, wanted).order_by(g.id)))


def _windows(s: Session, within_days: int | None) -> AlertWindows:
    if within_days is not None and not 0 <= within_days <= 3650:
        raise InputRejected("alert_bad_days", days=within_days)
    expiry = within_days if within_days is not None else read_setting(
        s, SHARING_EXPIRY_WARNING_DAYS)
    return AlertWindows(expiry, read_setting(s, SHARING_UNUSED_DAYS),
                        read_setting(s, SHARING_REQUEST_REMINDER_DAYS),
                        read_setting(s, SHARING_REQUEST_LAPSE_DAYS))


def _pending_alert(g: SharingGrant, info: GrantInfo, w: AlertWindows, now: dt.datetime,
                   day: dt.date) -> GrantAlert | None:
    lapses = asked_at(g.requested_at, g.created_at) + dt.timedelta(days=w.lapse)
    if info.valid_until is not None and info.valid_until < day:
        return None  # it can no longer be approved; nothing to remind of
    if lapses <= now:
        return _alert("request_lapsed", info, grant_day(lapses), day)
    if lapses - dt.timedelta(days=w.reminder) <= now:
        return _alert("request_waiting", info, grant_day(lapses), day)
    return None


def _expiring(s: Session, active: Sequence[SharingGrant], grants: dict[int, GrantInfo],
              w: AlertWindows, day: dt.date) -> list[GrantAlert]:
    ending = {x.id: x.valid_until for x in active
              if x.valid_until is not None and (x.valid_until - day).days <= w.expiry}
    renewed = _renewed_ids(s, list(ending))
    return [_alert("expiring", grants[gid], until, day) for gid, until in ending.items()
            if until is not None and gid not in renewed]


def _unused(s: Session, active: Sequence[SharingGrant], grants: dict[int, GrantInfo],
            w: AlertWindows, day: dt.date) -> list[GrantAlert]:
    started = {x.id: x.valid_from for x in active
               if x.valid_from is not None and (day - x.valid_from).days >= w.unused}
    uses = last_uses(s, [x for x in active if x.id in started])
    out = []
    for gid, start in started.items():
        if start is None:
            continue
        used = grant_day(uses[gid]) if gid in uses else None
        since = max(start, used) if used else start
        idle = (day - since).days
        if idle >= w.unused:
            out.append(_alert("unused", grants[gid], since + dt.timedelta(days=w.unused), day,
                              idle_days=idle, last_used=used))
    return out


def _alerts(s: Session, who: Identity, w: AlertWindows,
            kinds: Collection[str] | None = None) -> list[GrantAlert]:
    """The alerts of ``who`` (every kind, or those of ``kinds``: the unused ones, which read
    the access log's last uses, are not computed when they are not asked for)."""
    now, day = utcnow(), grant_day()
    rows = _candidates(s, who, day, w)
    grants = {i.id: i for i in infos(s, rows, day)}
    active = [x for x in rows if grants[x.id].state == "active"]
    out = _expiring(s, active, grants, w, day)
    if who.role is Role.SECADMIN and (not kinds or "unused" in kinds):
        out += _unused(s, active, grants, w, day)
    for x in rows:
        if x.status in PENDING and (found := _pending_alert(x, grants[x.id], w, now, day)):
            out.append(found)
    return sorted(out, key=lambda a: (a.due, a.grant_id, a.kind))


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def list_alerts(db: Database, who: Identity, kinds: Collection[str] | None = None,
                within_days: int | None = None) -> list[GrantAlert]:
    """The caller's sharing alerts (see the module), soonest due first; only ``kinds`` when
    given (codes of :data:`govdesk.vocab.GRANT_ALERT`). ``within_days`` replaces
    ``sharing.expiry_warning_days`` for this call (0-3650). InputRejected for an unknown kind
    or days out of range."""
    unknown = sorted(set(kinds or ()) - set(vocab.GRANT_ALERT.codes))
    if unknown:
        raise InputRejected("alert_bad_kind", kind=", ".join(unknown),
                            allowed=", ".join(vocab.GRANT_ALERT.codes))
    with db.session() as s:
        found = _alerts(s, who, _windows(s, within_days), kinds)
    return [a for a in found if not kinds or a.kind in kinds]
