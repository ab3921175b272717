"""Creating and changing catalogue resources: validation, resource codes, versions, conflicts.

Every save is one unit of work that validates the whole draft (nothing is written when any
blocking problem remains), assigns a resource code for a new resource (category code, "/",
next sequence number in that category), keeps 就高从严 (a resource is never graded below its
highest data item), writes a version snapshot, refreshes the search document and is audited.
A save based on a version that is no longer current raises :class:`EditConflict` carrying the
base, their and your versions, so the user chooses; nothing is silently overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.catalog.classification.grade_rule import strictest
from govdesk.catalog.editing.code_scope import codes_outside_scope, in_scope
from govdesk.catalog.editing.limits import limit_problems, storable
from govdesk.catalog.search.browse import _region_prefix
from govdesk.catalog.messages import Problem
from govdesk.catalog.search.index import reindex
from govdesk.changes import RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import (
    Category,
    DataItem,
    DataResource,
    Grade,
    GradeScheme,
    Organisation,
    Region,
    ResourceVersion,
)
from govdesk.errors import ConflictError, DuplicateKey, InputRejected
from govdesk.messages import DEFAULT_LANG
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import ResourceNotFound, Scope, scope_prefix, service
from govdesk.security.roles import Op, Role

CODE = re.compile(r"^(\d{1,20})/(\d{1,10})$")
RESOURCE_FIELDS = ("code", "name", "category_code", "provider_org_id", "region_code", "summary",
                   "format", "sharing_type", "sharing_condition", "sharing_basis",
                   "sharing_method", "open_type", "open_condition", "update_cycle",
                   "publish_date", "related_codes", "grade_code")
ITEM_FIELDS = ("name", "data_type", "length", "description", "grade_code", "is_authoritative",
               "standard_code")


@dataclass(frozen=True)
class ItemDraft:
    """A data item as the editor or an import has it."""

    name: str
    data_type: str
    #: a positive whole number; an import keeps a cell's text here so that validation can
    #: report it ("bad_length") with the rest
    length: int | str | None = None
    description: str | None = None
    grade_code: str | None = None
    is_authoritative: bool = False
    standard_code: str | None = None


@dataclass(frozen=True)
class ResourceDraft:
    """Every editable field of a resource. ``code`` empty = assign one on first save."""

    name: str
    category_code: str
    provider_org_id: int
    region_code: str
    format: str
    sharing_type: str
    open_type: str
    update_cycle: str
    summary: str = ""
    code: str = ""
    sharing_condition: str | None = None
    sharing_basis: str | None = None
    sharing_method: str | None = None
    open_condition: str | None = None
    publish_date: dt.date | None = None
    related_codes: tuple[str, ...] = ()
    grade_code: str | None = None
    items: tuple[ItemDraft, ...] = field(default=())

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (items as a list of dicts)."""
        data = {k: getattr(self, k) for k in RESOURCE_FIELDS}
        data["publish_date"] = self.publish_date.isoformat() if self.publish_date else None
        data["related_codes"] = list(self.related_codes)
        data["items"] = [{k: getattr(i, k) for k in ITEM_FIELDS} for i in self.items]
        return data

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> ResourceDraft:
        values: dict[str, Any] = {k: data.get(k) for k in RESOURCE_FIELDS}
        values["publish_date"] = (dt.date.fromisoformat(data["publish_date"])
                                  if data.get("publish_date") else None)
        values["related_codes"] = tuple(data.get("related_codes") or ())
        values["summary"] = data.get("summary") or ""
        values["code"] = data.get("code") or ""
        return cls(**values, items=tuple(ItemDraft(**i) for i in data.get("items", [])))


@dataclass(frozen=True)
class SaveResult:
    resource_id: int
    code: str
    version: int
    notices: tuple[Problem, ...] = ()


