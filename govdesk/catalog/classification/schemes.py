"""Grade schemes as data: read one from YAML or Excel, preview what changes, apply it.

A scheme is a list of grades, each with its handling rules (masking, export, encryption of
exports, sharing types allowed, approvals for a grant, minimum disaster-recovery level, audit
retention, the longest validity of a sharing grant: ``max_grant_days``, 1-3650; a file that
leaves it out keeps the standard grades' own limits (核心数据 90 days ..., others 365), and a
longer maximum is a loosening) and the detectors whose findings it is suggested for. Exactly one scheme is active.

Applying a file either updates the active scheme (same code: grades matched by code) or makes
another scheme active (a different code). Either way every grade in use must land somewhere: the
file's ``mapping`` (or the caller's) says which new grade each old one becomes. The plan lists
the resources whose handling changes and every *loosening*: a handling rule that gets weaker
for data in use (核心数据 mapped to a grade that allows export, masking no longer required, fewer
approvals …). :func:`apply_scheme` computes the same plan inside its transaction, refuses a plan
with loosenings unless the caller confirms them (``confirm_loosening=True``), remaps resources and
items, and records it in the audit trail (with the loosenings confirmed).

The parts of a scheme are in :mod:`.scheme_spec`, reading and writing files in
:mod:`.scheme_files`; both are re-exported here.

YAML shape (Excel: a ``scheme`` sheet of key/value rows, a ``grades`` sheet with these column
names as headers, an optional ``mapping`` sheet of old/new pairs)::

    code: ZJ-DB33-2350
    name: 浙江省公共数据分级
    source: DB33/T 2350-2021
    grades:
      - {code: L4, name: 敏感数据, rank: 40, masking_required: yes, export_allowed: no,
         export_encryption_required: yes, sharing_types_allowed: [conditional, none],
         approvals_required: 2, min_dr_level: 4, audit_retention_days: 1095,
         max_grant_days: 180, detectors: [citizen_id, disability_cert]}
    mapping:
      from: GB/T 43697-2024
      grades: {core: L4, important: L4, general4: L4, general3: L3, general2: L2, general1: L1}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from govdesk.catalog.classification.scheme_files import read_scheme_file, scheme_to_yaml
from govdesk.catalog.classification.scheme_spec import (
    GradeRules,
    GradeSpec,
    Loosening,
    LooseningNotConfirmed,
    SchemeInvalid,
    SchemeSpec,
    loosening_not_confirmed,
)
from govdesk.catalog.messages import Problem
from govdesk.changes import GRADES, RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Grade, GradeScheme
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

__all__ = ["AffectedResource", "GradeChange", "GradeRules", "GradeSpec", "Loosening",
           "LooseningNotConfirmed", "SchemeInfo", "SchemeInvalid", "SchemePlan", "SchemeSpec",
           "active_scheme", "apply_scheme", "list_schemes", "plan_scheme", "read_scheme_file",
           "rules_of", "scheme_to_yaml"]

SAMPLE_LIMIT = 200


def _spec_of(s: Session, scheme: GradeScheme) -> SchemeSpec:
    grades = s.scalars(select(Grade).where(Grade.scheme_id == scheme.id)
                       .order_by(Grade.rank.desc())).all()
    return SchemeSpec(scheme.code, scheme.name, tuple(_grade_spec(g) for g in grades),
                      scheme.source)


def _grade_spec(g: Grade) -> GradeSpec:
    return GradeSpec(g.code, g.name, g.rank, rules_of(g), g.description,
                     tuple(g.detectors.split()))


def rules_of(g: Grade) -> GradeRules:
    """The handling rules of a stored grade."""
    return GradeRules(g.masking_required, g.export_allowed, g.export_encryption_required,
                      tuple(g.sharing_types_allowed.split()), g.approvals_required,
                      g.min_dr_level, g.audit_retention_days, g.max_grant_days)


@dataclass(frozen=True)
class SchemeInfo:
    """A stored scheme, for lists."""

    spec: SchemeSpec
    is_active: bool
    version: int


@service(Op.CATALOG_READ)
def list_schemes(db: Database, who: Identity) -> list[SchemeInfo]:
    """Every stored scheme, the active one first."""
    with db.session() as s:
        schemes = s.scalars(select(GradeScheme).order_by(GradeScheme.is_active.desc(),
                                                         GradeScheme.code)).all()
        return [SchemeInfo(_spec_of(s, sc), sc.is_active, sc.version) for sc in schemes]


@service(Op.CATALOG_READ)
def active_scheme(db: Database, who: Identity) -> SchemeSpec:
    """The active scheme (there is always one)."""
    with db.session() as s:
        return _spec_of(s, s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True)))
                        .one())


@dataclass(frozen=True)
class GradeChange:
    """Where the resources and items of one grade of the active scheme go."""

    old_code: str
    old_name: str
    new_code: str | None  #: None: the grade disappears (allowed only when unused)
    new_name: str | None
    resources: int
    items: int
    rule_changes: tuple[tuple[str, object, object], ...]


@dataclass(frozen=True)
class AffectedResource:
    code: str
    name: str
    old_grade: str
    new_grade: str


@dataclass(frozen=True)
class SchemePlan:
    """What applying a scheme would do. ``problems`` non-empty: it cannot be applied."""

    scheme_code: str
    scheme_name: str
    activates: bool  #: another scheme becomes active
    changes: tuple[GradeChange, ...]
    added: tuple[str, ...]  #: new grade codes nobody uses yet
    affected_resources: int  #: resources whose handling rules change
    sample: tuple[AffectedResource, ...]  #: the first of them, by code
    problems: tuple[tuple[str, Problem], ...]
    #: handling rules that get weaker for a grade of the active scheme: applying needs
    #: ``confirm_loosening=True``
    loosenings: tuple[Loosening, ...] = ()


def _mapping_given(spec: SchemeSpec, current: GradeScheme, mapping: Mapping[str, str] | None,
                   problems: list[tuple[str, Problem]]) -> dict[str, str]:
    """The file's mapping (when it maps from the active scheme) overridden by the caller's;
    a target that is not a grade of ``spec`` is a problem."""
    given = dict(spec.mapping) if spec.mapping_from in (None, current.code) else {}
    given.update(mapping or {})
    for old, new in given.items():
        if spec.grade(new) is None:
            problems.append(("mapping", Problem("bad_mapping", "mapping", f"{old} → {new}",
                                                params={"reason": f"{new} is not in {spec.code}"})))
    return given


def _affected(s: Session, changed_ids: dict[int, str], old_grades: list[Grade]
              ) -> tuple[int, list[AffectedResource]]:
    """How many resources have a grade whose rules change, and the first of them by code."""
    if not changed_ids:
        return 0, []
    where = DataResource.grade_id.in_(list(changed_ids))
    affected = int(s.scalar(select(func.count()).where(where)) or 0)
    names = {g.id: g.name for g in old_grades}
    sample = [AffectedResource(code, name, names[gid], changed_ids[gid])
              for code, name, gid in s.execute(
                  select(DataResource.code, DataResource.name, DataResource.grade_id)
                  .where(where).order_by(DataResource.code).limit(SAMPLE_LIMIT))
              if gid is not None]  # the where clause picks graded rows only
    return affected, sample


def _plan(s: Session, spec: SchemeSpec, mapping: Mapping[str, str] | None) -> SchemePlan:
    current = s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True))).one()
    old_grades = list(s.scalars(select(Grade).where(Grade.scheme_id == current.id)))
    same = spec.code == current.code
    problems: list[tuple[str, Problem]] = []
    given = _mapping_given(spec, current, mapping, problems)
    res_counts = dict(s.execute(select(DataResource.grade_id, func.count())
                                .group_by(DataResource.grade_id)).all())
    item_counts = dict(s.execute(select(DataItem.grade_id, func.count())
                                 .group_by(DataItem.grade_id)).all())
    changes: list[GradeChange] = []
    loosenings: list[Loosening] = []
    changed_ids: dict[int, str] = {}
    for g in sorted(old_grades, key=lambda g: -g.rank):
        target_code = given.get(g.code) or (g.code if same and spec.grade(g.code) else None)
        target = spec.grade(target_code) if target_code else None
        n_res, n_items = int(res_counts.get(g.id, 0)), int(item_counts.get(g.id, 0))
        if target is None:
            if n_res or n_items:
                problems.append((g.code, Problem("unmapped_grade", "mapping", g.code,
                                                 params={"count": n_res + n_items})))
            changes.append(GradeChange(g.code, g.name, None, None, n_res, n_items, ()))
            continue
        old_rules = rules_of(g)
        diffs = old_rules.differences(target.rules)
        if diffs:
            changed_ids[g.id] = target.name
        loosenings += [Loosening(g.code, g.name, target.code, target.name, rule,
                                 getattr(old_rules, rule), getattr(target.rules, rule),
                                 n_res, n_items) for rule in old_rules.loosened_by(target.rules)]
        if same and target.rank < g.rank:  # ranks order one scheme's grades only
            loosenings.append(Loosening(g.code, g.name, target.code, target.name, "rank",
                                        g.rank, target.rank, n_res, n_items))
        changes.append(GradeChange(g.code, g.name, target.code, target.name, n_res, n_items,
                                   diffs))
    used_targets = {c.new_code for c in changes}
    added = tuple(g.code for g in spec.grades if g.code not in used_targets)
    affected, sample = _affected(s, changed_ids, old_grades)
    return SchemePlan(spec.code, spec.name, not same, tuple(changes), added, affected,
                      tuple(sample), tuple(problems), tuple(loosenings))


@service(Op.CLASSIFICATION_EDIT, scope=Scope.NONE,
         why="a scheme grades the whole catalogue: its plan counts every region's resources")
def plan_scheme(db: Database, who: Identity, spec: SchemeSpec,
                mapping: Mapping[str, str] | None = None) -> SchemePlan:
    """What :func:`apply_scheme` would do with ``spec``, changing nothing (the dry run): where
    each grade goes, the resources whose handling changes, the problems that block applying it
    and the loosenings that applying it needs confirmed."""
    with db.session() as s:
        return _plan(s, spec, mapping)


def _store_grades(s: Session, target: GradeScheme, spec: SchemeSpec
                  ) -> tuple[dict[str, Grade], list[Grade]]:
    """``spec``'s grades written into ``target`` (matched by code): the rows by code, and the
    target's grades that ``spec`` no longer has."""
    existing = {g.code: g for g in s.scalars(select(Grade).where(Grade.scheme_id == target.id))}
    by_code: dict[str, Grade] = {}
    for g in spec.grades:
        row = existing.pop(g.code, None) or Grade(scheme_id=target.id, code=g.code)
        row.name, row.rank, row.description = g.name, g.rank, g.description
        row.masking_required = g.rules.masking_required
        row.export_allowed = g.rules.export_allowed
        row.export_encryption_required = g.rules.export_encryption_required
        row.sharing_types_allowed = " ".join(g.rules.sharing_types_allowed)
        row.approvals_required = g.rules.approvals_required
        row.min_dr_level = g.rules.min_dr_level
        row.audit_retention_days = g.rules.audit_retention_days
        row.max_grant_days = g.rules.max_grant_days
        row.detectors = " ".join(g.detectors)
        s.add(row)
        by_code[g.code] = row
    s.flush()
    return by_code, list(existing.values())


