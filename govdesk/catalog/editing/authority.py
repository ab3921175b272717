"""一数一源: each data item has exactly one authoritative source.

The report lists data items that more than one resource declares authoritative, matched by
normalised name (case, spaces and full-width forms ignored) and, separately, by standard
data-element code. Grouping happens in SQL; only the conflicting items are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Organisation
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op


@dataclass(frozen=True)
class AuthoritySource:
    resource_id: int
    resource_code: str
    resource_name: str
    provider: str
    item_name: str
    standard_code: str | None


@dataclass(frozen=True)
class AuthorityConflict:
    """One data item claimed by several resources. ``match`` is "name" or "standard_code"."""

    match: str
    key: str
    sources: tuple[AuthoritySource, ...]


def _name_key(column: Any) -> Any:
    """SQL: a data item name trimmed, lower-cased, without spaces (ASCII or full-width)."""
    return func.replace(func.replace(func.lower(func.trim(column)), " ", ""), "\u3000", "")


@service(Op.CATALOG_READ)
def authority_conflicts(db: Database, who: Identity) -> list[AuthorityConflict]:
    """Every conflict among the resources ``who`` may see, names first, then codes."""
    result: list[AuthorityConflict] = []
    with db.session() as s:
        for match, key_expr in (("name", _name_key(DataItem.name)),
                                ("standard_code", DataItem.standard_code)):
            base = (select(key_expr.label("k"))
                    .join(DataResource, DataResource.id == DataItem.resource_id)
                    .where(DataItem.is_authoritative.is_(True), key_expr.is_not(None)))
            keys = [k for (k,) in s.execute(
                base.group_by(key_expr)
                .having(func.count(func.distinct(DataItem.resource_id)) > 1)
                .order_by(key_expr))]
            if not keys:
                continue
            rows = s.execute(
                select(key_expr, DataResource.id, DataResource.code, DataResource.name,
                       Organisation.name, DataItem.name, DataItem.standard_code)
                .join(DataResource, DataResource.id == DataItem.resource_id)
                .join(Organisation, Organisation.id == DataResource.provider_org_id)
                .where(DataItem.is_authoritative.is_(True), key_expr.in_(keys))
                .order_by(key_expr, DataResource.code)).all()
            grouped: dict[str, list[AuthoritySource]] = {}
            for key, *rest in rows:
                grouped.setdefault(key, []).append(AuthoritySource(*rest))
            result += [AuthorityConflict(match, k, tuple(v)) for k, v in grouped.items()]
    return result
