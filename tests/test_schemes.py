"""Grade schemes as data: a province's scheme loaded from YAML or Excel, previewed, applied in
one audited transaction; handling changes listed before anything changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import xlsxwriter
from sqlalchemy import func, select

from govdesk.catalog.classification.schemes import (
    GradeRules,
    LooseningNotConfirmed,
    SchemeInvalid,
    active_scheme,
    apply_scheme,
    list_schemes,
    plan_scheme,
    read_scheme_file,
    scheme_to_yaml,
)
from govdesk.config import resources_dir
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, DataItem, DataResource, Grade, GradeScheme
from govdesk.errors import PermissionDenied

ZHEJIANG = resources_dir() / "schemes" / "zhejiang-db33-2350.yaml"


def test_zhejiang_file_reads() -> None:
    spec = read_scheme_file(ZHEJIANG)
    assert [g.code for g in spec.grades] == ["L4", "L3", "L2", "L1"]
    l4 = spec.grade("L4")
    assert l4 and l4.rules.masking_required and l4.rules.sharing_types_allowed == (
        "conditional", "none")
    assert "citizen_id" in l4.detectors
    assert spec.mapping_from == "GB/T 43697-2024" and spec.mapping["general3"] == "L3"
    # YAML out and back in is the same scheme
    again = tmp_yaml = Path(str(ZHEJIANG) + ".copy.yaml")
    try:
        tmp_yaml.write_text(scheme_to_yaml(spec), encoding="utf-8")
        assert read_scheme_file(again) == spec
    finally:
        tmp_yaml.unlink()


def test_excel_scheme_with_chinese_headers(tmp_path: Path) -> None:
    path = tmp_path / "scheme.xlsx"
    book = xlsxwriter.Workbook(str(path))
    head = book.add_worksheet("scheme")
    for r, (k, v) in enumerate([("code", "TEST-2"), ("name", "测试方案"), ("source", "内部")]):
        head.write_row(r, 0, [k, v])
    grades = book.add_worksheet("grades")
    grades.write_row(0, 0, ["编码", "名称", "级别序号", "需脱敏", "允许导出", "允许的共享类型",
                            "最低灾备等级", "识别器"])
    grades.write_row(1, 0, ["S", "敏感", 2, "是", "否", "有条件共享；不予共享", 5, "citizen_id phone"])
    grades.write_row(2, 0, ["P", "公开", 1, "否", "是", "", 1, ""])
    mapping = book.add_worksheet("mapping")
    mapping.write_row(0, 0, ["原分级", "新分级"])
    book.close()
    spec = read_scheme_file(path)
    s = spec.grade("S")
    assert s and s.rules.masking_required and not s.rules.export_allowed
    assert s.rules.sharing_types_allowed == ("conditional", "none")
    assert s.rules.min_dr_level == 5 and s.detectors == ("citizen_id", "phone")


def test_bad_scheme_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("""
code: X
name: 坏方案
grades:
  - {code: A, name: 甲, rank: 2, masking_required: maybe, min_dr_level: 9}
  - {code: A, name: 乙, rank: 2, detectors: [citizen_id, ssn]}
  - {name: 丙, rank: 1, audit_retention_days: 30}
