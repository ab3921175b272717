"""Read side of the catalogue: filtered, sorted, paged lists and resource details, all in SQL.

The services live here; what they are built from lives beside: the filter
(:mod:`.filters`), its SQL (:mod:`.conditions`), the search text matched through the indexes
(:mod:`.matching`) and one page by key (:mod:`.paging`). Every function opens its own unit of
work on the given :class:`Database` and may be called from any thread.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from govdesk.catalog.dto import CategoryNode, DataItemInfo, ResourceDetail, ResourceRow
from govdesk.catalog.search import matching, scoped_read
from govdesk.catalog.search.conditions import _conditions, _filtered, _narrowed
from govdesk.catalog.search.filters import SORT_COLUMNS, ResourceFilter
from govdesk.catalog.search.matching import _term_conditions, _Text, _text_match
from govdesk.catalog.search.paging import _page
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, KeyPage, Seek
from govdesk.db.models import (
    Category,
    DataResource,
    Grade,
    Organisation,
    Region,
    ResourceProfile,
    ResourceSearch,
)
from govdesk.errors import InputRejected
from govdesk.security.access_spec import QUERY, VIEW, Access
from govdesk.security.identity import Identity
from govdesk.security.kernel import (
    ResourceNotFound,
    edit_scope,
    read_scope,
    region_prefix,
    service,
)
from govdesk.security.roles import Op

__all__ = [
    "SORT_COLUMNS", "Count", "RegionNode", "ResourceFilter",
    "category_tree", "count_resources", "count_resources_capped", "edit_scope_clause",
    "first_keyed_page", "first_page", "get_resource", "list_resources", "page_resources",
    "region_children", "scope_clause",
]

#: the scope rule lives in the service kernel; these names stay for the callers that use them
_region_prefix = region_prefix
scope_clause = read_scope
edit_scope_clause = edit_scope


@service(Op.CATALOG_READ)
def count_resources(db: Database, who: Identity, f: ResourceFilter) -> int:
    """How many resources visible to ``who`` match ``f``, exactly. Raises PermissionDenied."""
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        match = _text_match(s, f, db.dialect, scoped=scoped)
        if scoped:
            return scoped_read.count(s, _conditions(f, match))
        if match is not None and match.ids is None:  # common text: a semi-join on the index
            match = None
            stmt = _filtered(select(func.count(DataResource.id)), dataclasses.replace(f, text=""),
                             who, db.dialect).where(DataResource.id.in_(
                                 select(ResourceSearch.resource_id).where(
                                     *_term_conditions(f.text, db.dialect))))
        else:  # no joins: every filter is on data_resources (or a sub-select)
            stmt = _filtered(select(func.count(DataResource.id)), f, who, db.dialect, match)
        return int(s.execute(stmt).scalar_one())


@dataclass(frozen=True)
class Count:
    """A count that may stop at a cap: ``exact`` False means "more than ``n - 1``"."""

    n: int
    exact: bool


@service(Op.CATALOG_READ)
def count_resources_capped(db: Database, who: Identity, f: ResourceFilter,
                           cap: int | None = None) -> Count:
    """Like :func:`count_resources`, but a search matching more than ``cap`` resources answers
    at once with ``Count(cap + 1, exact=False)`` (the list shows "5,000+" and asks for the exact
    count in the background). Raises PermissionDenied."""
    cap = matching.MATCH_CAP if cap is None else cap
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        return _capped_count(s, db, who, f, _text_match(s, f, db.dialect, cap, scoped), cap,
                             scoped)


def _capped_count(s: Any, db: Database, who: Identity, f: ResourceFilter, match: _Text | None,
                  cap: int, scoped: bool) -> Count:
    narrowed = _narrowed(f, who, scoped)
    if match is not None and match.ids is not None and not narrowed:
        return Count(len(match.ids), True)  # every match is visible and nothing else filters
    if match is None or match.ids is not None:
        if scoped:
            return Count(scoped_read.count(s, _conditions(f, match)), True)
        stmt = _filtered(select(func.count(DataResource.id)), f, who, db.dialect, match)
        return Count(int(s.execute(stmt).scalar_one()), True)
    if not narrowed:
        return Count(cap + 1, False)
    if scoped:
        n = scoped_read.count(s, _conditions(f, match), cap)
    else:
        inner = _filtered(select(DataResource.id), f, who, db.dialect, match).limit(cap + 1)
        n = int(s.execute(select(func.count()).select_from(inner.subquery())).scalar_one())
    return Count(n, n <= cap)


@service(Op.CATALOG_READ, access=Access(QUERY, rows=lambda r: len(r[1])))
def first_page(db: Database, who: Identity, f: ResourceFilter, limit: int,
               cap: int | None = None) -> tuple[Count, list[ResourceRow]]:
    """What the list shows first: the (capped) count and the first ``limit`` rows, with the
    search text matched once for both. Raises InputRejected, PermissionDenied."""
    count, page = first_keyed_page(db, who, f, limit, cap)
    return count, page.rows


@service(Op.CATALOG_READ, access=Access(QUERY, rows=lambda r: len(r[1].rows)))
def first_keyed_page(db: Database, who: Identity, f: ResourceFilter, limit: int,
                     cap: int | None = None) -> tuple[Count, KeyPage[ResourceRow]]:
    """:func:`first_page` with the rows' keys, from which the next pages are asked for
    (:func:`page_resources`)."""
    cap = matching.MATCH_CAP if cap is None else cap
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        match = _text_match(s, f, db.dialect, cap, scoped)
        return (_capped_count(s, db, who, f, match, cap, scoped),
                _page(s, db, who, f, match, Seek(limit=limit), scoped))


@service(Op.CATALOG_READ, access=Access(QUERY, rows=len))
def list_resources(db: Database, who: Identity, f: ResourceFilter, offset: int,
                   limit: int) -> list[ResourceRow]:
    """One page of the resources visible to ``who`` matching ``f`` by offset (rows passed over
    are read: the list itself pages by key, :func:`page_resources`). Sorted as that list.
    Raises InputRejected for an unknown sort key, PermissionDenied.
    """
    return page_resources(db, who, f, Seek(skip=offset, limit=limit)).rows


@service(Op.CATALOG_READ, access=Access(QUERY, rows=lambda p: len(p.rows)))
def page_resources(db: Database, who: Identity, f: ResourceFilter,
                   seek: Seek) -> KeyPage[ResourceRow]:
    """One page of the resources visible to ``who`` matching ``f``, sorted in SQL by ``f.sort``
    (NULL last ascending, first descending) then code ascending, asked for by the key of a
    neighbouring row (:class:`govdesk.db.keyset.Seek`; keys come from a page of the same
    filter): a page deep in the list costs what the first page costs. Raises InputRejected for
    an unknown sort key or a key that is not one, PermissionDenied."""
    if seek.after is not None and not isinstance(seek.after, Key):
        raise InputRejected("bad_page_key")
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        return _page(s, db, who, f, _text_match(s, f, db.dialect, scoped=scoped), seek, scoped)


@service(Op.CATALOG_READ, resource="resource_id", access=Access(VIEW, rows=lambda _r: 1))
def get_resource(db: Database, who: Identity, resource_id: int) -> ResourceDetail:
    """All metadata and data items of one resource visible to ``who``. Raises InputRejected when
    it does not exist or is outside the user's scope (the two are not told apart)."""
    with db.session() as s:
        r = s.get(DataResource, resource_id)
        if r is None:  # deleted since the kernel looked
            raise ResourceNotFound(resource_id)
        cat = s.get(Category, r.category_id)
        org = s.get(Organisation, r.provider_org_id)
        region = s.get(Region, r.region_code)
        grades = {g.id: g.name for g in s.execute(select(Grade)).scalars()}
        items = tuple(
            DataItemInfo(i.id, i.seq, i.name, i.data_type, i.length, i.description,
                         grades.get(i.grade_id) if i.grade_id else None, i.is_authoritative,
                         i.standard_code)
            for i in r.items
        )
        assert cat is not None and org is not None
        quality = s.execute(select(ResourceProfile.quality_score, ResourceProfile.profiled_at)
                            .where(ResourceProfile.resource_id == r.id)
                            .order_by(ResourceProfile.id.desc()).limit(1)).first()
        return ResourceDetail(
            id=r.id, code=r.code, name=r.name, category_code=cat.code, category=cat.name,
            provider=org.name, provider_code=r.provider_code, region_code=r.region_code,
            region=region.name if region else r.region_code, summary=r.summary, format=r.format,
            sharing_type=r.sharing_type, sharing_condition=r.sharing_condition,
            sharing_basis=r.sharing_basis, sharing_method=r.sharing_method,
            open_type=r.open_type, open_condition=r.open_condition,
            update_cycle=r.update_cycle, publish_date=r.publish_date,
            related_codes=tuple(c for c in (r.related_codes or "").split(";") if c),
            grade=grades.get(r.grade_id) if r.grade_id else None, status=r.status,
            created_by=r.created_by, created_at=r.created_at, updated_at=r.updated_at,
            version=r.version, items=items,
            quality_score=quality[0] if quality else None,
            quality_measured=quality[1] if quality else None,
        )


