"""Grading coverage: how many resources and data items carry a grade, by category and by
provider organisation, and which resources are not fully graded. All counting is GROUP BY in
SQL over the resources the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from govdesk.db.engine import Database
from govdesk.db.models import Category, DataItem, DataResource, Organisation
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op

UNGRADED_LIMIT = 1000


@dataclass(frozen=True)
class CoverageRow:
    """Graded counts for one category (its whole subtree) or one provider."""

    key: str  #: category code, or provider organisation id as text
    label: str
    depth: int  #: 0 for a top category or a provider
    resources: int
    graded_resources: int
    items: int
    graded_items: int

    @property
    def share(self) -> float:
        """Share of resources and items together that carry a grade (1.0 when there are none)."""
        total = self.resources + self.items
        return (self.graded_resources + self.graded_items) / total if total else 1.0


@dataclass(frozen=True)
class UngradedResource:
    id: int
    code: str
    name: str
    provider: str
    resource_graded: bool
    ungraded_items: int


@dataclass(frozen=True)
class Coverage:
    total: CoverageRow
    by_category: tuple[CoverageRow, ...]  #: tree order, subtrees summed
    by_provider: tuple[CoverageRow, ...]  #: most resources first
    ungraded: tuple[UngradedResource, ...]  #: by code, at most UNGRADED_LIMIT
    ungraded_total: int


@service(Op.CATALOG_READ)
def coverage(db: Database, who: Identity) -> Coverage:
    """Grading coverage of the resources visible to ``who``. Raises PermissionDenied."""
    item_stats = (select(DataItem.resource_id.label("rid"), func.count().label("n"),
                         func.count(DataItem.grade_id).label("graded"))
                  .group_by(DataItem.resource_id).subquery())
    n_items = func.coalesce(item_stats.c.n, 0)
    graded_items = func.coalesce(item_stats.c.graded, 0)
    base = (select(DataResource.category_id, DataResource.provider_org_id,
                   func.count().label("resources"),
                   func.count(DataResource.grade_id).label("graded"),
                   func.sum(n_items).label("items"), func.sum(graded_items).label("graded_items"))
            .outerjoin(item_stats, item_stats.c.rid == DataResource.id)
            .group_by(DataResource.category_id, DataResource.provider_org_id))
    not_full = or_(DataResource.grade_id.is_(None), graded_items < n_items)
    with db.session() as s:
        rows = s.execute(base).all()
        cats = s.execute(select(Category.id, Category.code, Category.name, Category.parent_id)
                         .order_by(Category.sort_order, Category.code)).all()
        orgs = dict(s.execute(select(Organisation.id, Organisation.name)).all())
        ungraded_total = int(s.scalar(
            select(func.count(DataResource.id))  # rows of resources: the kernel narrows them
            .outerjoin(item_stats, item_stats.c.rid == DataResource.id)
            .where(not_full)) or 0)
        ungraded = tuple(UngradedResource(rid, code, name, orgs.get(org, ""), bool(graded), int(u))
                         for rid, code, name, org, graded, u in s.execute(
            select(DataResource.id, DataResource.code, DataResource.name,
                   DataResource.provider_org_id,
                   case((DataResource.grade_id.is_(None), 0), else_=1),
                   n_items - graded_items)
            .outerjoin(item_stats, item_stats.c.rid == DataResource.id)
            .where(not_full).order_by(DataResource.code).limit(UNGRADED_LIMIT)))
    per_cat: dict[int, list[int]] = {}
    per_org: dict[int, list[int]] = {}
    for cat_id, org_id, n, graded, items, g_items in rows:
        for table, key in ((per_cat, cat_id), (per_org, org_id)):
            acc = table.setdefault(key, [0, 0, 0, 0])
            acc[0] += int(n)
            acc[1] += int(graded)
            acc[2] += int(items or 0)
            acc[3] += int(g_items or 0)
    children: dict[int | None, list[tuple[int, str, str]]] = {}
    for cid, code, name, parent in cats:
        children.setdefault(parent, []).append((cid, code, name))
    by_category: list[CoverageRow] = []

    def walk(cid: int, code: str, name: str, depth: int) -> list[int]:
        at = len(by_category)
        by_category.append(CoverageRow(code, name, depth, 0, 0, 0, 0))  # filled below
        total = list(per_cat.get(cid, [0, 0, 0, 0]))
        for kid in children.get(cid, []):
            sub = walk(*kid, depth + 1)
            total = [a + b for a, b in zip(total, sub, strict=True)]
        by_category[at] = CoverageRow(code, name, depth, *total)
        return total

    grand = [0, 0, 0, 0]
    for root in children.get(None, []):
        grand = [a + b for a, b in zip(grand, walk(*root, 0), strict=True)]
    by_provider = sorted((CoverageRow(str(org), orgs.get(org, str(org)), 0, *acc)
                          for org, acc in per_org.items()), key=lambda r: (-r.resources, r.label))
    return Coverage(CoverageRow("", "", 0, *grand), tuple(by_category), tuple(by_provider),
                    ungraded, ungraded_total)
