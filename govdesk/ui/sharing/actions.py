"""Which steps of the workflow apply to a grant for the person looking at it, so the Sharing
area enables exactly those buttons. The same rules as the transition table
(:mod:`govdesk.sharing.states`) and the sides (:mod:`govdesk.sharing.steps`); the services
check them again, and their refusal is what the user reads when something changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
import enum

from govdesk.security.identity import Identity
from govdesk.security.roles import Op, Role
from govdesk.sharing.dto import GrantInfo
from govdesk.sharing.states import PENDING, Step, may_leave


class Action(str, enum.Enum):
    """A button of the Sharing area that acts on one grant."""

    APPROVE = "approve"
    REJECT = "reject"
    REVOKE = "revoke"
    RELEASE = "release"
    RENEW = "renew"


def _decider(grant: GrantInfo, who: Identity, provider: bool) -> bool:
    """A security administrator of the providing side who did not ask for it."""
    return (who.can(Op.SHARING_DECIDE) and provider and grant.status in PENDING
            and grant.requested_by != who.username)


def _grantee(grant: GrantInfo, who: Identity) -> bool:
    """A data administrator of the one organisation the grant names."""
    return (who.role is Role.DATA_ADMIN and grant.grantee_org_id is not None
            and grant.grantee_org_id == who.organisation_id)


def available(grant: GrantInfo, who: Identity, provider: bool,
              today: dt.date) -> frozenset[Action]:
    """The actions ``who`` may take on ``grant`` today; ``provider``: the grant's resource lies
    in ``who``'s region (see :func:`govdesk.sharing.lookup.providing_side`)."""
    out: set[Action] = set()
    if _decider(grant, who, provider):
        out.add(Action.REJECT)
        if not (grant.status == "first_approved" and grant.first_approved_by == who.username):
            out.add(Action.APPROVE)
    if who.can(Op.SHARING_DECIDE) and provider and may_leave(
            Step.REVOKE, grant.status, grant.valid_until, today):
        out.add(Action.REVOKE)
    if _grantee(grant, who):
        if may_leave(Step.RELEASE, grant.status, grant.valid_until, today):
            out.add(Action.RELEASE)
        if may_leave(Step.RENEW, grant.status, grant.valid_until, today) \
                and grant.resource_code is not None:
            out.add(Action.RENEW)
    return frozenset(out)


def may_request(who: Identity) -> bool:
    """A data administrator of an organisation asks for grants for it."""
    return who.can(Op.SHARING_REQUEST) and who.organisation_id is not None


def may_offer(who: Identity) -> bool:
    """Data and security administrators offer their region's resources."""
    return who.can(Op.SHARING_REQUEST) or who.can(Op.SHARING_DECIDE)
