"""一数一源: each data item has exactly one authoritative source.

The report lists data items that more than one resource declares authoritative, matched by
normalised name (case, spaces and full-width spaces ignored) and by standard data-element code.
When the name match and the code match find the same items they are one row (both keys shown).
Generic fields that every kind of resource holds (备注, 审核人, 经度, 创建时间 …) are no data of
their own: the names in the system setting ``catalog.authority_generic_fields``
(:data:`govdesk.settings.AUTHORITY_GENERIC_FIELDS`, edited by the system administrator in the
settings panel) are left out of both matches. Grouping happens in SQL; only the conflicting
items are loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Organisation
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op
from govdesk.security.settings import read_setting
from govdesk.settings import AUTHORITY_GENERIC_FIELDS


@dataclass(frozen=True)
class AuthoritySource:
    resource_id: int
    resource_code: str
    resource_name: str
    provider: str
    item_name: str
    standard_code: str | None
    item_id: int = 0


@dataclass(frozen=True)
class AuthorityConflict:
    """One data item claimed by several resources. ``matches`` are how the items were found
    ("name", "standard_code" or both, in that order), ``keys`` the matched values (the
    normalised name, the code), one per match."""

    matches: tuple[str, ...]
    keys: tuple[str, ...]
    sources: tuple[AuthoritySource, ...]

    @property
    def match(self) -> str:
        """The first way the items were found ("name" when the names match)."""
        return self.matches[0]

    @property
    def key(self) -> str:
        """The first matched value (the normalised name when the names match)."""
        return self.keys[0]


def _name_key(column: Any) -> Any:
    """SQL: a data item name trimmed, lower-cased, without spaces (ASCII or full-width)."""
    return func.replace(func.replace(func.lower(func.trim(column)), " ", ""), "\u3000", "")


def normalise_name(name: str) -> str:
    """:func:`_name_key` in Python: trimmed, lower-cased, without ASCII or full-width spaces."""
    return name.strip().lower().replace(" ", "").replace("\u3000", "")


def generic_field_names(value: str) -> frozenset[str]:
    """The normalised names in a stop-list setting value (words separated by 、 , ; or
    whitespace, ASCII or full-width)."""
    return frozenset(normalise_name(w) for w in re.split(r"[、,，;；\s]+", value) if w.strip())


def _conflicts_by(s: Session, match: str, key_expr: Any,
                  generic: frozenset[str]) -> list[AuthorityConflict]:
    """The conflicts found by one key (``key_expr``), generic field names left out."""
    where = [DataItem.is_authoritative.is_(True), key_expr.is_not(None)]
    if generic:
        where.append(_name_key(DataItem.name).not_in(sorted(generic)))
    keys = [k for (k,) in s.execute(
        select(key_expr).join(DataResource, DataResource.id == DataItem.resource_id)
        .where(*where).group_by(key_expr)
        .having(func.count(func.distinct(DataItem.resource_id)) > 1).order_by(key_expr))]
    if not keys:
        return []
    rows = s.execute(
        select(key_expr, DataResource.id, DataResource.code, DataResource.name,
               Organisation.name, DataItem.name, DataItem.standard_code, DataItem.id)
        .join(DataResource, DataResource.id == DataItem.resource_id)
        .join(Organisation, Organisation.id == DataResource.provider_org_id)
        .where(*where, key_expr.in_(keys))
        .order_by(key_expr, DataResource.code, DataItem.id)).all()
    grouped: dict[str, list[AuthoritySource]] = {}
    for key, *rest in rows:
        grouped.setdefault(key, []).append(AuthoritySource(*rest))
    return [AuthorityConflict((match,), (k,), tuple(v)) for k, v in grouped.items()]


def _merge(by_name: list[AuthorityConflict],
           by_code: list[AuthorityConflict]) -> list[AuthorityConflict]:
    """Name matches first, then code matches; a code match of exactly the items of a name match
    joins its row."""
    rows = list(by_name)
    index = {frozenset(src.item_id for src in c.sources): n for n, c in enumerate(rows)}
    for c in by_code:
        n = index.get(frozenset(src.item_id for src in c.sources))
        if n is None:
            rows.append(c)
        else:
            rows[n] = AuthorityConflict(rows[n].matches + c.matches, rows[n].keys + c.keys,
                                        rows[n].sources)
    return rows


@service(Op.CATALOG_READ)
def authority_conflicts(db: Database, who: Identity) -> list[AuthorityConflict]:
    """Every conflict among the resources ``who`` may see, names first, then codes; a name
    match and a code match of the same items are one conflict; generic fields (the
    ``catalog.authority_generic_fields`` setting) are never a conflict."""
    with db.session() as s:
        generic = generic_field_names(read_setting(s, AUTHORITY_GENERIC_FIELDS))
        return _merge(_conflicts_by(s, "name", _name_key(DataItem.name), generic),
                      _conflicts_by(s, "standard_code", DataItem.standard_code, generic))