class ValidationFailed(InputRejected):
    """The draft has blocking problems; nothing was written. The message lists them, in the
    language it is rendered in."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("draft_invalid")
        self.problems = problems

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return "; ".join(p.text(lang) for p in self.problems if p.blocking)

    def json_params(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {"problems": [p.to_json(lang) for p in self.problems if p.blocking]}


class EditConflict(ConflictError):
    """Someone saved the resource after the version this edit started from."""

    def __init__(self, base: dict[str, Any] | None, theirs: dict[str, Any],
                 yours: dict[str, Any], their_version: int, saved_by: str) -> None:
        self.base, self.theirs, self.yours = base, theirs, yours
        self.their_version = their_version
        self.saved_by = saved_by
        super().__init__("edit_conflict", saved_by=saved_by, version=their_version)


# -- validation -------------------------------------------------------------------------
@dataclass(frozen=True)
class Lookups:
    """Reference data validation needs, loaded once per unit of work (an import validates
    thousands of drafts against it without a query per row)."""

    categories: dict[str, int]
    organisations: dict[int, str]
    organisation_ids: dict[str, int]
    regions: frozenset[str]
    resource_codes: dict[str, int]
    grades: dict[str, tuple[int, int]]
    #: deactivated organisations: they provide their resources still, but no new one
    inactive_organisations: frozenset[int] = frozenset()

    @classmethod
    def load(cls, session: Session, codes: Iterable[str] | None = None) -> Lookups:
        """Load the reference data; ``codes`` limits the resource codes looked up (a single
        save needs only its related codes, not every code of a 100,000-resource catalogue)."""
        orgs = dict(session.execute(select(Organisation.id, Organisation.code)).all())
        inactive = frozenset(session.scalars(select(Organisation.id).where(
            Organisation.is_active.is_(False))))
        code_query = select(DataResource.code, DataResource.id)
        if codes is not None:  # a code PostgreSQL could not even be asked about names nothing
            code_query = code_query.where(DataResource.code.in_(
                [c for c in codes if storable(c)]))
        return cls(
            categories=dict(session.execute(select(Category.code, Category.id)).all()),
            organisations=orgs, organisation_ids={code: oid for oid, code in orgs.items()},
            regions=frozenset(session.scalars(select(Region.code))),
            resource_codes=dict(session.execute(code_query).all()),
            grades=_active_grades(session), inactive_organisations=inactive)


def _vocab_problem(field_name: str, value: str | None, v: vocab.Vocabulary,
                   required: bool = True, item: int | None = None) -> Problem | None:
    if value in (None, ""):
        return Problem("required", field_name, item=item) if required else None
    if value not in v.codes:
        return Problem("not_in_list", field_name, value, item,
                       {"allowed": "、".join(t.zh for t in v.terms)})
    return None


def validate(lookups: Lookups, who: Identity, d: ResourceDraft,
             extra_codes: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of ``d``: blocking ones, and notices such as a grade raised (就高从严).
    ``extra_codes`` are resource codes that will exist too (an import's new rows). Values the
    database could not store (too long for their column, a NUL character: see
    :mod:`govdesk.catalog.editing.limits`) are problems here, identically on both databases."""
    problems: list[Problem | None] = []
    if not d.name.strip():
        problems.append(Problem("required", "name"))
    problems += limit_problems(d)  # what the database cannot store, on SQLite too
    if d.code and not CODE.match(d.code):
        problems.append(Problem("bad_code", "code", d.code))
    if d.category_code not in lookups.categories:
        problems.append(Problem("unknown_category", "category", d.category_code))
    if d.provider_org_id not in lookups.organisations:
        problems.append(Problem("unknown_organisation", "provider", d.provider_org_id))
    elif d.provider_org_id in lookups.inactive_organisations and (
            not d.code or d.code not in lookups.resource_codes):  # a new resource
        problems.append(Problem("organisation_inactive", "provider",
                                lookups.organisations[d.provider_org_id]))
    if d.region_code not in lookups.regions:
        problems.append(Problem("unknown_region", "region", d.region_code))
    elif who.region_code and not d.region_code.startswith(_region_prefix(who.region_code)):
        problems.append(Problem("region_out_of_scope", "region", d.region_code))
    problems += [
        _vocab_problem("format", d.format, vocab.RESOURCE_FORMAT),
        _vocab_problem("sharing_type", d.sharing_type, vocab.SHARING_TYPE),
        _vocab_problem("sharing_method", d.sharing_method, vocab.SHARING_METHOD, required=False),
        _vocab_problem("open_type", d.open_type, vocab.OPEN_TYPE),
        _vocab_problem("update_cycle", d.update_cycle, vocab.UPDATE_CYCLE),
    ]
    if d.sharing_type == "none":
        if not (d.sharing_basis or "").strip():
            problems.append(Problem("basis_required", "sharing_type"))
        if d.open_type != "none":
            problems.append(Problem("not_shared_implies_not_open", "open_type"))
    if d.sharing_type == "conditional" and not (d.sharing_condition or "").strip():
        problems.append(Problem("conditions_required", "sharing_type"))
    if d.open_type == "conditional" and not (d.open_condition or "").strip():
        problems.append(Problem("open_conditions_required", "open_type"))
    for code in d.related_codes:
        if code not in lookups.resource_codes and code not in extra_codes:
            problems.append(Problem("unknown_related", "code", code))
    grades = lookups.grades
    if d.grade_code and d.grade_code not in grades:
        problems.append(Problem("unknown_grade", "grade", d.grade_code))
    if not d.items:
        problems.append(Problem("no_items", "item_name"))
    seen: set[str] = set()
    for n, item in enumerate(d.items, start=1):
        key = item.name.strip()
        if not key:
            problems.append(Problem("required", "item_name", item=n))
        elif key in seen:
            problems.append(Problem("duplicate_item", "item_name", key, n))
        seen.add(key)
        problems.append(_vocab_problem("data_type", item.data_type, vocab.DATA_TYPE, item=n))
        if item.length is not None and (not isinstance(item.length, int) or item.length <= 0):
            problems.append(Problem("bad_length", "length", item.length, n))
        if item.grade_code and item.grade_code not in grades:
            problems.append(Problem("unknown_grade", "grade", item.grade_code, n))
    return [p for p in problems if p is not None]


