"""The verdict of one organisation × one resource, computed from plain facts (no database).

This is the rule PostgreSQL's row-level security applies to an organisation's users, written
once more in Python so the matrix can judge 150 organisations × a page of resources in one pass
(``tests/test_access_matrix_pg.py`` checks it against what real logins read):

1. **Own region** (``resources_read``: ``region_code LIKE prefix || '%'``): a resource of the
   organisation's region or below is read whole, grants or not. The organisation's region
   stands for its users' (an account whose region differs reads by its own).
2. **A grant in force** (``govdesk_shared_resource_ids()``): status ``approved``, the grant
   day within ``valid_from``..``valid_until``, naming the organisation or covering it by scope
   (region prefix, kind, region level) at the time of the read. The resource row is readable;
   its data items are those the grants give (all, or the listed ones) whose effective grade
   (the item's, else the resource's; ungraded: not held back) allows the grant's sharing type
   (``govdesk_shared_item_ids()``). All items: ``allowed``; some: ``partial`` (``some_items``);
   none: ``partial`` (``metadata_only``: the catalogue entry without a data item). A grant
   gives all this only while its resource is published and not 不予共享, judged at the time of
   the read (migration 0034): else the cell is ``denied`` with ``unpublished`` or
   ``not_shared`` and the explanation names the grant as not applying now (``blocked``).
3. Otherwise **denied**, with the most telling reason: 不予共享, then the grants that cover
   the organisation but are not in force (scheduled, pending, expired, revoked, released,
   rejected, lapsed, in that order), then the grade forbidding the resource's sharing type,
   an unpublished resource, and last no grant at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from govdesk.security.identity import region_prefix
from govdesk.sharing.access_dto import Cell, GrantReason, ItemAccess, OrgColumn, ResourceRow, Rule
from govdesk.sharing.dto import GrantScope
from govdesk.sharing.policy import GradeRule
from govdesk.sharing.states import PENDING, state_of

#: reasons of a denied cell from the grants that cover it, most telling first
STATE_REASONS = ("scheduled", "pending", "expired", "revoked", "released", "rejected", "lapsed")


@dataclass(frozen=True)
class ItemFact:
    """A data item with its effective grade id (the item's, else the resource's)."""

    id: int
    resource_id: int
    seq: int
    name: str
    grade_id: int | None


@dataclass(frozen=True)
class GrantFact:
    """A grant as the verdicts need it. ``listed``: the item ids of a grant of chosen items;
    ``excluded``: the names of the items left out for their grade when it was asked for."""

    id: int
    resource_id: int
    grantee_org_id: int | None
    scope: GrantScope | None
    sharing_type: str
    all_items: bool
    status: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    ended_at: dt.date | None
    reason: str | None
    listed: frozenset[int]
    excluded: frozenset[str]


def covers(grant: GrantFact, org: OrgColumn) -> str | None:
    """How ``grant`` covers ``org``: ``named``, ``scope``, or None."""
    if grant.grantee_org_id is not None:
        return "named" if grant.grantee_org_id == org.id else None
    scope = grant.scope
    if scope is None or not org.region_code.startswith(scope.region_prefix):
        return None
    if scope.org_kind is not None and scope.org_kind != org.kind:
        return None
    if scope.org_level is not None and scope.org_level != org.region_level:
        return None
    return "scope"


def own_region(org: OrgColumn, resource: ResourceRow) -> bool:
    """Whether ``resource`` lies in ``org``'s region or below (read whole by its users)."""
    return resource.region_code.startswith(region_prefix(org.region_code))


def grade_allows(grades: Mapping[int, GradeRule], grade_id: int | None, sharing_type: str) -> bool:
    """Whether the grade ``grade_id`` allows ``sharing_type`` (an ungraded item: yes)."""
    grade = grades.get(grade_id) if grade_id is not None else None
    return grade is None or grade.allows(sharing_type)


