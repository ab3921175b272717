"""The organisations directory: list, add, edit, deactivate and reactivate.

Organisations are the providers of resources (federations at every level, and the education,
civil-affairs, HRSS and health departments) and the organisations of users and shares. The
system administrator keeps the directory (:attr:`Op.ORGS_MANAGE`; on PostgreSQL the grants of
migration 0023 say the same); every role that reads the catalogue may list it. An organisation
is never deleted: one that is no longer needed is deactivated, keeps naming the provider of its
resources, and is no longer offered for new ones.

Every problem of an organisation is reported at once with where it is
(:class:`LocatedProblems`); a write is all-or-nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.catalog.messages import LocatedProblems, Problem
from govdesk.changes import ORGANISATIONS, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import Organisation, Region
from govdesk.errors import ConflictError, InputRejected
from govdesk.messages import Text
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
NAME_MAX = 200

#: the columns of an organisation, as the directory's problems and the workbook name them
COLUMNS: dict[str, tuple[str, str]] = {
    "code": ("组织机构代码", "Organisation code"),
    "name": ("名称", "Name"),
    "kind": ("类型", "Kind"),
    "region": ("行政区划代码", "Region code"),
    "parent": ("上级机构代码", "Parent organisation code"),
    "active": ("启用", "Active"),
}

_WHY_ALL = "the directory is one for the whole database: every region's providers are listed"


@dataclass(frozen=True)
class OrgInfo:
    """One organisation as the directory shows it."""

    id: int
    code: str
    name: str
    kind: str  #: a code of :data:`govdesk.vocab.ORG_KIND`
    region_code: str
    region_name: str
    parent_id: int | None
    parent_code: str | None
    is_active: bool
    version: int


@dataclass(frozen=True)
class OrgDraft:
    """What a person gives for an organisation: ``kind`` as a code or either label, ``region``
    as a 2- to 12-digit code, ``parent`` as an organisation code (empty: none)."""

    code: str
    name: str
    kind: str = "federation"
    region: str = ""
    parent: str = ""


def region_code_of(text: str) -> str:
    """A region code as stored: digits padded to 12 with zeros ("33" -> "330000000000")."""
    digits = text.strip()
    return digits.ljust(12, "0") if digits.isdigit() and len(digits) <= 12 else digits


def _column(key: str) -> dict[str, object]:
    """The ``column`` parameter of a problem: the column's name in both languages."""
    return {"column": Text(*COLUMNS[key])}


def draft_problems(d: OrgDraft, regions: Iterable[str], orgs: Mapping[str, object]) -> list[Problem]:
    """Every problem of ``d`` on its own: ``regions`` holds the region codes that exist (at
    least ``d``'s if it does), ``orgs`` has as keys the codes of the organisations that exist or
    will (a parent must be one of them). A cycle longer than "its own parent" is the caller's to
    find, who knows the whole tree."""
    problems: list[Problem] = []
    for key, value, limit in (("code", d.code, 32), ("name", d.name, NAME_MAX)):
        text = value.strip()
        if not text:
            problems.append(Problem("org_required", key, params=_column(key)))
        elif len(text) > limit:
            problems.append(Problem("org_too_long", key, text, params={
                **_column(key), "length": len(text), "max": limit}))
    code = d.code.strip()
    if code and len(code) <= 32 and not CODE.match(code):
        problems.append(Problem("org_bad_code", "code", code))
    if vocab.ORG_KIND.lookup(d.kind or "") is None:
        problems.append(Problem("org_bad_kind", "kind", d.kind, params={
            "allowed": vocab.ORG_KIND.choices()}))
    if not d.region.strip():
        problems.append(Problem("org_required", "region", params=_column("region")))
    elif region_code_of(d.region) not in regions:
        problems.append(Problem("org_bad_region", "region", d.region.strip()))
    parent = d.parent.strip()
    if parent and parent == code:
        problems.append(Problem("org_parent_cycle", "parent", parent))
    elif parent and parent not in orgs:
        problems.append(Problem("org_bad_parent", "parent", parent))
    return problems


def info_rows(s: Session, where: object = None) -> list[OrgInfo]:
    """The organisations (all, or those ``where`` selects) as :class:`OrgInfo`, by code."""
    parent = Organisation.__table__.alias("parent_org")
    stmt = (select(Organisation.id, Organisation.code, Organisation.name, Organisation.kind,
                   Organisation.region_code, Region.name, Organisation.parent_id, parent.c.code,
                   Organisation.is_active, Organisation.version)
            .join(Region, Region.code == Organisation.region_code)
            .outerjoin(parent, parent.c.id == Organisation.parent_id)
            .order_by(Organisation.region_code, Organisation.kind, Organisation.code))
    if where is not None:
        stmt = stmt.where(where)  # type: ignore[arg-type]
    return [OrgInfo(*row) for row in s.execute(stmt).all()]