def _active_grades(session: Session) -> dict[str, tuple[int, int]]:
    """Active scheme's grades: code -> (id, rank)."""
    return {code: (gid, rank) for code, gid, rank in session.execute(
        select(Grade.code, Grade.id, Grade.rank).join(GradeScheme)
        .where(GradeScheme.is_active.is_(True)))}


def _raise_grade(d: ResourceDraft, grades: dict[str, tuple[int, int]]) -> tuple[ResourceDraft,
                                                                               Problem | None]:
    """就高从严 (:mod:`govdesk.catalog.classification.grade_rule`): ``d`` with its grade raised to its highest
    item's, and the notice saying so (None when the draft's grade stands)."""
    def known(code: str | None) -> str | None:
        return code if code in grades else None

    result = strictest(known(d.grade_code), ((i.name, known(i.grade_code)) for i in d.items),
                       lambda code: grades[code][1])
    if result.raised_by is None:
        return d, None
    return dataclasses.replace(d, grade_code=result.grade), Problem(
        "grade_raised", "grade", result.grade, params={"item": result.raised_by}, blocking=False)


def lowered_grades(r: Any, d: ResourceDraft,
                   grades: dict[str, tuple[int, int]]) -> list[Problem]:
    """Where saving ``d`` over ``r`` would lower a grade (of the resource, or of a data item
    kept by name): a data administrator only raises grades, lowering is a security
    administrator's re-grade. PostgreSQL refuses the same (migration 0014). A stored grade
    outside the active scheme is not compared."""
    stored = {gid: (code, rank) for code, (gid, rank) in grades.items()}

    def lowered(old_id: int | None, new_code: str | None) -> str | None:
        if old_id is None or old_id not in stored:
            return None
        new_rank = grades[new_code][1] if new_code in grades else None
        return stored[old_id][0] if new_rank is None or new_rank < stored[old_id][1] else None

    problems = []
    if (old := lowered(r.grade_id, d.grade_code)) is not None:
        problems.append(Problem("grade_lowered", "grade", d.grade_code or "—",
                                params={"what": r.name, "old": old}))
    kept = {i.name: i.grade_id for i in r.items}
    for n, item in enumerate(d.items, start=1):
        name = item.name.strip()
        if name in kept and (old := lowered(kept[name], item.grade_code)) is not None:
            problems.append(Problem("grade_lowered", "grade", item.grade_code or "—", n,
                                    {"what": name, "old": old}))
    return problems


