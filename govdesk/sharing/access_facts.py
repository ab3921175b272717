"""The facts the effective-access matrix judges: organisations, a page of resources, their data
items and the grants on them, read as the caller may read them.

The caller's *own region's* resources, their items and every grant on them are read through
the caller's own row-level security on PostgreSQL (the providing side sees them all). The
resources granted to the caller's *own organisation* from other regions are hidden there
(before a grant is in force, or all but the granted items), so their catalogue facts and items
come from the definer functions of migration 0031 (``govdesk_matrix_resources``,
``govdesk_matrix_items``); the grants covering the caller's organisation are visible to it.
On SQLite (and for the owner) the same statements read the tables; the services decide what
each caller may ask for (:mod:`govdesk.sharing.matrix`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from govdesk.db.models import (
    Category,
    DataItem,
    DataResource,
    Grade,
    Organisation,
    Region,
    SharingGrant,
    SharingGrantItem,
)
from govdesk.db.models.sharing import covers, grant_day
from govdesk.security.kernel import under_rls, unscoped
from govdesk.sharing.access import GrantFact, ItemFact
from govdesk.sharing.access_dto import MatrixFilter, OrgColumn, ResourceRow
from govdesk.sharing.dto import GrantScope

WHY = "the matrix service decides which resources and organisations the caller may ask for"


def _like(prefix: str) -> str:
    """``prefix`` as a LIKE pattern (its wildcards taken literally)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def organisations(s: Session, f: MatrixFilter) -> list[OrgColumn]:
    """The organisations ``f`` selects (every one the directory holds, deactivated ones
    included: their users still read), by region code, then kind, then code."""
    query = (select(Organisation.id, Organisation.code, Organisation.name, Organisation.kind,
                    Organisation.region_code, Region.level, Organisation.is_active)
             .join(Region, Region.code == Organisation.region_code)
             .order_by(Organisation.region_code, Organisation.kind, Organisation.code))
    if f.org_code:
        query = query.where(Organisation.code == f.org_code.strip())
    if f.org_region:
        query = query.where(Organisation.region_code.like(_like(f.org_region.strip()),
                                                          escape="\\"))
    if f.org_kind:
        query = query.where(Organisation.kind == f.org_kind)
    return [OrgColumn(*row) for row in s.execute(unscoped(query, WHY))]


def _resource_filters(f: MatrixFilter) -> list[Any]:
    r = DataResource
    out: list[Any] = []
    if f.region:
        out.append(r.region_code.like(_like(f.region.strip()), escape="\\"))
    if f.resource_code:
        code = f.resource_code.strip()
        out.append(r.code == code if f.exact_code else r.code.like(_like(code), escape="\\"))
    if f.category:
        out.append(Category.code.like(_like(f.category.strip()), escape="\\"))
    if f.grade:
        out.append(r.grade_id.in_(select(Grade.id).where(Grade.code == f.grade.strip())))
    return out


def region_page(s: Session, prefix: str, f: MatrixFilter, after: str | None,
                limit: int) -> list[ResourceRow]:
    """Up to ``limit`` resources of the region ``prefix`` ('' = all) passing ``f``, by code,
    after the code ``after``. Under row-level security the caller's own region
    (``govdesk_matrix_page``, which is what ``prefix`` is there)."""
    if under_rls(s):  # 0031: the same query, planned with the values
        found = s.execute(text(
            "SELECT id, code, name, region_code, status, sharing_type, grade_id, category_code "
            "FROM govdesk_matrix_page(CAST(:f AS jsonb), :after, :n)"), {
                "f": json.dumps({"region": f.region, "code": f.resource_code,
                                 "exact": f.exact_code, "category": f.category,
                                 "grade": f.grade}), "after": after, "n": limit}).all()
        return _rows(s, found)
    r = DataResource
    query = (select(r.id, r.code, r.name, r.region_code, r.status, r.sharing_type, r.grade_id,
                    Category.code).join(Category, Category.id == r.category_id)
             .where(*_resource_filters(f)).order_by(r.code).limit(limit))
    if prefix:
        query = query.where(r.region_code.like(_like(prefix), escape="\\"))
    if after is not None:
        query = query.where(r.code > after)
    return _rows(s, s.execute(unscoped(query, WHY)).all())


def _rows(s: Session, found: Iterable[Any]) -> list[ResourceRow]:
    grades = {g.id: (g.code, g.name) for g in s.execute(select(Grade.id, Grade.code, Grade.name))}
    out = []
    for rid, code, name, region, status, sharing, grade_id, category in found:
        gcode, gname = grades.get(grade_id, (None, None))
        out.append(ResourceRow(rid, code, name, region, status, sharing, grade_id, gcode, gname,
                               category))
    return out


