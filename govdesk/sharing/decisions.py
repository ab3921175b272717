"""The steps that decide or end a grant: approve (once, or first and second by two different
security administrators where a grade asks for two), reject, revoke (reasons required), release
by the grantee, and marking unanswered requests lapsed (:func:`expire_due`, for a scheduled
``govdesk sharing expire-due``; expiry itself needs no job: see :mod:`govdesk.sharing.states`).

Who decides is the providing side's security administrator, never the requester (nor, for a
second approval, the first approver): checked here on both databases, and again by PostgreSQL's
trigger ``govdesk_grant_rules()`` for any client.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import SharingGrant
from govdesk.db.models.sharing import grant_day
from govdesk.errors import ConflictError, InputRejected, PermissionDenied
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op
from govdesk.security.settings import read_setting
from govdesk.settings import SHARING_REQUEST_LAPSE_DAYS
from govdesk.sharing import policy
from govdesk.sharing.dto import GrantInfo
from govdesk.sharing.messages import ACTIONS
from govdesk.sharing.queries import infos, load_visible, visible
from govdesk.sharing.states import PENDING, Step, asked_at, lapse_due
from govdesk.sharing.steps import check_side, check_step, record

WHY = "a grant is found by its own rule (requester, providing side, organisations covered)"


def _asked_at(grant: SharingGrant) -> dt.datetime:
    return asked_at(grant.requested_at, grant.created_at)


def _terms(s: Session, grant: SharingGrant) -> policy.ResourceTerms:
    code = infos(s, [grant])[0].resource_code
    if code is None:
        raise InputRejected("grant_not_found", grant=grant.id)
    return policy.resource_terms(s, code)


def _done(s: Session, who: Identity, grant: SharingGrant, before: str) -> GrantInfo:
    s.flush()
    record(s, who, grant, before)
    s.flush()
    s.refresh(grant)
    return infos(s, [grant])[0]


def _decide_checks(s: Session, who: Identity, grant: SharingGrant, step: Step,
                   reason: str | None) -> tuple[policy.ResourceTerms, str | None]:
    terms = _terms(s, grant)
    check_side(who, step, region_code=terms.region_code, grant_id=grant.id,
               resource=terms.code)
    cleaned = check_step(grant, step, grant_day(), reason)
    if step is Step.APPROVE:
        policy.check_shareable(terms)  # still shareable now, as when it was asked for
    if grant.requested_by == who.username:
        raise PermissionDenied("grant_self_decision", action=ACTIONS[step.value], grant=grant.id)
    return terms, cleaned


@service(Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def approve(db: Database, who: Identity, grant_id: int, note: str = "",
            seen_version: int | None = None) -> GrantInfo:
    """Approve a pending grant as the providing side's security administrator (not its
    requester). Where a binding grade asks for two approvals the first leaves it
    ``first_approved`` and a second, different administrator approves it. Refused for a request
    that waited longer than ``sharing.request_lapse_days``, or whose validity broke the grades'
    maximum or has already ended, or whose resource is no longer shareable.

    ``seen_version``: the grant's ``version`` as the approver saw it (the GUI passes the row it
    shows); ConflictError ``grant_changed`` when the grant changed since (an item named later,
    another approval): what is approved is what was seen."""
    with db.session() as s:
        grant = load_visible(s, who, grant_id)
        terms, cleaned = _decide_checks(s, who, grant, Step.APPROVE, note)
        if seen_version is not None and grant.version != seen_version:  # after the state's
            raise ConflictError("grant_changed", grant=grant.id)       # own refusals
        if grant.status == "first_approved" and grant.first_approved_by == who.username:
            raise PermissionDenied("grant_second_approver", grant=grant.id,
                                   first=grant.first_approved_by)
        days = read_setting(s, SHARING_REQUEST_LAPSE_DAYS)
        now, day = utcnow(), grant_day()
        if lapse_due(_asked_at(grant), now, days):
            raise InputRejected("grant_lapsed", grant=grant.id, days=days)
        if grant.valid_until is not None and grant.valid_until < day:
            raise InputRejected("grant_ended_unapproved", grant=grant.id,
                                until=grant.valid_until.isoformat())
        grades = policy.binding_grades(terms, policy.granted_items(s, terms, grant.id,
                                                                   grant.all_items))
        if grant.valid_from is not None and grant.valid_until is not None:
            policy.check_validity(grades, grant.valid_from, grant.valid_until, grant.valid_from)
        before = grant.status
        if before != "first_approved" and policy.approvals_needed(grades) >= 2:
            grant.status, grant.first_approved_by, grant.first_approved_at = (
                "first_approved", who.username, now)
        else:
            grant.status, grant.decided_by, grant.decided_at = "approved", who.username, now
        grant.reason = cleaned
        return _done(s, who, grant, before)


@service(Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def reject(db: Database, who: Identity, grant_id: int, reason: str) -> GrantInfo:
    """Reject a pending grant (providing side's security administrator, not its requester;
    reason required)."""
    with db.session() as s:
        grant = load_visible(s, who, grant_id)
        _, cleaned = _decide_checks(s, who, grant, Step.REJECT, reason)
        before = grant.status
        grant.status, grant.decided_by, grant.decided_at = "rejected", who.username, utcnow()
        grant.reason = cleaned
        return _done(s, who, grant, before)


@service(Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def revoke(db: Database, who: Identity, grant_id: int, reason: str) -> GrantInfo:
    """Revoke an approved grant that has not expired (providing side's security
    administrator; reason required). It stops working at once, in PostgreSQL too."""
    with db.session() as s:
        grant = load_visible(s, who, grant_id)
        terms = _terms(s, grant)
        check_side(who, Step.REVOKE, region_code=terms.region_code, grant_id=grant.id,
                   resource=terms.code)
        cleaned = check_step(grant, Step.REVOKE, grant_day(), reason)
        grant.status, grant.ended_by, grant.ended_at = "revoked", who.username, utcnow()
        grant.reason = cleaned
        return _done(s, who, grant, "approved")


@service(Op.SHARING_REQUEST, scope=Scope.NONE, why=WHY)
def release(db: Database, who: Identity, grant_id: int, reason: str = "") -> GrantInfo:
    """Give back an approved grant before it ends (a data administrator of the organisation it
    names; a scope grant is revoked by the providing side instead)."""
    with db.session() as s:
        grant = load_visible(s, who, grant_id)
        if grant.grantee_org_id is None:
            raise InputRejected("grant_scope_release", grant=grant.id)
        check_side(who, Step.RELEASE, region_code="", grant_id=grant.id,
                   grantee_org_id=grant.grantee_org_id)
        cleaned = check_step(grant, Step.RELEASE, grant_day(), reason)
        grant.status, grant.ended_by, grant.ended_at = "released", who.username, utcnow()
        grant.reason = cleaned
        return _done(s, who, grant, "approved")


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def expire_due(db: Database, who: Identity) -> list[GrantInfo]:
    """Mark lapsed every pending request the caller may see that waited longer than
    ``sharing.request_lapse_days`` unanswered; the grants marked. (Approved grants need no
    job: they stop working at their end date by themselves.)"""
    with db.session() as s:
        days = read_setting(s, SHARING_REQUEST_LAPSE_DAYS)
        now = utcnow()
        due = [g for g in s.scalars(select(SharingGrant).where(
            SharingGrant.status.in_(PENDING), visible(who)).order_by(SharingGrant.id))
            if lapse_due(_asked_at(g), now, days)]
        for grant in due:
            before = grant.status
            grant.status, grant.ended_by, grant.ended_at = "lapsed", who.username, now
            grant.reason = None
            s.flush()
            record(s, who, grant, before)
        s.flush()
        for grant in due:
            s.refresh(grant)
        return infos(s, due)
