"""What a person choosing a resource for a request or an offer needs to see first: published
resources found by a part of their code or name, and one resource's terms (its sharing type
and conditions, each data item with its grade and whether that grade lets it be shared, the
longest validity and the approvals the grades ask for).

A resource of another region is hidden by row-level security on PostgreSQL, so both read the
published catalogue through definer functions there (``govdesk_grant_search``, migration 0029;
``govdesk_grant_resource``/``govdesk_grant_items`` through :func:`policy.resource_terms`), the
ORM elsewhere. The workflow checks every rule again when the request is made; these only let the
dialog show and hold them beforehand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import aliased

from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Organisation, SharingGrant
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service, under_rls, unscoped
from govdesk.security.roles import Op
from govdesk.sharing import policy
from govdesk.sharing.queries import provider_side, visible

WHY = "the published catalogue is what any organisation may ask for (metadata only)"

#: the most rows a search returns
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class ResourceChoice:
    """A published resource as the search lists it."""

    code: str
    name: str
    region_code: str
    sharing_type: str
    provider: str | None


@dataclass(frozen=True)
class ItemChoice:
    """A data item of a resource, with its effective grade and whether it may be shared."""

    seq: int
    name: str
    grade: str | None
    allowed: bool
    max_days: int | None  #: its grade's longest validity (None: no grade)
    approvals: int  #: its grade's approvals_required (0: no grade)


@dataclass(frozen=True)
class RequestableResource:
    """A published resource's terms for a grant. ``shareable`` False: 不予共享, no grade yet, or
    its own grade does not allow its sharing type (``refusal`` says which, as a message code)."""

    code: str
    name: str
    region_code: str
    sharing_type: str
    condition: str | None
    grade: str | None
    grade_max_days: int | None
    grade_approvals: int
    items: tuple[ItemChoice, ...]
    shareable: bool
    refusal: str | None

    def max_days(self, chosen: Iterable[str] | None = None) -> int:
        """The longest validity, in days, of a grant of the ``chosen`` items (None: every item
        that may be shared): the shortest maximum of the binding grades."""
        names = None if chosen is None else set(chosen)
        days = [i.max_days for i in self.items if i.allowed and i.max_days is not None
                and (names is None or i.name in names)]
        if self.grade_max_days is not None:
            days.append(self.grade_max_days)
        return min(days, default=policy.DEFAULT_MAX_DAYS)

    def approvals(self, chosen: Iterable[str] | None = None) -> int:
        """How many different security administrators approve (1 or 2)."""
        names = None if chosen is None else set(chosen)
        most = max([self.grade_approvals] + [i.approvals for i in self.items if i.allowed and (
            names is None or i.name in names)])
        return 2 if most >= 2 else 1


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def find_resources(db: Database, who: Identity, needle: str,
                   limit: int = SEARCH_LIMIT) -> list[ResourceChoice]:
    """Published resources of any region whose code or name contains ``needle`` (blank: none),
    by code, at most ``limit`` (1–100)."""
    needle = needle.strip()
    if not needle:
        return []
    limit = max(1, min(limit, 100))
    with db.session() as s:
        if under_rls(s):
            rows = s.execute(text("SELECT * FROM govdesk_grant_search(:t, :n)"),
                             {"t": needle, "n": limit})
            return [ResourceChoice(r.code, r.name, r.region_code, r.sharing_type, r.provider)
                    for r in rows]
        org = aliased(Organisation)
        query = (select(DataResource.code, DataResource.name, DataResource.region_code,
                        DataResource.sharing_type, org.name)
                 .outerjoin(org, org.id == DataResource.provider_org_id)
                 .where(DataResource.status == "published",
                        or_(func.lower(DataResource.code).contains(needle.lower(),
                                                                   autoescape=True),
                            DataResource.name.contains(needle, autoescape=True)))
                 .order_by(DataResource.code).limit(limit))
        return [ResourceChoice(*row) for row in s.execute(unscoped(query, WHY))]


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def requestable(db: Database, who: Identity, code: str) -> RequestableResource:
    """The terms of the published resource ``code`` for a grant; InputRejected when there is
    no such published resource."""
    with db.session() as s:
        terms = policy.resource_terms(s, code)
    refusal = policy.refusal(terms)
    items = tuple(ItemChoice(
        i.seq, i.name, i.grade.name if i.grade else None,
        i.grade is None or i.grade.allows(terms.sharing_type),
        i.grade.max_grant_days if i.grade else None,
        i.grade.approvals_required if i.grade else 0) for i in terms.items)
    grade = terms.grade
    return RequestableResource(
        terms.code, terms.name, terms.region_code, terms.sharing_type, terms.condition,
        grade.name if grade else None, grade.max_grant_days if grade else None,
        grade.approvals_required if grade else 0, items, refusal is None, refusal)


@service(Op.CATALOG_READ, scope=Scope.NONE,
         why="the grants are those the caller may see; the rule compares regions only")
def providing_side(db: Database, who: Identity, grant_ids: Iterable[int]) -> frozenset[int]:
    """Those of ``grant_ids`` (grants ``who`` may see) whose resource lies in ``who``'s
    region: where ``who`` is on the providing side (decides, revokes)."""
    ids = sorted(set(grant_ids))
    if not ids:
        return frozenset()
    with db.session() as s:
        return frozenset(s.scalars(select(SharingGrant.id).where(
            SharingGrant.id.in_(ids), visible(who), provider_side(who))))