# -- saving -------------------------------------------------------------------------------
def next_code(session: Session, category_code: str) -> str:
    """The next free resource code in a category: ``<category>/<sequence:06d>``, counted over
    every region's resources (a regional login asks the database, migration 0022, since
    row-level security hides the others; elsewhere the statement is left unscoped)."""
    from sqlalchemy import text

    from govdesk.security.kernel import under_rls, unscoped

    if under_rls(session):
        top = int(session.execute(text("SELECT govdesk_next_code_number(:c)"),
                                  {"c": category_code}).scalar_one())
        return f"{category_code}/{top + 1:06d}"
    codes = session.scalars(unscoped(select(DataResource.code).where(
        DataResource.code.like(f"{category_code}/%")),
        "a new code must be free in the whole catalogue, not only in the caller's area")).all()
    numbers = [int(m.group(2)) for c in codes if (m := CODE.match(c))
               and m.group(1) == category_code]
    return f"{category_code}/{max(numbers, default=0) + 1:06d}"


def snapshot_of(session: Session, r: DataResource) -> dict[str, Any]:
    """The current state of ``r`` in the draft's snapshot shape."""
    grade_codes = {gid: code for code, (gid, _rank) in _active_grades(session).items()}
    cat = session.get(Category, r.category_id)
    return draft_of(r, r.items, cat.code if cat else "", grade_codes).snapshot()


def draft_of(r: Any, items: Iterable[Any], category_code: str,
             grade_codes: dict[int, str]) -> ResourceDraft:
    """The draft a stored resource ``r`` and its ``items`` (ORM objects or rows with the same
    attributes, items in sequence order) amount to: what :func:`snapshot_of` gives, and what
    the bulk update compares a file's rows with."""
    return ResourceDraft(
        name=r.name, category_code=category_code, provider_org_id=r.provider_org_id,
        region_code=r.region_code, format=r.format, sharing_type=r.sharing_type,
        open_type=r.open_type, update_cycle=r.update_cycle, summary=r.summary, code=r.code,
        sharing_condition=r.sharing_condition, sharing_basis=r.sharing_basis,
        sharing_method=r.sharing_method, open_condition=r.open_condition,
        publish_date=r.publish_date,
        related_codes=tuple(c for c in (r.related_codes or "").split(";") if c),
        grade_code=grade_codes.get(r.grade_id) if r.grade_id else None,
        items=tuple(ItemDraft(i.name, i.data_type, i.length, i.description,
                              grade_codes.get(i.grade_id) if i.grade_id else None,
                              i.is_authoritative, i.standard_code) for i in items),
    )


def stored_draft(d: ResourceDraft, grades: dict[str, tuple[int, int]]) -> ResourceDraft:
    """``d`` as a save stores it (names trimmed, grades outside the active scheme and lengths
    that are not whole numbers left out): its snapshot is what :func:`snapshot_of` reads back
    after the save."""
    def known(code: str | None) -> str | None:
        return code if code in grades else None

    def item(i: ItemDraft) -> ItemDraft:
        if (i.name.strip() == i.name and (i.grade_code is None or i.grade_code in grades)
                and (i.length is None or i.length.__class__ is int)):
            return i  # as stored already (an import's items, nearly always)
        return dataclasses.replace(i, name=i.name.strip(), grade_code=known(i.grade_code),
                                   length=i.length if isinstance(i.length, int) else None)

    return dataclasses.replace(d, name=d.name.strip(), grade_code=known(d.grade_code),
                               items=tuple(item(i) for i in d.items))


def _has_version(session: Session, resource_id: int, version: int) -> bool:
    return session.scalar(select(ResourceVersion.id).where(
        ResourceVersion.resource_id == resource_id, ResourceVersion.version == version)
        .limit(1)) is not None