""", encoding="utf-8")
    with pytest.raises(SchemeInvalid) as exc:
        read_scheme_file(path)
    where = [w for w, _p in exc.value.problems]
    codes = [p.code for _w, p in exc.value.problems]
    assert "bad_bool" in codes and "bad_int" in codes and "unknown_detector" in codes
    assert "required" in codes  # the third grade's code
    assert codes.count("bad_int") == 2  # DR level 9 and a retention below six months
    assert "grades[1]" in where and "grades[3]" in where
    assert "grades[1]" in str(exc.value) and "maybe" in str(exc.value)
    (tmp_path / "junk.yaml").write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(SchemeInvalid, match="Line 1, column 7 is not valid YAML: a bracket "
                                            "is not closed") as unreadable:
        read_scheme_file(tmp_path / "junk.yaml")
    assert "第 1 行第 7 列不是有效的 YAML：括号没有闭合" in unreadable.value.text("zh")


def test_apply_province_scheme_remaps_everything(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, officer = accounts_for(demo_db).login("secadmin")
    spec = read_scheme_file(ZHEJIANG)
    with demo_db.session() as s:
        before = dict(s.execute(select(Grade.code, func.count(DataResource.id))
                                .join(DataResource, DataResource.grade_id == Grade.id)
                                .group_by(Grade.code)).all())
        items_before = s.scalar(select(func.count()).where(DataItem.grade_id.is_not(None)))
    plan = plan_scheme(db, officer, spec)
    assert plan.activates and not plan.problems
    by_old = {c.old_code: c for c in plan.changes}
    assert by_old["general3"].new_code == "L3" and by_old["core"].new_code == "L4"
    assert by_old["general3"].resources == before.get("general3", 0)
    # general4 -> L4 keeps audit records longer: listed before applying
    assert ("audit_retention_days", 730, 1095) in by_old["general4"].rule_changes
    assert plan.affected_resources >= before.get("general4", 0)
    assert len(plan.sample) == min(plan.affected_resources, 200)
    with demo_db.session() as s:  # planning changed nothing
        assert s.scalar(select(GradeScheme.code).where(GradeScheme.is_active.is_(True))) \
            == "GB/T 43697-2024"
    # 核心数据 -> L4 allows export, fewer approvals …: flagged, and refused until confirmed
    loose = {(lo.old_code, lo.rule): (lo.before, lo.after) for lo in plan.loosenings}
    assert loose[("core", "export_allowed")] == (False, True)
    assert loose[("core", "approvals_required")] == (3, 2)
    assert ("general4", "audit_retention_days") not in loose  # longer is stricter
    with pytest.raises(LooseningNotConfirmed) as refused:
        apply_scheme(db, officer, spec)
    assert "允许导出" in refused.value.text("zh") and "核心数据" in refused.value.text("zh")
    with demo_db.session() as s:  # refused: nothing changed
        assert s.scalar(select(GradeScheme.code).where(GradeScheme.is_active.is_(True))) \
            == "GB/T 43697-2024"
    apply_scheme(db, officer, spec, confirm_loosening=True)
    with demo_db.session() as s:
        assert s.scalar(select(GradeScheme.code).where(GradeScheme.is_active.is_(True))) \
            == "DB33/T 2350-2021"
        after = dict(s.execute(select(Grade.code, func.count(DataResource.id))
                               .join(DataResource, DataResource.grade_id == Grade.id)
                               .group_by(Grade.code)).all())
        assert set(after) <= {"L4", "L3", "L2", "L1"}
        assert sum(after.values()) == sum(before.values())
        assert after.get("L3", 0) == before.get("general3", 0)
        assert s.scalar(select(func.count()).where(DataItem.grade_id.is_not(None))) == items_before
        event = s.scalars(select(AuditEvent).where(AuditEvent.object_type == "grade_schemes")
                          .order_by(AuditEvent.id.desc())).first()
        assert event is not None and '"activate"' in (event.detail or "")
        assert '"export_allowed"' in (event.detail or "")  # the confirmed loosenings
    assert active_scheme(db, officer).code == "DB33/T 2350-2021"
    assert [i.spec.code for i in list_schemes(db, officer)][0] == "DB33/T 2350-2021"


def test_unmapped_grade_in_use_blocks_and_changes_nothing(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, officer = accounts_for(demo_db).login("secadmin")
    spec = dataclasses.replace(read_scheme_file(ZHEJIANG), mapping={})
    plan = plan_scheme(db, officer, spec)
    assert {p.code for _w, p in plan.problems} == {"unmapped_grade"}
    with pytest.raises(SchemeInvalid, match="general3"):
        apply_scheme(db, officer, spec)
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(GradeScheme)) == 1
    # the caller's mapping fills the gap
    plan = plan_scheme(db, officer, spec, {"core": "L4", "important": "L4", "general4": "L4",
                                           "general3": "L3", "general2": "L2", "general1": "L1"})
    assert not plan.problems


def test_changing_a_rule_of_the_active_scheme_lists_affected(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, officer = accounts_for(demo_db).login("secadmin")
    current = active_scheme(db, officer)
    g2 = current.grade("general2")
    assert g2 is not None
    stricter = dataclasses.replace(g2, rules=dataclasses.replace(g2.rules, masking_required=True))
    spec = dataclasses.replace(current, grades=tuple(stricter if g.code == "general2" else g
                                                     for g in current.grades))
    plan = plan_scheme(db, officer, spec)
    assert not plan.activates
    changed = [c for c in plan.changes if c.rule_changes]
    assert [c.old_code for c in changed] == ["general2"]
    assert changed[0].rule_changes == (("masking_required", False, True),)
    with demo_db.session() as s:
        n = s.scalar(select(func.count()).select_from(DataResource).join(Grade)
                     .where(Grade.code == "general2"))
    assert plan.affected_resources == n
    assert plan.loosenings == ()  # stricter: applied without a confirmation
    apply_scheme(db, officer, spec)
    assert active_scheme(db, officer).grade("general2").rules.masking_required  # type: ignore[union-attr]


def test_only_security_administrators_change_schemes(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, admin = accounts_for(demo_db).login("data_admin")
    with pytest.raises(PermissionDenied):
        plan_scheme(db, admin, read_scheme_file(ZHEJIANG))


def test_rules_compare_field_by_field() -> None:
    a = GradeRules()
    b = dataclasses.replace(a, min_dr_level=3, export_allowed=False)
    assert a.differences(b) == (("export_allowed", True, False), ("min_dr_level", 1, 3))


def test_loosened_by_names_every_weaker_rule() -> None:
    strict = GradeRules(masking_required=True, export_allowed=False,
                        export_encryption_required=True, sharing_types_allowed=("none",),
                        approvals_required=2, min_dr_level=4, audit_retention_days=1095)
    assert strict.loosened_by(strict) == ()
    assert GradeRules().loosened_by(strict) == ()  # everything stricter
    assert strict.loosened_by(GradeRules()) == (
        "masking_required", "export_allowed", "export_encryption_required",
        "sharing_types_allowed", "approvals_required", "min_dr_level", "audit_retention_days")
    assert strict.loosened_by(dataclasses.replace(strict, sharing_types_allowed=())) == ()


def test_a_loosening_of_the_active_scheme_needs_confirmation(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, officer = accounts_for(demo_db).login("secadmin")
    current = active_scheme(db, officer)
    g3 = current.grade("general3")
    assert g3 is not None and g3.rules.masking_required
    relaxed = dataclasses.replace(g3, rules=dataclasses.replace(g3.rules, masking_required=False))
    spec = dataclasses.replace(current, grades=tuple(relaxed if g.code == "general3" else g
                                                     for g in current.grades))
    (lo,) = plan_scheme(db, officer, spec).loosenings
    assert (lo.old_code, lo.new_code, lo.rule, lo.before, lo.after) == (
        "general3", "general3", "masking_required", True, False)
    assert lo.resources > 0 and "需脱敏" in lo.problem().text("zh")
    with pytest.raises(LooseningNotConfirmed, match="masking required: yes → no"):
        apply_scheme(db, officer, spec)
    assert active_scheme(db, officer).grade("general3").rules.masking_required  # type: ignore[union-attr]
    apply_scheme(db, officer, spec, confirm_loosening=True)
    assert not active_scheme(db, officer).grade("general3").rules.masking_required  # type: ignore[union-attr]