def granted_ids(s: Session, org_id: int) -> list[int]:
    """The resources of every grant (any state) that covers the organisation ``org_id`` (on
    PostgreSQL under row-level security: the caller's own organisation, which it is)."""
    if under_rls(s):  # the caller's own organisation: 0031 (under RLS the OR costs 170 ms)
        return list(s.scalars(text("SELECT govdesk_matrix_granted()")))
    query = select(SharingGrant.resource_id).where(covers(SharingGrant, org_id)).distinct()
    return list(s.scalars(unscoped(query, WHY)))


def resources_by_id(s: Session, ids: Sequence[int]) -> list[ResourceRow]:
    """The resources ``ids`` (those the caller may know of, on PostgreSQL: 0031)."""
    if not ids:
        return []
    if under_rls(s):
        found = s.execute(text("SELECT id, code, name, region_code, status, sharing_type, "
                               "grade_id, category_code FROM govdesk_matrix_resources(:ids)"),
                          {"ids": list(ids)}).all()
    else:
        r = DataResource
        found = s.execute(unscoped(
            select(r.id, r.code, r.name, r.region_code, r.status, r.sharing_type, r.grade_id,
                   Category.code).join(Category, Category.id == r.category_id)
            .where(r.id.in_(ids)), WHY)).all()
    return _rows(s, found)


def matches(row: ResourceRow, f: MatrixFilter, category_ok: bool = True) -> bool:
    """Whether ``row`` passes the resource side of ``f`` (the SQL filters, in Python)."""
    code = (f.resource_code or "").strip()
    if code and not (row.code == code if f.exact_code else row.code.startswith(code)):
        return False
    if f.region and not row.region_code.startswith(f.region.strip()):
        return False
    if f.grade and row.grade_code != f.grade.strip():
        return False
    return not (f.category and not (row.category_code or "").startswith(f.category.strip()))


def items_of(s: Session, rows: Sequence[ResourceRow]) -> dict[int, list[ItemFact]]:
    """resource id -> its data items (effective grades), by sequence number (under row-level
    security through 0031, which answers for the resources the caller may know of: its
    region's, published ones and those granted to its organisation)."""
    out: dict[int, list[ItemFact]] = {r.id: [] for r in rows}
    grade_of = {r.id: r.grade_id for r in rows}
    ids = [r.id for r in rows]
    if not ids:
        return out
    if under_rls(s):  # 0031; data_items_read would build the shared items' array each time
        found: Sequence[Any] = s.execute(text("SELECT id, resource_id, seq, name, grade_id "
                                          "FROM govdesk_matrix_items(:ids)"), {"ids": ids}).all()
    else:
        found = s.execute(unscoped(select(DataItem.id, DataItem.resource_id, DataItem.seq,
                                          DataItem.name, DataItem.grade_id)
                                   .where(DataItem.resource_id.in_(ids))
                                   .order_by(DataItem.resource_id, DataItem.seq), WHY)).all()
    for iid, rid, seq, name, grade in found:
        out[rid].append(ItemFact(iid, rid, seq, name, grade if grade is not None
                                 else grade_of.get(rid)))
    for items in out.values():
        items.sort(key=lambda i: i.seq)
    return out


def _day(stamp: dt.datetime | None) -> dt.date | None:
    """The grant day of ``stamp`` (a naive one, as SQLite returns it, is UTC)."""
    if stamp is None:
        return None
    return grant_day(stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc))


def grants_on(s: Session, ids: Sequence[int]) -> dict[int, list[GrantFact]]:
    """resource id -> the grants on it the caller may see (any state), with listed items."""
    out: dict[int, list[GrantFact]] = {i: [] for i in ids}
    if not ids:
        return out
    g = SharingGrant
    rows = s.execute(unscoped(select(
        g.id, g.resource_id, g.grantee_org_id, g.scope_region_prefix, g.scope_org_kind,
        g.scope_org_level, g.sharing_type, g.all_items, g.status, g.valid_from, g.valid_until,
        g.ended_at, g.reason, g.exclusions).where(g.resource_id.in_(ids)).order_by(g.id),
        WHY)).all()
    chosen = [row[0] for row in rows if not row[7]]
    listed: dict[int, set[int]] = {}
    if chosen:
        for gid, iid in s.execute(select(SharingGrantItem.grant_id, SharingGrantItem.item_id)
                                  .where(SharingGrantItem.grant_id.in_(chosen))):
            listed.setdefault(gid, set()).add(iid)
    for (gid, rid, org, prefix, kind, level, sharing, all_items, status, start, until, ended,
         reason, exclusions) in rows:
        scope = GrantScope(prefix, kind, level) if prefix else None
        names = frozenset(e.get("item", "") for e in json.loads(exclusions or "[]"))
        out[rid].append(GrantFact(gid, rid, org, scope, sharing, all_items, status, start, until,
                                  _day(ended), reason,
                                  frozenset(listed.get(gid, ())), names))
    return out
