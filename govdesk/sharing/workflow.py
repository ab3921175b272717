"""The steps that make a grant: a request by the receiving side, an offer by the providing side,
a renewal of a grant in force. Each checks the rules of :mod:`govdesk.sharing.policy` and the
transition table of :mod:`govdesk.sharing.states`, writes the grant (and its chosen items) in one
unit of work, records the step (:mod:`govdesk.sharing.steps`) and returns the grant as the
database stored it (on PostgreSQL its trigger stamps who and when).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.db.models import SharingGrant, SharingGrantItem
from govdesk.db.base import utcnow
from govdesk.db.models.sharing import grant_day
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op
from govdesk.sharing import policy
from govdesk.sharing.dto import GrantInfo, GrantScope, GrantTerms
from govdesk.sharing.messages import ACTIONS
from govdesk.sharing.queries import infos, load_visible
from govdesk.sharing.states import PENDING, Step
from govdesk.sharing.steps import check_side, check_step, record

WHY = ("a request names a published resource of any region (the catalogue is what may be "
       "asked for); it writes only the caller's own grant")


def _no_pending_twin(s: Session, resource_id: int, code: str, grantee_org_id: int) -> None:
    """InputRejected when the organisation already waits for a decision on the resource (a
    second identical request would only be decided twice); renewals are requests of their own."""
    twin = s.scalar(select(SharingGrant.id).where(
        SharingGrant.resource_id == resource_id, SharingGrant.grantee_org_id == grantee_org_id,
        SharingGrant.status.in_(PENDING), SharingGrant.renews_grant_id.is_(None))
        .order_by(SharingGrant.id).limit(1))
    if twin is not None:
        raise InputRejected("grant_duplicate_pending", grant=twin, resource=code)


def _write(s: Session, who: Identity, terms: GrantTerms, status: str, resource: str, *,
           grantee_org_id: int | None, scope: GrantScope | None,
           renews: int | None = None, start: dt.date | None = None) -> GrantInfo:
    """Check ``terms`` against the resource and its grades, write the grant with ``status``,
    record the step; the grant as stored."""
    found = policy.resource_terms(s, resource)
    policy.check_shareable(found)
    all_items, items, excluded = policy.choose_items(found, terms.items)
    day = grant_day()
    begin = start or terms.valid_from or day
    policy.check_validity(policy.binding_grades(found, items), begin, terms.valid_until, day)
    method = policy.check_vocab("method", vocab.SHARING_METHOD, terms.method)
    purpose = policy.check_vocab("purpose", vocab.SHARING_PURPOSE, terms.purpose_code)
    if purpose is None:
        raise InputRejected("grant_purpose_required")
    conditional = found.sharing_type == "conditional"
    if conditional and not terms.accept_conditions:
        raise InputRejected("grant_conditions_not_accepted", resource=found.code,
                            conditions=found.condition or "—")
    if status == "requested" and renews is None and grantee_org_id is not None:
        _no_pending_twin(s, found.id, found.code, grantee_org_id)
    grant = SharingGrant(
        resource_id=found.id, grantee_org_id=grantee_org_id,
        scope_region_prefix=scope.region_prefix if scope else None,
        scope_org_kind=scope.org_kind if scope else None,
        scope_org_level=scope.org_level if scope else None,
        sharing_type=found.sharing_type, all_items=all_items, method=method,
        purpose_code=purpose, purpose=policy.check_text("purpose_text", terms.purpose),
        legal_basis=policy.check_text("legal_basis", terms.legal_basis),
        conditions=found.condition,
        conditions_accepted=terms.accept_conditions,
        conditions_accepted_by=who.username if terms.accept_conditions else None,
        exclusions=json.dumps([dataclasses.asdict(e) for e in excluded], ensure_ascii=False),
        origin="offer" if status == "offered" else "request", status=status,
        requested_by=who.username, requested_at=utcnow(), renews_grant_id=renews,
        valid_from=begin, valid_until=terms.valid_until)
    s.add(grant)
    s.flush()
    if not all_items:
        s.add_all(SharingGrantItem(grant_id=grant.id, item_id=i.id) for i in items)
    record(s, who, grant, None)
    s.flush()
    s.refresh(grant)
    return infos(s, [grant], day)[0]


@service(Op.SHARING_REQUEST, scope=Scope.NONE, why=WHY)
def request_grant(db: Database, who: Identity, resource: str, terms: GrantTerms) -> GrantInfo:
    """Ask for the published resource with code ``resource`` for the caller's own organisation
    (a data administrator of the receiving side). Items whose grade forbids sharing are left
    out and named in the grant's exclusions; a 有条件共享 resource needs
    ``terms.accept_conditions``. The request waits for the providing side's security
    administrator (:func:`govdesk.sharing.decisions.approve`)."""
    if who.organisation_id is None:
        raise InputRejected("grant_no_organisation", username=who.username)
    check_side(who, Step.REQUEST, region_code="", resource=resource,
               grantee_org_id=who.organisation_id)
    with db.session() as s:
        return _write(s, who, terms, "requested", resource,
                      grantee_org_id=who.organisation_id, scope=None)


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, writes=True, resource="resource_code")
def offer_grant(db: Database, who: Identity, resource_code: str, terms: GrantTerms,
                grantee: str | None = None, scope: GrantScope | None = None) -> GrantInfo:
    """Offer a resource of the caller's own region to one organisation (``grantee``: its code)
    or to every organisation in ``scope``; exactly one of the two. ``terms.accept_conditions``
    records that the conditions of a 有条件共享 resource were agreed in the offer. A security
    administrator other than the one who offered approves it."""
    if (grantee is None) == (scope is None):
        raise InputRejected("grant_grantee_or_scope")
    with db.session() as s:
        org = policy.organisation_id(s, grantee) if grantee is not None else None
        checked = policy.check_scope(scope) if scope is not None else None
        found = policy.resource_terms(s, resource_code)
        check_side(who, Step.OFFER, region_code=found.region_code, resource=found.code)
        return _write(s, who, terms, "offered", resource_code, grantee_org_id=org, scope=checked)


@service(Op.SHARING_REQUEST, scope=Scope.NONE, why=WHY)
def renew_grant(db: Database, who: Identity, grant_id: int, valid_until: dt.date,
                accept_conditions: bool = False, purpose: str | None = None) -> GrantInfo:
    """Ask for grant ``grant_id`` (approved, not expired, of the caller's organisation) to run
    on from the day after it ends until ``valid_until``: a new request with the same resource,
    items, method and purpose, decided like any request (so nobody extends their own grant)."""
    with db.session() as s:
        old = load_visible(s, who, grant_id)
        check_side(who, Step.RENEW, region_code="", grant_id=grant_id,
                   grantee_org_id=old.grantee_org_id)
        check_step(old, Step.RENEW, grant_day(), None)
        info = infos(s, [old])[0]
        if old.valid_until is None or info.resource_code is None:
            raise InputRejected("grant_bad_step", grant=grant_id,
                                state=vocab.GRANT_STATE.label(info.state),
                                action=ACTIONS["renew"])
        terms = GrantTerms(
            valid_until=valid_until, method=old.method or "platform",
            purpose_code=old.purpose_code or "other",
            purpose=purpose if purpose is not None else (old.purpose or ""),
            legal_basis=old.legal_basis or "", accept_conditions=accept_conditions,
            items=None if old.all_items else info.items)
        return _write(s, who, terms, "requested", info.resource_code,
                      grantee_org_id=old.grantee_org_id, scope=None, renews=old.id,
                      start=old.valid_until + dt.timedelta(days=1))