def grant_state(g: GrantFact, day: dt.date) -> str:
    """The grant's state (:data:`govdesk.vocab.GRANT_STATE`) on ``day``."""
    return state_of(g.status, g.valid_from, g.valid_until, day)


def blocked(resource: ResourceRow) -> str | None:
    """Why a grant in force on ``resource`` gives nothing now (``not_shared``: 不予共享,
    ``unpublished``), or None: the rule of ``govdesk_shared_resource_ids()`` (0034)."""
    if resource.sharing_type == "none":
        return "not_shared"
    if resource.status != "published":
        return "unpublished"
    return None


def _gives(g: GrantFact, item: ItemFact) -> bool:
    return g.all_items or item.id in g.listed


def _state_reason(state: str) -> str:
    return "pending" if state in PENDING else state


def _denial(resource: ResourceRow, covering: Sequence[GrantFact], grades: Mapping[int, GradeRule],
            day: dt.date) -> tuple[str, GrantFact | None]:
    """The reason of a denied cell, and the grant it names (if any)."""
    if resource.sharing_type == "none":
        return "not_shared", None
    by_reason: dict[str, GrantFact] = {}
    for g in covering:
        by_reason.setdefault(_state_reason(grant_state(g, day)), g)
    for reason in STATE_REASONS:
        if reason in by_reason:
            return reason, by_reason[reason]
    if not grade_allows(grades, resource.grade_id, resource.sharing_type):
        return "grade_forbids", None
    if resource.status != "published":
        return "unpublished", None
    return "no_grant", None


def judge(org: OrgColumn, resource: ResourceRow, items: Sequence[ItemFact], grants: Iterable[GrantFact], grades: Mapping[int, GradeRule],
          day: dt.date) -> Cell:
    """The cell of ``org`` × ``resource`` (with its ``items`` and the ``grants`` on it)."""
    total = len(items)
    if own_region(org, resource):
        return Cell("allowed", "own_region", total, total)
    covering = [g for g in grants if covers(g, org)]
    live = [g for g in covering if grant_state(g, day) == "active"]
    if not live:
        reason, named = _denial(resource, covering, grades, day)
        return Cell("denied", reason, 0, total,
                    since=named.valid_from if named and reason == "scheduled" else None,
                    ended=_ended(named) if named else None)
    if (why := blocked(resource)) is not None:
        return Cell("denied", why, 0, total)
    readable = sum(1 for i in items if any(
        _gives(g, i) and grade_allows(grades, i.grade_id, g.sharing_type) for g in live))
    ends = [g.valid_until for g in live]
    until = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    ids = tuple(sorted(g.id for g in live))
    if readable == total:
        return Cell("allowed", "granted", readable, total, ids, until)
    return Cell("partial", "some_items" if readable else "metadata_only", readable, total,
                ids, until)


def judge_row(orgs: Sequence[OrgColumn], prefixes: Sequence[str], resource: ResourceRow,
              items: Sequence[ItemFact], grants: Sequence[GrantFact],
              grades: Mapping[int, GradeRule], day: dt.date) -> tuple[Cell, ...]:
    """:func:`judge` for every one of ``orgs`` (``prefixes``: their regions' prefixes, from
    :func:`region_prefix`), the resource's own reasons computed once: most cells are "own
    region" or "no grant" and need no look at the grants."""
    total = len(items)
    mine = Cell("allowed", "own_region", total, total)
    default: Cell | None = None
    out = []
    for org, prefix in zip(orgs, prefixes):
        if resource.region_code.startswith(prefix):
            out.append(mine)
        elif grants and any(covers(g, org) for g in grants):
            out.append(judge(org, resource, items, grants, grades, day))
        else:
            if default is None:
                default = Cell("denied", _denial(resource, (), grades, day)[0], 0, total)
            out.append(default)
    return tuple(out)


def _ended(g: GrantFact) -> dt.date | None:
    if g.status == "approved":
        return g.valid_until
    return g.ended_at


