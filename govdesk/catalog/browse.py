"""Read side of the catalogue: filtered, sorted, paged lists and resource details, all in SQL.

Every function opens its own unit of work on the given :class:`Database` and may be called from
any thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, text, true
from sqlalchemy.orm import aliased

from govdesk.catalog.dto import CategoryNode, DataItemInfo, ResourceDetail, ResourceRow
from govdesk.catalog.search_index import terms
from govdesk.db.engine import Database
from govdesk.db.models import (
    Category,
    DataItem,
    DataResource,
    Grade,
    GradeScheme,
    Organisation,
    Region,
    ResourceSearch,
    SharingGrant,
)
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.roles import Op

#: sort keys the list accepts, mapped to SQL columns (the UI's column ids)
SORT_COLUMNS = {
    "code": DataResource.code,
    "name": DataResource.name,
    "category": Category.code,
    "provider": Organisation.name,
    "region": DataResource.region_code,
    "grade": Grade.rank,
    "sharing_type": DataResource.sharing_type,
    "update_cycle": DataResource.update_cycle,
    "status": DataResource.status,
    "updated_at": DataResource.updated_at,
}


@dataclass(frozen=True)
class ResourceFilter:
    """What the catalogue list shows. Empty fields do not filter."""

    text: str = ""
    category_code: str | None = None  #: this category and everything below it
    region_code: str | None = None  #: this region and everything below it
    status: str | None = None
    grade_code: str | None = None  #: a grade of the active scheme
    provider_org_id: int | None = None
    sharing_type: str | None = None
    update_cycle: str | None = None
    sort: str = "code"
    descending: bool = False


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _region_prefix(code: str) -> str:
    """The significant prefix of a 12-digit region code (national = empty)."""
    stripped = code.rstrip("0")
    for width in (2, 4, 6, 9, 12):
        if len(stripped) <= width:
            return code[:width] if stripped else ""
    return code


def scope_clause(who: Identity) -> Any:
    """SQL condition for the resources ``who`` may see: their region and below, plus resources
    shared with their organisation by an approved, current grant. The same rule PostgreSQL's
    row-level security applies (migration 0003); on SQLite this is the only enforcement."""
    if not who.region_code or not _region_prefix(who.region_code):
        return true()
    today = dt.date.today()
    shared = select(SharingGrant.resource_id).where(
        SharingGrant.grantee_org_id == who.organisation_id, SharingGrant.status == "approved",
        or_(SharingGrant.valid_until.is_(None), SharingGrant.valid_until >= today),
        or_(SharingGrant.valid_from.is_(None), SharingGrant.valid_from <= today))
    return or_(DataResource.region_code.like(_region_prefix(who.region_code) + "%"),
               DataResource.id.in_(shared))


def text_clause(query: str, dialect: str) -> Any:
    """SQL condition: the resource's search document contains every term of ``query``.

    Terms of 3+ characters use the trigram index (FTS5 / pg_trgm), 2-character word terms the
    bigram index, anything else a substring scan of the document (see search_index).
    """
    conditions = []
    for n, term in enumerate(terms(query)):
        if len(term) >= 3 and dialect == "sqlite":
            ids = text(f"SELECT rowid FROM resource_fts WHERE resource_fts MATCH :q{n}") \
                .bindparams(**{f"q{n}": '"' + term.replace('"', '""') + '"'})
        elif len(term) == 2 and term.isalnum() and dialect == "sqlite":
            ids = text(f"SELECT rowid FROM resource_bigram_fts WHERE resource_bigram_fts "
                       f"MATCH :q{n}").bindparams(**{f"q{n}": f'"{term}"'})
        elif len(term) == 2 and term.isalnum():  # PostgreSQL: GIN over the stored bigram array
            ids = select(ResourceSearch.resource_id).where(
                text(f"resource_search.bigram_array @> ARRAY[CAST(:q{n} AS text)]")
                .bindparams(**{f"q{n}": term}))
        else:  # pg_trgm serves LIKE for 3+ characters; 1 character (or punctuation) scans
            ids = select(ResourceSearch.resource_id).where(
                ResourceSearch.text.like(f"%{_like_escape(term)}%", escape="\\"))
        conditions.append(DataResource.id.in_(ids))
    return and_(*conditions) if conditions else true()


def _filtered(stmt: Select[tuple[object, ...]], f: ResourceFilter,
              who: Identity, dialect: str) -> Select[tuple[object, ...]]:
    stmt = stmt.where(scope_clause(who))
    if f.text.strip():
        stmt = stmt.where(text_clause(f.text, dialect))
    if f.category_code:
        stmt = stmt.where(DataResource.category_id.in_(select(Category.id).where(
            Category.code.like(_like_escape(f.category_code) + "%", escape="\\"))))
    if f.region_code:
        stmt = stmt.where(DataResource.region_code.like(_region_prefix(f.region_code) + "%"))
    if f.status:
        stmt = stmt.where(DataResource.status == f.status)
    if f.grade_code:
        stmt = stmt.where(DataResource.grade_id.in_(
            select(Grade.id).join(GradeScheme).where(Grade.code == f.grade_code,
                                                     GradeScheme.is_active.is_(True))))
    if f.provider_org_id is not None:
        stmt = stmt.where(DataResource.provider_org_id == f.provider_org_id)
    if f.sharing_type:
        stmt = stmt.where(DataResource.sharing_type == f.sharing_type)
    if f.update_cycle:
        stmt = stmt.where(DataResource.update_cycle == f.update_cycle)
    return stmt


def _joined(stmt: Select[tuple[object, ...]]) -> Select[tuple[object, ...]]:
    return (stmt.join(Category, DataResource.category_id == Category.id)
            .join(Organisation, DataResource.provider_org_id == Organisation.id)
            .outerjoin(Grade, DataResource.grade_id == Grade.id))


def count_resources(db: Database, who: Identity, f: ResourceFilter) -> int:
    """How many resources visible to ``who`` match ``f``. Raises PermissionDenied."""
    who.require(Op.CATALOG_READ)
    with db.session() as s:
        # no joins: every filter is on data_resources (or a sub-select), so the count is an
        # index-only job even when a common term matches tens of thousands of resources
        stmt = _filtered(select(func.count(DataResource.id)), f, who, db.dialect)
        return int(s.execute(stmt).scalar_one())


def list_resources(db: Database, who: Identity, f: ResourceFilter, offset: int,
                   limit: int) -> list[ResourceRow]:
    """One page of the resources visible to ``who`` matching ``f``, sorted in SQL (code breaks
    ties). Raises InputRejected for an unknown sort key, PermissionDenied.
    """
    who.require(Op.CATALOG_READ)
    if f.sort not in SORT_COLUMNS:
        raise InputRejected(f"Cannot sort by {f.sort!r}.")
    key = SORT_COLUMNS[f.sort]
    item_count = (select(func.count(DataItem.id)).where(DataItem.resource_id == DataResource.id)
                  .correlate(DataResource).scalar_subquery())
    region = aliased(Region)
    stmt = _joined(select(
        DataResource.id, DataResource.code, DataResource.name, Category.name, Organisation.name,
        region.name, Grade.name, DataResource.sharing_type, DataResource.update_cycle,
        DataResource.status, item_count, DataResource.updated_at,
    )).join(region, DataResource.region_code == region.code)
    stmt = _filtered(stmt, f, who, db.dialect)
    order = key.desc() if f.descending else key.asc()
    stmt = stmt.order_by(order, DataResource.code).offset(max(0, offset)).limit(max(0, limit))
    with db.session() as s:
        return [ResourceRow(*row) for row in s.execute(stmt).all()]


def get_resource(db: Database, who: Identity, resource_id: int) -> ResourceDetail:
    """All metadata and data items of one resource visible to ``who``. Raises InputRejected when
    it does not exist or is outside the user's scope (the two are not told apart)."""
    who.require(Op.CATALOG_READ)
    with db.session() as s:
        r = s.scalar(select(DataResource).where(DataResource.id == resource_id, scope_clause(who)))
        if r is None:
            raise InputRejected(f"Resource {resource_id} does not exist (it may have been deleted).")
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
        )