def keep_baseline(session: Session, who: Identity, r: DataResource) -> None:
    """Before the first change GovDesk makes to ``r``: when its current version has no snapshot
    (a resource loaded by the demo, or written before versions were kept), keep its state as
    that version, so the original can always be compared and restored. Call before changing
    anything of ``r``. The row names ``who`` as its writer (PostgreSQL's policy on
    resource_versions accepts only the session's own name) and carries :data:`BASELINE_NOTE`."""
    if r.id is None or _has_version(session, r.id, r.version):
        return
    session.add(ResourceVersion(resource_id=r.id, version=r.version,
                                snapshot=json.dumps(snapshot_of(session, r), ensure_ascii=False),
                                saved_by=who.username, saved_at=r.updated_at or utcnow(),
                                note=BASELINE_NOTE))
    session.flush()


#: the note of a version kept by :func:`keep_baseline`
BASELINE_NOTE = "起始版本"


def write_version(session: Session, who: Identity, r: DataResource, note: str | None) -> None:
    """Keep ``r``'s state after a change as a new version: the resource row is updated (its
    version counted up) even when only its data items changed, and the snapshot is stored as
    that version. Every path that changes a resource (save, import, re-grade, accepted
    suggestion) ends with this call, after :func:`keep_baseline` before the change."""
    session.flush()
    if _has_version(session, r.id, r.version):  # only items changed: count the version up
        r.updated_at = utcnow()
        session.flush()
    session.add(ResourceVersion(resource_id=r.id, version=r.version,
                                snapshot=json.dumps(snapshot_of(session, r), ensure_ascii=False),
                                saved_by=who.username, saved_at=utcnow(), note=note))


@service(Op.CATALOG_EDIT, writes=True, resource="resource_id", scope=Scope.NONE,
         why="codes are numbered and related codes checked across the whole catalogue; the "
             "resource changed is checked editable (resource=)")
def save_resource(db: Database, who: Identity, draft: ResourceDraft, *,
                  resource_id: int | None = None, base_version: int | None = None,
                  note: str | None = None) -> SaveResult:
    """Create (``resource_id`` None) or update a resource from ``draft``.

    Raises PermissionDenied, :class:`ValidationFailed` (with every problem), or
    :class:`EditConflict` when ``base_version`` is no longer the current version.
    """
    with db.session() as s:
        lookups = Lookups.load(s, codes=(*draft.related_codes, draft.code))
        problems = validate(lookups, who, draft)
        blocking = [p for p in problems if p.blocking]
        if resource_id is None and draft.code and not blocking:
            # the code another area's resource holds cannot be used (and is not named as
            # theirs); one of the user's own is simply taken
            if codes_outside_scope(s, who, [draft.code]):
                blocking.append(Problem("code_unavailable", "code", draft.code))
            elif draft.code in lookups.resource_codes:
                blocking.append(Problem("code_taken", "code", draft.code))
        if blocking:
            raise ValidationFailed(blocking)
        try:
            return write_resource(s, db, who, lookups, draft, resource_id, base_version, note)
        except DuplicateKey as exc:  # the code was taken while this save ran
            raise _code_taken(exc, draft.code) from exc


def write_resource(s: Session, db: Database, who: Identity, lookups: Lookups,
                   draft: ResourceDraft, resource_id: int | None, base_version: int | None,
                   note: str | None) -> SaveResult:
    """Write a validated draft inside the caller's unit of work (see :func:`save_resource`)."""
    grades = lookups.grades
    draft, notice = _raise_grade(draft, grades)
    if resource_id is None:
        r = DataResource(created_by=who.username, status="draft")
        code = draft.code or next_code(s, draft.category_code)
    else:
        r = s.get(DataResource, resource_id)  # type: ignore[assignment]
        if r is None:
            raise InputRejected("resource_missing", resource=resource_id)
        if not in_scope(who, r.region_code):  # shared with them, or SQLite: not theirs to change
            raise ValidationFailed([Problem("resource_out_of_scope", "region", r.code)])
        if base_version is not None and r.version != base_version:
            raise _conflict(s, r, base_version, draft)
        if who.role is not Role.SECADMIN and (lowered := lowered_grades(r, draft, grades)):
            raise ValidationFailed(lowered)
        keep_baseline(s, who, r)
        code = draft.code or r.code
    category_id = lookups.categories[draft.category_code]
    r.code, r.name, r.category_id = code, draft.name.strip(), category_id
    r.provider_org_id, r.region_code = draft.provider_org_id, draft.region_code
    r.provider_code = lookups.organisations.get(draft.provider_org_id)
    r.summary, r.format, r.sharing_type = draft.summary, draft.format, draft.sharing_type
    r.sharing_condition, r.sharing_basis = draft.sharing_condition, draft.sharing_basis
    r.sharing_method, r.open_type = draft.sharing_method, draft.open_type
    r.open_condition, r.update_cycle = draft.open_condition, draft.update_cycle
    r.publish_date = draft.publish_date
    r.related_codes = ";".join(draft.related_codes) or None
    r.grade_id = grades[draft.grade_code][0] if draft.grade_code in grades else None
    r.updated_at = utcnow()  # always an UPDATE: the version counts item-only edits too
    s.add(r)
    _replace_items(s, r, draft, grades)
    s.flush()
    write_version(s, who, r, note)
    reindex(s, [r.id])
    announce.note(s, Changed.of(RESOURCES, [r.id]))
    if not db.is_postgres:  # PostgreSQL audits the change itself (triggers)
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=r.code, detail={"op": "INSERT" if resource_id is None
                                               else "UPDATE", "version": r.version})
    return SaveResult(r.id, r.code, r.version, (notice,) if notice else ())


