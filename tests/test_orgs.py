"""The organisations directory: seeding a province's federations, adding, editing,
deactivating, the workbook import, the command line; on both databases as real logins."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from govdesk.catalog.editing.resources import (
    ItemDraft,
    ResourceDraft,
    ValidationFailed,
    editor_choices,
    load_draft,
    save_resource,
)
from govdesk.catalog.messages import LocatedProblems
from govdesk.catalog.orgs.directory import (
    OrgDraft,
    add_organisation,
    list_organisations,
    set_organisation_active,
    update_organisation,
)
from govdesk.catalog.orgs.seed import seed_federations
from govdesk.catalog.orgs.workbook import SHEET, import_organisations, write_org_template
from govdesk.changes import ORGANISATIONS, recording
from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models import Organisation
from govdesk.errors import ConflictError, InputRejected, PermissionDenied
from govdesk.messages import jsonable


def sysadmin(db: Database, accounts_for):  # type: ignore[no-untyped-def]
    return accounts_for(db).login("sysadmin")


def count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Organisation)) or 0)


def test_seed_makes_every_level_the_region_list_holds_and_twice_adds_nothing(
        db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    handle, who = sysadmin(db, accounts_for)
    with recording() as rec:
        report = seed_federations(handle, who, "33")
    assert rec.changes.affects(ORGANISATIONS)
    # the shipped list (cpca) stops at the county: national, province, 11 cities, 90 counties
    assert dict(report.per_level) == {0: 1, 1: 1, 2: 11, 3: 90, 4: 0, 5: 0}
    assert report.created == 103 and report.existing == 0 and report.levels_without_regions == (4, 5)
    assert report.skipped == 11  # the 市辖区 rows of the cities are groupings, not divisions
    orgs = {o.code: o for o in list_organisations(handle, who)}
    assert orgs["CDPF-000000"].name == "中国残疾人联合会" and orgs["CDPF-000000"].parent_id is None
    assert orgs["CDPF-330000"].parent_code == "CDPF-000000"
    assert orgs["CDPF-330100"].name == "杭州市残疾人联合会"
    assert orgs["CDPF-330100"].parent_code == "CDPF-330000"
    assert orgs["CDPF-330106"].parent_code == "CDPF-330100"  # 西湖区 under 杭州市
    again = seed_federations(handle, who, "330000")
    assert again.created == 0 and again.existing == 103 and count(db) == 103
    with_departments = seed_federations(handle, who, "33", departments=True)
    assert with_departments.created == with_departments.departments == 4 * 12
    assert seed_federations(handle, who, "33", departments=True).created == 0
    assert {o.code for o in list_organisations(handle, who, text="EDUCATION-3301")} == {
        "EDUCATION-330100"}


def test_seed_refuses_what_is_not_a_province(db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    handle, who = sysadmin(db, accounts_for)
    for bad in ("3301", "99", "330100", "abc", ""):
        with pytest.raises(InputRejected) as e:
            seed_federations(handle, who, bad)
        assert e.value.code == "org_province_unknown"
    assert count(db) == 0


def test_add_edit_deactivate_and_every_problem_at_once(db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    handle, who = sysadmin(db, accounts_for)
    seed_federations(handle, who, "33")
    police = add_organisation(handle, who, OrgDraft("GA-330100", "杭州市公安局", "教育部门", "3301",
                                                    "CDPF-330100"))
    assert police.kind == "education" and police.region_code == "330100000000"
    assert police.is_active and police.parent_code == "CDPF-330100"
    with pytest.raises(ConflictError):
        add_organisation(handle, who, OrgDraft("GA-330100", "重复", "health", "33"))
    with pytest.raises(LocatedProblems) as e:
        add_organisation(handle, who, OrgDraft("bad code!", "", "police", "99", "NOPE"))
    codes = [p.code for _where, p in e.value.problems]
    assert codes == ["org_required", "org_bad_code", "org_bad_kind", "org_bad_region",
                     "org_bad_parent"]
    assert "名称" in e.value.text("zh") and "Region code" in e.value.text("en")
    renamed = update_organisation(handle, who, police.id, dataclasses.replace(
        OrgDraft("GA-330100", "杭州市卫生健康委员会", "health", "330100"), parent="CDPF-330100"),
        version=police.version)
    assert renamed.name == "杭州市卫生健康委员会" and renamed.version == police.version + 1
    with pytest.raises(ConflictError):  # the version it was read at is gone
        update_organisation(handle, who, police.id, OrgDraft("GA-330100", "x", "health", "33"),
                            version=police.version)
    city = next(o for o in list_organisations(handle, who) if o.code == "CDPF-330100")
    with pytest.raises(LocatedProblems) as e:  # the city under one of its own children
        update_organisation(handle, who, city.id, OrgDraft(
            city.code, city.name, "federation", city.region_code, "GA-330100"))
    assert [p.code for _w, p in e.value.problems] == ["org_parent_cycle"]
    off = set_organisation_active(handle, who, police.id, False)
    assert not off.is_active and count(db) == 104  # nothing is deleted
    assert "GA-330100" not in {o.code for o in list_organisations(handle, who, active_only=True)}
    assert set_organisation_active(handle, who, police.id, True).is_active


def test_only_the_system_administrator_keeps_the_directory(db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    for role in ("secadmin", "auditor", "data_admin", "viewer"):
        handle, who = accounts.login(role)
        with pytest.raises(PermissionDenied):
            add_organisation(handle, who, OrgDraft(f"X-{role}", "部门", "health", "33"))
        with pytest.raises(PermissionDenied):
            seed_federations(handle, who, "33")
    assert count(db) == 0


def new_resource(provider: int) -> ResourceDraft:
    return ResourceDraft(
        name="残疾人就业岗位信息", category_code="203", provider_org_id=provider,
        region_code="330100000000", format="spreadsheet", sharing_type="unconditional",
        open_type="unconditional", update_cycle="yearly",
        items=(ItemDraft("岗位名称", "C", 100, grade_code="general1"),))


def test_a_deactivated_provider_keeps_its_resources_but_gets_no_new_one(
        db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    handle, who = accounts.login("sysadmin")
    seed_federations(handle, who, "33")
    city = next(o for o in list_organisations(handle, who) if o.code == "CDPF-330100")
    editor_db, editor = accounts.login("data_admin")
    saved = save_resource(editor_db, editor, new_resource(city.id))
    set_organisation_active(handle, who, city.id, False)
    with pytest.raises(ValidationFailed) as e:
        save_resource(editor_db, editor, new_resource(city.id))
    assert "已停用" in str(e.value.problems[0].text("zh"))
    draft, version = load_draft(editor_db, editor, saved.resource_id)
    save_resource(editor_db, editor, dataclasses.replace(draft, summary="改过"),
                  resource_id=saved.resource_id, base_version=version)  # the old one still saves
    # but it moves to no other deactivated provider (the database's rule too, migration 0028)
    other = next(o for o in list_organisations(handle, who) if o.id != city.id)
    set_organisation_active(handle, who, other.id, False)
    draft, version = load_draft(editor_db, editor, saved.resource_id)
    with pytest.raises(ValidationFailed) as moved:
        save_resource(editor_db, editor, dataclasses.replace(draft, provider_org_id=other.id),
                      resource_id=saved.resource_id, base_version=version)
    assert "已停用" in str(moved.value.problems[0].text("zh"))
    # the service names the deactivated ones; the editor marks them in the user's language
    choices = editor_choices(editor_db, editor)
    assert dict(choices.organisations)[city.id] == "杭州市残疾人联合会"
    assert city.id in choices.inactive_organisations


def write_rows(path: Path, rows: list[list[object]],
               headers: tuple[str, ...] = ("组织机构代码", "名称", "类型", "行政区划代码",
                                           "上级机构代码", "启用")) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_is_all_or_nothing_with_every_problem_by_row(
        db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handle, who = sysadmin(db, accounts_for)
    seed_federations(handle, who, "33")
    bad = write_rows(tmp_path / "bad.xlsx", [
        ["MZ-330100", "杭州市民政局", "民政部门", 330100, "CDPF-330100", "是"],
        ["MZ-330100", "重复", "民政部门", 330100, "", ""],
        ["RS-330100", "", "警察", 990000, "NOPE", "也许"],
        ["A-1", "甲", "卫生健康部门", 33, "A-2", ""],
        ["A-2", "乙", "卫生健康部门", 33, "A-1", ""],
    ])
    with pytest.raises(LocatedProblems) as e:
        import_organisations(handle, who, bad)
    found = [(jsonable(where, "zh"), p.code) for where, p in e.value.problems]
    assert ("组织机构 第 3 行", "org_duplicate_row") in found
    assert {c for w, c in found if w == "组织机构 第 4 行"} == {
        "org_required", "org_bad_kind", "org_bad_region", "org_bad_parent", "org_bad_active"}
    assert ("组织机构 第 5 行", "org_parent_cycle") in found
    assert ("组织机构 第 6 行", "org_parent_cycle") in found
    assert count(db) == 103  # nothing written
    good = write_rows(tmp_path / "good.xlsx", [
        ["MZ-330100", "杭州市民政局", "civil_affairs", "330100", "MZ-330000", "是"],
        ["MZ-330000", "浙江省民政厅", "民政部门", "33", "", ""],
        ["CDPF-330100", "杭州市残联", "残疾人联合会", "330100", "CDPF-330000", "否"],
    ])
    assert dataclasses.astuple(import_organisations(handle, who, good, dry_run=True)) == (
        2, 1, 0, True)
    assert count(db) == 103
    report = import_organisations(handle, who, good)
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    orgs = {o.code: o for o in list_organisations(handle, who)}
    assert orgs["MZ-330100"].parent_code == "MZ-330000"
    assert orgs["CDPF-330100"].name == "杭州市残联" and not orgs["CDPF-330100"].is_active
    template = write_org_template(handle, who, tmp_path / "all.xlsx")
    assert template == 105
    again = import_organisations(handle, who, tmp_path / "all.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 105)


def test_import_refuses_files_that_are_not_organisation_workbooks(
        db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handle, who = sysadmin(db, accounts_for)
    (tmp_path / "a.csv").write_text("code,name\n")
    with pytest.raises(InputRejected) as e:
        import_organisations(handle, who, tmp_path / "a.csv")
    assert e.value.code == "org_file_type"
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip at all")
    with pytest.raises(LocatedProblems) as located:
        import_organisations(handle, who, tmp_path / "fake.xlsx")
    assert located.value.problems[0][1].code == "wb_not_workbook"
    book = openpyxl.Workbook()
    book.active.title = "别的表"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(InputRejected) as e:
        import_organisations(handle, who, tmp_path / "other.xlsx")
    assert e.value.code == "org_sheet_missing"
    formula = write_rows(tmp_path / "formula.xlsx", [["=A1", "甲", "卫生健康部门", "33", "", ""]])
    with pytest.raises(LocatedProblems) as located:  # openpyxl stores no calculated value
        import_organisations(handle, who, formula)
    assert located.value.problems[0][1].code == "wb_formula_no_value"
    missing = write_rows(tmp_path / "cols.xlsx", [["X", "甲"]], headers=("组织机构代码", "名称"))
    with pytest.raises(LocatedProblems) as located:
        import_organisations(handle, who, missing)
    assert "类型、行政区划代码" in located.value.text("zh")
    assert count(db) == 0


def test_cli_seed_add_list_deactivate(sqlite_db: Database, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    url = sqlite_db.url

    def run(*argv: str) -> tuple[int, dict[str, object]]:
        code = main([*argv, "--db", url, "--json"])
        return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    code, out = run("orgs", "seed", "--province", "33")
    assert code == 0 and out["created"] == 103 and out["levels_without_regions"] == [4, 5]
    assert run("orgs", "seed", "--province", "33")[1]["created"] == 0
    code, out = run("orgs", "add", "WJ-330000", "--name", "浙江省卫生健康委员会", "--kind", "health",
                    "--region", "33", "--parent", "CDPF-330000")
    assert code == 0 and out["organisation"]["parent"] == "CDPF-330000"  # type: ignore[index]
    code, out = run("orgs", "add", "WJ-330000", "--name", "重复", "--kind", "health",
                    "--region", "33")
    assert code == 4 and out["code"] == "org_code_exists"
    assert run("orgs", "deactivate", "WJ-330000")[0] == 0
    code, out = run("orgs", "list", "--active")
    assert code == 0 and len(out["organisations"]) == 103  # type: ignore[arg-type]
    code, out = run("orgs", "template", str(tmp_path / "o.xlsx"))
    assert code == 0 and out["organisations"] == 104
    code, out = run("orgs", "import", str(tmp_path / "o.xlsx"), "--dry-run")
    assert code == 0 and out["unchanged"] == 104 and out["dry_run"] is True
    assert main(["orgs", "list", "--db", url, "--search", "WJ"]) == 0
    assert "已停用" in capsys.readouterr().out
    assert main(["orgs", "seed", "--province", "99", "--db", url, "--lang", "en"]) == 1
    assert "is not a province code" in capsys.readouterr().err
