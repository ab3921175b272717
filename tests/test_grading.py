"""Coverage of grading, bulk re-grade with 就高从严, and the editable category tree."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from govdesk.catalog.classification.categories import add_category, remove_category, rename_category
from govdesk.catalog.classification.coverage import coverage
from govdesk.catalog.editing.resources import history
from govdesk.catalog.messages import LocatedProblems
from govdesk.catalog.classification.regrade import apply_regrade, plan_regrade
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, Category, DataItem, DataResource, Grade
from govdesk.errors import ConflictError, InputRejected, PermissionDenied


def test_coverage_counts_match_the_tables(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    with demo_db.session() as s:  # make some gaps
        first = s.scalars(select(DataResource.id).order_by(DataResource.code).limit(7)).all()
        s.execute(update(DataResource).where(DataResource.id.in_(first[:3])).values(grade_id=None))
        s.execute(update(DataItem).where(DataItem.resource_id.in_(first[3:])).values(grade_id=None))
        resources = s.scalar(select(func.count()).select_from(DataResource))
        graded = s.scalar(select(func.count(DataResource.grade_id)))
        items = s.scalar(select(func.count()).select_from(DataItem))
        graded_items = s.scalar(select(func.count(DataItem.grade_id)))
    db, officer = accounts_for(demo_db).login("secadmin")
    cov = coverage(db, officer)
    assert (cov.total.resources, cov.total.graded_resources) == (resources, graded)
    assert (cov.total.items, cov.total.graded_items) == (items, graded_items)
    roots = [r for r in cov.by_category if r.depth == 0]
    assert sum(r.resources for r in roots) == resources
    assert sum(r.resources for r in cov.by_provider) == resources
    assert cov.ungraded_total >= 7 and {u.id for u in cov.ungraded} >= set(first)
    assert not next(u for u in cov.ungraded if u.id == first[0]).resource_graded
    # one level at a time, named: the top level, then a category's children summing to it
    top = cov.level()
    assert top == tuple(roots) and all(r.label and r.parent == "" for r in top)
    parent = next(r for r in top if r.has_children and r.resources)
    kids = cov.level(parent.key)
    assert kids and all(k.parent == parent.key and k.depth == 1 for k in kids)
    assert sum(k.resources for k in kids) <= parent.resources
    assert cov.trail(kids[0].key) == (parent, kids[0]) and cov.trail("") == ()
    assert next(u for u in cov.ungraded if u.id == first[4]).ungraded_items > 0


def test_bulk_regrade_preview_then_apply(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    with demo_db.session() as s:
        ids = s.scalars(select(DataResource.id).order_by(DataResource.code).limit(12)).all()
        top_item = s.scalar(select(DataItem.id).where(DataItem.resource_id == ids[0]))
        core4 = s.scalar(select(Grade.id).where(Grade.code == "general4"))
        s.execute(update(DataItem).where(DataItem.id == top_item).values(grade_id=core4))
    db, officer = accounts_for(demo_db).login("secadmin")
    plan = plan_regrade(db, officer, ids, "general2")
    assert len(plan.rows) == 12
    first = next(r for r in plan.rows if r.id == ids[0])
    assert first.new_grade == "一般数据4级" and first.raised_by_item  # 就高从严
    with demo_db.session() as s:  # the preview changed nothing
        assert s.scalar(select(func.count()).where(DataResource.id.in_(ids),
                                                   DataResource.grade_id.is_(None))) == 0
    versions = len(history(db, officer, ids[1]))
    done = apply_regrade(db, officer, ids, "general2")
    assert done.changed == plan.changed
    with demo_db.session() as s:
        grades = {g.id: g.code for g in s.scalars(select(Grade))}
        got = {rid: grades[gid] for rid, gid in s.execute(
            select(DataResource.id, DataResource.grade_id).where(DataResource.id.in_(ids)))}
        assert got[ids[0]] == "general4"
        assert all(code in ("general2", "general3", "general4") for code in got.values())
        raised = {r.id for r in plan.rows if r.raised_by_item}
        assert all(got[i] == "general2" for i in ids if i not in raised)
        assert s.scalar(select(func.count()).where(
            AuditEvent.object_id == "regrade:general2")) >= 1
    assert len(history(db, officer, ids[1])) == versions + (
        1 if next(r for r in plan.rows if r.id == ids[1]).changes else 0)
    with pytest.raises(InputRejected, match="not in the active scheme"):
        plan_regrade(db, officer, ids, "L9")
    admin_db, admin = accounts_for(demo_db).login("data_admin")
    with pytest.raises(PermissionDenied):
        apply_regrade(admin_db, admin, ids, "general1")


def test_category_tree_edits(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, officer = accounts_for(demo_db).login("secadmin")
    add_category(db, officer, "201001", "康复服务", parent_code="201")
    add_category(db, officer, "2010011", "辅助器具适配", parent_code="201001")
    with pytest.raises(LocatedProblems, match="201"):
        add_category(db, officer, "202002", "错放", parent_code="201")  # wrong prefix
    with pytest.raises(LocatedProblems, match="6"):
        add_category(db, officer, "20100", "位数不对", parent_code="201")
    with pytest.raises(LocatedProblems):
        add_category(db, officer, "201001", "重复", parent_code="201")
    with pytest.raises(InputRejected, match="细目"):
        add_category(db, officer, "20100111", "太深", parent_code="2010011")
    with demo_db.session() as s:
        c = s.scalar(select(Category).where(Category.code == "201001"))
        assert c is not None and c.kind == "business"
        version = c.version
    rename_category(db, officer, "201001", "康复服务（含辅具）", version=version)
    with pytest.raises(ConflictError):
        rename_category(db, officer, "201001", "又改", version=version)
    with pytest.raises(InputRejected, match="sub-categories"):
        remove_category(db, officer, "201001")
    with pytest.raises(InputRejected, match="resources"):
        remove_category(db, officer, "205")
    remove_category(db, officer, "2010011")
    remove_category(db, officer, "201001")
    with demo_db.session() as s:
        assert s.scalar(select(Category.id).where(Category.code == "201001")) is None
    admin_db, admin = accounts_for(demo_db).login("data_admin")
    with pytest.raises(PermissionDenied):
        add_category(admin_db, admin, "209001", "组织", parent_code="209")