def _remap(s: Session, plan: SchemePlan, current: GradeScheme, by_code: dict[str, Grade]) -> None:
    """Every resource and data item of a grade of ``current`` moved to the grade it becomes."""
    old = {g.code: g.id for g in s.scalars(select(Grade).where(Grade.scheme_id == current.id))}
    now = utcnow()
    for change in plan.changes:
        if change.new_code is None:
            continue
        old_id, new_id = old[change.old_code], by_code[change.new_code].id
        if old_id == new_id:
            continue
        for table in (DataResource, DataItem):
            s.execute(update(table).where(table.grade_id == old_id).values(
                grade_id=new_id, version=table.version + 1, updated_at=now)
                .execution_options(synchronize_session=False))


@service(Op.CLASSIFICATION_EDIT, writes=True, scope=Scope.NONE,
         why="a scheme grades the whole catalogue: every region's resources are remapped")
def apply_scheme(db: Database, who: Identity, spec: SchemeSpec,
                 mapping: Mapping[str, str] | None = None, *,
                 confirm_loosening: bool = False) -> SchemePlan:
    """Store ``spec`` and make it the active scheme, remapping every resource and data item, in
    one transaction recorded in the audit trail (with the loosenings it carried out). Returns
    the plan it carried out.

    Raises :class:`SchemeInvalid` when the plan has problems, :class:`LooseningNotConfirmed`
    when it weakens a handling rule (see :func:`plan_scheme`) and ``confirm_loosening`` is not
    True (nothing changes either way), PermissionDenied, ConflictError when another change got
    there first.
    """
    with db.session() as s:
        plan = _plan(s, spec, mapping)
        if plan.problems:
            raise SchemeInvalid(list(plan.problems))
        if plan.loosenings and not confirm_loosening:
            raise loosening_not_confirmed(plan.loosenings)
        current = s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True))).one()
        target = current if not plan.activates else s.scalars(
            select(GradeScheme).where(GradeScheme.code == spec.code)).one_or_none()
        if target is None:
            target = GradeScheme(code=spec.code, name=spec.name, source=spec.source,
                                 is_active=False)
            s.add(target)
            s.flush()
        target.name, target.source = spec.name, spec.source
        by_code, dropped = _store_grades(s, target, spec)
        _remap(s, plan, current, by_code)
        for leftover in dropped:  # grades dropped from the active scheme (unused)
            s.delete(leftover)
        if plan.activates:
            current.is_active = False
            s.flush()
            target.is_active = True
        announce.note(s, Changed.of(GRADES, [target.id, current.id]), Changed.of(RESOURCES))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="grade_schemes",
                     object_id=spec.code, detail={
                         "action": "activate" if plan.activates else "update",
                         "from": current.code, "affected_resources": plan.affected_resources,
                         "mapping": {c.old_code: c.new_code for c in plan.changes},
                         "loosenings_confirmed": [
                             {"from": lo.old_code, "to": lo.new_code, "rule": lo.rule,
                              "before": list(lo.before) if isinstance(lo.before, tuple)
                              else lo.before,
                              "after": list(lo.after) if isinstance(lo.after, tuple)
                              else lo.after} for lo in plan.loosenings]})
        return plan
