"""The plain values of the effective-access matrix (never ORM objects).

A *cell* is one organisation × one resource: what that organisation's users read of the
resource under the database's rules (row-level security on PostgreSQL, the service kernel on
SQLite): every data item (``allowed``), some (``partial``) or nothing (``denied``), with one
short reason code (:data:`govdesk.vocab.ACCESS_REASON`). An *explanation* gives every reason
of one cell: each grant that covers the organisation (named or by scope) with its state and
dates, the rules of the catalogue and the grades, and per data item allowed or denied and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govdesk import vocab

from govdesk.sharing.dto import GrantScope


@dataclass(frozen=True)
class MatrixFilter:
    """Which cells to show. Resource side: ``region`` (a region-code prefix, e.g. ``3301``),
    ``grade`` (grade code), ``category`` (category code, its sub-categories included),
    ``resource_code`` (a code prefix; with ``exact_code`` the one code). Organisation side:
    ``org_code`` (one organisation), ``org_region`` (region-code prefix), ``org_kind``
    (:data:`govdesk.vocab.ORG_KIND`); ``own_org``: the caller's own organisation alone (what it
    can read, also from other regions)."""

    region: str | None = None
    grade: str | None = None
    category: str | None = None
    resource_code: str | None = None
    exact_code: bool = False
    org_code: str | None = None
    org_region: str | None = None
    org_kind: str | None = None
    own_org: bool = False


@dataclass(frozen=True)
class MatrixPage:
    """A page of resources by code: those after ``after`` (exclusive), at most ``limit``."""

    after: str | None = None
    limit: int = 50


@dataclass(frozen=True)
class OrgColumn:
    """An organisation of the matrix."""

    id: int
    code: str
    name: str
    kind: str
    region_code: str
    region_level: int
    is_active: bool


@dataclass(frozen=True)
class ResourceRow:
    """A resource of the matrix (its catalogue facts that the verdicts depend on)."""

    id: int
    code: str
    name: str
    region_code: str
    status: str
    sharing_type: str
    grade_id: int | None
    grade_code: str | None
    grade_name: str | None
    category_code: str | None


@dataclass(frozen=True)
class Cell:
    """One organisation × one resource (the organisation is the column it stands in: cells
    that say the same are one object). ``items_readable`` of ``items_total`` data items;
    ``grant_ids`` the grants in force that give it (none for ``own_region``); ``until`` the
    last day of the longest of them (None: no end, or not by grant); ``since`` the first day
    of a scheduled grant, ``ended`` the day an expired, revoked or released one ended."""

    verdict: str
    reason: str
    items_readable: int
    items_total: int
    grant_ids: tuple[int, ...] = ()
    until: dt.date | None = None
    since: dt.date | None = None
    ended: dt.date | None = None


@dataclass(frozen=True)
class MatrixRow:
    """A resource and its cells, in the order of :attr:`AccessMatrix.orgs`."""

    resource: ResourceRow
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class AccessMatrix:
    """A page of the matrix: resources (rows) × organisations (columns), judged on ``day``
    (the grant day). ``next_after``: the key of the next page, None on the last."""

    day: dt.date
    orgs: tuple[OrgColumn, ...]
    rows: tuple[MatrixRow, ...]
    next_after: str | None
    filter: MatrixFilter


@dataclass(frozen=True)
class GrantReason:
    """A grant that covers the organisation of a cell, and what it does there: ``state``
    (:data:`govdesk.vocab.GRANT_STATE`), ``how`` it covers it (``named`` or ``scope``), whether
    it is ``in_force``, the item ids it gives (None: all), ``ended`` the day it was revoked or
    released; ``blocked`` (:data:`govdesk.vocab.ACCESS_REASON`): why a grant in force does not
    apply now (``not_shared``, ``unpublished``: its resource is no longer shared), else None."""

    id: int
    state: str
    how: str
    grantee_name: str | None
    scope: GrantScope | None
    scope_region_name: str | None
    sharing_type: str
    in_force: bool
    valid_from: dt.date | None
    valid_until: dt.date | None
    ended: dt.date | None
    items: tuple[int, ...] | None
    reason: str | None
    blocked: str | None = None


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue or the grades that bears on a cell (``code`` from
    :data:`govdesk.vocab.ACCESS_REASON`), with what it names (a grade, a region)."""

    code: str
    detail: str = ""


def rule_detail(rule: Rule, lang: str = "zh") -> str:
    """What ``rule`` names as a person reads it in ``lang`` ("zh"/"en"): a status's label
    rather than its code; region and grade names as they are."""
    if rule.code == "unpublished":
        return vocab.WORKFLOW_STATUS.label(rule.detail, lang)
    return rule.detail


@dataclass(frozen=True)
class ItemAccess:
    """One data item of a cell: allowed or denied, why, by which grants, its effective grade."""

    id: int
    seq: int
    name: str
    grade_name: str | None
    verdict: str
    reason: str
    grant_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CellExplanation:
    """Every reason of one cell: the cell, the organisation and resource, the grants covering
    the organisation (in force first), the rules that apply, and each data item."""

    cell: Cell
    org: OrgColumn
    resource: ResourceRow
    grants: tuple[GrantReason, ...]
    rules: tuple[Rule, ...]
    items: tuple[ItemAccess, ...]
    day: dt.date
