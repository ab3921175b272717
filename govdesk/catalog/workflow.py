"""The catalogue workflow: 草稿 (draft) → 注册审核 (registration review) → 发布审核
(publication review) → 发布 (published). An editor submits; a reviewer approves each review
step or returns the resource to draft. The reviewer can never be the author (who created or
submitted it). Every step is audited (by triggers on PostgreSQL, here on SQLite).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.catalog.browse import scope_clause
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import DataResource
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.roles import Op

NEXT = {"registration_review": "publication_review", "publication_review": "published"}


def _load(db_session: Session, who: Identity, resource_id: int) -> DataResource:
    r = db_session.scalar(select(DataResource).where(DataResource.id == resource_id,
                                                     scope_clause(who)))
    if r is None:
        raise InputRejected(f"Resource {resource_id} does not exist or is not yours to see.")
    return r


def _record(db: Database, s, who: Identity, r: DataResource, step: str, before: str) -> None:  # type: ignore[no-untyped-def]
    if not db.is_postgres:
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=r.code, detail={"op": "WORKFLOW", "step": step, "from": before,
                                               "to": r.status})


def submit(db: Database, who: Identity, resource_id: int) -> str:
    """Send a draft to registration review; returns the new status."""
    who.require(Op.CATALOG_EDIT)
    with db.session() as s:
        r = _load(s, who, resource_id)
        if r.status != "draft":
            raise InputRejected(f"{r.code} is not a draft (it is {r.status}).")
        before, r.status, r.submitted_by, r.updated_at = r.status, "registration_review", \
            who.username, utcnow()
        _record(db, s, who, r, "submit", before)
        return r.status


def _under_review(s, who: Identity, resource_id: int) -> DataResource:  # type: ignore[no-untyped-def]
    """The resource, checked to be under review by someone other than its author."""
    who.require(Op.CATALOG_REVIEW)
    r = _load(s, who, resource_id)
    if r.status not in NEXT:
        raise InputRejected(f"{r.code} is not waiting for review (it is {r.status}).")
    if who.username in (r.created_by, r.submitted_by):
        raise PermissionDenied(f"{who.username} wrote or submitted {r.code} and cannot "
                               "also review it.")
    return r


def approve(db: Database, who: Identity, resource_id: int) -> str:
    """Pass the current review step; publication sets today's publish date when empty."""
    with db.session() as s:
        r = _under_review(s, who, resource_id)
        before, r.status, r.updated_at = r.status, NEXT[r.status], utcnow()
        if r.status == "published" and r.publish_date is None:
            r.publish_date = dt.date.today()
        _record(db, s, who, r, "approve", before)
        return r.status


def return_to_draft(db: Database, who: Identity, resource_id: int) -> str:
    """Send a resource under review back to its author as a draft."""
    with db.session() as s:
        r = _under_review(s, who, resource_id)
        before, r.status, r.updated_at = r.status, "draft", utcnow()
        _record(db, s, who, r, "return", before)
        return r.status
