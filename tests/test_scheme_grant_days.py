"""``max_grant_days`` (the longest validity of a sharing grant of a grade) in grade scheme files
(YAML and Excel), checked with a Chinese message saying where, a longer maximum flagged as a
loosening that needs confirming, stored and audited, then enforced by the sharing workflow on
both databases (real logins on PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from sqlalchemy import select, text

from govdesk.catalog.classification.schemes import (
    GradeRules,
    LooseningNotConfirmed,
    SchemeInvalid,
    active_scheme,
    apply_scheme,
    plan_scheme,
    read_scheme_file,
    scheme_to_yaml,
)
from govdesk.config import resources_dir
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent
from govdesk.db.models.sharing import grant_day
from govdesk.errors import InputRejected
from govdesk.sharing import workflow
from govdesk.sharing.dto import GrantTerms


def test_files_carry_it_and_a_bad_value_says_where(tmp_path: Path) -> None:
    zj = read_scheme_file(resources_dir() / "schemes" / "zhejiang-db33-2350.yaml")
    assert [g.rules.max_grant_days for g in zj.grades] == [180, 365, 730, 1095]
    assert "max_grant_days: 180" in scheme_to_yaml(zj)
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: X\nname: 方案\ngrades:\n  - {code: A, name: 甲, rank: 2, "
                   "max_grant_days: 0}\n  - {code: B, name: 乙, rank: 1, max_grant_days: 1.5}\n",
                   encoding="utf-8")
    with pytest.raises(SchemeInvalid) as refused:
        read_scheme_file(bad)
    zh = refused.value.text("zh")
    assert [w for w, p in refused.value.problems if p.code == "bad_int"] == ["grades[1]",
                                                                            "grades[2]"]
    assert "grades[1]" in zh and "共享授权最长天数" in zh and "1–3650" in zh
    path = tmp_path / "scheme.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("scheme").write_column(0, 0, ["code", "name"])
    book.get_worksheet_by_name("scheme").write_column(0, 1, ["T-1", "测试"])
    grades = book.add_worksheet("grades")
    grades.write_row(0, 0, ["编码", "名称", "级别序号", "授权最长天数"])
    grades.write_row(1, 0, ["S", "敏感", 2, 60])
    grades.write_row(2, 0, ["P", "公开", 1, None])
    book.close()
    spec = read_scheme_file(path)
    assert [g.rules.max_grant_days for g in spec.grades] == [60, 365]  # left out: 365


def test_longer_is_a_loosening(demo_db: Database, accounts_for: Any) -> None:
    assert GradeRules(max_grant_days=90).loosened_by(GradeRules(max_grant_days=400)) == (
        "max_grant_days",)
    assert GradeRules(max_grant_days=90).loosened_by(GradeRules(max_grant_days=30)) == ()
    accounts = accounts_for(demo_db)
    db, officer = accounts.login("secadmin")
    current = active_scheme(db, officer)

    def with_days(code: str, days: int) -> Any:
        return dataclasses.replace(current, grades=tuple(
            dataclasses.replace(g, rules=dataclasses.replace(g.rules, max_grant_days=days))
            if g.code == code else g for g in current.grades))

    assert current.grade("general1").rules.max_grant_days == 1095  # type: ignore[union-attr]
    shorter = with_days("general1", 30)
    assert plan_scheme(db, officer, shorter).loosenings == ()
    apply_scheme(db, officer, shorter)  # stricter: no confirmation
    assert active_scheme(db, officer).grade("general1").rules.max_grant_days == 30  # type: ignore[union-attr]
    # the workflow holds the new maximum at once
    with demo_db.engine.connect() as c:
        code = c.execute(text(
            "SELECT r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id WHERE "
            "r.region_code LIKE '3301%' AND r.status = 'published' AND r.sharing_type = "
            "'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).scalar_one()
        nb = c.execute(text("SELECT id FROM organisations WHERE code = 'CDPF-330200'")).scalar_one()
    grantee = accounts.login("data_admin", "330200", nb)
    with pytest.raises(InputRejected) as too_long:
        workflow.request_grant(*grantee, code, GrantTerms(
            valid_until=grant_day() + dt.timedelta(days=59), method="platform",
            purpose_code="statistics"))
    assert too_long.value.code == "grant_too_long" and "30" in too_long.value.text("zh")
    longer = with_days("general1", 400)
    (lo,) = plan_scheme(db, officer, longer).loosenings
    assert (lo.old_code, lo.rule, lo.before, lo.after) == ("general1", "max_grant_days", 30, 400)
    with pytest.raises(LooseningNotConfirmed) as unconfirmed:
        apply_scheme(db, officer, longer)
    assert "共享授权最长天数" in unconfirmed.value.text("zh")
    assert active_scheme(db, officer).grade("general1").rules.max_grant_days == 30  # type: ignore[union-attr]
    apply_scheme(db, officer, longer, confirm_loosening=True)
    assert active_scheme(db, officer).grade("general1").rules.max_grant_days == 400  # type: ignore[union-attr]
    with demo_db.session() as s:
        detail = json.loads(s.scalars(select(AuditEvent.detail).where(
            AuditEvent.object_type == "grade_schemes").order_by(AuditEvent.id.desc())).first()
            or "{}")
    assert {"from": "general1", "to": "general1", "rule": "max_grant_days", "before": 30,
            "after": 400} in detail["loosenings_confirmed"]


def test_a_file_without_the_column_keeps_the_standard_grades_limits(
        tmp_path: Path, demo_db: Database, accounts_for: Any) -> None:
    """A scheme file written before ``max_grant_days`` existed (the active scheme without the
    rule) lengthens no grant: 核心数据 keeps its 90 days and applying it loosens nothing."""
    accounts = accounts_for(demo_db)
    db, officer = accounts.login("secadmin")
    current = active_scheme(db, officer)
    old = tmp_path / "old.yaml"
    old.write_text("\n".join(line for line in scheme_to_yaml(current).splitlines()
                             if "max_grant_days" not in line), encoding="utf-8")
    assert "max_grant_days" not in old.read_text(encoding="utf-8")
    spec = read_scheme_file(old)
    days = {g.code: g.rules.max_grant_days for g in spec.grades}
    assert days == {g.code: g.rules.max_grant_days for g in current.grades}
    if "core" in days:
        assert days["core"] == 90
    assert not [x for x in plan_scheme(db, officer, spec).loosenings
                if x.rule == "max_grant_days"]