@service(Op.CATALOG_READ)
def category_tree(db: Database, who: Identity) -> tuple[CategoryNode, ...]:
    """The category forest (roots first, by sort order) with counts of the resources visible to
    ``who`` per subtree."""
    with db.session() as s:
        cats = s.execute(select(Category).order_by(Category.sort_order, Category.code)).scalars().all()
        if scoped_read.under_rls(s, db):
            direct = {int(k): n for k, n in scoped_read.counts(s, "category").items()}
        else:
            direct = dict(s.execute(
                select(DataResource.category_id, func.count())
                .group_by(DataResource.category_id)).all())
    children: dict[int | None, list[Category]] = {}
    for c in cats:
        children.setdefault(c.parent_id, []).append(c)

    def build(c: Category) -> CategoryNode:
        kids = tuple(build(k) for k in children.get(c.id, []))
        total = int(direct.get(c.id, 0)) + sum(k.resource_count for k in kids)
        return CategoryNode(c.id, c.code, c.name, c.kind, total, kids)

    return tuple(build(c) for c in children.get(None, []))


@dataclass(frozen=True)
class RegionNode:
    """A region and how many visible resources are registered in it and below."""

    code: str
    name: str
    level: int
    resource_count: int
    has_children: bool


@service(Op.CATALOG_READ)
def region_children(db: Database, who: Identity, parent_code: str | None) -> list[RegionNode]:
    """The regions directly below ``parent_code`` (None: the top of ``who``'s area) that hold
    visible resources, with counts, for the region tree. Counting is one GROUP BY in SQL."""
    with db.session() as s:
        if parent_code is None:
            top = who.region_code or s.scalar(select(Region.code).where(Region.level == 0))
            regions = s.scalars(select(Region).where(Region.code == top)).all()
        else:
            regions = s.scalars(select(Region).where(Region.parent_code == parent_code)
                                .order_by(Region.code)).all()
        if not regions:
            return []
        if scoped_read.under_rls(s, db):
            counts = scoped_read.counts(s, "region")
        else:
            counts = dict(s.execute(select(DataResource.region_code, func.count())
                                    .group_by(DataResource.region_code)).all())
        parents = set(s.scalars(select(Region.parent_code).where(
            Region.parent_code.in_([r.code for r in regions])).distinct()))
    result = []
    for r in regions:
        prefix = _region_prefix(r.code)
        total = sum(n for code, n in counts.items() if code.startswith(prefix))
        if total or parent_code is None:
            result.append(RegionNode(r.code, r.name, r.level, int(total), r.code in parents))
    return result