def creates_cycle(s: Session, org_id: int, parent_id: int | None) -> bool:
    """True when making ``parent_id`` the parent of ``org_id`` would put it under itself."""
    seen: set[int] = set()
    current = parent_id
    while current is not None and current not in seen:
        if current == org_id:
            return True
        seen.add(current)
        current = s.scalar(select(Organisation.parent_id).where(Organisation.id == current))
    return False


@service(Op.ORGS_MANAGE, Op.CATALOG_READ, Op.AUDIT_READ, owner=True, scope=Scope.NONE,
         why=_WHY_ALL)
def list_organisations(db: Database, who: Identity, *, active_only: bool = False,
                       text: str = "") -> list[OrgInfo]:
    """The organisations, by region, kind and code; ``active_only`` leaves out deactivated ones,
    ``text`` keeps those whose code or name contains it."""
    with db.session() as s:
        rows = info_rows(s, Organisation.is_active.is_(True) if active_only else None)
    needle = text.strip().lower()
    if needle:
        rows = [o for o in rows if needle in o.code.lower() or needle in o.name.lower()]
    return rows


def _checked(s: Session, d: OrgDraft, own_code: str | None = None) -> tuple[str, int | None]:
    """(kind code, parent id) of a valid draft; raises LocatedProblems listing every problem."""
    codes = dict(s.execute(select(Organisation.code, Organisation.id)).all())
    regions = frozenset(s.scalars(select(Region.code).where(
        Region.code == region_code_of(d.region))))
    problems = draft_problems(d, regions, codes)
    code = d.code.strip()
    if code != own_code and code in codes:
        name = s.scalar(select(Organisation.name).where(Organisation.code == code))
        raise ConflictError("org_code_exists", code=code, name=name)
    if problems:
        raise LocatedProblems([("", p) for p in problems])  # each message names its column
    kind = vocab.ORG_KIND.lookup(d.kind)
    assert kind is not None  # checked above
    return kind, codes.get(d.parent.strip()) if d.parent.strip() else None


@service(Op.ORGS_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=_WHY_ALL)
def add_organisation(db: Database, who: Identity, draft: OrgDraft) -> OrgInfo:
    """Add an organisation (active). Raises LocatedProblems (every problem of ``draft``),
    ConflictError (its code is taken)."""
    with db.session() as s:
        kind, parent_id = _checked(s, draft)
        org = Organisation(code=draft.code.strip(), name=draft.name.strip(), kind=kind,
                           region_code=region_code_of(draft.region), parent_id=parent_id,
                           is_active=True)
        s.add(org)
        s.flush()
        announce.note(s, Changed.of(ORGANISATIONS, [org.id]))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="organisations",
                     object_id=org.code, detail={"action": "add", "name": org.name,
                                                 "kind": kind, "region": org.region_code})
        return info_rows(s, Organisation.id == org.id)[0]


def _load(s: Session, org_id: int, version: int | None) -> Organisation:
    org = s.get(Organisation, org_id)
    if org is None:
        raise InputRejected("org_missing", org=org_id)
    if version is not None and org.version != version:
        raise ConflictError("org_changed", code=org.code)
    return org


@service(Op.ORGS_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=_WHY_ALL)
def update_organisation(db: Database, who: Identity, org_id: int, draft: OrgDraft,
                        version: int | None = None) -> OrgInfo:
    """Change an organisation's code, name, kind, region or parent. ``version`` (as listed)
    guards against a change made meanwhile (ConflictError). Its resources keep it as their
    provider. Raises LocatedProblems, ConflictError, InputRejected (no such organisation)."""
    with db.session() as s:
        org = _load(s, org_id, version)
        kind, parent_id = _checked(s, draft, own_code=org.code)
        if parent_id is not None and creates_cycle(s, org.id, parent_id):
            raise LocatedProblems([("", Problem(
                "org_parent_cycle", "parent", draft.parent.strip()))])
        before = {"code": org.code, "name": org.name, "kind": org.kind,
                  "region": org.region_code, "parent": org.parent_id}
        org.code, org.name, org.kind = draft.code.strip(), draft.name.strip(), kind
        org.region_code, org.parent_id = region_code_of(draft.region), parent_id
        s.flush()
        announce.note(s, Changed.of(ORGANISATIONS, [org.id]))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="organisations",
                     object_id=org.code, detail={"action": "edit", "before": before})
        return info_rows(s, Organisation.id == org.id)[0]


@service(Op.ORGS_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=_WHY_ALL)
def set_organisation_active(db: Database, who: Identity, org_id: int, active: bool,
                            version: int | None = None) -> OrgInfo:
    """Deactivate (``active`` false) or reactivate an organisation. A deactivated one still
    provides its resources and is listed, but is not offered for new resources. Nothing is
    deleted."""
    with db.session() as s:
        org = _load(s, org_id, version)
        if org.is_active != active:
            org.is_active = active
            s.flush()
            announce.note(s, Changed.of(ORGANISATIONS, [org.id]))
            audit.record(s, who, EventType.DATA_CHANGE, object_type="organisations",
                         object_id=org.code,
                         detail={"action": "reactivate" if active else "deactivate"})
        return info_rows(s, Organisation.id == org.id)[0]
