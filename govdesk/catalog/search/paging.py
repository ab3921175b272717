"""One page of the catalogue list, by key: for the owner and on SQLite in one cached statement,
for a login under row-level security through the scoped functions, and a common term's first
page from its search sample (see docs/architecture.md, "Keyset pagination")."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, select, type_coerce
from sqlalchemy.orm import aliased

from govdesk.catalog.dto import ResourceRow
from govdesk.catalog.search import scoped_read
from govdesk.catalog.search.conditions import (
    _conditions,
    _filtered,
    _id_list,
    _joined,
    _narrowed,
)
from govdesk.catalog.search.filters import SORT_COLUMNS, ResourceFilter
from govdesk.catalog.search.matching import _first_ids_by_code, _Text
from govdesk.db import keyset
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, KeyPage, Seek
from govdesk.db.models import Category, DataItem, DataResource, Grade, Organisation, Region
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity

#: sort keys that may be NULL (a resource without a grade): NULL sorts as the largest value
NULLABLE_SORTS = frozenset({"grade"})


def _page(s: Any, db: Database, who: Identity, f: ResourceFilter, match: _Text | None,
          seek: Seek, scoped: bool = False) -> KeyPage[ResourceRow]:
    """One page. ``scoped`` (a login under row-level security): the page's ids and keys come
    from the scoped function (migration 0021), then their rows by primary key."""
    if f.sort not in SORT_COLUMNS:
        raise InputRejected("bad_sort", sort=f.sort)
    limit = max(0, seek.limit)
    page: list[int] | None = None  # the first page's ids in code order, when known
    if (match is not None and seek.at_start and f.sort == "code" and not f.descending
            and not _narrowed(f, who, scoped)):
        if match.ids is not None and match.first_by_code and (
                len(match.first_by_code) >= limit or len(match.ids) == len(match.first_by_code)):
            page = list(match.first_by_code[:limit])  # the page, by code
        elif match.ids is None and len(match.first_by_code) >= limit:
            page = list(match.first_by_code[:limit])  # a sample taken in code order
        elif match.ids is None and match.lowest_codes:
            page = _first_ids_by_code(s, match, limit)
        if page is not None and not scoped:
            match, page = _Text(page, match.query), None
    if page is None and not scoped:
        rows, keys = _owner_page(s, db, who, f, match, seek)
        return KeyPage.fetched(rows, keys, seek)
    found: dict[int, Key] = {}
    if page is None:
        pairs = scoped_read.keyset(s, _conditions(f, match), f.sort, f.descending, seek)
        page, found = [rid for rid, _k in pairs], dict(pairs)
    rows = _rows_by_id(s, db, page, scoped)
    # a first page taken from the search sample is sorted by code: the code is the key
    return KeyPage.fetched(rows, [found.get(r.id) or Key(r.code, r.code) for r in rows], seek)


def _owner_page(s: Any, db: Database, who: Identity, f: ResourceFilter, match: _Text | None,
                seek: Seek) -> tuple[list[ResourceRow], list[Key]]:
    """One page in fetch order with its keys, for the owner and on SQLite, in one statement
    (:func:`_owner_page_statement`, built once per filter and kind of page)."""
    after: Key | None = seek.after
    kind = "start" if after is None else ("null" if after.value is None else "value")
    ids = match.ids if match is not None and match.ids is not None else None
    stmt = _owner_page_statement(f, who, db.dialect, seek.backward, kind, ids is not None,
                                 dt.date.today())
    params: dict[str, Any] = {"skip": max(0, seek.skip), "limit": max(0, seek.limit)}
    if after is not None:
        params["after_tie"] = after.tie
        if after.value is not None:
            params["after_value"] = after.value
    if ids is not None:
        params["match_ids"] = ids if db.dialect == "postgresql" else json.dumps(ids)
    result = s.execute(stmt, params).all()
    return ([ResourceRow(*r[:12]) for r in result], [Key(r[12], r[13]) for r in result])


@functools.lru_cache(maxsize=64)
def _owner_page_statement(f: ResourceFilter, who: Identity, dialect: str, backward: bool,
                          after: str, with_ids: bool, today: dt.date) -> Any:
    """The statement of one page for the owner and on SQLite: the page is chosen from (id,
    sort value, code) with only the sort column's own join, then only its rows are joined and
    their items counted (a row passed over is never built). Key values, skip, limit and the
    matched ids are parameters, so paging through a list builds it once (building and caching
    a statement of this size costs more than running it on SQLite). ``after``: "start" (no
    key), "null" (the key's sort value is NULL) or "value"; ``today`` dates the sharing
    grants in the scope."""
    value: Any = SORT_COLUMNS[f.sort]
    if dialect == "sqlite" and f.sort == "updated_at":
        # the stored text is the key: rows written by different paths store times with and
        # without microseconds, which a bound datetime (always with) would not compare equal to
        value = type_coerce(value, String)
    stmt = select(DataResource.id.label("id"), value.label("sort_value"),
                  DataResource.code.label("tie"))
    if f.sort == "category":
        stmt = stmt.join(Category, DataResource.category_id == Category.id)
    elif f.sort == "provider":
        stmt = stmt.join(Organisation, DataResource.provider_org_id == Organisation.id)
    elif f.sort == "grade":
        stmt = stmt.outerjoin(Grade, DataResource.grade_id == Grade.id)
    stmt = _filtered(stmt, f, who, dialect, _Text([], f.text) if with_ids else None)
    nullable = f.sort in NULLABLE_SORTS
    by_code = f.sort == "code"
    seek = Seek(backward=backward)
    if after != "start":
        key = Key(None if after == "null" else bindparam("after_value", type_=value.type),
                  bindparam("after_tie", type_=String))
        stmt = stmt.where(keyset.beyond(DataResource.code if by_code else value,
                                        DataResource.code, key, seek,
                                        descending=f.descending, nullable=nullable))
    stmt = stmt.order_by(*keyset.order(DataResource.code if by_code else value,
                                       DataResource.code, seek, descending=f.descending,
                                       nullable=nullable))
    page = (stmt.offset(bindparam("skip", type_=Integer))
            .limit(bindparam("limit", type_=Integer)).subquery("page"))
    region = aliased(Region)
    items = (select(func.count(DataItem.id)).where(DataItem.resource_id == page.c.id)
             .scalar_subquery())
    return select(
        DataResource.id, DataResource.code, DataResource.name, Category.name, Organisation.name,
        region.name, Grade.name, DataResource.sharing_type, DataResource.update_cycle,
        DataResource.status, items, DataResource.updated_at, page.c.sort_value, page.c.tie,
    ).select_from(page).join(DataResource, DataResource.id == page.c.id) \
        .join(Category, DataResource.category_id == Category.id) \
        .join(Organisation, DataResource.provider_org_id == Organisation.id) \
        .outerjoin(Grade, DataResource.grade_id == Grade.id) \
        .join(region, DataResource.region_code == region.code) \
        .order_by(*keyset.order(page.c.tie if by_code else page.c.sort_value, page.c.tie, seek,
                                descending=f.descending, nullable=nullable))


def _rows_by_id(s: Any, db: Database, ids: list[int], scoped: bool) -> list[ResourceRow]:
    """The list rows of ``ids``, in that order (ids no longer visible left out). ``scoped``:
    rows and item counts in one call of the scoped function (the data_items policy per item
    row is slow, and the resources_read policy would compute the caller's grants again)."""
    if not ids:
        return []
    if scoped:
        return scoped_read.rows(s, ids)
    by_id = {row.id: ResourceRow(*row) for row in s.execute(
        _row_select().where(DataResource.id.in_(_id_list(ids, db.dialect))))}
    return [by_id[i] for i in ids if i in by_id]


def _row_select() -> Any:
    """The columns of a list row (:class:`ResourceRow`), with their joins (the owner and
    SQLite; a login under row-level security reads them through ``govdesk_catalog_rows``)."""
    item_count: Any = (
        select(func.count(DataItem.id)).where(DataItem.resource_id == DataResource.id)
        .correlate(DataResource).scalar_subquery())
    region = aliased(Region)
    return _joined(select(
        DataResource.id, DataResource.code, DataResource.name, Category.name, Organisation.name,
        region.name, Grade.name, DataResource.sharing_type, DataResource.update_cycle,
        DataResource.status, item_count, DataResource.updated_at,
    )).join(region, DataResource.region_code == region.code)
