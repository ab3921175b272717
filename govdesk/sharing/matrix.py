"""The effective-access matrix (共享访问矩阵): organisations × resources, every cell allowed,
partly allowed or denied with its reason, and one cell explained down to its data items.

**Shape.** Rows are resources, paged by code (keyset: ``MatrixPage.after``), since a province
holds 10^5 of them; columns are organisations (about 150 in a province, narrowed by code,
region or kind). A resource's row is "who can read it" (:func:`who_can_read`); an
organisation's column is "what it can read" (:func:`what_org_can_read`): both are the matrix
filtered, not other computations.

**Who sees what** (data and security administrators; others are refused):

- their own region's resources (the providing side: the caller's region and below) × every
  organisation: who may read the resources they are responsible for;
- their own organisation × every resource granted to it from other regions, in any state
  (in force, scheduled, pending, expired, revoked, …), besides their region's: what their
  organisation may read, and why not. This part appears when the organisation filter selects
  the caller's own organisation only.

Nothing else: a cell of another organisation × a resource of another region is not the
caller's to know (explaining one is refused as "not found", like any resource out of scope).
On PostgreSQL every fact is read under the caller's own row-level security, and what it hides
of resources granted to the caller's organisation through the definer functions of migration
0031; the verdicts are computed by :mod:`govdesk.sharing.access`, which states the rule of the
database's policies (``tests/test_access_matrix_pg.py`` checks them against real logins).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Organisation, Region
from govdesk.db.models.sharing import grant_day
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity, region_prefix
from govdesk.security.kernel import ResourceNotFound, Scope, scope_prefix, service, under_rls
from govdesk.security.roles import Op
from govdesk.sharing import access, access_facts as facts
from govdesk.sharing.access_dto import (
    AccessMatrix,
    CellExplanation,
    MatrixFilter,
    MatrixPage,
    MatrixRow,
    OrgColumn,
    ResourceRow,
)
from govdesk.sharing.policy import grade_rules

WHY = ("the matrix shows the caller's own region's resources and what is granted to the "
       "caller's own organisation (govdesk.sharing.matrix); PostgreSQL's row-level security "
       "and the definer functions of 0031 apply beneath")

#: the most resources one page holds
MAX_PAGE = 500


def _own_view(who: Identity, orgs: Sequence[OrgColumn]) -> bool:
    """Whether the organisation side is the caller's own organisation alone."""
    return who.organisation_id is not None and [o.id for o in orgs] == [who.organisation_id]


def _page_rows(s: Session, who: Identity, f: MatrixFilter, page: MatrixPage, own: bool,
               ) -> tuple[list[ResourceRow], str | None]:
    """The page's resources and the key of the next page."""
    limit = max(1, min(MAX_PAGE, page.limit))
    prefix = scope_prefix(who)
    rows = facts.region_page(s, prefix, f, page.after, limit + 1)
    if own and who.organisation_id is not None:
        local = {r.id for r in rows}
        extra = [r for r in facts.resources_by_id(s, facts.granted_ids(s, who.organisation_id))
                 if r.id not in local and not r.region_code.startswith(prefix)
                 and facts.matches(r, f) and (page.after is None or r.code > page.after)]
        rows = sorted(rows + extra, key=lambda r: r.code)[:limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].code if more and rows else None


def _judged(s: Session, who: Identity, orgs: Sequence[OrgColumn], rows: Sequence[ResourceRow],
            ) -> list[MatrixRow]:
    items = facts.items_of(s, rows)
    grants = facts.grants_on(s, [r.id for r in rows])
    grades = grade_rules(s)
    day = grant_day()
    prefixes = [region_prefix(o.region_code) for o in orgs]
    return [MatrixRow(r, access.judge_row(orgs, prefixes, r, items[r.id], grants[r.id], grades,
                                          day)) for r in rows]


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def access_matrix(db: Database, who: Identity, matrix_filter: MatrixFilter = MatrixFilter(),
                  page: MatrixPage = MatrixPage()) -> AccessMatrix:
    """A page of the matrix: the resources ``matrix_filter`` selects among those the caller
    sees here (their region's, and with their own organisation alone also what is granted to
    it), after ``page.after`` by code, × the organisations it selects. An organisation code
    that matches nothing is refused (``matrix_org_unknown``)."""
    f = matrix_filter
    with db.session() as s:
        orgs = facts.organisations(s, f)
        if f.own_org:
            orgs = [o for o in orgs if o.id == who.organisation_id]
        if f.org_code and not orgs:
            raise InputRejected("matrix_org_unknown", org=f.org_code)
        rows, after = _page_rows(s, who, f, page, _own_view(who, orgs))
        return AccessMatrix(grant_day(), tuple(orgs), tuple(_judged(s, who, orgs, rows)), after, f)


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def who_can_read(db: Database, who: Identity, code: str,
                 matrix_filter: MatrixFilter = MatrixFilter()) -> MatrixRow:
    """The row of the resource ``code``: every organisation ``matrix_filter`` selects, and
    whether and why it may read the resource. ResourceNotFound when the resource is not one the
    caller sees in the matrix."""
    import dataclasses

    f = dataclasses.replace(matrix_filter, resource_code=code.strip(), exact_code=True)
    found = access_matrix(db, who, f, MatrixPage(limit=1))
    if not found.rows:
        raise ResourceNotFound(code)
    return found.rows[0]


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def what_org_can_read(db: Database, who: Identity, org_code: str,
                      matrix_filter: MatrixFilter = MatrixFilter(),
                      page: MatrixPage = MatrixPage()) -> AccessMatrix:
    """The column of the organisation ``org_code``: a page of resources (the caller's region's;
    for the caller's own organisation also those granted to it) and whether and why it may read
    each."""
    import dataclasses

    f = dataclasses.replace(matrix_filter, org_code=org_code.strip(), org_region=None,
                            org_kind=None)
    return access_matrix(db, who, f, page)


