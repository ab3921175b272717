"""Catalogue reads for PostgreSQL logins under row-level security: thin wrappers over the
SECURITY DEFINER functions of migrations 0013, 0021 (the list by key) and 0040 (a page's rows),
which apply the caller's ``resources_read`` scope themselves, so the planner sees the real scope
and may use the search indexes (see docs/architecture.md, "Search under row-level security").

Everything returned is what the policy shows the login of the connection; a login that may not
read the catalogue is refused by the database (:class:`govdesk.errors.PermissionDenied`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from govdesk.catalog.dto import ResourceRow
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, Seek
from govdesk.security import kernel


def under_rls(session: Any, db: Database) -> bool:
    """True when ``db`` is PostgreSQL and its login is subject to row-level security on the
    catalogue (see :func:`govdesk.security.kernel.under_rls`)."""
    return db.is_postgres and kernel.under_rls(session)


def matches(session: Any, grams: str, likes: list[str], bound: str | None, limit: int,
            walk: int = 0, index_only: bool = False
            ) -> tuple[list[tuple[int, str | None]], bool]:
    """(resource id, code) of visible search documents holding every term, in code order:
    any ``limit`` of them when ``bound`` is None, else the first ``limit`` with a code up to
    ``bound`` (``walk``: how many documents in code order to check one by one first).
    ``index_only``: every term has an index, plan without sequential scans. Also whether the
    rows are the first in code order (always with ``bound``; for a regional scope without)."""
    rows = session.execute(
        text("SELECT resource_id, code, in_order "
             "FROM govdesk_catalog_matches(:g, :l, :b, :n, :w, :i)"),
        {"g": grams, "l": likes, "b": bound, "n": limit, "w": walk, "i": index_only}).all()
    return [(int(r[0]), r[1]) for r in rows], bool(rows) and bool(rows[0][2])


def keyset(session: Any, conditions: dict[str, Any], sort: str, descending: bool,
           seek: Seek) -> list[tuple[int, Key]]:
    """(id, key) of one page of the visible resources matching ``conditions`` (keys: ids,
    grams, likes, category, region_prefix, status, grade, provider, sharing_type,
    update_cycle), sorted by the list column ``sort`` then code, in ``seek``'s fetch order
    (nearest first), through ``govdesk_catalog_keyset`` (migration 0021). A key's value is the
    sort value as the database gave it in JSON, handed back to it as it is."""
    after = None if seek.after is None else _json({"v": seek.after.value, "c": seek.after.tie})
    return [(int(r[0]), Key(r[1], r[2])) for r in session.execute(
        text("SELECT p.resource_id, p.sort_value, p.code FROM govdesk_catalog_keyset("
             "CAST(:f AS jsonb), :s, :d, CAST(:a AS jsonb), :b, :k, :n) "
             "WITH ORDINALITY AS p(resource_id, sort_value, code, n) ORDER BY p.n"),
        {"f": _json(conditions), "s": sort, "d": descending, "a": after, "b": seek.backward,
         "k": max(0, seek.skip), "n": max(0, seek.limit)})]


def count(session: Any, conditions: dict[str, Any], cap: int | None = None) -> int:
    """How many visible resources match ``conditions`` (see :func:`keyset`); with ``cap``,
    counting stops at ``cap + 1``."""
    return int(session.execute(text("SELECT govdesk_catalog_count(CAST(:f AS jsonb), :c)"),
                               {"f": _json(conditions), "c": cap}).scalar_one())


def counts(session: Any, by: str) -> dict[str, int]:
    """Visible resources per region code (``by="region"``) or per category id as text
    (``by="category"``)."""
    return {str(k): int(n) for k, n in session.execute(
        text("SELECT key, n FROM govdesk_catalog_counts(:b)"), {"b": by})}


def rows(session: Any, ids: list[int]) -> list[ResourceRow]:
    """The list rows (item counts included) of those of ``ids`` the login may see, in the
    order of ``ids``: one call of ``govdesk_catalog_rows`` (migration 0040), which applies the
    scope once and counts a shared resource's granted items only."""
    return [ResourceRow(*r) for r in session.execute(
        text("SELECT id, code, name, category, provider, region, grade, sharing_type, "
             "update_cycle, status, item_count, updated_at FROM govdesk_catalog_rows(:ids)"),
        {"ids": ids})]


def _json(conditions: dict[str, Any]) -> str:
    return json.dumps(conditions, ensure_ascii=False)