def _replace_items(s: Session, r: DataResource, d: ResourceDraft,
                   grades: dict[str, tuple[int, int]]) -> None:
    """Make ``r``'s items equal the draft's, keeping rows whose name is unchanged."""
    existing = {i.name: i for i in r.items}
    wanted = []
    for seq, item in enumerate(d.items, start=1):
        row = existing.pop(item.name.strip(), None) or DataItem(name=item.name.strip())
        row.seq = -seq  # temporary, avoids the (resource, seq) uniqueness while reordering
        # validated: a length is a whole number by now
        row.data_type, row.description = item.data_type, item.description
        row.length = item.length if isinstance(item.length, int) else None
        row.grade_id = grades[item.grade_code][0] if item.grade_code in grades else None
        row.is_authoritative, row.standard_code = item.is_authoritative, item.standard_code
        wanted.append(row)
    r.items = wanted
    s.flush()
    for seq, row in enumerate(wanted, start=1):
        row.seq = seq
    s.flush()


def _code_taken(exc: DuplicateKey, code: str) -> DuplicateKey:
    """``exc`` naming ``code`` when the database did not (SQLite), for a resource code."""
    if exc.value or exc.columns != "code" or not code:
        return exc
    return DuplicateKey("code_taken_meanwhile", table=exc.table, columns=exc.columns, value=code,
                        code=code)


def _conflict(s: Session, r: DataResource, base_version: int, draft: ResourceDraft) -> EditConflict:
    base = s.scalar(select(ResourceVersion.snapshot).where(
        ResourceVersion.resource_id == r.id, ResourceVersion.version == base_version))
    last = s.scalars(select(ResourceVersion).where(ResourceVersion.resource_id == r.id)
                     .order_by(ResourceVersion.version.desc()).limit(1)).first()
    return EditConflict(json.loads(base) if base else None, snapshot_of(s, r), draft.snapshot(),
                        r.version, last.saved_by if last else "?")


# -- history ------------------------------------------------------------------------------
@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_by: str
    saved_at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class FieldChange:
    """One difference between two versions; ``item`` names the data item for item fields."""

    field: str
    old: object
    new: object
    item: str | None = None


@service(Op.CATALOG_READ, resource="resource_id")
def history(db: Database, who: Identity, resource_id: int) -> list[VersionInfo]:
    """Every saved version of a resource visible to ``who``, newest first. Raises
    ResourceNotFound (missing, or outside ``who``'s scope)."""
    with db.session() as s:
        return [VersionInfo(v.version, v.saved_by, v.saved_at, v.note) for v in s.scalars(
            select(ResourceVersion).where(ResourceVersion.resource_id == resource_id)
            .order_by(ResourceVersion.version.desc()))]


