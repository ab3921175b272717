"""The catalogue workflow: 草稿 (draft) → 注册审核 (registration review) → 发布审核
(publication review) → 发布 (published). An editor submits; a reviewer approves each review
step or returns the resource to draft. The reviewer can never be the author (who created or
submitted it). Every step is audited (by triggers on PostgreSQL, here on SQLite).

:data:`TRANSITIONS` is the workflow, once: every status change and the step that makes it. On
PostgreSQL the database refuses any other change, the wrong role for a step, a reviewer who
wrote or submitted the resource, and a ``submitted_by`` the client chose (migration 0014,
``govdesk_workflow_step`` holds the same table; a test compares them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from govdesk.changes import RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import DataResource
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import ResourceNotFound, service
from govdesk.security.roles import Op

#: (from status, to status) -> the step that makes the change; no other change exists
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "registration_review"): "submit",
    ("registration_review", "publication_review"): "approve",
    ("publication_review", "published"): "approve",
    ("registration_review", "draft"): "return",
    ("publication_review", "draft"): "return",
}
#: what each step needs; the reviewing steps also need someone other than the author
STEP_OP = {"submit": Op.CATALOG_EDIT, "approve": Op.CATALOG_REVIEW, "return": Op.CATALOG_REVIEW}


def next_status(status: str, step: str) -> str | None:
    """Where ``step`` takes a resource in ``status``, or None when it cannot be taken there."""
    return next((to for (frm, to), s in TRANSITIONS.items() if frm == status and s == step), None)


def _load(db_session: Session, resource_id: int) -> DataResource:
    """The resource, in the service's edit scope (the kernel narrows the statement)."""
    r = db_session.get(DataResource, resource_id)
    if r is None:  # deleted since the kernel looked
        raise ResourceNotFound(resource_id, editing=True)
    return r


def _record(db: Database, s, who: Identity, r: DataResource, step: str, before: str) -> None:  # type: ignore[no-untyped-def]
    announce.note(s, Changed.of(RESOURCES, [r.id]))
    if not db.is_postgres:
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=r.code, detail={"op": "WORKFLOW", "step": step, "from": before,
                                               "to": r.status})


@service(STEP_OP["submit"], writes=True, resource="resource_id")
def submit(db: Database, who: Identity, resource_id: int) -> str:
    """Send a draft to registration review; returns the new status."""
    with db.session() as s:
        r = _load(s, resource_id)
        to = next_status(r.status, "submit")
        if to is None:
            raise InputRejected("not_a_draft", resource=r.code, status=r.status)
        before, r.status, r.submitted_by, r.updated_at = r.status, to, who.username, utcnow()
        _record(db, s, who, r, "submit", before)
        return r.status


def _under_review(s, who: Identity, resource_id: int,  # type: ignore[no-untyped-def]
                  step: str) -> tuple[DataResource, str]:
    """The resource and the status ``step`` takes it to, checked to be where the step can be
    taken, by someone other than its author (the step's permission is the service's)."""
    r = _load(s, resource_id)
    to = next_status(r.status, step)
    if to is None:
        raise InputRejected("not_under_review", resource=r.code, status=r.status)
    if who.username in (r.created_by, r.submitted_by):
        raise PermissionDenied("own_review", username=who.username, resource=r.code)
    return r, to


@service(STEP_OP["approve"], writes=True, resource="resource_id")
def approve(db: Database, who: Identity, resource_id: int) -> str:
    """Pass the current review step; publication sets today's publish date when empty."""
    with db.session() as s:
        r, to = _under_review(s, who, resource_id, "approve")
        before, r.status, r.updated_at = r.status, to, utcnow()
        if r.status == "published" and r.publish_date is None:
            r.publish_date = dt.date.today()
        _record(db, s, who, r, "approve", before)
        return r.status


@service(STEP_OP["return"], writes=True, resource="resource_id")
def return_to_draft(db: Database, who: Identity, resource_id: int) -> str:
    """Send a resource under review back to its author as a draft."""
    with db.session() as s:
        r, to = _under_review(s, who, resource_id, "return")
        before, r.status, r.updated_at = r.status, to, utcnow()
        _record(db, s, who, r, "return", before)
        return r.status
