"""What every step of the workflow does besides changing the grant: check who takes it against
the transition table, record it in the grant's history and the audit trail, announce it.

On PostgreSQL the database writes the history row and the audit row itself (trigger
``govdesk_grant_history``, from ``session_user`` and its clock), so a client cannot leave them
out; on SQLite :func:`record` writes both in the step's unit of work. Either way both commit
or roll back with the step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from govdesk.changes import GRANTS, RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.models import SharingGrant, SharingGrantEvent
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.identity import Identity
from govdesk.security.kernel import scope_prefix
from govdesk.security.roles import Role
from govdesk.sharing.messages import ACTIONS
from govdesk.sharing.policy import check_text
from govdesk.sharing.states import TRANSITIONS, Side, Step, may_leave
from govdesk.vocab import GRANT_STATE

#: the audit event type of every step (the database writes the same one on PostgreSQL)
EVENT = audit.EventType.SHARING_GRANT


def is_provider(who: Identity, region_code: str) -> bool:
    """Whether ``who``'s region holds ``region_code`` (the providing side of a resource there)."""
    return region_code.startswith(scope_prefix(who))


def check_side(who: Identity, step: Step, *, region_code: str, grant_id: int | str = "",
               resource: str = "", grantee_org_id: int | None = None) -> None:
    """Raise PermissionDenied unless ``who`` is on the side that takes ``step``."""
    side = TRANSITIONS[step].side
    action = ACTIONS[step.value]
    if side is Side.RECEIVING:
        if who.role is not Role.DATA_ADMIN or grantee_org_id is None \
                or grantee_org_id != who.organisation_id:
            raise PermissionDenied("grant_not_grantee", action=action, grant=grant_id)
        return
    if side is Side.ANY_ADMIN:
        return
    roles = (Role.SECADMIN,) if side is Side.PROVIDING_SECURITY else (Role.SECADMIN,
                                                                       Role.DATA_ADMIN)
    if who.role not in roles or not is_provider(who, region_code):
        raise PermissionDenied("grant_not_provider", username=who.username,
                               resource=resource or grant_id, region=region_code,
                               action=action)


def check_step(grant: SharingGrant, step: Step, day: Any, reason: str | None) -> str | None:
    """Raise InputRejected unless ``step`` may leave ``grant``'s status today and has the reason
    it needs; returns the reason trimmed (None when blank)."""
    from govdesk.sharing.states import state_of

    if not may_leave(step, grant.status, grant.valid_until, day):
        state = state_of(grant.status, grant.valid_from, grant.valid_until, day)
        raise InputRejected("grant_bad_step", grant=grant.id, state=GRANT_STATE.label(state),
                            action=ACTIONS[step.value])
    cleaned = check_text("reason", reason)
    if TRANSITIONS[step].reason_required and cleaned is None:
        raise InputRejected("grant_reason_required", action=ACTIONS[step.value])
    return cleaned


def record(s: Session, who: Identity, grant: SharingGrant, from_status: str | None) -> None:
    """Record the step that brought ``grant`` (flushed) to its status, and announce it."""
    announce.note(s, Changed.of(GRANTS, {grant.id}), Changed.of(RESOURCES, {grant.resource_id}))
    if s.get_bind().dialect.name == "postgresql":
        return  # the database's trigger writes the history and the audit row
    s.add(SharingGrantEvent(grant_id=grant.id, from_status=from_status, to_status=grant.status,
                            actor=who.username, actor_role=who.role.value if who.role else None,
                            at=utcnow(), reason=grant.reason if from_status else None))
    audit.record(s, who, EVENT, object_type="sharing_grants", object_id=grant.id, detail={
        "from": from_status, "to": grant.status, "resource": grant.resource_id,
        "grantee": grant.grantee_org_id, "scope": grant.scope_region_prefix,
        "reason": grant.reason if from_status else None})
