"""What the database can store, checked before anything is written, the same on both databases.

PostgreSQL refuses a value longer than its ``varchar(n)`` column, a whole number outside its
``integer`` column and any text holding U+0000 (NUL); SQLite stores all three without a word.
So that a draft means the same on both, the editor's save and the import check every field
against the limits of the column it is written to, read from the SQLAlchemy models (a column
widened in a migration widens the check with it), and report each breach as a
:class:`~govdesk.catalog.messages.Problem` naming the field (and the data item).

Lengths count characters (code points), as ``varchar(n)`` does; names are counted as they are
stored, trimmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import BigInteger, Enum, Integer, String, Table

from govdesk.catalog.messages import Problem
from govdesk.db.models import DataItem, DataResource

if TYPE_CHECKING:
    from govdesk.catalog.editing.resources import ResourceDraft

#: the largest value of each integer column type (PostgreSQL's integer, bigint)
INTEGER_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
NUL = "\x00"

#: draft fields and the problem's field name where that differs from the column's
_RESOURCE_FIELD_NAME = {"category_code": "category", "region_code": "region",
                        "grade_code": "grade"}
_ITEM_FIELD_NAME = {"name": "item_name", "grade_code": "grade"}


def _max_lengths(table: Table) -> dict[str, int]:
    """``varchar(n)`` columns and their n; enumerated columns are left out (validation holds
    them to their vocabulary, whose codes fit)."""
    return {c.name: int(c.type.length) for c in table.columns
            if isinstance(c.type, String) and not isinstance(c.type, Enum) and c.type.length}


def _max_values(table: Table) -> dict[str, int]:
    return {c.name: BIGINT_MAX if isinstance(c.type, BigInteger) else INTEGER_MAX
            for c in table.columns if isinstance(c.type, Integer)}


RESOURCE_LENGTHS = _max_lengths(cast(Table, DataResource.__table__))
ITEM_LENGTHS = _max_lengths(cast(Table, DataItem.__table__))
ITEM_MAX_VALUES = _max_values(cast(Table, DataItem.__table__))
#: draft fields stored trimmed
_TRIMMED = frozenset({"name"})
#: the resource's draft fields that are columns with a length
_RESOURCE_LIMITS = tuple((f, RESOURCE_LENGTHS[f]) for f in ("code", "name", "region_code")
                         if f in RESOURCE_LENGTHS)


def _text_problems(field: str, value: Any, lengths: dict[str, int], name: str,
                   item: int | None) -> list[Problem]:
    if not isinstance(value, str):
        return []
    problems = []
    if NUL in value:
        problems.append(Problem("nul_char", name, _preview(value), item,
                                {"position": value.index(NUL) + 1}))
    stored = value.strip() if field in _TRIMMED else value
    limit = lengths.get(field)
    if limit is not None and len(stored) > limit:
        problems.append(Problem("too_long", name, _preview(stored), item,
                                {"max": limit, "length": len(stored)}))
    return problems


def _preview(text: str, width: int = 24) -> str:
    """The start of ``text`` for a message (NUL shown as ␀)."""
    shown = text.replace(NUL, "\u2400")
    return shown if len(shown) <= width else shown[:width] + "…"


def limit_problems(d: ResourceDraft) -> list[Problem]:
    """Every value of ``d`` the database could not store as it is: too long for its column,
    too large for its integer column, or holding a NUL character."""
    if _fits(d):  # the common case, checked without a call per value
        return []
    return _all_problems(d)


def _fits(d: ResourceDraft) -> bool:
    texts = [d.code, d.name, d.category_code, d.region_code, d.summary, d.format,
             d.sharing_type, d.sharing_condition or "", d.sharing_basis or "",
             d.sharing_method or "", d.open_type, d.open_condition or "", d.update_cycle,
             d.grade_code or "", *d.related_codes]
    if any(len(getattr(d, f) or "") > n for f, n in _RESOURCE_LIMITS):
        return False
    name_max, code_max = ITEM_LENGTHS["name"], ITEM_LENGTHS["standard_code"]
    length_max = ITEM_MAX_VALUES["length"]
    for i in d.items:
        if (len(i.name) > name_max or len(i.standard_code or "") > code_max
                or (i.length.__class__ is int and i.length > length_max)):
            return False
        texts += (i.name, i.data_type, i.description or "", i.grade_code or "",
                  i.standard_code or "", i.length if i.length.__class__ is str else "")
    return NUL not in "".join(texts)


def _all_problems(d: ResourceDraft) -> list[Problem]:
    from govdesk.catalog.editing.resources import ITEM_FIELDS, RESOURCE_FIELDS

    problems: list[Problem] = []
    for f in RESOURCE_FIELDS:
        value = getattr(d, f)
        name = _RESOURCE_FIELD_NAME.get(f, f)
        if f == "related_codes":
            for code in value:
                problems += _text_problems(f, code, {}, name, None)
            continue
        problems += _text_problems(f, value, RESOURCE_LENGTHS, name, None)
    for n, item in enumerate(d.items, start=1):
        for f in ITEM_FIELDS:
            value = getattr(item, f)
            if isinstance(value, int) and not isinstance(value, bool) \
                    and f in ITEM_MAX_VALUES and value > ITEM_MAX_VALUES[f]:
                problems.append(Problem("too_large", f, value, n,
                                        {"max": ITEM_MAX_VALUES[f]}))
            elif f != "length":  # a length given as text is reported as bad_length
                problems += _text_problems(f, value, ITEM_LENGTHS, _ITEM_FIELD_NAME.get(f, f), n)
    return problems


def storable(text: str) -> bool:
    """Whether ``text`` can be sent to the database at all (PostgreSQL refuses NUL even in a
    look-up)."""
    return NUL not in text
