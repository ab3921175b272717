"""Reading grants: the ones a caller may see, and one grant with its items and history.

A grant is seen by its requester, the providing side (the resource lies in the caller's region)
and the organisations it covers (named, or in its scope): the rule of PostgreSQL's
``grants_read`` policy (migration 0025), applied here in SQL for SQLite and the owner. A
grantee does not see a resource of another region before a grant is in force, so on PostgreSQL
the resource's code and name and the granted items' names come from
``govdesk_grant_labels(ids)``, which answers for visible grants only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, exists, or_, select, text, true
from sqlalchemy.orm import Session

from govdesk.db.engine import Database
from govdesk.db.models import (
    DataItem,
    DataResource,
    Organisation,
    SharingGrant,
    SharingGrantEvent,
    SharingGrantItem,
)
from govdesk.db.models.sharing import covers, grant_day
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, scope_prefix, service, under_rls, unscoped
from govdesk.security.roles import Op
from govdesk.sharing.dto import (
    Exclusion,
    GrantDetail,
    GrantEventInfo,
    GrantFilter,
    GrantInfo,
    GrantScope,
)
from govdesk.sharing.states import PENDING

WHY = "grants are narrowed by their own rule (requester, providing side, organisations covered)"


def provider_side(who: Identity) -> Any:
    """SQL: grants whose resource lies in ``who``'s region (the providing side)."""
    prefix = scope_prefix(who)
    if not prefix:
        return true()
    return exists().where(DataResource.id == SharingGrant.resource_id,
                          DataResource.region_code.like(prefix + "%"))


def visible(who: Identity) -> Any:
    """SQL: the grants ``who`` may see."""
    return or_(SharingGrant.requested_by == who.username, provider_side(who),
               covers(SharingGrant, who.organisation_id))


def _state_filter(state: str, day: dt.date) -> Any:
    g = SharingGrant
    if state == "active":
        return and_(g.status == "approved", or_(g.valid_from.is_(None), g.valid_from <= day),
                    or_(g.valid_until.is_(None), g.valid_until >= day))
    if state == "scheduled":
        return and_(g.status == "approved", g.valid_from > day)
    if state == "expired":
        return and_(g.status == "approved", g.valid_until < day)
    return g.status == state


def _labels(s: Session, ids: Sequence[int]) -> dict[int, tuple[str | None, str | None,
                                                                tuple[str, ...]]]:
    """grant id -> (resource code, resource name, names of the listed items)."""
    if not ids:
        return {}
    if under_rls(s):
        rows = s.execute(text("SELECT * FROM govdesk_grant_labels(:ids)"), {"ids": list(ids)})
        return {r.grant_id: (r.code, r.name, tuple(r.items or ())) for r in rows}
    out: dict[int, tuple[str | None, str | None, tuple[str, ...]]] = {}
    why = "labels of grants the caller may see"
    for gid, code, name in s.execute(unscoped(
            select(SharingGrant.id, DataResource.code, DataResource.name)
            .join(DataResource, DataResource.id == SharingGrant.resource_id)
            .where(SharingGrant.id.in_(ids)), why)):
        out[gid] = (code, name, ())
    items: dict[int, list[str]] = {}
    for gid, name in s.execute(unscoped(
            select(SharingGrantItem.grant_id, DataItem.name)
            .join(DataItem, DataItem.id == SharingGrantItem.item_id)
            .where(SharingGrantItem.grant_id.in_(ids)).order_by(DataItem.seq), why)):
        items.setdefault(gid, []).append(name)
    return {gid: (c, n, tuple(items.get(gid, ()))) for gid, (c, n, _i) in out.items()}


