"""Grading coverage: how many resources and data items carry a grade, by category and by
provider organisation, and which resources are not fully graded. All counting is GROUP BY in
SQL over the resources the user may see.

Categories are a tree; each row counts its whole subtree and knows its parent, so a chart shows
one level at a time, named (:meth:`Coverage.level`: the children of one category, the top
categories for ``""``) with the path back up (:meth:`Coverage.trail`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

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
    parent: str = ""  #: the parent category's code ("" for a top category or a provider)
    has_children: bool = False  #: a category with sub-categories (a drill-down target)
    ungraded: int = 0  #: resources not fully graded (no grade, or an item without one)

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
    category: str = ""  #: the code of the resource's category


@dataclass(frozen=True)
class Coverage:
    total: CoverageRow
    by_category: tuple[CoverageRow, ...]  #: tree order, subtrees summed
    by_provider: tuple[CoverageRow, ...]  #: most resources first
    ungraded: tuple[UngradedResource, ...]  #: by code, at most UNGRADED_LIMIT
    ungraded_total: int

    def level(self, parent: str = "") -> tuple[CoverageRow, ...]:
        """The categories directly under the category ``parent`` (the top ones for ``""``), in
        tree order: one level of the chart."""
        return tuple(r for r in self.by_category if r.parent == parent)

    def row(self, code: str) -> CoverageRow:
        """The row of category ``code``, the totals for ``""`` (or an unknown code)."""
        return next((r for r in self.by_category if r.key == code), self.total) if code \
            else self.total

    def subtree(self, code: str) -> frozenset[str]:
        """The codes of category ``code`` and every category below it (all for ``""``)."""
        if not code:
            return frozenset(r.key for r in self.by_category)
        found, todo = {code}, [code]
        while todo:
            parent = todo.pop()
            kids = [r.key for r in self.by_category if r.parent == parent]
            found.update(kids)
            todo.extend(kids)
        return frozenset(found)

    def ungraded_in(self, code: str) -> tuple[UngradedResource, ...]:
        """The listed resources not fully graded in category ``code`` and below (all for
        ``""``); :attr:`CoverageRow.ungraded` of :meth:`row` says how many there are."""
        if not code:
            return self.ungraded
        codes = self.subtree(code)
        return tuple(u for u in self.ungraded if u.category in codes)

    def trail(self, code: str) -> tuple[CoverageRow, ...]:
        """The categories from the top down to ``code`` (empty for ``""`` or an unknown code):
        the breadcrumb of the level under ``code``."""
        by_code = {r.key: r for r in self.by_category}
        path: list[CoverageRow] = []
        while code in by_code:
            path.insert(0, by_code[code])
            code = by_code[code].parent
        return tuple(path)


#: resources, graded resources, items, graded items, resources not fully graded
Counts = list[int]
_ZERO = (0, 0, 0, 0, 0)


def _row(key: str, label: str, depth: int, counts: Counts, parent: str = "",
         has_children: bool = False) -> CoverageRow:
    resources, graded, items, graded_items, ungraded = counts
    return CoverageRow(key, label, depth, resources, graded, items, graded_items, parent,
                       has_children, ungraded)


def _item_stats() -> Any:
    """Per resource: its data items and how many carry a grade."""
    return (select(DataItem.resource_id.label("rid"), func.count().label("n"),
                   func.count(DataItem.grade_id).label("graded"))
            .group_by(DataItem.resource_id).subquery())


def _ungraded(s: Session, item_stats: Any, orgs: dict[int, str], categories: dict[int, str]
              ) -> tuple[tuple[UngradedResource, ...], int]:
    """The resources not fully graded (by code, at most UNGRADED_LIMIT) and how many there are."""
    n_items = func.coalesce(item_stats.c.n, 0)
    graded_items = func.coalesce(item_stats.c.graded, 0)
    not_full = or_(DataResource.grade_id.is_(None), graded_items < n_items)
    total = int(s.scalar(
        select(func.count(DataResource.id))  # rows of resources: the kernel narrows them
        .outerjoin(item_stats, item_stats.c.rid == DataResource.id).where(not_full)) or 0)
    rows = tuple(UngradedResource(rid, code, name, orgs.get(org, ""), bool(graded), int(u),
                                  categories.get(cat, ""))
                 for rid, code, name, org, cat, graded, u in s.execute(
        select(DataResource.id, DataResource.code, DataResource.name,
               DataResource.provider_org_id, DataResource.category_id,
               case((DataResource.grade_id.is_(None), 0), else_=1), n_items - graded_items)
        .outerjoin(item_stats, item_stats.c.rid == DataResource.id)
        .where(not_full).order_by(DataResource.code).limit(UNGRADED_LIMIT)))
    return rows, total


def _counts(s: Session, item_stats: Any) -> tuple[dict[int, Counts], dict[int, Counts]]:
    """The counts per category (its own resources only) and per provider."""
    n_items = func.coalesce(item_stats.c.n, 0)
    graded_items = func.coalesce(item_stats.c.graded, 0)
    base = (select(DataResource.category_id, DataResource.provider_org_id,
                   func.count().label("resources"),
                   func.count(DataResource.grade_id).label("graded"),
                   func.sum(n_items).label("items"), func.sum(graded_items).label("graded_items"),
                   func.count(case((or_(DataResource.grade_id.is_(None),
                                        graded_items < n_items), 1))).label("ungraded"))
            .outerjoin(item_stats, item_stats.c.rid == DataResource.id)
            .group_by(DataResource.category_id, DataResource.provider_org_id))
    per_cat: dict[int, Counts] = {}
    per_org: dict[int, Counts] = {}
    for cat_id, org_id, *counts in s.execute(base).all():
        for table, key in ((per_cat, cat_id), (per_org, org_id)):
            acc = table.setdefault(key, list(_ZERO))
            for i, v in enumerate(counts):
                acc[i] += int(v or 0)
    return per_cat, per_org


def _category_rows(cats: list[Any], per_cat: dict[int, Counts]
                   ) -> tuple[list[CoverageRow], Counts]:
    """Every category in tree order with its subtree's counts and its parent's code, and the
    grand total."""
    children: dict[int | None, list[tuple[int, str, str]]] = {}
    for cid, code, name, parent in cats:
        children.setdefault(parent, []).append((cid, code, name))
    rows: list[CoverageRow] = []

    def walk(cid: int, code: str, name: str, depth: int, parent: str) -> Counts:
        at = len(rows)
        rows.append(CoverageRow(code, name, depth, 0, 0, 0, 0))  # filled below
        total = list(per_cat.get(cid, _ZERO))
        for kid in children.get(cid, []):
            sub = walk(*kid, depth + 1, code)
            total = [a + b for a, b in zip(total, sub, strict=True)]
        rows[at] = _row(code, name, depth, total, parent, bool(children.get(cid)))
        return total

    grand = list(_ZERO)
    for root in children.get(None, []):
        grand = [a + b for a, b in zip(grand, walk(*root, 0, ""), strict=True)]
    return rows, grand


@service(Op.CATALOG_READ)
def coverage(db: Database, who: Identity) -> Coverage:
    """Grading coverage of the resources visible to ``who``: the totals, every category (its
    subtree summed, with its parent for one-level charts), every provider, the resources not
    fully graded. Raises PermissionDenied."""
    item_stats = _item_stats()
    with db.session() as s:
        per_cat, per_org = _counts(s, item_stats)
        cats = list(s.execute(select(Category.id, Category.code, Category.name,
                                     Category.parent_id)
                              .order_by(Category.sort_order, Category.code)).all())
        orgs = dict(s.execute(select(Organisation.id, Organisation.name)).all())
        ungraded, ungraded_total = _ungraded(s, item_stats, orgs,
                                             {cid: code for cid, code, _n, _p in cats})
    by_category, grand = _category_rows(cats, per_cat)
    by_provider = sorted((_row(str(org), orgs.get(org, str(org)), 0, acc)
                          for org, acc in per_org.items()), key=lambda r: (-r.resources, r.label))
    return Coverage(_row("", "", 0, grand), tuple(by_category), tuple(by_provider),
                    ungraded, ungraded_total)
