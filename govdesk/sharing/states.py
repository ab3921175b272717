"""The sharing workflow as one transition table, and the state of a grant at a moment.

Every step names the statuses it leaves, the statuses it may reach, who takes it and whether a
reason is required. The services (:mod:`govdesk.sharing.workflow`) check a step against this
table on both databases; on PostgreSQL the trigger ``govdesk_grant_rules()`` (migration 0025)
holds the same table for any client, and ``tests/test_sharing_pg.py`` takes every step over
plain SQL.

``approved`` is one stored status; whether such a grant is in force is a matter of its dates
and today's grant day (:func:`govdesk.db.models.sharing.grant_day`): before ``valid_from`` it
is *scheduled*, after ``valid_until`` *expired*. Nothing runs to expire a grant: every read
compares the dates.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

# re-exported: the UI reads the grant day from here (it never imports the models)
from govdesk.db.models.sharing import grant_day as grant_day


class Side(enum.Enum):
    """Who may take a step."""

    RECEIVING = "receiving"  #: a data administrator of the organisation granted
    PROVIDING_DATA = "providing_data"  #: a data or security administrator of the resource's region
    PROVIDING_SECURITY = "providing_security"  #: a security administrator of the resource's region
    ANY_ADMIN = "any_admin"  #: any data or security administrator (a scheduled job)


class Step(str, enum.Enum):
    """A step of the workflow; the value is the action's message key."""

    REQUEST = "request"
    OFFER = "offer"
    APPROVE = "approve"
    REJECT = "reject"
    REVOKE = "revoke"
    RELEASE = "release"
    LAPSE = "lapse"
    RENEW = "renew"


PENDING = ("requested", "offered", "first_approved")


@dataclass(frozen=True)
class Transition:
    """One row of the table. ``sources`` empty: the step makes a new grant. ``in_force``: the
    grant must not have expired (revoking, releasing and renewing act on a living grant)."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    side: Side
    reason_required: bool = False
    in_force: bool = False
    not_requester: bool = False


TRANSITIONS: dict[Step, Transition] = {
    Step.REQUEST: Transition((), ("requested",), Side.RECEIVING),
    Step.OFFER: Transition((), ("offered",), Side.PROVIDING_DATA),
    # one approval, or the first and then a second by another person (the grade's rule)
    Step.APPROVE: Transition(PENDING, ("first_approved", "approved"), Side.PROVIDING_SECURITY,
                             not_requester=True),
    Step.REJECT: Transition(PENDING, ("rejected",), Side.PROVIDING_SECURITY,
                            reason_required=True, not_requester=True),
    Step.REVOKE: Transition(("approved",), ("revoked",), Side.PROVIDING_SECURITY,
                            reason_required=True, in_force=True),
    Step.RELEASE: Transition(("approved",), ("released",), Side.RECEIVING, in_force=True),
    Step.LAPSE: Transition(PENDING, ("lapsed",), Side.ANY_ADMIN),
    # a renewal is a new request for the days after the grant ends, decided like any other
    Step.RENEW: Transition(("approved",), ("requested",), Side.RECEIVING, in_force=True),
}


def state_of(status: str, valid_from: dt.date | None, valid_until: dt.date | None,
             day: dt.date) -> str:
    """The state (:data:`govdesk.vocab.GRANT_STATE`) of a grant with ``status`` and these dates
    on ``day``: ``approved`` becomes scheduled, active or expired; other statuses are states."""
    if status != "approved":
        return status
    if valid_from is not None and valid_from > day:
        return "scheduled"
    if valid_until is not None and valid_until < day:
        return "expired"
    return "active"


def may_leave(step: Step, status: str, valid_until: dt.date | None, day: dt.date) -> bool:
    """Whether ``step`` may be taken from a grant in ``status`` ending ``valid_until``."""
    rule = TRANSITIONS[step]
    if status not in rule.sources:
        return False
    return not (rule.in_force and valid_until is not None and valid_until < day)


def asked_at(requested_at: dt.datetime | None, created_at: dt.datetime) -> dt.datetime:
    """When a grant was asked for (its request, else its row's creation), aware in UTC."""
    value = requested_at or created_at
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def lapse_due(requested_at: dt.datetime, now: dt.datetime, lapse_days: int) -> bool:
    """Whether a request made at ``requested_at`` has waited ``lapse_days`` by ``now``."""
    return requested_at + dt.timedelta(days=lapse_days) <= now
