"""The plain values sharing services take and return (never ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class GrantScope:
    """Every organisation whose region code starts with ``region_prefix`` (2, 4, 6, 9 or 12
    digits), of ``org_kind`` when given (:data:`govdesk.vocab.ORG_KIND`), at region level
    ``org_level`` when given (3 = county): "every county federation under 杭州市" is
    ``GrantScope("3301", "federation", 3)``. Resolved at each read, so an organisation created
    later is covered."""

    region_prefix: str
    org_kind: str | None = None
    org_level: int | None = None


@dataclass(frozen=True)
class Exclusion:
    """A data item left out of a grant, and why (its grade does not allow the sharing type)."""

    item: str
    grade: str
    reason: str = "grade_forbids_sharing"


@dataclass(frozen=True)
class GrantTerms:
    """What is asked for besides the resource and the grantee."""

    valid_until: dt.date
    method: str
    purpose_code: str
    purpose: str = ""
    legal_basis: str = ""
    valid_from: dt.date | None = None  #: default: today (the grant day)
    items: tuple[str, ...] | None = None  #: item names or sequence numbers; None = all
    accept_conditions: bool = False


@dataclass(frozen=True)
class GrantEventInfo:
    """One step in a grant's history."""

    from_status: str | None
    to_status: str
    actor: str
    actor_role: str | None
    at: dt.datetime
    reason: str | None


@dataclass(frozen=True)
class GrantInfo:
    """A grant as a caller sees it. ``state`` is computed from the status and the dates on
    the grant day of the read; ``resource_code`` and ``resource_name`` are None only when the
    resource is gone."""

    id: int
    resource_id: int
    resource_code: str | None
    resource_name: str | None
    grantee_org_id: int | None
    grantee_name: str | None
    scope: GrantScope | None
    sharing_type: str
    all_items: bool
    items: tuple[str, ...]
    exclusions: tuple[Exclusion, ...]
    method: str | None
    purpose_code: str | None
    purpose: str | None
    legal_basis: str | None
    conditions: str | None
    conditions_accepted: bool
    conditions_accepted_by: str | None
    origin: str
    status: str
    state: str
    requested_by: str | None
    requested_at: dt.datetime | None
    first_approved_by: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    ended_by: str | None
    ended_at: dt.datetime | None
    reason: str | None
    renews_grant_id: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    version: int

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values (dates as ISO text)."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, (dt.date, dt.datetime)):
                out[key] = value.isoformat()
        return out


@dataclass(frozen=True)
class GrantDetail:
    """One grant with its history, oldest step first."""

    grant: GrantInfo
    events: tuple[GrantEventInfo, ...]


@dataclass(frozen=True)
class GrantFilter:
    """Which grants to list: by state (:data:`govdesk.vocab.GRANT_STATE`), resource code (or
    its beginning), grantee organisation id, or only those the caller must decide / asked for."""

    state: str | None = None
    resource_code: str | None = None
    grantee_org_id: int | None = None
    to_decide: bool = False
    mine: bool = False
    limit: int = 500