def _snapshot(s: Session, resource_id: int, version: int) -> dict[str, Any]:
    text = s.scalar(select(ResourceVersion.snapshot).where(
        ResourceVersion.resource_id == resource_id, ResourceVersion.version == version))
    if text is None:
        raise InputRejected("version_missing", resource=resource_id, version=version)
    snapshot: dict[str, Any] = json.loads(text)
    return snapshot


def diff_snapshots(a: dict[str, Any], b: dict[str, Any]) -> list[FieldChange]:
    """Field-level differences from ``a`` to ``b`` (items matched by name)."""
    changes = [FieldChange(k, a.get(k), b.get(k)) for k in RESOURCE_FIELDS if a.get(k) != b.get(k)]
    items_a = {i["name"]: i for i in a.get("items", [])}
    items_b = {i["name"]: i for i in b.get("items", [])}
    for name in items_a.keys() - items_b.keys():
        changes.append(FieldChange("item", name, None, name))
    for name in items_b.keys() - items_a.keys():
        changes.append(FieldChange("item", None, name, name))
    for name in items_a.keys() & items_b.keys():
        changes += [FieldChange(k, items_a[name].get(k), items_b[name].get(k), name)
                    for k in ITEM_FIELDS if items_a[name].get(k) != items_b[name].get(k)]
    order_a = [i["name"] for i in a.get("items", [])]
    order_b = [i["name"] for i in b.get("items", [])]
    if [n for n in order_a if n in items_b] != [n for n in order_b if n in items_a]:
        changes.append(FieldChange("item_order", order_a, order_b))
    return changes


@service(Op.CATALOG_READ, resource="resource_id")
def diff_versions(db: Database, who: Identity, resource_id: int, old: int,
                  new: int) -> list[FieldChange]:
    """What changed between two saved versions of a resource visible to ``who``. Raises
    ResourceNotFound (missing, or outside ``who``'s scope), InputRejected (no such version)."""
    with db.session() as s:
        return diff_snapshots(_snapshot(s, resource_id, old), _snapshot(s, resource_id, new))


@service(Op.CATALOG_EDIT, writes=True, resource="resource_id")
def revert(db: Database, who: Identity, resource_id: int, version: int) -> SaveResult:
    """Make the resource what it was at ``version``; the result is a new version."""
    with db.session() as s:
        data = _snapshot(s, resource_id, version)
        current = s.scalar(select(DataResource.version).where(DataResource.id == resource_id))
    return save_resource(db, who, ResourceDraft.from_snapshot(data), resource_id=resource_id,
                         base_version=current, note=f"revert to version {version}")


@service(Op.CATALOG_READ, resource="resource_id")
def load_draft(db: Database, who: Identity, resource_id: int) -> tuple[ResourceDraft, int]:
    """The editable state of a resource visible to ``who`` and its current version (the edit's
    base). Raises ResourceNotFound (missing, or outside ``who``'s scope)."""
    with db.session() as s:
        r = s.get(DataResource, resource_id)
        if r is None:  # deleted since the kernel looked
            raise ResourceNotFound(resource_id)
        return ResourceDraft.from_snapshot(snapshot_of(s, r)), r.version


@dataclass(frozen=True)
class EditorChoices:
    """Value lists an editor offers: (code or id, label) pairs."""

    categories: tuple[tuple[str, str], ...]
    organisations: tuple[tuple[int, str], ...]
    grades: tuple[tuple[str, str], ...]


@service(Op.CATALOG_READ)
def editor_choices(db: Database, who: Identity) -> EditorChoices:
    """Categories, the organisations in ``who``'s area, and the active grades."""
    prefix = scope_prefix(who)
    with db.session() as s:
        cats = tuple((c.code, f"{c.code} {c.name}") for c in s.scalars(
            select(Category).order_by(Category.code)))
        orgs = tuple((o.id, o.name if o.is_active else f"{o.name}（已停用）") for o in s.scalars(
            select(Organisation).where(Organisation.region_code.like(prefix + "%"))
            .order_by(Organisation.is_active.desc(), Organisation.code)))
        grades = tuple((g.code, g.name) for g in s.scalars(
            select(Grade).join(GradeScheme).where(GradeScheme.is_active.is_(True))
            .order_by(Grade.rank)))
    return EditorChoices(cats, orgs, grades)


