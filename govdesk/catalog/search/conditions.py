"""The catalogue filter as SQL: conditions on a statement over ``data_resources`` (owner and
SQLite), or the JSON conditions the scoped functions take (a login under row-level security).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from govdesk.catalog.search.filters import ResourceFilter
from govdesk.catalog.search.index import terms
from govdesk.catalog.search.matching import _like_escape, _pg_term_parts, _Text, text_clause
from govdesk.db.models import Category, DataResource, Grade, GradeScheme, Organisation
from govdesk.security.identity import Identity
from govdesk.security.kernel import narrows, region_prefix

def _filtered(stmt: Any, f: ResourceFilter, who: Identity, dialect: str,
              match: _Text | None = None) -> Any:
    """``stmt`` narrowed to what ``f`` asks for (what ``who`` may see is added by the service
    kernel to every statement of a service). ``match`` (from :func:`_text_match`) lets the text
    condition use an id set found once through the indexes; without it the text is matched row
    by row."""
    if match is not None and match.ids is not None:
        stmt = stmt.where(DataResource.id.in_(_id_list(match.ids, dialect)))
    elif f.text.strip():
        stmt = stmt.where(text_clause(f.text, dialect))
    if f.category_code:
        stmt = stmt.where(DataResource.category_id.in_(select(Category.id).where(
            Category.code.like(_like_escape(f.category_code) + "%", escape="\\"))))
    if f.region_code:
        stmt = stmt.where(DataResource.region_code.like(region_prefix(f.region_code) + "%"))
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


def _id_list(ids: list[int], dialect: str) -> Any:
    """A sub-select yielding ``ids`` from one bound parameter (an array on PostgreSQL, JSON on
    SQLite). Unlike a literal IN list it makes both planners probe the primary key per id and
    sort the few matches, rather than walk the sort index filtering against a long list."""
    if dialect == "postgresql":
        return select(func.unnest(bindparam("match_ids", ids, type_=ARRAY(Integer))))
    return text("SELECT value FROM json_each(:match_ids)").bindparams(
        match_ids=json.dumps(ids))


def _narrowed(f: ResourceFilter, who: Identity, scoped: bool = False) -> bool:
    """True when anything but the text narrows the list (a filter, or a regional scope, unless
    the match is ``scoped``: already limited to what the login may see)."""
    return bool(f.category_code or f.region_code or f.status or f.grade_code
                or f.provider_org_id is not None or f.sharing_type or f.update_cycle
                or (not scoped and narrows(who)))


def _conditions(f: ResourceFilter, match: _Text | None) -> dict[str, Any]:
    """``f`` (with the text as ``match``'s ids when known, else as terms) in the form the scoped
    functions take (migration 0013, ``govdesk_catalog_filter_sql``); the same conditions as
    :func:`_filtered`, scope apart (the functions add the login's own)."""
    c: dict[str, Any] = {}
    if match is not None and match.ids is not None:
        c["ids"] = match.ids
    elif f.text.strip() and terms(f.text):
        c["grams"], c["likes"] = _pg_term_parts(terms(f.text))
    if f.category_code:
        c["category"] = f.category_code
    if f.region_code:
        c["region_prefix"] = region_prefix(f.region_code)
    for key, value in (("status", f.status), ("grade", f.grade_code),
                       ("sharing_type", f.sharing_type), ("update_cycle", f.update_cycle)):
        if value:
            c[key] = value
    if f.provider_org_id is not None:
        c["provider"] = f.provider_org_id
    return c


def _joined(stmt: Any) -> Any:
    return (stmt.join(Category, DataResource.category_id == Category.id)
            .join(Organisation, DataResource.provider_org_id == Organisation.id)
            .outerjoin(Grade, DataResource.grade_id == Grade.id))