def category_tree(db: Database, who: Identity) -> tuple[CategoryNode, ...]:
    """The category forest (roots first, by sort order) with counts of the resources visible to
    ``who`` per subtree."""
    who.require(Op.CATALOG_READ)
    with db.session() as s:
        cats = s.execute(select(Category).order_by(Category.sort_order, Category.code)).scalars().all()
        direct = dict(s.execute(
            select(DataResource.category_id, func.count()).where(scope_clause(who))
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


def region_children(db: Database, who: Identity, parent_code: str | None) -> list[RegionNode]:
    """The regions directly below ``parent_code`` (None: the top of ``who``'s area) that hold
    visible resources, with counts, for the region tree. Counting is one GROUP BY in SQL."""
    who.require(Op.CATALOG_READ)
    with db.session() as s:
        if parent_code is None:
            top = who.region_code or s.scalar(select(Region.code).where(Region.level == 0))
            regions = s.scalars(select(Region).where(Region.code == top)).all()
        else:
            regions = s.scalars(select(Region).where(Region.parent_code == parent_code)
                                .order_by(Region.code)).all()
        if not regions:
            return []
        counts = dict(s.execute(select(DataResource.region_code, func.count())
                                .where(scope_clause(who)).group_by(DataResource.region_code)).all())
        parents = set(s.scalars(select(Region.parent_code).where(
            Region.parent_code.in_([r.code for r in regions])).distinct()))
    result = []
    for r in regions:
        prefix = _region_prefix(r.code)
        total = sum(n for code, n in counts.items() if code.startswith(prefix))
        if total or parent_code is None:
            result.append(RegionNode(r.code, r.name, r.level, int(total), r.code in parents))
    return result
