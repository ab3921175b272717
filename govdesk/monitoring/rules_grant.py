"""Access with no active grant: a successful read of a resource outside the reader's
organisation's region that no grant covered on that day, judged by the sharing package's own
rule (:func:`govdesk.sharing.access.covers`, :func:`govdesk.sharing.access.grant_state`). A
grant revoked or released later still counts for the days before it ended.

The window's reads are grouped in SQL by (user, organisation, resource, day); only those groups
are judged, with the grants on their resources (on PostgreSQL through
``govdesk_monitor_grants``, 0037: a security administrator's own policy shows only the grants
of their region's resources). Events without an organisation (province-wide administrators) are
not judged: they read by their region, not by grants.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from govdesk.db.models import Organisation, Region, SharingGrant
from govdesk.db.models.sharing import grant_day
from govdesk.monitoring.actions import READ_ACTIONS, defined
from govdesk.monitoring.hits import Hit, Window, aware
from govdesk.monitoring.rules_time import in_window
from govdesk.monitoring.sqlparts import E, local_day, resource_facts
from govdesk.security.identity import region_prefix
from govdesk.security.kernel import under_rls
from govdesk.sharing.access import GrantFact, covers, grant_state
from govdesk.sharing.access_dto import OrgColumn
from govdesk.sharing.dto import GrantScope

GRANT_COLUMNS = ("id", "resource_id", "grantee_org_id", "scope_region_prefix", "scope_org_kind",
                 "scope_org_level", "status", "valid_from", "valid_until", "ended_at")


def _orgs(s: Session) -> dict[int, OrgColumn]:
    o = Organisation
    rows = s.execute(select(o.id, o.code, o.name, o.kind, o.region_code, Region.level,
                            o.is_active).join(Region, Region.code == o.region_code))
    return {row[0]: OrgColumn(*row) for row in rows}


def _grants(s: Session, ids: list[int]) -> dict[int, list[GrantFact]]:
    if under_rls(s):
        rows = s.execute(text("SELECT " + ", ".join(GRANT_COLUMNS)
                              + " FROM govdesk_monitor_grants(:ids)"), {"ids": ids}).all()
    else:
        g = SharingGrant
        rows = s.execute(select(*(getattr(g, c) for c in GRANT_COLUMNS))
                         .where(g.resource_id.in_(ids))).all()
    out: dict[int, list[GrantFact]] = defaultdict(list)
    for gid, rid, org, prefix, kind, level, status, since, until, ended in rows:
        scope = GrantScope(prefix, kind, level) if prefix is not None else None
        out[rid].append(GrantFact(gid, rid, org, scope, "", True, status, since, until,
                                  grant_day(aware(ended)) if ended else None, None,
                                  frozenset(), frozenset()))
    return out


def _in_force(g: GrantFact, day: dt.date) -> bool:
    """Whether ``g`` was in force on ``day`` (an ended grant: on the days before it ended)."""
    if g.status in ("revoked", "released") and g.ended_at is not None and day < g.ended_at:
        return grant_state(dataclasses.replace(g, status="approved"), day) == "active"
    return grant_state(g, day) == "active"


def no_active_grant(s: Session, p: dict[str, Any], w: Window) -> list[Hit]:
    """Reads of another region's resource with no grant in force for the reader's organisation
    on the day of the read, per user (the resources named in the detail)."""
    join, f = resource_facts(s)
    day = local_day(s, E.ts)
    rows = s.execute(
        join(select(E.username, E.organisation_id, E.resource_id, f.region_code, day,
                    func.count(), func.min(E.ts), func.max(E.ts), func.max(E.id)))
        .where(in_window(w), E.success.is_(True), E.action.in_(defined(READ_ACTIONS)),
               E.organisation_id.is_not(None))
        .group_by(E.username, E.organisation_id, E.resource_id, f.region_code, day)).all()
    orgs = _orgs(s)
    foreign = [r for r in rows if r[1] in orgs
               and not r[3].startswith(region_prefix(orgs[r[1]].region_code))]
    grants = _grants(s, sorted({r[2] for r in foreign})) if foreign else {}
    per_user: dict[str, list[Any]] = defaultdict(list)
    for r in foreign:
        d = r[4] if isinstance(r[4], dt.date) else dt.date.fromisoformat(r[4])
        org = orgs[r[1]]
        if not any(covers(g, org) and _in_force(g, d) for g in grants.get(r[2], ())):
            per_user[r[0]].append(r)
    return [_user_hit(name, found) for name, found in per_user.items()]


def _user_hit(name: str, found: list[Any]) -> Hit:
    resources = sorted({r[2] for r in found})
    return Hit(name, name, resources[0] if len(resources) == 1 else None,
               sum(int(r[5]) for r in found), min(aware(r[6]) for r in found),
               max(aware(r[7]) for r in found), max(int(r[8]) for r in found),
               {"resources": resources[:20], "resource_count": len(resources)})