def resource_columns(d: ResourceDraft, code: str, lookups: Lookups) -> dict[str, Any]:
    """The ``data_resources`` columns a validated draft sets (its grade already raised), as
    the bulk paths write them: :func:`insert_many` and the batched update."""
    grades = lookups.grades
    return {
        "code": code, "name": d.name.strip(), "category_id": lookups.categories[d.category_code],
        "provider_org_id": d.provider_org_id,
        "provider_code": lookups.organisations.get(d.provider_org_id),
        "region_code": d.region_code, "summary": d.summary, "format": d.format,
        "sharing_type": d.sharing_type, "sharing_condition": d.sharing_condition,
        "sharing_basis": d.sharing_basis, "sharing_method": d.sharing_method,
        "open_type": d.open_type, "open_condition": d.open_condition,
        "update_cycle": d.update_cycle, "publish_date": d.publish_date,
        "related_codes": ";".join(d.related_codes) or None,
        "grade_id": grades[d.grade_code][0] if d.grade_code in grades else None,
    }


def insert_many(s: Session, db: Database, who: Identity, lookups: Lookups,
                drafts: list[ResourceDraft], note: str | None,
                progress: Progress | None = None) -> list[SaveResult]:
    """Insert validated new resources in bulk inside the caller's unit of work: the same rows
    :func:`write_resource` would write (resource, items, version 1, search document), with
    batched INSERTs instead of one ORM flush per resource. One audit event covers the batch on
    SQLite; PostgreSQL's statement triggers audit it there. Reports to ``progress`` after each
    batch; a cancelled ``progress`` raises :class:`Cancelled` (the caller's unit of work then
    rolls back)."""
    progress = progress or Progress()
    from govdesk.catalog.search.index import document
    from govdesk.db.bulk import insert_rows
    from govdesk.db.models import ResourceSearch

    grades = lookups.grades
    now = utcnow()
    results: list[SaveResult] = []
    for start in range(0, len(drafts), 1000):
        batch = [_raise_grade(d, grades)[0] for d in drafts[start:start + 1000]]
        rows = [{**resource_columns(d, d.code, lookups), "status": "draft",
                 "created_by": who.username, "version": 1, "created_at": now,
                 "updated_at": now} for d in batch]
        # Core inserts on the tables (not ORM entities): batched "insertmanyvalues" statements
        # rather than one INSERT per row, which the ORM emits for versioned classes
        table = cast(Table, DataResource.__table__)
        ids: dict[str, int] = {code: rid for code, rid in s.execute(
            table.insert().returning(table.c.code, table.c.id), rows).all()}
        items, versions, docs = [], [], []
        for d in batch:
            rid = ids[d.code]
            for seq, i in enumerate(d.items, start=1):
                items.append({
                    "resource_id": rid, "seq": seq, "name": i.name.strip(),
                    "data_type": i.data_type, "length": i.length, "description": i.description,
                    "grade_id": grades[i.grade_code][0] if i.grade_code in grades else None,
                    "is_authoritative": i.is_authoritative, "standard_code": i.standard_code,
                    "version": 1, "created_at": now, "updated_at": now})
            versions.append({"resource_id": rid, "version": 1, "saved_by": who.username,
                             "saved_at": now, "note": note,
                             "snapshot": json.dumps(d.snapshot(), ensure_ascii=False)})
            text_, grams = document(d.code, d.name.strip(), d.summary, (i.name for i in d.items))
            docs.append({"resource_id": rid, "text": text_, "bigrams": grams, "code": d.code})
            results.append(SaveResult(rid, d.code, 1))
        insert_rows(s, cast(Table, DataItem.__table__), items)
        insert_rows(s, cast(Table, ResourceVersion.__table__), versions)
        insert_rows(s, cast(Table, ResourceSearch.__table__), docs)
        announce.note(s, Changed.of(RESOURCES, ids.values()))
        progress.step(min(start + 1000, len(drafts)), len(drafts))
    if not db.is_postgres and drafts:
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=f"{len(drafts)} resources",
                     detail={"op": "INSERT", "rows": len(drafts), "note": note,
                             "codes": [d.code for d in drafts[:200]]})
    return results
