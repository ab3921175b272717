"""Sharing grants (共享授权): a resource shared with an organisation or a scope of organisations,
for all or some of its data items, with the workflow's stamps and its history.

Also the **grant rule** as SQL, once, for whoever narrows reads by it: the service kernel on
SQLite (``govdesk.security.kernel``) and the workflow (``govdesk.sharing``). PostgreSQL's twin is
``govdesk_shared_resource_ids()`` / ``govdesk_shared_item_ids()`` (migration 0025), read by the
row-level policies. A grant is *in force* when its status is ``approved`` and the grant day
(:func:`grant_day`, China Standard Time whatever the session's time zone) lies between
``valid_from`` and ``valid_until`` (both included; an unset bound does not limit): an expired
grant stops working with no job run. It covers an organisation named by ``grantee_org_id``, or
every organisation in its scope (region prefix, and when set kind and region level), resolved
at the time of the read, so an organisation created after the grant is covered. Of a covered
resource it gives the data items listed (or all, with ``all_items``) whose effective grade (the
item's, else the resource's) allows the grant's sharing type, and the resource and its items only
while the resource is published and not 不予共享 (:func:`resource_shareable`, checked at the
time of the read like the grades; migration 0034 on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from govdesk import vocab
from govdesk.db.base import Base, BigIntPK, Versioned, utcnow
from govdesk.db.models._enum import vocab_enum
from govdesk.db.models.catalog import DataItem, DataResource, Grade
from govdesk.db.models.geo import Organisation, Region

#: the time zone of the grant day (China Standard Time, no daylight saving); PostgreSQL's
#: ``govdesk_grant_day()`` uses the same offset
GRANT_ZONE = dt.timezone(dt.timedelta(hours=8))


def grant_day(now: dt.datetime | None = None) -> dt.date:
    """The calendar day grants are judged on (UTC+8), for ``now`` (default: the clock)."""
    return (now or utcnow()).astimezone(GRANT_ZONE).date()


class SharingGrant(Versioned, Base):
    """Permission for an organisation (or a scope of them) to read a resource, with the state of
    its workflow (:data:`govdesk.vocab.GRANT_STATUS`; ``approved`` is told apart into
    scheduled, active and expired by its dates)."""

    __tablename__ = "sharing_grants"
    __table_args__ = (
        CheckConstraint("(grantee_org_id IS NULL) <> (scope_region_prefix IS NULL)",
                        name="grantee_or_scope"),
        CheckConstraint("scope_org_level IS NULL OR scope_org_level BETWEEN 0 AND 5",
                        name="scope_level_range"),
        CheckConstraint("valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",
                        name="validity_order"),
        Index("ix_sharing_grants_status_resource", "status", "resource_id"),
        Index("ix_sharing_grants_scope_region_prefix", "scope_region_prefix"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: the one organisation granted, or None for a scope grant
    grantee_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    #: a scope grant: every organisation whose region code starts with this prefix...
    scope_region_prefix: Mapped[str | None] = mapped_column(String(12))
    #: ... of this kind (None: any kind) ...
    scope_org_kind: Mapped[str | None] = mapped_column(vocab_enum(vocab.ORG_KIND))
    #: ... at this region level (None: any level; 3 = county)
    scope_org_level: Mapped[int | None] = mapped_column(Integer)
    sharing_type: Mapped[str] = mapped_column(vocab_enum(vocab.SHARING_TYPE), nullable=False)
    #: every data item of the resource (else the ones in ``sharing_grant_items``)
    all_items: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True,
                                            server_default=true())
    method: Mapped[str | None] = mapped_column(vocab_enum(vocab.SHARING_METHOD))
    purpose_code: Mapped[str | None] = mapped_column(vocab_enum(vocab.SHARING_PURPOSE))
    purpose: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    #: the resource's sharing conditions as they stood when the grant was asked for
    conditions: Mapped[str | None] = mapped_column(Text)
    conditions_accepted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                                      server_default=false())
    conditions_accepted_by: Mapped[str | None] = mapped_column(String(63))
    #: items of the resource left out because their grade forbids sharing, and why (JSON list)
    exclusions: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(vocab_enum(vocab.GRANT_ORIGIN), nullable=False,
                                        default="request", server_default="request")
    status: Mapped[str] = mapped_column(
        vocab_enum(vocab.GRANT_STATUS), nullable=False, default="requested"
    )
    requested_by: Mapped[str | None] = mapped_column(String(63))
    requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_approved_by: Mapped[str | None] = mapped_column(String(63))
    first_approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: who approved (last) or rejected, and when
    decided_by: Mapped[str | None] = mapped_column(String(63))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: who revoked, released or lapsed it, and when
    ended_by: Mapped[str | None] = mapped_column(String(63))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: the reason of the last decision (rejection, revocation, release)
    reason: Mapped[str | None] = mapped_column(Text)
    #: the grant this one renews (it starts the day after that one ends)
    renews_grant_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_grants.id"))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)


class SharingGrantItem(Base):
    """A data item a grant gives (only for a grant without ``all_items``)."""

    __tablename__ = "sharing_grant_items"

    grant_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_grants.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("data_items.id", ondelete="CASCADE"), primary_key=True, index=True)


class SharingGrantEvent(Base):
    """One step of a grant's workflow: from which status to which, by whom, when and why (on
    PostgreSQL written by the database itself from ``session_user`` and its clock)."""

    __tablename__ = "sharing_grant_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_grants.id", ondelete="CASCADE"), nullable=False, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor: Mapped[str] = mapped_column(String(63), nullable=False)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                            default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


# -- the grant rule ------------------------------------------------------------------------------
def in_force(grants: Any, day: dt.date) -> Any:
    """SQL: the grants (``SharingGrant`` or an alias) in force on ``day``."""
    return and_(grants.status == "approved",
                or_(grants.valid_from.is_(None), grants.valid_from <= day),
                or_(grants.valid_until.is_(None), grants.valid_until >= day))


def covers(grants: Any, org_id: int | None) -> Any:
    """SQL: the grants that cover the organisation ``org_id`` (named, or in their scope now)."""
    if org_id is None:
        return literal(False)
    org, region = aliased(Organisation), aliased(Region)
    in_scope = exists().where(
        org.id == org_id, region.code == org.region_code,
        org.region_code.like(grants.scope_region_prefix + "%"),
        or_(grants.scope_org_kind.is_(None), grants.scope_org_kind == org.kind),
        or_(grants.scope_org_level.is_(None), grants.scope_org_level == region.level))
    return or_(grants.grantee_org_id == org_id,
               and_(grants.scope_region_prefix.is_not(None), in_scope))


def resource_shareable(resources: Any) -> Any:
    """SQL: the resources (a ``data_resources`` table or alias's columns) a grant gives access
    to now: published and not 不予共享. A grant on any other gives nothing until it is again."""
    return and_(resources.status == "published", resources.sharing_type != "none")


def shared_resource_ids(org_id: int | None, day: dt.date) -> Any:
    """SELECT of the resource ids shared with ``org_id`` by a grant in force on ``day``, of
    resources published and not 不予共享. Built on a table alias (not the ORM entity), so the
    service kernel's loader criteria never reach in."""
    g = aliased(SharingGrant)
    r = DataResource.__table__.alias("granted_resource")
    return (select(g.resource_id).join(r, r.c.id == g.resource_id)
            .where(in_force(g, day), covers(g, org_id), resource_shareable(r.c)))


def grade_allows(grade_types: Any, sharing_type: Any) -> Any:
    """SQL: the space-separated ``sharing_types_allowed`` of a grade holds ``sharing_type``."""
    return (literal(" ") + grade_types + literal(" ")).like(
        literal("% ") + sharing_type + literal(" %"))


def shared_item_ids(org_id: int | None, day: dt.date) -> Any:
    """SELECT of the data item ids ``org_id`` may read through grants in force on ``day``: the
    granted items (all, or those listed) whose effective grade allows the grant's type (an
    ungraded item is not held back), of resources published and not 不予共享. Built on table aliases, not ORM entities, so the service
    kernel's loader criteria (which narrow ORM data items by this very rule) never reach in."""
    g = aliased(SharingGrant)
    i = DataItem.__table__.alias("granted_item")
    r = DataResource.__table__.alias("granted_resource")
    gr = Grade.__table__.alias("granted_grade")
    listed = SharingGrantItem.__table__.alias("granted_listed")
    is_listed = exists().where(listed.c.grant_id == g.id, listed.c.item_id == i.c.id)
    return (select(i.c.id).join(g, g.resource_id == i.c.resource_id)
            .join(r, r.c.id == i.c.resource_id)
            .outerjoin(gr, gr.c.id == func.coalesce(i.c.grade_id, r.c.grade_id))
            .where(in_force(g, day), covers(g, org_id), resource_shareable(r.c),
                   or_(g.all_items, is_listed),
                   or_(gr.c.id.is_(None),
                       grade_allows(gr.c.sharing_types_allowed, g.sharing_type))))
