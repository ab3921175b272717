"""Creating and changing catalogue resources: validation, resource codes, versions, conflicts.

Every save is one unit of work that validates the whole draft (nothing is written when any
blocking problem remains), assigns a resource code for a new resource (category code, "/",
next sequence number in that category), keeps 就高从严 (a resource is never graded below its
highest data item), writes a version snapshot, refreshes the search document and is audited.
A save based on a version that is no longer current raises :class:`EditConflict` carrying the
base, their and your versions, so the user chooses; nothing is silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.catalog.editing.code_scope import codes_outside_scope, in_scope
from govdesk.catalog.editing.draft import (
    CODE,
    ITEM_FIELDS,
    RESOURCE_FIELDS,
    EditConflict,
    ItemDraft,
    ResourceDraft,
    SaveResult,
    ValidationFailed,
)
from govdesk.catalog.editing.insert import insert_many, resource_columns
from govdesk.catalog.editing.validation import (
    Lookups,
    _raise_grade,
    lowered_grades,
    validate,
)
from govdesk.catalog.editing.versions import (
    BASELINE_NOTE,
    FieldChange,
    VersionInfo,
    _conflict,
    _snapshot,
    diff_snapshots,
    draft_of,
    keep_baseline,
    snapshot_of,
    stored_draft,
    write_version,
)
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
    ResourceVersion,
)
from govdesk.errors import DuplicateKey, InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import ResourceNotFound, Scope, scope_prefix, service
from govdesk.security.roles import Op, Role

#: the names callers import from here (the draft, validation, versions and bulk insert live in
#: the modules beside this one)
__all__ = [
    "BASELINE_NOTE", "CODE", "ITEM_FIELDS", "RESOURCE_FIELDS", "EditConflict", "EditorChoices",
    "FieldChange", "ItemDraft", "Lookups", "ResourceDraft", "SaveResult", "ValidationFailed",
    "VersionInfo", "diff_snapshots", "diff_versions", "draft_of", "editor_choices", "history",
    "insert_many", "keep_baseline", "load_draft", "lowered_grades", "next_code",
    "resource_columns", "revert", "save_resource", "snapshot_of", "stored_draft", "validate",
    "write_resource", "write_version",
]


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
        if who.role is not Role.SECADMIN and (lowered := lowered_grades(r, draft, grades,
                                                                     lookups.grade_names)):
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


# -- history ------------------------------------------------------------------------------
@service(Op.CATALOG_READ, resource="resource_id")
def history(db: Database, who: Identity, resource_id: int) -> list[VersionInfo]:
    """Every saved version of a resource visible to ``who``, newest first. Raises
    ResourceNotFound (missing, or outside ``who``'s scope)."""
    with db.session() as s:
        return [VersionInfo(v.version, v.saved_by, v.saved_at, v.note) for v in s.scalars(
            select(ResourceVersion).where(ResourceVersion.resource_id == resource_id)
            .order_by(ResourceVersion.version.desc()))]


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
    #: the deactivated ones among ``organisations`` (listed last): they stay the provider of
    #: their resources, so an editor still shows them, marked, but a new resource cannot use one
    inactive_organisations: frozenset[int] = frozenset()


@service(Op.CATALOG_READ)
def editor_choices(db: Database, who: Identity) -> EditorChoices:
    """Categories, the organisations in ``who``'s area, and the active grades."""
    prefix = scope_prefix(who)
    with db.session() as s:
        cats = tuple((c.code, f"{c.code} {c.name}") for c in s.scalars(
            select(Category).order_by(Category.code)))
        listed = s.scalars(select(Organisation).where(
            Organisation.region_code.like(prefix + "%"))
            .order_by(Organisation.is_active.desc(), Organisation.code)).all()
        orgs = tuple((o.id, o.name) for o in listed)
        inactive = frozenset(o.id for o in listed if not o.is_active)
        grades = tuple((g.code, g.name) for g in s.scalars(
            select(Grade).join(GradeScheme).where(GradeScheme.is_active.is_(True))
            .order_by(Grade.rank)))
    return EditorChoices(cats, orgs, grades, inactive)
