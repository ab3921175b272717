"""Keyset pagination: pages of a sorted list asked for by the key of a neighbouring row, not by
an offset, so a page 100,000 rows deep costs what the first page costs.

A list is sorted by a *sort value* (which may be NULL) and then by a unique, never-NULL
*tie-breaker*, always ascending. NULL is the largest value on both databases (PostgreSQL's
default; SQLite is told ``NULLS LAST``/``NULLS FIRST`` explicitly): last when ascending, first
when descending. A row's :class:`Key` is its (sort value, tie-breaker).

A :class:`Seek` says which page: ``limit`` rows after the key ``after`` (None: from the start),
or with ``backward`` the ``limit`` rows just before it (None: the end of the list); ``skip``
rows are passed over first, which is how a jump to an arbitrary position (a scrollbar drag)
reaches it from the nearest key known (cost proportional to ``skip``). A service answers with a
:class:`KeyPage`: the rows in list order, whatever the direction, and each row's key.

The dataclasses are plain values (no Qt, no SQLAlchemy objects) that the UI passes back as
they came; :func:`beyond` and :func:`order` build the SQLAlchemy conditions the services use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, or_

R = TypeVar("R")


@dataclass(frozen=True)
class Key:
    """Where a row stands in a sorted list: its sort value (None: NULL) and tie-breaker."""

    value: Any
    tie: Any


@dataclass(frozen=True)
class Seek:
    """Which page to fetch (see the module docstring). ``after`` is a key a service returned
    for the same list (same filter and sort); None means the start (or with ``backward`` the
    end) of the list."""

    after: Any = None
    backward: bool = False
    skip: int = 0
    limit: int = 200

    @property
    def at_start(self) -> bool:
        """True for the list's first page."""
        return self.after is None and not self.backward and self.skip <= 0


@dataclass(frozen=True)
class KeyPage(Generic[R]):
    """Rows of one page in list order and their keys (``keys[i]`` is the key of ``rows[i]``)."""

    rows: list[R]
    keys: list[Any] = field(default_factory=list)

    @property
    def first_key(self) -> Any:
        return self.keys[0] if self.keys else None

    @property
    def last_key(self) -> Any:
        return self.keys[-1] if self.keys else None

    @staticmethod
    def fetched(rows: Sequence[R], keys: Sequence[Any], seek: Seek) -> KeyPage[R]:
        """The page from rows fetched in ``seek``'s direction (a backward fetch comes nearest
        first: reversed here into list order)."""
        if seek.backward:
            return KeyPage(list(reversed(rows)), list(reversed(keys)))
        return KeyPage(list(rows), list(keys))


def _larger(seek: Seek, descending: bool) -> bool:
    """True when the rows wanted have larger sort values than the key (NULL largest)."""
    return seek.backward == descending


def beyond(value_col: Any, tie_col: Any, key: Key, seek: Seek, *, descending: bool,
           nullable: bool) -> Any:
    """SQL condition: the row comes after ``key`` in the list (before it when
    ``seek.backward``). ``value_col`` may be ``tie_col`` itself (a list sorted by its unique
    key). Redundant bounds (``value >= v``) let an index on the sort column serve the range."""
    larger = _larger(seek, descending)
    if value_col is tie_col:  # the unique key itself, in the list's direction
        return tie_col > key.tie if larger else tie_col < key.tie
    tie_cmp = tie_col < key.tie if seek.backward else tie_col > key.tie
    v = key.value
    if v is None:  # the key row's value is NULL, the largest
        if larger:
            return and_(value_col.is_(None), tie_cmp)
        return or_(value_col.is_not(None), and_(value_col.is_(None), tie_cmp))
    if larger:
        cond = and_(value_col >= v, or_(value_col > v, tie_cmp))
        return or_(cond, value_col.is_(None)) if nullable else cond
    return and_(value_col <= v, or_(value_col < v, tie_cmp))


def order(value_col: Any, tie_col: Any, seek: Seek, *, descending: bool,
          nullable: bool) -> list[Any]:
    """ORDER BY terms in ``seek``'s fetch direction (reversed for a backward fetch), NULL
    largest, the tie-breaker ascending in list order (for a list sorted by the tie-breaker
    itself, in the list's direction)."""
    larger = _larger(seek, descending)  # fetched in ascending order of the sort value
    if value_col is tie_col:
        return [tie_col.asc() if larger else tie_col.desc()]
    term = value_col.asc() if larger else value_col.desc()
    if nullable:
        term = term.nulls_last() if larger else term.nulls_first()
    return [term, tie_col.desc() if seek.backward else tie_col.asc()]
