"""Bulk re-grade: give a selection of resources one grade of the active scheme, previewed, in
one audited transaction. A resource is never graded below its highest data item (就高从严): the
plan says where the item's grade wins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.catalog.editing.resources import keep_baseline, write_version
from govdesk.catalog.classification.grade_rule import strictest
from govdesk.changes import RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Grade, GradeScheme
from govdesk.errors import InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

MAX_SELECTION = 10_000


@dataclass(frozen=True)
class RegradeRow:
    """One selected resource: its grade now, the grade it gets, and why if not the asked one."""

    id: int
    code: str
    name: str
    old_grade: str | None
    new_grade: str
    new_grade_id: int
    raised_by_item: str | None  #: name of the data item whose grade wins (就高从严)

    @property
    def changes(self) -> bool:
        return self.old_grade != self.new_grade


@dataclass(frozen=True)
class RegradePlan:
    grade_code: str
    grade_name: str
    rows: tuple[RegradeRow, ...]

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r.changes)


def _plan(s: Session, resource_ids: Sequence[int], grade_code: str) -> RegradePlan:
    """The plan, over the selected resources the service's scope holds (the kernel narrows
    every statement to what the caller may change)."""
    if not resource_ids:
        raise InputRejected("regrade_none")
    if len(resource_ids) > MAX_SELECTION:
        raise InputRejected("regrade_too_many", max=MAX_SELECTION)
    grades = {g.id: g for g in s.scalars(select(Grade).join(GradeScheme)
                                          .where(GradeScheme.is_active.is_(True)))}
    target = next((g for g in grades.values() if g.code == grade_code), None)
    if target is None:
        raise InputRejected("grade_not_active", grade=grade_code)
    resources = s.execute(select(DataResource.id, DataResource.code, DataResource.name,
                                 DataResource.grade_id)
                          .where(DataResource.id.in_(list(resource_ids)))
                          .order_by(DataResource.code)).all()
    if len(resources) != len(set(resource_ids)):
        raise InputRejected("regrade_stale")
    items: dict[int, list[tuple[str, Grade | None]]] = {}
    for rid, name, gid in s.execute(select(DataItem.resource_id, DataItem.name, DataItem.grade_id)
                                    .where(DataItem.resource_id.in_(list(resource_ids)),
                                           DataItem.grade_id.is_not(None))
                                    .order_by(DataItem.resource_id, DataItem.seq)):
        items.setdefault(rid, []).append((name, grades.get(gid) if gid is not None else None))
    rows = []
    for rid, code, name, gid in resources:
        result = strictest(target, items.get(rid, ()), lambda g: g.rank)  # 就高从严
        new = result.grade
        assert new is not None  # the target is a grade
        old = grades.get(gid) if gid else None
        rows.append(RegradeRow(rid, code, name, old.name if old else None, new.name, new.id,
                               result.raised_by))
    return RegradePlan(target.code, target.name, tuple(rows))


@service(Op.CLASSIFICATION_EDIT, scope=Scope.EDIT)
def plan_regrade(db: Database, who: Identity, resource_ids: Sequence[int],
                 grade_code: str) -> RegradePlan:
    """What :func:`apply_regrade` would do; changes nothing. Raises InputRejected,
    PermissionDenied. Sees what the caller could change (the edit scope)."""
    with db.session() as s:
        return _plan(s, resource_ids, grade_code)


@service(Op.CLASSIFICATION_EDIT, writes=True)
def apply_regrade(db: Database, who: Identity, resource_ids: Sequence[int],
                  grade_code: str) -> RegradePlan:
    """Re-grade the selection in one transaction: each changed resource gets a new version and
    the whole operation one audit record. Returns the plan carried out."""
    with db.session() as s:
        plan = _plan(s, resource_ids, grade_code)
        for row in plan.rows:
            if not row.changes:
                continue
            r = s.get(DataResource, row.id)
            assert r is not None
            keep_baseline(s, who, r)
            r.grade_id = row.new_grade_id
            write_version(s, who, r, f"批量定级：{row.new_grade}")
        announce.note(s, Changed.of(RESOURCES, [r.id for r in plan.rows if r.changes]))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=f"regrade:{plan.grade_code}", detail={
                         "action": "regrade", "grade": plan.grade_code, "changed": plan.changed,
                         "resources": [r.code for r in plan.rows if r.changes][:500],
                         "raised_by_items": sum(1 for r in plan.rows if r.raised_by_item)})
        return plan