def infos(s: Session, grants: Sequence[SharingGrant], day: dt.date | None = None,
          ) -> list[GrantInfo]:
    """The GrantInfo of each of ``grants`` (loaded in ``s``), states as of ``day``."""
    from govdesk.sharing.states import state_of

    day = day or grant_day()
    labels = _labels(s, [g.id for g in grants])
    org_ids = {g.grantee_org_id for g in grants if g.grantee_org_id is not None}
    names = dict(s.execute(select(Organisation.id, Organisation.name)
                           .where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
    out = []
    for g in grants:
        code, name, items = labels.get(g.id, (None, None, ()))
        scope = (GrantScope(g.scope_region_prefix, g.scope_org_kind, g.scope_org_level)
                 if g.scope_region_prefix else None)
        exclusions = tuple(Exclusion(**e) for e in json.loads(g.exclusions or "[]"))
        out.append(GrantInfo(
            g.id, g.resource_id, code, name, g.grantee_org_id,
            names.get(g.grantee_org_id) if g.grantee_org_id is not None else None,
            scope, g.sharing_type, g.all_items, items, exclusions, g.method, g.purpose_code,
            g.purpose, g.legal_basis, g.conditions, g.conditions_accepted,
            g.conditions_accepted_by, g.origin, g.status,
            state_of(g.status, g.valid_from, g.valid_until, day), g.requested_by,
            g.requested_at, g.first_approved_by, g.decided_by, g.decided_at, g.ended_by,
            g.ended_at, g.reason, g.renews_grant_id, g.valid_from, g.valid_until, g.version))
    return out


def load_visible(s: Session, who: Identity, grant_id: int) -> SharingGrant:
    """The grant ``grant_id`` if ``who`` may see it; InputRejected ("not found") otherwise."""
    found = s.scalar(select(SharingGrant).where(SharingGrant.id == grant_id, visible(who)))
    if found is None:
        raise InputRejected("grant_not_found", grant=grant_id)
    return found


@service(Op.CATALOG_READ, scope=Scope.NONE, why=WHY)
def list_grants(db: Database, who: Identity, grant_filter: GrantFilter = GrantFilter(),
                ) -> list[GrantInfo]:
    """The grants ``who`` may see that pass ``grant_filter``, newest first (at most its limit).
    ``to_decide``: pending grants of the caller's providing side that they may still decide
    (not requested by them, not approved by them already)."""
    f, day = grant_filter, grant_day()
    query = select(SharingGrant).where(visible(who))
    if f.state:
        query = query.where(_state_filter(f.state, day))
    if f.resource_code:
        query = query.where(SharingGrant.resource_id.in_(unscoped(
            select(DataResource.id).where(DataResource.code.startswith(
                f.resource_code.strip(), autoescape=True)),
            "a code narrows; visibility is the grants' own rule")))
    if f.grantee_org_id is not None:
        query = query.where(SharingGrant.grantee_org_id == f.grantee_org_id)
    if f.to_decide:
        query = query.where(SharingGrant.status.in_(PENDING), provider_side(who),
                            SharingGrant.requested_by != who.username,
                            or_(SharingGrant.first_approved_by.is_(None),
                                SharingGrant.first_approved_by != who.username))
    if f.mine:
        query = query.where(or_(SharingGrant.requested_by == who.username,
                                covers(SharingGrant, who.organisation_id)))
    with db.session() as s:
        rows = list(s.scalars(query.order_by(SharingGrant.id.desc()).limit(max(1, f.limit))))
        return infos(s, rows, day)


@service(Op.CATALOG_READ, scope=Scope.NONE, why=WHY)
def grant_detail(db: Database, who: Identity, grant_id: int) -> GrantDetail:
    """Grant ``grant_id`` with its history; InputRejected when it is not the caller's to see."""
    with db.session() as s:
        grant = load_visible(s, who, grant_id)
        events = tuple(GrantEventInfo(e.from_status, e.to_status, e.actor, e.actor_role, e.at,
                                      e.reason)
                       for e in s.scalars(select(SharingGrantEvent)
                                          .where(SharingGrantEvent.grant_id == grant_id)
                                          .order_by(SharingGrantEvent.id)))
        return GrantDetail(infos(s, [grant])[0], events)