def _org(s: Session, org_id: int | str) -> OrgColumn:
    key = (Organisation.id == org_id if isinstance(org_id, int)
           else Organisation.code == str(org_id).strip())
    row = s.execute(select(Organisation.id, Organisation.code, Organisation.name,
                           Organisation.kind, Organisation.region_code, Region.level,
                           Organisation.is_active)
                    .join(Region, Region.code == Organisation.region_code).where(key)).first()
    if row is None:
        raise InputRejected("matrix_org_unknown", org=org_id)
    return OrgColumn(*row)


def _resource(s: Session, who: Identity, org: OrgColumn, code: str) -> ResourceRow:
    """The resource ``code`` if the caller may see this cell of it; ResourceNotFound else."""
    code = code.strip()
    mine = facts.region_page(s, scope_prefix(who), MatrixFilter(resource_code=code,
                                                               exact_code=True), None, 1)
    if mine:
        return mine[0]
    rls = under_rls(s)
    rid = None if rls else s.scalar(select(DataResource.id).where(DataResource.code == code))
    if rid is None and rls:  # another region's: the published catalogue
        rid = s.scalar(text("SELECT id FROM govdesk_grant_resource(:c)"), {"c": code})
    own = who.organisation_id is not None and org.id == who.organisation_id
    if rid is None and own:
        rid = next((r.id for r in facts.resources_by_id(s, facts.granted_ids(s, org.id))
                    if r.code == code), None)
    rows = facts.resources_by_id(s, [rid]) if rid is not None else []
    if not rows:
        raise ResourceNotFound(code)
    row = rows[0]
    if row.region_code.startswith(scope_prefix(who)):
        return row
    if own and (row.status == "published" or row.id in facts.granted_ids(s, org.id)):
        return row  # what a request may ask for, or what is granted (0031's rule)
    raise ResourceNotFound(code)


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY)
def explain_cell(db: Database, who: Identity, org_id: int | str, code: str) -> CellExplanation:
    """Every reason of the cell organisation ``org_id`` (its id, or its code) × the resource
    with code ``code``
    (not ``resource_code``: the kernel's check of a named resource is the read scope, and this
    cell may be of a resource granted to the caller's organisation but no longer in force): the
    grants covering the organisation (named or by scope, with state and dates), the rules of
    the catalogue and the grades, and each data item allowed or denied and why. The cell must
    be one the caller sees in the matrix (their region's resource, or their own organisation);
    ResourceNotFound otherwise."""
    with db.session() as s:
        org = _org(s, org_id)
        row = _resource(s, who, org, code)
        items = facts.items_of(s, [row])[row.id]
        covering = [g for g in facts.grants_on(s, [row.id])[row.id] if access.covers(g, org)]
        grades = grade_rules(s)
        day = grant_day()
        names = dict(s.execute(select(Organisation.id, Organisation.name).where(
            Organisation.id.in_({g.grantee_org_id for g in covering if g.grantee_org_id}))).all())
        prefixes = {g.scope.region_prefix.ljust(12, "0") for g in covering if g.scope}
        regions = dict(s.execute(select(Region.code, Region.name)
                                 .where(Region.code.in_(prefixes))).all()) if prefixes else {}
        org_region = s.scalar(select(Region.name).where(Region.code == org.region_code)) or ""
        return CellExplanation(
            access.judge(org, row, items, covering, grades, day), org, row,
            access.grant_reasons(org, covering, day, names, regions, row),
            access.rules(org, row, grades, org_region), access.item_access(org, row, items, covering,
                                                                 grades, day), day)