def item_access(org: OrgColumn, resource: ResourceRow, items: Sequence[ItemFact],
                covering: Sequence[GrantFact], grades: Mapping[int, GradeRule], day: dt.date,
                ) -> tuple[ItemAccess, ...]:
    """Each data item of the cell, allowed or denied and why."""
    mine = own_region(org, resource)
    live = [g for g in covering if grant_state(g, day) == "active"]
    why = blocked(resource)
    out = []
    for i in items:
        grade = grades.get(i.grade_id) if i.grade_id is not None else None
        name = grade.name if grade else None
        if mine:
            out.append(ItemAccess(i.id, i.seq, i.name, name, "allowed", "own_region"))
            continue
        giving = [g for g in live if _gives(g, i)]
        if live and why is not None:
            out.append(ItemAccess(i.id, i.seq, i.name, name, "denied", why,
                                  tuple(g.id for g in giving)))
            continue
        allowing = tuple(g.id for g in giving if grade_allows(grades, i.grade_id, g.sharing_type))
        if allowing:
            out.append(ItemAccess(i.id, i.seq, i.name, name, "allowed", "granted", allowing))
        elif giving:
            out.append(ItemAccess(i.id, i.seq, i.name, name, "denied", "grade_forbids",
                                  tuple(g.id for g in giving)))
        elif excluded := tuple(g.id for g in live if i.name in g.excluded):
            out.append(ItemAccess(i.id, i.seq, i.name, name, "denied", "excluded", excluded))
        elif live:
            out.append(ItemAccess(i.id, i.seq, i.name, name, "denied", "not_granted"))
        else:
            cell = _denial(resource, covering, grades, day)[0]
            out.append(ItemAccess(i.id, i.seq, i.name, name, "denied", cell))
    return tuple(out)


def rules(org: OrgColumn, resource: ResourceRow, grades: Mapping[int, GradeRule],
          org_region_name: str = "") -> tuple[Rule, ...]:
    """The catalogue's and the grades' rules that bear on the cell, whatever the grants. Their
    details: the organisation's region by name (``org_region_name``, else its code), a grade's
    name, a workflow status's code (:func:`govdesk.sharing.access_dto.rule_detail` words it)."""
    found = []
    if own_region(org, resource):
        found.append(Rule("own_region", org_region_name or org.region_code))
    if resource.sharing_type == "none":
        found.append(Rule("not_shared"))
    grade = grades.get(resource.grade_id) if resource.grade_id is not None else None
    if grade is not None and not grade.allows(resource.sharing_type):
        found.append(Rule("grade_forbids", grade.name))
    if resource.status != "published":
        found.append(Rule("unpublished", resource.status))
    return tuple(found)


def grant_reasons(org: OrgColumn, covering: Sequence[GrantFact], day: dt.date,
                  org_names: Mapping[int, str], region_names: Mapping[str, str],
                  resource: ResourceRow | None = None) -> tuple[GrantReason, ...]:
    """The grants covering ``org``, those in force first, then by state and newest first; of
    ``resource`` (when given, outside ``org``'s region) unpublished or 不予共享, a grant in
    force is marked ``blocked`` with that reason: it does not apply now."""
    order = {r: n for n, r in enumerate(("active", *STATE_REASONS))}
    why = blocked(resource) if resource and not own_region(org, resource) else None
    out = []
    for g in covering:
        state = grant_state(g, day)
        scope = g.scope
        out.append(GrantReason(
            g.id, state, covers(g, org) or "named",
            org_names.get(g.grantee_org_id) if g.grantee_org_id is not None else None,
            scope, region_names.get(scope.region_prefix.ljust(12, "0")) if scope else None,
            g.sharing_type, state == "active", g.valid_from, g.valid_until,
            g.ended_at if g.status in ("revoked", "released") else None,
            None if g.all_items else tuple(sorted(g.listed)), g.reason,
            why if state == "active" else None))
    return tuple(sorted(out, key=lambda r: (order.get(_state_reason(r.state), 99), -r.id)))
