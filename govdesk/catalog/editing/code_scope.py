"""Which resource codes a user may write under: the region check applied to the resource that
already holds a code, not only to the row that brings it.

A regional data administrator changes only resources of their own area (PostgreSQL's
``resources_update`` policy, migration 0003; the services on SQLite). An import matches rows to
resources by code, so a row whose code another area's resource holds must be refused, never
written over that resource (SQLite moved and renamed it) nor inserted beside it (PostgreSQL,
where row-level security hides it, answered with a unique violation). Both databases answer
with the same problem, ``code_unavailable`` ("this code cannot be used"), which says nothing
about the resource that holds it: on PostgreSQL the caller cannot see it and is not told whose
it is (migration 0020).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from govdesk.catalog.search.browse import _region_prefix
from govdesk.catalog.editing.limits import storable
from govdesk.db.models import DataResource
from govdesk.security.identity import Identity

_CHUNK = 500


def scope_prefix(who: Identity) -> str:
    """The region prefix of the resources ``who`` may change ('' = every region)."""
    return _region_prefix(who.region_code) if who.region_code else ""


def in_scope(who: Identity, region_code: str | None) -> bool:
    """Whether ``who`` may change a resource of ``region_code``."""
    return (region_code or "").startswith(scope_prefix(who))


def codes_outside_scope(s: Session, who: Identity, codes: Iterable[str]) -> frozenset[str]:
    """Those of ``codes`` held by an existing resource that ``who`` may not change.

    On PostgreSQL, for a login row-level security applies to, the database answers
    (``govdesk_codes_unavailable``, which also sees the resources hidden from the caller);
    otherwise (SQLite, the database owner) the regions are compared here.
    """
    wanted = sorted({c for c in codes if c and storable(c)})
    if not wanted:
        return frozenset()
    conn = s.connection()
    if conn.dialect.name == "postgresql" and conn.exec_driver_sql(
            "SELECT row_security_active('data_resources'::regclass)").scalar_one():
        found: set[str] = set()
        for start in range(0, len(wanted), 10 * _CHUNK):
            found.update(s.execute(text("SELECT unnest(govdesk_codes_unavailable("
                                        "CAST(:codes AS text[])))"),
                                   {"codes": wanted[start:start + 10 * _CHUNK]}).scalars())
        return frozenset(found)
    prefix = scope_prefix(who)
    outside: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        for code, region in s.execute(select(DataResource.code, DataResource.region_code).where(
                DataResource.code.in_(wanted[start:start + _CHUNK]))):
            if not (region or "").startswith(prefix):
                outside.add(code)
    return frozenset(outside)
